"""Reporting categories: the national release's definitions, as data.

Each breakdown the Home Office publishes (sector of referral, gender, type of
concern, gateway outcome, consent, ethnicity, age band, mental health or
neurodiversity) is a `Dimension`; each of its values a `ReportingCategory`
with the code imports and the API use. Categories have effective dates
because the national definitions change: the type-of-concern categories were
replaced from the 2024/25 release. A category that has ended names the one
it is counted as afterwards (`reports_as`), so a referral recorded under the
old scheme is counted in the new scheme's tables without its record being
rewritten. The defaults are loaded by migrations; a change to the national
definitions is a new migration, reviewed like code.
"""

from django.db import models


class Dimension(models.TextChoices):
    SECTOR = "sector", "Sector of referral"
    AGE_BAND = "age_band", "Age band"
    GENDER = "gender", "Gender"
    CONCERN = "concern", "Type of concern"
    GATEWAY_OUTCOME = "gateway_outcome", "Gateway outcome"
    CONSENT = "consent", "Consent"
    ETHNICITY = "ethnicity", "Ethnicity"
    MENTAL_HEALTH = "mental_health_or_neurodiversity", "Mental health or neurodiversity"


class ReportingCategory(models.Model):
    dimension = models.CharField(max_length=40, choices=Dimension.choices)
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    # The first and last days the category is in force; empty: always.
    effective_from = models.DateField(null=True, blank=True)
    effective_to = models.DateField(null=True, blank=True)
    reports_as = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="After it ends, the category this one is counted as.",
    )
    definition = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["dimension", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="one_category_per_code"),
            models.CheckConstraint(
                condition=models.Q(effective_from__isnull=True) | models.Q(effective_to__isnull=True)
                | models.Q(effective_from__lte=models.F("effective_to")),
                name="category_ends_after_it_starts",
            ),
        ]
        verbose_name_plural = "reporting categories"

    def __str__(self):
        return f"{self.get_dimension_display()}: {self.label}"

    def in_force(self, on) -> bool:
        return ((self.effective_from is None or self.effective_from <= on)
                and (self.effective_to is None or on <= self.effective_to))
