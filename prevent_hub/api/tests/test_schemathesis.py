"""Schemathesis against our own OpenAPI document, in-process (WSGI).

Every operation in /api/v1/openapi.json gets generated requests, valid and
invalid, with a token holding every scope for a Prevent coordinator (who may
do everything the API offers). Every default check runs: no server errors,
every status code, content type, header and body as documented, invalid data
refused, valid data accepted, unsupported methods refused, and so on.
Deterministic and bounded, so it runs the same way every time, in seconds.
"""

import datetime
import re

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.context import acting_as
from prevent_hub.channel.models import PlanAction
from prevent_hub.channel.services import case_open_from_referral
from prevent_hub.channel.tests.factories import ChannelCaseFactory
from prevent_hub.panels.models import (
    Attendance,
    DecisionMethod,
    ItemAction,
    ItemDecision,
    MeetingStatus,
    MinutesStatus,
)
from prevent_hub.panels.tests.factories import PanelMeetingFactory, item_add, police_present
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.models import GatewayOutcome, ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralFactory

from .factories import issue_token

MAX_EXAMPLES = 50
EXAMPLE_REFERENCE = "PRV-2000-000123"  # the document's example: a year no new referral can have
EXAMPLE_MEETING_ID = 1  # the document's example panel meeting id


def _past_dates_of_birth(context, body):
    """The schema cannot say "not in the future" (JSON Schema has no date
    limits), so generated dates of birth are moved into the past; the rule
    itself is tested in test_referrals_api."""
    person = body.get("person") if isinstance(body, dict) else None
    if isinstance(person, dict):
        value = person.get("date_of_birth")
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            try:
                born = datetime.date.fromisoformat(value)
            except ValueError:
                return body
            if born > timezone.localdate():
                person["date_of_birth"] = born.replace(year=2000, day=min(born.day, 28)).isoformat()
    return body


@pytest.fixture
def coordinator_token(db):
    _, plaintext = issue_token(roles=[Role.PREVENT_COORDINATOR])
    # The referral the document's example reference names, with everything a
    # read returns filled in: an earlier referral about the same person, a
    # gateway outcome and a Channel case.
    person = PersonFactory()
    now = timezone.now()
    ReferralFactory(person=person, received_at=now - datetime.timedelta(days=200))
    referral = ReferralFactory(
        reference=EXAMPLE_REFERENCE, person=person, status=ReferralStatus.DECIDED,
        police_shared_at=now, gateway_outcome=GatewayOutcome.PROCEED_TO_CHANNEL,
        gateway_decided_on=timezone.localdate(), gateway_recorded_at=now,
    )
    with acting_as(None):
        case_open_from_referral(referral=referral, acting_user=UserFactory(roles=[Role.PREVENT_COORDINATOR]))
    # And the panel meeting and the venue booking the document's examples name.
    _panel_meeting()
    _venue_booking()
    return plaintext


def _venue_booking():
    """The venue booking the document's example reference names, with every
    part a read returns: checks, a decision with conditions, an appeal
    decided, a change after approval."""
    from prevent_hub.api.routers.venue_bookings import EXAMPLE_REFERENCE
    from prevent_hub.venues.models import VenueBooking
    from prevent_hub.venues.tests.factories import populated_booking

    with acting_as(None):
        booking = populated_booking()
    VenueBooking.objects.filter(pk=booking.pk).update(reference=EXAMPLE_REFERENCE)


def _panel_meeting():
    """The panel meeting the document's example id names, with everything a
    read returns filled in: a decided item (votes counted) with actions, an
    undecided one, police and item-only attendance, approved minutes."""
    meeting = PanelMeetingFactory(id=EXAMPLE_MEETING_ID, status=MeetingStatus.HELD,
                                  online_link="https://meet.example/fictional-panel")
    chair, now = meeting.panel.chair, timezone.now()
    decided = item_add(meeting, ChannelCaseFactory())
    decided.decision, decided.decision_method = ItemDecision.ADOPT, DecisionMethod.MAJORITY
    decided.votes_for, decided.votes_against, decided.abstentions = 4, 1, 1
    decided.reasons, decided.decided_at, decided.decided_by = "Fictional reasons.", now, chair
    decided.save()
    for done_on in (None, timezone.localdate()):
        action = PlanAction.objects.create(
            case=decided.case, description="Fictional action.", owner=chair,
            due_date=timezone.localdate(), done_on=done_on, created_by=chair, created_at=now)
        ItemAction.objects.create(item=decided, action=action)
    undecided = item_add(meeting, ChannelCaseFactory())
    police_present(meeting)
    Attendance.objects.create(
        meeting=meeting, name="Test Teacher", organisation_name="Shireford Test Academy",
        organisation_type=OrganisationType.EDUCATION, item=undecided, recorded_at=now, recorded_by=chair)
    meeting.minutes.status, meeting.minutes.approved_at, meeting.minutes.approved_by = (
        MinutesStatus.APPROVED, now, chair)
    meeting.minutes.save()


@pytest.fixture
def keep_test_connection():
    """Calls go straight to the WSGI application, so each request's start and
    finish would close "old" database connections, including the one holding
    this test's transaction (PostgreSQL then reports it closed). Django's own
    test client switches this off for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


# Loaded when the module is collected: fetching the document needs no database.
# (schemathesis.pytest.from_fixture would load it per test, but does not work
# with pytest 9.)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(),
    config=schemathesis.Config.from_dict({
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
    }),
)
schema.hook("map_body")(_past_dates_of_birth)


@schema.parametrize()
# The token and its referral are made once per operation and stay valid for
# every generated request: that is what reusing them between inputs means here.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_api_conforms_to_its_openapi_document(case, coordinator_token, keep_test_connection):
    case.call_and_validate(headers={"Authorization": f"Bearer {coordinator_token}"})
