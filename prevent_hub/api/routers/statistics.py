"""A year's Prevent statistics for partner systems (the council's
performance reporting, a return to the Home Office), for tokens with the
statistics:read scope.

The figures are `statistics.selectors.year_statistics`, exactly as the
statistics pages and downloads show them: counted by the financial year of
referral as the national release counts, every count from 1 to
STATISTICS_SUPPRESS_UP_TO shown as "*", and more hidden where a small count
could be worked out from the others. Counts only: no referral, person or
case is named. Definitions: docs/statistics.md."""

from typing import Literal

from ninja import Query, Router
from pydantic import BaseModel, Field

from prevent_hub.access import Action
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.statistics import selectors
from prevent_hub.statistics.figures import YearStatistics

from ..auth import requires
from ..models import ApiScope
from ..problems import FieldError, RequestInvalid
from .listing import refuse_unknown_parameters

router = Router(tags=["Statistics"])

Figure = int | Literal["*"]
FIGURE = ('A count, or "*" where it is hidden: a count from 1 to the suppression threshold, or one '
          "hidden so that such a count cannot be worked out from the others.")


def _breakdown(codes: str) -> object:
    return Field(description=f"Code → count or \"*\". Codes: {codes}; `not_recorded` counts those with no "
                             "value recorded yet, so the counts add up to the total.")


class DurationOut(BaseModel):
    counted: Figure = Field(description="How many referrals the figures are over. " + FIGURE)
    median_days: Figure | None = Field(
        description='The median number of days (nearest rank); "*" when no more than `suppress_up_to` '
                    "referrals are counted, null when none are.")
    p90_days: Figure | None = Field(description="The 90th percentile (nearest rank), hidden like the median.")


class DurationsOut(BaseModel):
    to_gateway_outcome: DurationOut = Field(
        description="Days from the day a referral was received to the day of its gateway outcome.")
    to_panel: DurationOut = Field(
        description="Days from the day a referral was received to the day a Channel panel first "
                    "discussed it.")


class YearStatisticsOut(BaseModel):
    year: str = Field(description='The financial year, 1 April to 31 March: "2023/24".',
                      examples=["2023/24"])
    first_day: str = Field(description="1 April of the year (ISO 8601 date).", examples=["2023-04-01"])
    last_day: str = Field(description="31 March of the year (ISO 8601 date).", examples=["2024-03-31"])
    suppress_up_to: int = Field(description='Counts from 1 to this number are shown as "*".', examples=[4])
    referrals: Figure = Field(description="Referrals received in the year (by the date received, UK time), "
                                          "entered or imported. " + FIGURE)
    discussed_at_panel: Figure = Field(description="Of the year's referrals, those discussed at a Channel "
                                                   "panel, whenever. " + FIGURE)
    adopted: Figure = Field(description="Of the year's referrals, those adopted as a Channel case, "
                                        "whenever. " + FIGURE)
    quarters: dict[str, Figure] = Field(
        description="Referrals by quarter received: q1 April to June, q2 July to September, q3 October to "
                    "December, q4 January to March.")
    by_sector: dict[str, Figure] = _breakdown("education, police, local_authority, health, community, "
                                              "friends_and_family, prisons, probation, other")
    by_age_band: dict[str, Figure] = _breakdown("10_or_under, 11_15, 16_17, 18_20, 21_30, 31_40, 41_50, "
                                                "over_50, not_known (age on the day of referral)")
    by_gender: dict[str, Figure] = _breakdown("male, female, other, not_known")
    by_concern: dict[str, Figure] = _breakdown(
        "the type-of-concern categories in force that year (from 2024/25: islamist, extreme_right_wing, "
        "left_wing, conflicted, school_massacre, no_ideology_identified, "
        "no_ideology_other_susceptibility, other; before: no_ideology_vulnerability, no_risk and "
        "high_ct_risk_no_ideology in place of the two no_ideology ones)")
    by_outcome: dict[str, Figure] = _breakdown("no_further_action, signposted, police_led, channel")
    by_consent: dict[str, Figure] = Field(
        description="Of the year's referrals adopted as a Channel case, code → count or \"*\" by the "
                    "answer to the latest request for consent: given, refused, withdrawn, not_sought. "
                    "Adds up to `adopted`.")
    by_ethnicity: dict[str, Figure] = _breakdown("white, mixed, asian, black, other, not_known (ONS groups)")
    by_mental_health: dict[str, Figure] = _breakdown("yes, no, not_known (mental health need or "
                                                     "neurodiversity recorded)")
    cases_by_concern: dict[str, Figure] = Field(
        description="Of the year's referrals adopted as a Channel case, by type of concern (codes as "
                    "`by_concern`). Adds up to `adopted`.")
    durations: DurationsOut


def as_api(statistics: YearStatistics) -> dict:
    """The published figures as the API shows them (the pages and
    downloads show the same `statistics`)."""

    return {
        "year": statistics.label,
        "first_day": statistics.first_day.isoformat(),
        "last_day": statistics.last_day.isoformat(),
        "suppress_up_to": statistics.suppress_up_to,
        **{headline.key: headline.shown for headline in statistics.headlines},
        "quarters": statistics.quarters.as_dict(),
        **{breakdown.key: breakdown.as_dict() for breakdown in statistics.breakdowns},
        "durations": {duration.key: {"counted": duration.counted, "median_days": duration.median_days,
                                     "p90_days": duration.p90_days}
                      for duration in statistics.durations},
    }


@router.get("", response={200: YearStatisticsOut}, url_name="statistics-year",
            summary="A financial year's Prevent statistics")
@requires(ApiScope.STATISTICS_READ, Action.STATISTICS_VIEW)
def statistics_year(request, year: int = Query(
        ..., ge=selectors.API_YEARS.start, le=selectors.API_YEARS.stop - 1,
        description="The financial year, by the year it starts in: 2023 for 1 April 2023 to 31 March 2024.",
        examples=[2023])):
    """Referrals, discussed at a Channel panel and adopted, by quarter,
    sector, age band, gender, type of concern, gateway outcome, consent,
    ethnicity and mental health or neurodiversity, and the days to the
    gateway outcome and to panel, as the national release counts them (by
    the financial year in which the referral was received), with small
    numbers suppressed exactly as on the statistics pages."""
    refuse_unknown_parameters(request, allowed=frozenset({"year"}))
    if len(request.GET.getlist("year")) > 1:
        raise RequestInvalid([FieldError("year", "Give one year", "parameter")])
    statistics = selectors.year_statistics(year=year, user=request.user)
    audit_read(action=AuditAction.VIEW, object_type=selectors.AUDIT_OBJECT_TYPE, object_id=year,
               details={"list": "Prevent statistics", "year": statistics.label, "via": "api"})
    return as_api(statistics)
