"""Schemathesis against our own OpenAPI document, in-process (WSGI).

Every operation in /api/v1/openapi.json gets generated requests, valid and
invalid, under four kinds of caller:

- a token holding every scope for a Prevent coordinator, who may do most of
  what the API offers: enough generated cases per operation that CI sends at
  least MIN_GENERATED_CASES in all (counted, not assumed);
- tokens for partner systems' accounts that are not coordinators (a police
  practitioner, a complaints officer, a training administrator, a school's
  system that may only submit referrals), each over every operation;
- no token at all (every operation needs one: 401, problem+json).

Every default check runs: no server errors, every status code, content type,
header and body as documented, invalid data refused, valid data accepted,
unsupported methods refused, authentication enforced, and so on.
Deterministic and bounded, so it runs the same way every time.

To look harder locally, raise the examples per operation:
SCHEMATHESIS_MAX_EXAMPLES=1000 pytest prevent_hub/api/tests/test_schemathesis.py
(docs/api.md, "Fuzzing the API").
"""

import collections
import datetime
import fcntl
import json
import math
import os
import pathlib
import re
import sys
import tempfile
import time

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import Resolver404, resolve
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

EXAMPLE_REFERENCE = "PRV-2000-000123"  # the document's example: a year no new referral can have
EXAMPLE_MEETING_ID = 1  # the document's example panel meeting id
# Issue 21: CI sends at least this many generated requests to the API, in all.
MIN_GENERATED_CASES = 1000


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
def api_examples(db):
    """The records the document's examples name, with everything a read
    returns filled in: the referral (an earlier referral about the same
    person, a gateway outcome and a Channel case), the panel meeting, the
    venue booking and the complaint."""
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
    _panel_meeting()
    _venue_booking()
    _complaint()


@pytest.fixture
def coordinator_token(api_examples):
    return issue_token(roles=[Role.PREVENT_COORDINATOR])[1]


def _complaint():
    """The complaint the document's example reference names, with one of
    everything a read returns."""
    from prevent_hub.api.routers.complaints import EXAMPLE_REFERENCE
    from prevent_hub.complaints.models import Complaint
    from prevent_hub.complaints.tests.factories import populated_complaint

    with acting_as(None):
        complaint = populated_complaint()
    Complaint.objects.filter(pk=complaint.pk).update(reference=EXAMPLE_REFERENCE)


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
APPLICATION = get_wsgi_application()
DOCUMENT = json.loads(Client().get("/api/v1/openapi.json").content)
OPERATIONS = sorted(f"{method.upper()} {path}" for path, methods in DOCUMENT["paths"].items()
                    for method in methods)
# Enough generated requests per operation (the fuzzing phase alone, counted in
# `generated_cases`) that the coordinator's run reaches MIN_GENERATED_CASES;
# more when asked for locally.
MAX_EXAMPLES = max(math.ceil(MIN_GENERATED_CASES / len(OPERATIONS)),
                   int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "0")))
# The other callers' runs look for what differs for them (refusals,
# what a narrower account may read), not at every input again.
OTHER_CALLERS_MAX_EXAMPLES = max(10, MAX_EXAMPLES // 8)


def _load(max_examples, phases=("examples", "coverage", "fuzzing")):
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", APPLICATION,
        config=schemathesis.Config.from_dict({
            "generation": {"max-examples": max_examples, "deterministic": True, "database": "none"},
            "phases": {phase: {"enabled": phase in phases}
                       for phase in ("examples", "coverage", "fuzzing", "stateful")},
        }),
    )
    schema.hook("map_body")(_past_dates_of_birth)
    return schema


schema = _load(MAX_EXAMPLES)
# The coverage phase's boundary values do not depend on who calls; run once.
partner_schema = _load(OTHER_CALLERS_MAX_EXAMPLES, phases=("examples", "fuzzing"))
anonymous_schema = _load(OTHER_CALLERS_MAX_EXAMPLES, phases=("examples", "fuzzing"))


@pytest.fixture
def generated_cases(request):
    """Counts the generated requests one operation's run sent, by phase, and
    holds the run to its share: at least MAX_EXAMPLES from the fuzzing phase
    alone (hypothesis stops early if it runs out of distinct inputs, which
    would quietly shrink the total). Each operation's run is one pytest item,
    so this needs nothing shared between xdist workers; with every operation
    run (test_every_operation_in_the_document_is_fuzzed) the total is at
    least len(OPERATIONS) × MAX_EXAMPLES ≥ MIN_GENERATED_CASES. The
    coordinator's runs also add up the real total (`_tally`)."""
    counts = collections.Counter()
    yield counts
    coordinator = request.function is test_the_api_conforms_to_its_openapi_document
    wanted = MAX_EXAMPLES if coordinator else OTHER_CALLERS_MAX_EXAMPLES
    request.node.user_properties.append(("schemathesis_generated_cases", dict(counts)))
    assert counts["fuzzing"] >= wanted, (
        f"{request.node.name}: {counts['fuzzing']} generated cases, not {wanted}: {dict(counts)}")
    if coordinator:
        total = _tally(counts.operation, counts["fuzzing"])
        assert total is None or total >= MIN_GENERATED_CASES, (
            f"{total} generated cases over {len(OPERATIONS)} operations, not {MIN_GENERATED_CASES}")


# One run's coordinator counts, shared by its xdist workers (which have the
# same run id) through a file; without xdist, this process's own.
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"{os.getpid()}-{time.time_ns()}"
_TALLY = pathlib.Path(tempfile.gettempdir()) / f"prevent-hub-schemathesis-{_RUN}.jsonl"


def _tally(operation, fuzzing_cases) -> int | None:
    """Adds one operation's count to the run's tally; once every operation in
    the document has reported (whichever worker runs the last one), the
    total, else None."""
    with _TALLY.open("a+") as tally:
        fcntl.flock(tally, fcntl.LOCK_EX)
        tally.write(json.dumps({"operation": operation, "cases": fuzzing_cases}) + "\n")
        tally.flush()
        tally.seek(0)
        counted = {line["operation"]: line["cases"] for line in map(json.loads, tally.read().splitlines())}
    if set(counted) >= set(OPERATIONS):
        return sum(counted[operation] for operation in OPERATIONS)
    return None


def _count(counts, case):
    counts.operation = case.operation.label
    counts[case.meta.phase.name.value if case.meta else "explicit"] += 1


@schema.parametrize()
# The token and its records are made once per operation and stay valid for
# every generated request: that is what reusing them between inputs means here.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_api_conforms_to_its_openapi_document(case, coordinator_token, generated_cases,
                                                   keep_test_connection):
    _count(generated_cases, case)
    case.call_and_validate(headers={"Authorization": f"Bearer {coordinator_token}"})


# Accounts of partner systems that are not the coordinator's, with every scope
# (the account's roles decide what it may read), and a school's system that
# was given only the scope to submit referrals.
PARTNERS = {
    "police practitioner": ([Role.POLICE_PRACTITIONER], None),
    "complaints officer": ([Role.COMPLAINTS_OFFICER], None),
    "training administrator": ([Role.TRAINING_ADMINISTRATOR], None),
    "school submitting referrals": ([], ["referrals:submit"]),
}


@pytest.fixture(params=sorted(PARTNERS))
def partner_token(request, api_examples):
    roles, scopes = PARTNERS[request.param]
    return issue_token(roles=roles, **({"scopes": scopes} if scopes else {}))[1]


@partner_schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_api_conforms_for_partner_tokens(case, partner_token, generated_cases, keep_test_connection):
    _count(generated_cases, case)
    case.call_and_validate(headers={"Authorization": f"Bearer {partner_token}"})


@anonymous_schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_api_conforms_without_a_token(case, api_examples, generated_cases, keep_test_connection):
    _count(generated_cases, case)
    response = case.call_and_validate()
    # A path no operation answers (a negative or non-numeric id, a slash in a
    # reference) is the API's catch-all 404 before any operation, and shows
    # nothing either.
    try:
        operation = resolve(case.formatted_path).url_name not in NOT_OPERATIONS
    except Resolver404:
        operation = False
    assert response.status_code == (401 if operation else 404), case.formatted_path


# The API's URL names that are not operations (tests/test_api_matrix.py).
NOT_OPERATIONS = {None, "api-root", "openapi-json"}


def test_a_path_no_operation_answers_is_told_apart():
    assert resolve("/api/v1/cases/1").url_name not in NOT_OPERATIONS
    assert resolve("/api/v1/cases/null").url_name in NOT_OPERATIONS
    assert resolve("/api/v1/cases/-1").url_name in NOT_OPERATIONS


def test_every_operation_in_the_document_is_fuzzed():
    """Nothing in the document is left out of the runs above (a filter, an
    operation schemathesis could not read)."""
    for loaded in (schema, partner_schema, anonymous_schema):
        fuzzed = sorted(result.ok().label for result in loaded.get_all_operations())
        assert fuzzed == OPERATIONS
    assert len(OPERATIONS) >= 12
    assert len(OPERATIONS) * MAX_EXAMPLES >= MIN_GENERATED_CASES


def test_the_tally_gives_the_total_once_every_operation_has_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "_TALLY", tmp_path / "tally.jsonl")
    assert [_tally(operation, 10) for operation in OPERATIONS[:-1]] == [None] * (len(OPERATIONS) - 1)
    assert _tally(OPERATIONS[-1], 10) == 10 * len(OPERATIONS)
    assert _tally(OPERATIONS[0], 3) == 10 * len(OPERATIONS) - 7  # a rerun's count replaces the first
