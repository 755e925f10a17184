"""The area's population, loaded as data by an administrator (from the census,
say), so that equality monitoring can compare referral rates per 10,000
people by ethnicity, sex and age band with the rate for the whole area.

A `PopulationSet` is the figures for one year, from one named source, loaded
by a named person at a time; loading the same year again replaces its
figures. The figures used for a financial year are those of the latest set
whose year is on or before it (`equality.population_for`).

These are counts of the whole area's residents, from published tables: no
person is in them, so they are not personal data (who loaded them is a
staff account, as on any reference-data change).
"""

from django.conf import settings
from django.db import models


class PopulationDimension(models.TextChoices):
    """What a figure breaks the population down by. The codes of each are the
    reporting categories' (reporting.ReportingCategory): ethnicity and age band
    as the national release has them, and sex as its gender categories male
    and female (the census asks sex; the other gender categories have no
    population figure to compare with)."""

    TOTAL = "total", "The whole area"
    ETHNICITY = "ethnicity", "Ethnicity"
    SEX = "sex", "Sex"
    AGE_BAND = "age_band", "Age band"


# The code of the one figure for the whole area.
WHOLE_AREA = "all"


class PopulationSet(models.Model):
    year = models.PositiveSmallIntegerField(
        unique=True, help_text="The year the figures are for: 2021 for the 2021 census.")
    source = models.CharField(max_length=200, help_text="For example: Census 2021, ONS table TS021.")
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Empty when loaded by manage.py load_population or the demo.")
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return f"Population {self.year} ({self.source})"


class PopulationFigure(models.Model):
    population_set = models.ForeignKey(PopulationSet, on_delete=models.CASCADE, related_name="figures")
    dimension = models.CharField(max_length=20, choices=PopulationDimension.choices)
    code = models.SlugField(max_length=40)
    population = models.PositiveIntegerField()

    class Meta:
        ordering = ["population_set", "dimension", "code"]
        constraints = [
            models.UniqueConstraint(fields=["population_set", "dimension", "code"],
                                    name="one_population_figure_per_code"),
            models.CheckConstraint(condition=models.Q(population__gt=0), name="population_is_positive"),
        ]

    def __str__(self):
        return f"{self.dimension} {self.code}: {self.population:,}"
