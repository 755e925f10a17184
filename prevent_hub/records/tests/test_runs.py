"""Retention runs: what is due, what is held, what a real run deletes, its
tombstones, its one audit event, and a failure that leaves its record whole."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.audit.tests.helpers import verify
from prevent_hub.channel.models import ChannelCase
from prevent_hub.core.scheduler import scheduled
from prevent_hub.people.models import Person
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.models import Referral, ReferralAttachment, ReferralDraft
from prevent_hub.referrals.tests.factories import ReferralAttachmentFactory, ReferralDraftFactory
from prevent_hub.retention.models import RecordType

from ..models import Outcome, RetentionRun, RunTrigger, Tombstone
from ..selectors import holds_on, is_held
from ..services import retention_run
from .factories import due_case, due_referral, hold_on, long_ago, populated_case

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def real_run(**kwargs):
    return retention_run(dry_run=False, trigger=RunTrigger.COMMAND, **kwargs)


def dry_run(**kwargs):
    return retention_run(dry_run=True, trigger=RunTrigger.COMMAND, **kwargs)


def outcomes(run):
    return {row["reference"]: row["outcome"] for row in run.report}


def test_a_dry_run_lists_what_would_go_and_deletes_nothing():
    referral = due_referral()
    case = due_case()
    kept = due_referral(retain_until=timezone.localdate() + datetime.timedelta(days=30))
    run = dry_run()
    assert outcomes(run) == {referral.reference: Outcome.WOULD_DELETE, case.reference: Outcome.WOULD_DELETE,
                             f"Person {referral.person_id}": Outcome.WOULD_DELETE,
                             f"Person {case.person_id}": Outcome.WOULD_DELETE}
    row = next(row for row in run.report if row["reference"] == referral.reference)
    assert row["policy"] == "Referral closed with no further action or signposted"
    assert row["period"] and row["retain_until"] == referral.retain_until.isoformat()
    assert row["record_type"] == RecordType.REFERRAL_CLOSED
    case_row = next(row for row in run.report if row["reference"] == case.reference)
    assert case_row["with_referral"] == case.referral.reference
    assert kept.reference not in outcomes(run)
    assert Referral.objects.count() == 3 and ChannelCase.objects.count() == 1
    assert Tombstone.objects.count() == 0
    assert run.dry_run and run.status == "finished"


def test_as_of_runs_as_if_on_that_day():
    referral = due_referral(retain_until=timezone.localdate() + datetime.timedelta(days=30))
    assert referral.reference not in outcomes(dry_run())
    later = timezone.localdate() + datetime.timedelta(days=31)
    assert outcomes(dry_run(as_of=later))[referral.reference] == Outcome.WOULD_DELETE
    # Due the day after retain_until, not on it.
    assert referral.reference not in outcomes(dry_run(as_of=referral.retain_until))


def test_a_real_run_deletes_and_leaves_tombstones_without_names(django_capture_on_commit_callbacks):
    referral = due_referral(subject_given_name="Zorbleton")
    attachment = ReferralAttachmentFactory(referral=referral, draft=None)
    stored = attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        run = real_run()
    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert not Person.objects.filter(pk=referral.person_id).exists()
    assert not default_storage.exists(stored)
    stones = {(stone.object_type, stone.reference) for stone in Tombstone.objects.filter(run=run)}
    assert stones == {("referrals.referral", referral.reference),
                      ("people.person", f"Person {referral.person_id}")}
    stone = Tombstone.objects.get(object_type="referrals.referral")
    assert stone.former_id == str(referral.pk) and stone.retain_until == referral.retain_until
    assert stone.policy_id == referral.retention_policy_id and stone.deleted_on == timezone.localdate()
    assert "Zorbleton" not in str(run.report) + str(run.counts)


def test_a_person_with_another_record_stays():
    person = PersonFactory()
    going = due_referral(person=person)
    staying = due_referral(person=person, retain_until=TOMORROW + datetime.timedelta(days=9))
    Person.objects.filter(pk=person.pk).update(started_from=going)
    run = real_run()
    assert outcomes(run) == {going.reference: Outcome.DELETED}
    person.refresh_from_db()
    assert person.started_from_id is None
    assert Referral.objects.filter(pk=staying.pk).exists()


def test_what_a_surviving_person_took_from_a_deleted_referral_is_no_longer_shown_to_police():
    from prevent_hub.access.roles import Role
    from prevent_hub.accounts.tests.factories import UserFactory
    from prevent_hub.people.models import PersonName
    from prevent_hub.people.selectors import person_as_seen

    person = PersonFactory(given_name="Ottoline", family_name="Fictionara")
    going = due_referral(person=person)
    staying = due_referral(person=person, retain_until=TOMORROW + datetime.timedelta(days=9),
                           police_shared_at=timezone.now())
    Person.objects.filter(pk=person.pk).update(started_from=going)
    PersonName.objects.create(person=person, kind=PersonName.Kind.OTHER, given_name="Otto",
                              family_name="Fictionara", source_referral=going)
    police = UserFactory(roles=[Role.POLICE_PRACTITIONER])
    real_run()
    person.refresh_from_db()
    assert person.started_from_deleted
    assert not PersonName.objects.filter(person=person, kind=PersonName.Kind.OTHER).exists()
    assert person_as_seen(person, user=police).full_name == "Name not shared with you"
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    assert person_as_seen(person, user=coordinator).full_name == "Ottoline Fictionara"
    assert Referral.objects.filter(pk=staying.pk).exists()


def test_one_audit_event_per_run_with_references_only_and_the_chain_verifies():
    referrals = [due_referral(subject_given_name="Quillimore") for _ in range(3)]
    case = due_case()
    before = AuditEvent.objects.count()
    run = real_run()
    events = list(AuditEvent.objects.order_by("sequence")[before:])
    assert len(events) == 1
    event = events[0]
    assert event.action == AuditAction.DELETE
    assert (event.object_type, event.object_id) == ("records.retentionrun", str(run.pk))
    deleted = event.details["deleted"]
    assert sorted(deleted["referrals.referral"]) == sorted(referral.reference for referral in referrals)
    assert deleted["channel.channelcase"] == [case.reference]
    assert event.details["counts"]["deleted"] == 3 + 1 + 4  # referrals, case, their people
    assert "Quillimore" not in str(event.details)
    assert verify()[0] == 0


def test_a_held_record_is_reported_held_and_kept():
    referral = due_referral()
    hold = hold_on(referral=referral)
    run = real_run()
    row = next(row for row in run.report if row["reference"] == referral.reference)
    assert row["outcome"] == Outcome.HELD
    assert row["hold_kind"] == "Complaint" and row["hold_ends_on"] == hold.ends_on.isoformat()
    assert Referral.objects.filter(pk=referral.pk).exists()
    assert Person.objects.filter(pk=referral.person_id).exists()
    assert f"Person {referral.person_id}" not in outcomes(run)


@pytest.mark.parametrize("held", ["person", "case", "referral"])
def test_holding_a_person_case_or_referral_holds_the_case_and_its_referral(held):
    case = due_case()
    target = {"person": {"person": case.person}, "case": {"case": case},
              "referral": {"referral": case.referral}}[held]
    hold_on(**target)
    assert is_held(case) and is_held(case.referral) and is_held(case.person) == (held == "person")
    assert holds_on(case)[0].kind == "complaint"
    assert outcomes(dry_run())[case.reference] == Outcome.HELD
    assert outcomes(real_run())[case.reference] == Outcome.HELD
    assert ChannelCase.objects.filter(pk=case.pk).exists()


def test_holding_a_person_holds_their_referrals():
    referral = due_referral()
    hold_on(person=referral.person)
    assert outcomes(real_run())[referral.reference] == Outcome.HELD
    assert Referral.objects.filter(pk=referral.pk).exists()


def test_a_hold_ends_by_itself_after_its_end_date_and_a_lifted_hold_holds_nothing():
    ending = due_referral()
    hold_on(referral=ending, ends_on=timezone.localdate())
    lifted = due_referral()
    hold_on(referral=lifted, lifted_at=timezone.now(), lift_reason="Fictional: complaint closed")
    assert outcomes(dry_run())[ending.reference] == Outcome.HELD
    assert outcomes(dry_run(as_of=TOMORROW))[ending.reference] == Outcome.WOULD_DELETE
    assert not is_held(lifted)
    assert outcomes(real_run())[lifted.reference] == Outcome.DELETED


def test_a_hold_placed_after_the_list_was_made_still_counts():
    referral = due_referral()
    from .. import deletion

    original = deletion.records_due

    def then_hold(as_of, holds=None):
        found = original(as_of, holds)
        hold_on(referral=referral)
        return found

    with mock.patch.object(deletion, "records_due", then_hold):
        run = real_run()
    assert outcomes(run)[referral.reference] == Outcome.HELD
    assert Referral.objects.filter(pk=referral.pk).exists()


def test_expired_drafts_go_with_their_files(django_capture_on_commit_callbacks):
    draft = ReferralDraftFactory(expires_at=timezone.now() - datetime.timedelta(days=2))
    attachment = ReferralAttachmentFactory(draft=draft)
    fresh = ReferralDraftFactory(expires_at=timezone.now() + datetime.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        run = real_run()
    assert not ReferralDraft.objects.filter(pk=draft.pk).exists()
    assert ReferralDraft.objects.filter(pk=fresh.pk).exists()
    assert not default_storage.exists(attachment.file.name)
    row = next(row for row in run.report if row["object_id"] == str(draft.pk))
    assert row["record_type"] == RecordType.REFERRAL_DRAFT and row["outcome"] == Outcome.DELETED


def test_a_failure_leaves_that_record_whole_deletes_no_file_and_the_run_goes_on(
        django_capture_on_commit_callbacks):
    failing, _, _ = populated_case()
    document = failing.documents.get()
    fine = due_referral()
    from .. import deletion

    original = deletion._referral_rows_delete

    def fail_for_the_case(referral_id):
        original(referral_id)
        if referral_id == failing.referral_id:
            raise RuntimeError("Fictional failure after the rows went")

    with (mock.patch.object(deletion, "_referral_rows_delete", fail_for_the_case),
          django_capture_on_commit_callbacks(execute=True)):
        run = real_run()
    assert outcomes(run)[failing.reference] == Outcome.FAILED
    assert next(row for row in run.report if row["reference"] == failing.reference)["error"] == "RuntimeError"
    assert outcomes(run)[fine.reference] == Outcome.DELETED
    assert ChannelCase.objects.filter(pk=failing.pk).exists()
    assert failing.notes.count() == 2 and failing.documents.count() == 1
    assert default_storage.exists(document.file.name)
    assert ReferralAttachment.objects.filter(referral_id=failing.referral_id).exists()
    assert run.counts["failed"] == 1
    assert not Tombstone.objects.filter(former_id=str(failing.pk)).exists()


def test_a_case_reopened_after_the_list_was_made_is_not_deleted():
    case = due_case()
    from .. import deletion

    original = deletion.records_due

    def then_reopen(as_of, holds=None):
        found = original(as_of, holds)
        ChannelCase.objects.filter(pk=case.pk).update(retain_until=None)
        return found

    with mock.patch.object(deletion, "records_due", then_reopen):
        run = real_run()
    assert case.reference not in outcomes(run)
    assert ChannelCase.objects.filter(pk=case.pk).exists()


# The command and the nightly task --------------------------------------------------


def test_the_command_dry_run_lists_going_and_held_separately():
    going = due_referral()
    held = due_referral()
    hold_on(referral=held, kind="litigation")
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    going_part, held_part = text.split("Held (kept by a legal hold)")
    assert going.reference in going_part and held.reference not in going_part
    assert held.reference in held_part and "Litigation until" in held_part
    assert "Referral closed with no further action or signposted" in going_part
    assert Referral.objects.filter(pk=going.pk).exists()
    assert RetentionRun.objects.get().dry_run


def test_the_command_runs_as_of_a_date_and_deletes():
    referral = due_referral(retain_until=datetime.date(2030, 1, 1))
    call_command("apply_retention", "--as-of", "2030-01-02", stdout=StringIO())
    assert not Referral.objects.filter(pk=referral.pk).exists()


@pytest.mark.parametrize("bad", ["2030-13-01", "yesterday", "", "2030-02-30", "<script>"])
def test_the_command_refuses_a_bad_date(bad):
    with pytest.raises(CommandError, match="YYYY-MM-DD") as error:
        call_command("apply_retention", "--as-of", bad, stdout=StringIO())
    assert error.value.returncode == 1
    assert RetentionRun.objects.count() == 0


def test_the_command_exits_non_zero_when_a_record_fails():
    due_referral()
    from .. import deletion

    with (mock.patch.object(deletion, "_referral_rows_delete", side_effect=RuntimeError),
          pytest.raises(CommandError, match="could not be deleted")):
        call_command("apply_retention", stdout=StringIO())


def test_the_nightly_task_is_scheduled_daily_and_runs_for_real():
    job = next(job for job in scheduled() if job.name.endswith("retention_apply_task"))
    assert job.every == datetime.timedelta(days=1)
    referral = due_referral()
    result = job.task.enqueue()
    assert result.return_value["deleted"] == 2
    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert RetentionRun.objects.get().trigger == RunTrigger.SCHEDULER


def test_long_ago_helper_is_in_the_past():
    assert long_ago() < timezone.localdate()


def test_the_names_of_a_deleted_person_leave_other_peoples_histories():
    from prevent_hub.access.roles import Role
    from prevent_hub.accounts.tests.factories import UserFactory
    from prevent_hub.people.models import PersonChange
    from prevent_hub.people.services import people_not_same

    going = PersonFactory(given_name="Peregrina", family_name="Deletable")
    staying = PersonFactory(given_name="Constance", family_name="Remaining")
    due_referral(person=going)
    due_referral(person=staying, retain_until=TOMORROW + datetime.timedelta(days=9))
    people_not_same(person=staying, other=going, reasons="Fictional: different dates of birth",
                    acting_user=UserFactory(roles=[Role.PREVENT_COORDINATOR]))
    history = str(list(PersonChange.objects.filter(person=staying).values_list("changes", flat=True)))
    assert "Peregrina Deletable" in history
    real_run()
    assert not Person.objects.filter(pk=going.pk).exists()
    history = str(list(PersonChange.objects.filter(person=staying).values_list("changes", flat=True)))
    assert "Peregrina" not in history
    assert f"Not the same person as a person record since deleted (number {going.pk})" in history
