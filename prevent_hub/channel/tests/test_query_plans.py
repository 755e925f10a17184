"""The case list and the cases API read cases newest first from an index
(EXPLAIN on each database), so a page costs the same with 100 cases or
100,000: without it every page sorted all cases.

The table is tiny here, so on PostgreSQL sequential scans are switched off
for the transaction (as in audit/tests/test_query_plans.py): the question is
whether the index *can* serve the order, and that the plan has no sort.
"""

import pytest

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.api.routers.cases import _cases
from prevent_hub.channel import selectors
from prevent_hub.channel.models import CaseStatus
from prevent_hub.core.tests.query_plans import plan

from .factories import ChannelCaseFactory

pytestmark = pytest.mark.django_db


def assert_ordered_by_index(text, indexes=("case_by_opened",)):
    assert any(index in text for index in indexes), text
    # SQLite names a sort it has to do; PostgreSQL shows a Sort node.
    assert "TEMP B-TREE FOR ORDER BY" not in text, text
    assert "Sort" not in text, text


@pytest.fixture
def coordinator():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR])


# One status: the status index holds that status's cases in order of opening
# (and id) just as well.
@pytest.mark.parametrize(("filters", "indexes"), [
    (selectors.CaseFilters(), ("case_by_opened",)),
    (selectors.CaseFilters(status=selectors.OPEN), ("case_by_opened",)),
    (selectors.CaseFilters(status=CaseStatus.SUPPORT), ("case_by_opened", "case_by_status")),
])
def test_a_page_of_the_case_list_reads_an_index_in_its_order(coordinator, filters, indexes):
    ChannelCaseFactory.create_batch(3)
    cases = selectors.cases_visible(user=coordinator, filters=filters)
    assert_ordered_by_index(plan(cases[:25]), indexes)
    # And the page shows what the index promised: newest first.
    opened = [case.opened_at for case in selectors.cases_visible(user=coordinator)]
    assert opened == sorted(opened, reverse=True)


def test_a_page_of_the_cases_api_reads_the_newest_first_index(coordinator):
    ChannelCaseFactory.create_batch(3)
    assert_ordered_by_index(plan(_cases(coordinator)[:25]))
