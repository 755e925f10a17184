import pytest
from django.test import Client

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.venues import services
from prevent_hub.venues.tests.factories import booking_submitted, officer, populated_booking, venue_with_room

from .factories import bearer, issue_token

pytestmark = pytest.mark.django_db

LIST = "/api/v1/venue-bookings"


def _get(token, path):
    return Client().get(path, **bearer(token))


def test_a_booking_reads_with_its_checks_decision_appeal_and_changes():
    booking = populated_booking()
    _, token = issue_token(roles=[Role.VENUE_BOOKING_OFFICER], scopes=["venues:read"])
    response = _get(token, f"{LIST}/{booking.reference}")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == booking.reference
    assert body["status"] == "changed_awaiting_reapproval"
    assert (body["venue"], body["room"]) == (booking.venue.name, booking.room.name)
    assert body["event_date"] == booking.event_date.isoformat()
    assert {check["subject"] for check in body["checks"]} == {"booker", "organisation", "speaker"}
    assert any({"subject": "speaker", "checked": "References taken", "check": "references",
                "outcome": "Checked: no concerns"}.items() <= check.items() for check in body["checks"])
    assert body["decision"]["outcome"] == "approve_with_conditions"
    assert body["decision"]["conditions"] == ["Two stewards"]
    assert body["decision"]["clause"].startswith("7 ")
    assert body["decision"]["decided_by"] and body["decision"]["decided_on"]
    assert body["appeal"]["outcome"] == "upheld"
    assert body["appeal"]["decided_by"] != body["decision"]["decided_by"]
    assert body["changes"][0]["fields"] == [{"field": "agenda", "label": "Agenda",
                                             "before": "18:00 welcome; 18:15 readings; 19:30 questions",
                                             "after": "A shorter agenda"}]
    # Who booked, and what officers wrote about people, are not for partner systems.
    assert "Alex Example-Booker" not in response.content.decode()
    assert "Looked at the organisation" not in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="venues.venuebooking",
                                     object_id=str(booking.pk)).exists()


def test_the_list_pages_newest_first_in_a_fixed_number_of_queries():
    room = venue_with_room(acting_user=officer())[1]
    first = booking_submitted(room, key="one")
    second = booking_submitted(room, key="two", starts_at=first.starts_at.replace(hour=10),
                               ends_at=first.ends_at.replace(hour=11))
    _, token = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["venues:read"])
    body = _get(token, f"{LIST}?limit=1").json()
    assert (body["count"], [b["reference"] for b in body["results"]]) == (2, [second.reference])
    assert body["results"][0]["decision"] is None and body["results"][0]["checks"] == []

    def queries_for_list():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert _get(token, LIST).status_code == 200
        return len(captured)

    few = queries_for_list()
    for number in range(3):
        booking_submitted(room, key=f"more-{number}", starts_at=first.starts_at.replace(hour=12 + number),
                          ends_at=first.ends_at.replace(hour=13 + number))
    assert queries_for_list() == few


@pytest.mark.parametrize("role", [Role.CHANNEL_CHAIR, Role.POLICE_PRACTITIONER, Role.COMPLAINTS_OFFICER,
                                  Role.AUDITOR])
def test_other_roles_are_refused(role):
    booking = booking_submitted(venue_with_room(acting_user=officer())[1])
    _, token = issue_token(roles=[role], scopes=["venues:read"])
    assert _get(token, LIST).status_code == 403
    assert _get(token, f"{LIST}/{booking.reference}").status_code == 403


def test_the_scope_is_needed_and_unknown_or_hostile_references_are_404():
    booking = booking_submitted(venue_with_room(acting_user=officer())[1])
    _, without = issue_token(roles=[Role.VENUE_BOOKING_OFFICER], scopes=["cases:read"])
    refused = _get(without, f"{LIST}/{booking.reference}")
    assert refused.status_code == 403 and 'scope="venues:read"' in refused["WWW-Authenticate"]
    _, token = issue_token(roles=[Role.VENUE_BOOKING_OFFICER], scopes=["venues:read"])
    for reference in ("VEN-1999-000001", "x" * 500, "%00", "' OR 1=1 --", "..%2F..%2Fetc"):
        response = _get(token, f"{LIST}/{reference}")
        assert response.status_code == 404, reference
        assert response["Content-Type"] == "application/problem+json"
    assert _get(token, f"{LIST}?limit=0").status_code == 422
    assert _get(token, f"{LIST}?status=approved").status_code == 422


def test_a_withdrawn_booking_reads_as_withdrawn():
    booking = booking_submitted(venue_with_room(acting_user=officer())[1])
    services.booking_withdraw(booking=booking, reason="Postponed")
    _, token = issue_token(roles=[Role.VENUE_BOOKING_OFFICER], scopes=["venues:read"])
    assert _get(token, f"{LIST}/{booking.reference}").json()["status"] == "withdrawn"
