"""Retention of learners' training records: a learner past their retention
date goes with their completions, the reminders sent about them and their
evidence files, leaving a tombstone; one under a legal hold, or linked to an
open subject access request, is kept and reported as held."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.core.dates import add_months
from prevent_hub.rights import services as rights
from prevent_hub.rights.models import LearnerLink, RightsRequest
from prevent_hub.rights.tests.factories import request_verified
from prevent_hub.training.models import Completion, CompletionReminder, Course, Learner
from prevent_hub.training.tests.factories import completed

from ..models import LegalHold, Outcome, RunTrigger, Tombstone
from ..selectors import Found, holds_on, is_held, record_find
from ..services import legal_hold_lift, legal_hold_place, retention_run
from .factories import learner_due

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def real_run(**kwargs):
    return retention_run(dry_run=False, trigger=RunTrigger.COMMAND, **kwargs)


def outcomes(run):
    return {row["reference"]: row["outcome"] for row in run.report}


def evidence_files(learner) -> list[str]:
    return list(Completion.objects.filter(learner=learner).exclude(evidence="")
                .values_list("evidence", flat=True))


def hold_learner(learner, *, ends_on=None, by=None):
    return legal_hold_place(found=Found(learner=learner), kind="litigation",
                            reason="Fictional tribunal claim ET-0001 about training.",
                            ends_on=ends_on or TODAY + datetime.timedelta(days=90),
                            acting_user=by or UserFactory(roles=[Role.DATA_PROTECTION_OFFICER]))


def test_a_learner_past_their_date_goes_with_everything_and_leaves_a_tombstone_with_no_name(
        django_capture_on_commit_callbacks):
    going = learner_due(courses=2, evidence=True, reminders=True, full_name="Zorbleton Example-Learner")
    files = evidence_files(going)
    assert len(files) == 2 and all(default_storage.exists(name) for name in files)
    assert CompletionReminder.objects.filter(completion__learner=going).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        run = real_run()

    assert not Learner.objects.filter(pk=going.pk).exists()
    assert not Completion.objects.filter(learner_id=going.pk).exists()
    assert not CompletionReminder.objects.exists()
    assert not any(default_storage.exists(name) for name in files)
    assert outcomes(run) == {going.reference: Outcome.DELETED}
    [row] = run.report
    assert row["record_type"] == "training_record" and row["object_type"] == "training.learner"
    assert row["policy"] == "Training record of a learner" and row["period"]
    stone = Tombstone.objects.get(run=run)
    assert (stone.object_type, stone.former_id, stone.reference) == (
        "training.learner", str(going.pk), going.reference)
    assert stone.record_type == "training_record" and stone.retain_until == going.retain_until
    assert stone.policy_id == going.retention_policy_id
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="records.retentionrun")
    assert event.details["deleted"]["training.learner"] == [going.reference]
    everything = str(run.report) + str(run.counts) + str(event.details)
    assert "Zorbleton" not in everything and "@example.test" not in everything
    # The courses are reference data: they stay.
    assert Course.objects.filter(code="prevent-refresher").exists()


def test_a_learner_not_yet_due_is_kept_whole():
    staying = learner_due(evidence=True, retain_until=TODAY)
    going = learner_due()
    run = real_run()
    assert outcomes(run) == {going.reference: Outcome.DELETED}
    assert Learner.objects.filter(pk=staying.pk).exists()
    assert Completion.objects.filter(learner=staying).count() == 1
    assert all(default_storage.exists(name) for name in evidence_files(staying))
    # The next day it is due.
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert outcomes(real_run(as_of=tomorrow)) == {staying.reference: Outcome.DELETED}


def test_a_learner_in_post_is_kept_however_long_ago_they_trained_and_goes_six_years_after_leaving():
    from prevent_hub.training import services
    from prevent_hub.training.tests.factories import administrator, learner

    person = learner()
    completed(person, "prevent-awareness", TODAY - datetime.timedelta(days=4000))
    person.refresh_from_db()
    assert person.retain_until is None  # overdue for years, and still counted as overdue
    assert person.reference not in outcomes(real_run(as_of=add_months(TODAY, 200)))
    services.learner_left(learner=person, left_on=TODAY, acting_user=administrator())
    person.refresh_from_db()
    assert person.retain_until == add_months(TODAY, 72)
    assert person.reference not in outcomes(real_run(as_of=add_months(TODAY, 72)))
    assert outcomes(real_run(as_of=add_months(TODAY, 72) + datetime.timedelta(days=1))) == {
        person.reference: Outcome.DELETED}


def test_a_learner_under_a_legal_hold_is_kept_and_reported_held_until_the_hold_ends(
        django_capture_on_commit_callbacks):
    held = learner_due(evidence=True, reminders=True)
    files = evidence_files(held)
    hold = hold_learner(held)
    assert is_held(held) and holds_on(held) == [hold]

    with django_capture_on_commit_callbacks(execute=True):
        run = real_run()

    assert outcomes(run) == {held.reference: Outcome.HELD}
    [row] = run.report
    assert row["hold_kind"] == "Litigation" and row["hold_ends_on"] == hold.ends_on.isoformat()
    assert Completion.objects.filter(learner=held).exists() and CompletionReminder.objects.exists()
    assert all(default_storage.exists(name) for name in files)
    assert not Tombstone.objects.exists()
    # Once the hold has ended, the learner and the ended hold go.
    later = real_run(as_of=hold.ends_on + datetime.timedelta(days=1))
    assert outcomes(later) == {held.reference: Outcome.DELETED}
    assert not LegalHold.objects.exists()


def test_a_hold_on_another_learner_or_a_lifted_hold_keeps_nobody():
    going, other = learner_due(), learner_due(retain_until=TODAY + datetime.timedelta(days=9))
    hold_learner(other)
    lifted = learner_due()
    hold = hold_learner(lifted)
    legal_hold_lift(hold=hold, reason="Fictional: the claim was withdrawn", acting_user=hold.placed_by)
    assert outcomes(real_run()) == {going.reference: Outcome.DELETED, lifted.reference: Outcome.DELETED}


def test_a_learner_linked_to_an_open_subject_access_request_is_kept_until_it_is_answered():
    requested = learner_due(evidence=True)
    request = request_verified()
    rights.rights_request_learner_link(request=request, learner=requested, acting_user=request.logged_by)

    dry = retention_run(dry_run=True, trigger=RunTrigger.COMMAND)
    assert outcomes(dry) == {requested.reference: Outcome.HELD}
    run = real_run()
    assert outcomes(run) == {requested.reference: Outcome.HELD}
    [row] = run.report
    assert row["hold_kind"] == f"Open subject access request {request.reference}"
    assert row["hold_ends_on"] == "" and row["hold_id"] is None
    assert Completion.objects.filter(learner=requested).exists()

    # Answered (the bundle released, the request completed), the learner goes and so does the link.
    RightsRequest.objects.filter(pk=request.pk).update(status="completed")
    assert outcomes(real_run()) == {requested.reference: Outcome.DELETED}
    assert not LearnerLink.objects.exists() and RightsRequest.objects.filter(pk=request.pk).exists()


def test_the_run_page_and_command_say_which_request_keeps_a_learner(staff_client):
    requested = learner_due()
    request = request_verified()
    rights.rights_request_learner_link(request=request, learner=requested, acting_user=request.logged_by)
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"held: Open subject access request {request.reference}" in text
    assert f"{request.reference} until" not in text
    run = retention_run(dry_run=True, trigger=RunTrigger.PAGE)
    page = staff_client(Role.DATA_PROTECTION_OFFICER).get(f"/staff/records/retention-runs/{run.pk}/")
    body = page.content.decode()
    assert requested.reference in body and f"Open subject access request {request.reference}" in body
    assert requested.full_name not in body


def test_a_hold_or_request_placed_after_the_list_was_made_still_keeps_the_learner():
    from .. import deletion

    first, second = learner_due(), learner_due()
    request = request_verified()
    real_due = deletion.records_due

    def then_hold_and_link(as_of, holds=None):
        listed = real_due(as_of, holds)
        hold_learner(first)
        rights.rights_request_learner_link(request=request, learner=second, acting_user=request.logged_by)
        return listed

    with mock.patch.object(deletion, "records_due", then_hold_and_link):
        run = real_run()
    assert outcomes(run) == {first.reference: Outcome.HELD, second.reference: Outcome.HELD}
    row = next(row for row in run.report if row["reference"] == second.reference)
    assert row["hold_kind"] == f"Open subject access request {request.reference}"
    assert Learner.objects.filter(pk__in=[first.pk, second.pk]).count() == 2


def test_a_completion_recorded_after_the_list_was_made_keeps_the_learner():
    from .. import deletion

    learner = learner_due()
    real_due = deletion.records_due

    def then_train(as_of, holds=None):
        listed = real_due(as_of, holds)
        completed(learner, "channel-awareness", TODAY)
        return listed

    with mock.patch.object(deletion, "records_due", then_train):
        run = real_run()
    assert learner.reference not in outcomes(run)
    assert Completion.objects.filter(learner=learner).count() == 2


def test_files_are_removed_only_after_the_deletion_commits(django_capture_on_commit_callbacks):
    going = learner_due(evidence=True)
    [stored] = evidence_files(going)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        real_run()
        assert not Learner.objects.filter(pk=going.pk).exists()
        assert default_storage.exists(stored), "the file stays until the deletion has committed"
    for callback in callbacks:
        callback()
    assert not default_storage.exists(stored)


def test_a_failure_keeps_the_learner_and_their_files_and_the_run_goes_on(django_capture_on_commit_callbacks):
    from .. import deletion

    failing, going = learner_due(evidence=True), learner_due(evidence=True)
    failing_files, going_files = evidence_files(failing), evidence_files(going)
    real_delete = deletion._learner_rows_delete

    def fail_for_one(learner_id):
        real_delete(learner_id)
        if learner_id == failing.pk:
            raise RuntimeError("Fictional failure after the rows went")

    with (mock.patch.object(deletion, "_learner_rows_delete", fail_for_one),
          django_capture_on_commit_callbacks(execute=True)):
        run = real_run()
    assert outcomes(run) == {failing.reference: Outcome.FAILED, going.reference: Outcome.DELETED}
    assert Learner.objects.filter(pk=failing.pk).exists()
    assert Completion.objects.filter(learner=failing).exists()
    assert all(default_storage.exists(name) for name in failing_files)
    assert not any(default_storage.exists(name) for name in going_files)


def test_a_rerun_deletes_nothing_more():
    going, staying = learner_due(courses=2), learner_due(retain_until=TODAY + datetime.timedelta(days=30))
    first = real_run()
    assert outcomes(first) == {going.reference: Outcome.DELETED}
    again = real_run()
    assert again.report == [] and again.counts["due"] == 0
    assert Tombstone.objects.count() == 1
    assert Learner.objects.filter(pk=staying.pk).exists()


def test_deleting_a_learner_takes_the_same_queries_however_many_completions_they_have():
    def run_queries(learner) -> int:
        with CaptureQueriesContext(connection) as queries:
            run = real_run()
        assert outcomes(run) == {learner.reference: Outcome.DELETED}
        return len(queries.captured_queries)

    small = run_queries(learner_due(courses=1, evidence=True, reminders=True))
    large = run_queries(learner_due(courses=6, evidence=True, reminders=True))
    assert large == small


def test_a_run_takes_the_same_queries_per_learner_however_many_are_due():
    def run_queries(count) -> int:
        for _ in range(count):
            learner_due(courses=2, reminders=True)
        with CaptureQueriesContext(connection) as queries:
            run = real_run()
        assert run.counts["deleted"] == count
        return len(queries.captured_queries)

    one, three, five = run_queries(1), run_queries(3), run_queries(5)
    # Finding who is due, their holds and their open requests is one query each however many there
    # are; each deletion (its own transaction) then costs the same, whatever the learner holds.
    assert five - three == three - one


def test_a_hold_is_placed_on_a_learner_by_their_reference(staff_client):
    learner = learner_due()
    assert record_find(learner.reference.lower()) == Found(learner=learner)
    assert record_find("LRN-NOTHERE") is None
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    ends_on = TODAY + datetime.timedelta(days=60)
    response = client.post("/staff/records/holds/new/", {
        "reference": f"  {learner.reference.lower()} ", "kind": "investigation",
        "reason": "Fictional: an inquiry into training at a school", "ends_on-day": ends_on.day,
        "ends_on-month": ends_on.month, "ends_on-year": ends_on.year})
    hold = LegalHold.objects.get()
    assert response.status_code == 302 and hold.learner == learner and hold.reference == learner.reference
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="records.legalhold")
    assert event.details["on"] == f"training.learner:{learner.pk}"
    page = client.get(response["Location"]).content.decode()
    assert learner.reference in page and "(their training record)" in page
    assert learner.full_name not in page


def test_the_hold_form_opened_for_a_learner_is_prefilled_with_their_reference_only(staff_client):
    learner = learner_due()
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    page = client.get("/staff/records/holds/new/", {"learner": learner.reference}).content.decode()
    assert f'value="{learner.reference}"' in page
    assert f"For the training record of learner {learner.reference}" in page
    assert learner.full_name not in page and learner.email not in page
    for unknown in ("LRN-NOTHERE", "PRV-2026-000001", "<script>x()</script>", "L" * 500):
        page = client.get("/staff/records/holds/new/", {"learner": unknown}).content.decode()
        assert "For the training record of learner" not in page and "<script>x()" not in page


def test_a_learner_is_held_once_however_often_the_form_is_sent(staff_client):
    learner = learner_due()
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    ends_on = TODAY + datetime.timedelta(days=60)
    data = {"reference": learner.reference, "kind": "litigation", "reason": "Fictional claim",
            "ends_on-day": ends_on.day, "ends_on-month": ends_on.month, "ends_on-year": ends_on.year}
    first = client.post("/staff/records/holds/new/", data)
    second = client.post("/staff/records/holds/new/", data)
    assert first["Location"] == second["Location"] and LegalHold.objects.count() == 1

