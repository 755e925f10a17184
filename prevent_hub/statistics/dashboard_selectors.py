"""Reads for the statistics dashboard beside the figures themselves
(`selectors.year_statistics`): which financial years have referrals, and
the reporting categories a council's records and import files use.

Neither reads anything about a person: the years come from the months
referrals were received in, and the categories are reference data."""

from dataclasses import dataclass

from django.utils import timezone

from prevent_hub.core.quarters import financial_year_of
from prevent_hub.referrals.models import Referral
from prevent_hub.reporting.models import Dimension, ReportingCategory


def years_with_referrals() -> list[int]:
    """The financial years with at least one referral, newest first."""
    months = Referral.objects.datetimes("received_at", "month", tzinfo=timezone.get_current_timezone())
    return sorted({financial_year_of(month.date()) for month in months}, reverse=True)


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
