"""Quarters for counts: calendar quarters and the financial year's, named as
a council reports them, and each row put in its quarter by the database."""

import datetime

import pytest

from prevent_hub.accounts.models import User
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.core.quarters import (
    FinancialQuarter,
    financial_year_name,
    financial_year_of,
    financial_year_span,
    quarter_of,
    quarter_start,
    quarter_starts,
)
from prevent_hub.core.working_days import start_of_day

D = datetime.date


def test_quarters_start_in_january_april_july_and_october():
    assert quarter_start(D(2027, 3, 31)) == D(2027, 1, 1)
    assert quarter_start(D(2027, 4, 1)) == D(2027, 4, 1)
    assert quarter_start(D(2026, 12, 31)) == D(2026, 10, 1)
    assert quarter_starts(D(2026, 11, 5), D(2027, 4, 1)) == [D(2026, 10, 1), D(2027, 1, 1), D(2027, 4, 1)]


@pytest.mark.parametrize(("start", "short", "label"), [
    (D(2026, 4, 1), "2026/27 Q1", "2026/27 Q1 (April to June 2026)"),
    (D(2026, 10, 1), "2026/27 Q3", "2026/27 Q3 (October to December 2026)"),
    (D(2027, 1, 1), "2026/27 Q4", "2026/27 Q4 (January to March 2027)"),
    (D(1999, 10, 1), "1999/00 Q3", "1999/00 Q3 (October to December 1999)"),
])
def test_financial_quarters_are_named_as_councils_report_them(start, short, label):
    quarter = FinancialQuarter(start)
    assert (quarter.short, quarter.label) == (short, label)


def test_the_financial_year_runs_from_1_april_to_31_march():
    assert financial_year_of(D(2027, 3, 31)) == 2026 and financial_year_of(D(2027, 4, 1)) == 2027
    assert financial_year_span(2026) == (D(2026, 4, 1), D(2027, 3, 31))
    assert FinancialQuarter(D(2027, 1, 1)).end == D(2027, 3, 31)
    assert financial_year_name(2026) == "2026/27"


@pytest.mark.django_db
def test_the_database_puts_each_row_in_its_quarter_by_date_and_time():
    """Midnight at the start of 1 April is the new quarter; a moment before is the old one."""
    before = UserFactory(date_joined=start_of_day(D(2027, 4, 1)) - datetime.timedelta(seconds=1))
    after = UserFactory(date_joined=start_of_day(D(2027, 4, 1)))
    later = UserFactory(date_joined=start_of_day(D(2027, 9, 30)))
    starts = quarter_starts(D(2027, 3, 31), D(2027, 9, 30))
    found = dict(User.objects.filter(pk__in=[before.pk, after.pk, later.pk])
                 .annotate(quarter=quarter_of("date_joined", starts, bound=start_of_day))
                 .values_list("pk", "quarter"))
    assert found == {before.pk: D(2027, 1, 1), after.pk: D(2027, 4, 1), later.pk: D(2027, 7, 1)}
