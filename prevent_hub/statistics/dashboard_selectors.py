"""Reads for the statistics dashboard beside the figures themselves
(`selectors`): the reporting categories a council's records and import
files use (reference data, nothing about a person)."""

from dataclasses import dataclass

from prevent_hub.reporting.models import Dimension, ReportingCategory

# Where each dimension's code goes in the legacy import file (and what the
# referral itself records): age band is worked out, not written.
IMPORT_COLUMNS = {
    Dimension.SECTOR: "sector",
    Dimension.AGE_BAND: "date_of_birth or age_at_referral (the band is worked out from the age on the "
                        "day of referral)",
    Dimension.GENDER: "gender",
    Dimension.CONCERN: "concern",
    Dimension.GATEWAY_OUTCOME: "gateway_outcome",
    Dimension.CONSENT: "consent",
    Dimension.ETHNICITY: "ethnicity",
    Dimension.MENTAL_HEALTH: "mental_health_or_neurodiversity",
}


@dataclass(frozen=True)
class DimensionCategories:
    code: str
    title: str
    import_column: str
    categories: tuple[ReportingCategory, ...]

    @property
    def has_dates(self) -> bool:
        return any(each.effective_from or each.effective_to for each in self.categories)


def reporting_categories() -> list[DimensionCategories]:
    """Every dimension's categories, in the release's order, with their
    dates and what an ended one is counted as (`reports_as`)."""
    every = list(ReportingCategory.objects.select_related("reports_as"))
    return [
        DimensionCategories(
            code=dimension.value, title=dimension.label, import_column=IMPORT_COLUMNS.get(dimension, ""),
            categories=tuple(each for each in every if each.dimension == dimension.value))
        for dimension in Dimension
    ]
