"""Searches by record and by user use their indexes (EXPLAIN on each database).

At a million events these are what keep a search under 100 ms (see
benchmarks/audit_search.py, which records the plans at that size). Here the
table is tiny, so on PostgreSQL sequential scans are switched off for the
transaction: the question is whether the index *can* serve the query.
"""

import pytest
from django.db import connection

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit import selectors
from prevent_hub.core.tests.query_plans import plan

from .helpers import write_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor():
    return UserFactory(roles=[Role.AUDITOR])


@pytest.mark.parametrize(("filters", "index"), [
    (selectors.AuditFilters(object_type="people.person", object_id="12"), "audit_by_record"),
    (selectors.AuditFilters(actor_ids=(1,)), "audit_by_actor"),
])
def test_a_page_of_results_reads_the_index(auditor, filters, index):
    write_events(5)
    events = selectors.audit_events_search(user=auditor, filters=filters)
    page_plan = plan(events.values(*selectors.LIST_COLUMNS)[:50])
    count_plan = plan(events.order_by().values("occurred_at")[: selectors.COUNT_CAP + 1])
    for text in (page_plan, count_plan):
        assert index in text or (index == "audit_by_actor" and "actor_id" in text), text
        assert "SCAN audit_auditevent\n" not in text + "\n" and "Seq Scan" not in text, text


def test_the_record_types_are_found_by_probing_the_index(auditor):
    write_events(3, object_type="people.person")
    sql = """EXPLAIN QUERY PLAN SELECT object_type FROM audit_auditevent
             WHERE object_type > 'a' ORDER BY object_type LIMIT 1"""
    if connection.vendor == "postgresql":
        sql = sql.replace("QUERY PLAN ", "")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(sql)
        text = "\n".join(str(row[-1] if connection.vendor == "sqlite" else row[0])
                         for row in cursor.fetchall())
    assert "audit_by_record" in text, text
    assert selectors.audit_record_types(user=auditor) == ["people.person"]
