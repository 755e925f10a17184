"""What a case page costs the database, pinned: a new query on the busiest
page staff open is a choice to make, not an accident (benchmarks/floor.py
measures the time).

For a Prevent coordinator: the session, the user, their second factor and
their roles; the case; the audit event (one statement on PostgreSQL; on
SQLite the event, then sealed into the chain at once: the head read, the
event and the head updated); the latest
consent, the overdue information requests and the status history; and the
session's idle-timeout update.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prevent_hub.access.roles import Role

from .factories import ChannelCaseFactory

pytestmark = pytest.mark.django_db

QUERIES = {"sqlite": 13, "postgresql": 10}


def test_a_case_page_costs_a_fixed_number_of_queries(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    path = reverse("channel:case-detail", kwargs={"pk": case.pk})
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    assert case.reference in response.text
    statements = [query["sql"] for query in queries
                  if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(statements) == QUERIES[connection.vendor], "\n".join(statements)
