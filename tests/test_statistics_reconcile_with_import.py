"""Done means, for the statistics: a council imports five years of spreadsheet
referrals, and its tables for any year are what the national release would
count from the same rows, with no small number that could identify anyone.

The expected figures are counted here straight from the spreadsheet's rows
(by financial year of referral, with the national codes), independently of
the selector's queries, then suppressed by the one suppression rule; the
selector's published tables must equal them for every year."""

import datetime
from collections import Counter

import pytest

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.context import acting_as
from prevent_hub.legacy_import import imports
from prevent_hub.legacy_import.demo import synthetic_csv, synthetic_rows
from prevent_hub.reporting.categories import age_band, age_on
from prevent_hub.statistics.selectors import year_statistics
from prevent_hub.statistics.suppression import SUPPRESSED, partition_suppress

pytestmark = pytest.mark.django_db

ROWS, SEED, TODAY = 700, 7, datetime.date(2026, 6, 15)
COLUMNS = imports.COLUMNS


def financial_year(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def expected_counts(rows: list[dict], year: int) -> dict[str, Counter]:
    """What the national release counts for `year`, from the rows alone."""
    mine = [row for row in rows if financial_year(datetime.date.fromisoformat(row["received_on"])) == year]
    adopted = [row for row in mine if row["adopted_on"]]

    def age(row):
        if row["date_of_birth"]:
            return age_on(datetime.date.fromisoformat(row["date_of_birth"]),
                          datetime.date.fromisoformat(row["received_on"]))
        return int(row["age_at_referral"]) if row["age_at_referral"] else None

    return {
        "referrals": len(mine),
        "discussed_at_panel": sum(1 for row in mine if row["panel_discussed_on"]),
        "adopted": len(adopted),
        "by_sector": Counter(row["sector"] for row in mine),
        "by_age_band": Counter(age_band(age(row)) for row in mine),
        "by_gender": Counter(row["gender"] for row in mine),
        "by_concern": Counter(row["concern"] for row in mine),
        "by_outcome": Counter(row["gateway_outcome"] for row in mine),
        "by_ethnicity": Counter(row["ethnicity"] for row in mine),
        "by_mental_health": Counter(row["mental_health_or_neurodiversity"] for row in mine),
        "by_consent": Counter(row["consent"] or "not_sought" for row in adopted),
        "cases_by_concern": Counter(row["concern"] for row in adopted),
    }


def test_five_imported_years_give_the_tables_the_national_release_would_count():
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in synthetic_rows(ROWS, seed=SEED, today=TODAY)]
    with acting_as(coordinator):
        referral_import = imports.referral_import_begin(file_name="five-years.csv", skip_bad_rows=False,
                                                        acting_user=coordinator)
        imports.referral_import_run(referral_import=referral_import, acting_user=coordinator,
                                    data=synthetic_csv(ROWS, seed=SEED, today=TODAY))
    referral_import.refresh_from_db()
    assert referral_import.status == "imported", referral_import.errors[:3]

    years = sorted({financial_year(datetime.date.fromisoformat(row["received_on"])) for row in rows})
    assert years == [2020, 2021, 2022, 2023, 2024]
    for year in years:
        published = year_statistics(year=year, user=coordinator)
        expected = expected_counts(rows, year)
        for key in ("referrals", "discussed_at_panel", "adopted"):
            count = expected[key]
            assert published.headline(key).shown == (SUPPRESSED if 1 <= count <= 4 else count), (year, key)
        for breakdown in published.breakdowns:
            codes = [row.code for row in breakdown.rows]
            counted = expected[breakdown.key]
            assert set(counted) <= set(codes), (year, breakdown.key, set(counted) - set(codes))
            shown = breakdown.as_dict()
            assert shown == partition_suppress({code: counted.get(code, 0) for code in codes}), (
                year, breakdown.key)
            # No small number anywhere in what is published.
            assert not any(isinstance(value, int) and 1 <= value <= 4 for value in shown.values())
