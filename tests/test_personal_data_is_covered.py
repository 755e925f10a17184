"""Every model of every prevent_hub app is either deleted with some record
by retention (records.coverage.COVERED) or says why it holds no personal
data about the people concerns are about (NOT_ABOUT_SUBJECTS); and a real
retention run over a fully populated case leaves no row of any covered
model about that case or person, and no file."""

import datetime

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from prevent_hub.records.coverage import COVERED, NOT_ABOUT_SUBJECTS, RIGHTS
from prevent_hub.records.models import RunTrigger
from prevent_hub.records.services import retention_run
from prevent_hub.records.tests.factories import populated_case


def project_models() -> set[str]:
    return {model._meta.label for model in apps.get_models() if model.__module__.startswith("prevent_hub.")}


def test_every_model_is_covered_or_says_why_not():
    missing = sorted(project_models() - set(COVERED) - set(NOT_ABOUT_SUBJECTS))
    assert missing == [], ("Say what deletes these models' rows (records.coverage.COVERED) or why they hold "
                           "no personal data (NOT_ABOUT_SUBJECTS): " + ", ".join(missing))


def test_every_listed_name_is_a_real_model_listed_once():
    real = project_models()
    assert sorted(set(COVERED) - real) == []
    assert sorted(set(NOT_ABOUT_SUBJECTS) - real) == []
    assert set(COVERED) & set(NOT_ABOUT_SUBJECTS) == set()
    assert all(reason.strip() for reason in NOT_ABOUT_SUBJECTS.values())
    record_types = {"referrals.referral", "channel.channelcase", "people.person", "referrals.referraldraft",
                    "rights.rightsrequest", "venues.venuebooking", "venues.bookingdraft",
                    "complaints.complaint", "training.learner"}
    assert all(deleted_with and set(deleted_with) <= record_types for deleted_with in COVERED.values())


def test_a_new_model_without_a_declaration_would_fail(monkeypatch):
    monkeypatch.setattr(apps, "get_models", lambda: [*apps.all_models["records"].values(), _Fake])
    assert "records.Fake" in project_models() - set(COVERED) - set(NOT_ABOUT_SUBJECTS)


class _Fake:
    __module__ = "prevent_hub.records.models"

    class _meta:  # noqa: N801 - stands in for a model's _meta
        label = "records.Fake"


def about(case, referral, person, merged_ids) -> dict[str, Q]:
    """For each covered model, its rows about this case, referral or person."""
    people = [person.pk, *merged_ids]
    by_case, by_person = Q(case_id=case.pk), Q(person_id__in=people)
    return {
        "referrals.Referral": Q(pk=referral.pk),
        "referrals.ReferralName": Q(referral_id=referral.pk),
        "referrals.ReferralAttachment": Q(referral_id=referral.pk),
        "referrals.ReferralDraft": Q(pk__in=[]),
        "people.Person": Q(pk__in=people),
        "people.PersonName": by_person,
        "people.PersonChange": by_person,
        "people.PersonMerge": Q(kept_id__in=people) | Q(merged_id__in=people),
        "people.PersonDistinction": Q(person_id__in=people) | Q(other_id__in=people),
        "people.MatchDecision": Q(referral_id=referral.pk) | by_person,
        "channel.ChannelCase": Q(pk=case.pk),
        "channel.CaseTransition": by_case,
        "channel.CaseTeamMember": by_case,
        "channel.InformationRequest": by_case,
        "channel.Consent": by_case,
        "channel.Assessment": by_case,
        "channel.FactorEvidence": Q(assessment__case_id=case.pk),
        "channel.DimensionJudgement": Q(assessment__case_id=case.pk),
        "channel.SupportPlan": by_case,
        "channel.SupportProvider": Q(plan__case_id=case.pk),
        "channel.PlanAction": by_case,
        "channel.SupportSession": by_case,
        "channel.Review": by_case,
        "channel.Note": by_case,
        "channel.CaseDocument": by_case,
        "channel.Transfer": by_case,
        "channel.ChronologyEntry": by_case | by_person,
        "panels.AgendaItem": by_case,
        "panels.ItemInvitee": Q(item__case_id=case.pk),
        "panels.ItemAction": Q(item__case_id=case.pk),
        "panels.MinutesAddendum": Q(item__case_id=case.pk),
        "panels.OutsideMeetingDecision": by_case,
        "panels.Attendance": Q(item__case_id=case.pk),
        "records.LegalHold": by_case | Q(referral_id=referral.pk) | by_person,
    }


@pytest.mark.django_db
def test_a_real_run_leaves_nothing_of_a_fully_populated_case(django_capture_on_commit_callbacks):
    case, referral, person = populated_case()
    people = apps.get_model("people.Person").objects
    merged_ids = list(people.filter(merged_into=person).values_list("pk", flat=True))
    filters = about(case, referral, person, merged_ids)
    # A rights request is kept for its own period (test_rights_requests_go_with_their_bundles), and
    # venue hire is about bookers, not the people concerns are about (test_venue_bookings_go_...).
    about_subjects = {"referrals.referral", "channel.channelcase", "people.person", "referrals.referraldraft"}
    assert set(filters) == {label for label, kinds in COVERED.items() if set(kinds) & about_subjects}
    empty_before = [label for label, query in filters.items()
                    if label != "referrals.ReferralDraft"
                    and not apps.get_model(label).objects.filter(query).exists()]
    assert empty_before == [], "the populated case should have a row of every covered model"
    files = [*apps.get_model("referrals.ReferralAttachment").objects.filter(referral=referral)
             .values_list("file", flat=True),
             *apps.get_model("channel.CaseDocument").objects.filter(case=case).values_list("file", flat=True)]
    assert files and all(default_storage.exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run(dry_run=False, trigger=RunTrigger.COMMAND,
                            as_of=timezone.localdate() + datetime.timedelta(days=1))

    left = {label: apps.get_model(label).objects.filter(query).count() for label, query in filters.items()}
    assert {label: count for label, count in left.items() if count} == {}
    assert not any(default_storage.exists(name) for name in files)
    assert run.counts["deleted"] == 2  # the case (with its referral) and the person
    assert run.counts["failed"] == 0


@pytest.mark.django_db
def test_rights_requests_go_with_their_bundles_after_their_own_period():
    from prevent_hub.rights.models import Redaction, RightsRequest, SubjectAccessBundle
    from prevent_hub.rights.tests.factories import bundle_prepared

    bundle = bundle_prepared()
    request = bundle.request
    from prevent_hub.rights import services as rights
    from prevent_hub.rights.tests.factories import first_field

    item_key, field_key = first_field(bundle)
    rights.redaction_add(bundle=bundle, item_key=item_key, field_key=field_key, reason="third_party",
                         explanation="Fictional", acting_user=request.logged_by)
    assert {label for label, kinds in COVERED.items() if kinds == (RIGHTS,)} == {
        "rights.RightsRequest", "rights.SubjectAccessBundle", "rights.Redaction"}
    RightsRequest.objects.filter(pk=request.pk).update(retain_until=timezone.localdate())
    retention_run(dry_run=False, trigger=RunTrigger.COMMAND, as_of=timezone.localdate())
    assert RightsRequest.objects.filter(pk=request.pk).exists(), "kept on its retain_until day"
    run = retention_run(dry_run=False, trigger=RunTrigger.COMMAND,
                        as_of=timezone.localdate() + datetime.timedelta(days=1))
    assert not RightsRequest.objects.filter(pk=request.pk).exists()
    assert not SubjectAccessBundle.objects.exists() and not Redaction.objects.exists()
    assert [row["reference"] for row in run.report] == [request.reference]


@pytest.mark.django_db
def test_venue_bookings_go_with_everything_about_them_two_years_after_the_event(
        django_capture_on_commit_callbacks):
    from prevent_hub.records.models import Tombstone
    from prevent_hub.rights import services as rights
    from prevent_hub.rights.tests.factories import request_verified
    from prevent_hub.venues.tests.factories import populated_booking

    booking = populated_booking()
    request = request_verified()
    rights.rights_request_venue_booking_link(request=request, booking=booking, acting_user=request.logged_by)
    venue_models = {label for label, kinds in COVERED.items() if "venues.venuebooking" in kinds}
    by_booking = {label: Q(pk=booking.pk) if label == "venues.VenueBooking"
                  else Q(check_line__booking=booking) if label == "venues.CheckEvidence"
                  else Q(decision__booking=booking) if label == "venues.DecisionCondition"
                  else Q(booking=booking) for label in venue_models}
    assert [label for label, query in by_booking.items()
            if not apps.get_model(label).objects.filter(query).exists()] == []
    files = [*booking.promotion_files.values_list("file", flat=True),
             *apps.get_model("venues.CheckEvidence").objects.exclude(file="").values_list("file", flat=True)]
    assert len(files) == 2 and all(default_storage.exists(name) for name in files)
    assert booking.retain_until == booking.event_date.replace(year=booking.event_date.year + 2)

    retention_run(dry_run=False, trigger=RunTrigger.COMMAND, as_of=booking.retain_until)
    assert apps.get_model("venues.VenueBooking").objects.filter(pk=booking.pk).exists(), "kept on its day"
    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run(dry_run=False, trigger=RunTrigger.COMMAND,
                            as_of=booking.retain_until + datetime.timedelta(days=1))

    left = {label: apps.get_model(label).objects.filter(query).count() for label, query in by_booking.items()}
    assert {label: count for label, count in left.items() if count} == {}
    assert not any(default_storage.exists(name) for name in files)
    assert [row["reference"] for row in run.report] == [booking.reference]
    assert Tombstone.objects.get(former_id=str(booking.pk)).record_type == "venue_booking"
    # The venue, its room and the conditions of hire stay.
    assert apps.get_model("venues.Room").objects.filter(pk=booking.room_id).exists()


@pytest.mark.django_db
def test_complaints_go_with_everything_about_them_six_years_after_closure(django_capture_on_commit_callbacks):
    from prevent_hub.complaints.tests.factories import populated_complaint
    from prevent_hub.records.models import LegalHold, Tombstone
    from prevent_hub.records.selectors import Found
    from prevent_hub.records.services import legal_hold_place
    from prevent_hub.rights import services as rights
    from prevent_hub.rights.tests.factories import request_verified

    complaint = populated_complaint()
    request = request_verified()
    rights.rights_request_complaint_link(request=request, complaint=complaint, acting_user=request.logged_by)
    # A hold placed from the complaint on the referral it concerns outlives it.
    hold = legal_hold_place(found=Found(referral=complaint.referral), kind="complaint", complaint=complaint,
                            reason="Complaint open.", acting_user=complaint.owner,
                            ends_on=complaint.retain_until + datetime.timedelta(days=9))
    complaint_models = {label for label, kinds in COVERED.items() if "complaints.complaint" in kinds}
    by_complaint = {label: Q(pk=complaint.pk) if label == "complaints.Complaint" else Q(complaint=complaint)
                    for label in complaint_models}
    assert [label for label, query in by_complaint.items()
            if not apps.get_model(label).objects.filter(query).exists()] == []
    files = list(complaint.documents.values_list("file", flat=True))
    assert len(files) == 1 and default_storage.exists(files[0])
    assert complaint.retain_until == complaint.closed_on.replace(year=complaint.closed_on.year + 6)

    retention_run(dry_run=False, trigger=RunTrigger.COMMAND, as_of=complaint.retain_until)
    assert apps.get_model("complaints.Complaint").objects.filter(pk=complaint.pk).exists(), "kept on its day"
    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run(dry_run=False, trigger=RunTrigger.COMMAND,
                            as_of=complaint.retain_until + datetime.timedelta(days=1))

    left = {label: apps.get_model(label).objects.filter(query).count()
            for label, query in by_complaint.items()}
    assert {label: count for label, count in left.items() if count} == {}
    assert not default_storage.exists(files[0])
    assert complaint.reference in [row["reference"] for row in run.report]
    tombstone = Tombstone.objects.get(former_id=str(complaint.pk), object_type="complaints.complaint")
    assert tombstone.record_type == "complaint"
    # The referral it was about is held, and the hold stays (its complaint gone).
    hold = LegalHold.objects.get(pk=hold.pk)
    assert hold.complaint is None and hold.referral_id == complaint.referral_id


@pytest.mark.django_db
def test_learners_go_with_their_whole_training_record_six_years_after_they_leave(
        django_capture_on_commit_callbacks):
    from prevent_hub.core.dates import add_months
    from prevent_hub.records.models import LegalHold, Tombstone
    from prevent_hub.records.selectors import Found
    from prevent_hub.records.services import legal_hold_place
    from prevent_hub.records.tests.factories import certificate
    from prevent_hub.rights import services as rights
    from prevent_hub.rights.models import RightsRequest
    from prevent_hub.rights.tests.factories import request_verified
    from prevent_hub.training.models import CompletionReminder
    from prevent_hub.training.tests.factories import completed, learner

    trained_on = timezone.localdate() - datetime.timedelta(days=30)
    person = learner(full_name="Alex Example-Teacher")
    completion = completed(person, "prevent-awareness", trained_on, evidence=certificate())
    CompletionReminder.objects.create(completion=completion, sent_at=timezone.now())
    # An answered subject access request and an ended hold, both about the learner.
    request = request_verified()
    rights.rights_request_learner_link(request=request, learner=person, acting_user=request.logged_by)
    RightsRequest.objects.filter(pk=request.pk).update(status="completed")
    hold = legal_hold_place(found=Found(learner=person), kind="investigation", reason="Fictional inquiry.",
                            ends_on=timezone.localdate() + datetime.timedelta(days=1),
                            acting_user=request.logged_by)
    by_learner = {label: Q(pk=person.pk) if label == "training.Learner"
                  else Q(completion__learner=person) if label == "training.CompletionReminder"
                  else Q(learner=person)
                  for label, kinds in COVERED.items() if "training.learner" in kinds}
    assert set(by_learner) == {"training.Learner", "training.Completion", "training.CompletionReminder",
                               "rights.LearnerLink", "records.LegalHold"}
    assert [label for label, query in by_learner.items()
            if not apps.get_model(label).objects.filter(query).exists()] == []
    stored = apps.get_model("training.Completion").objects.get(pk=completion.pk).evidence.name
    assert stored and default_storage.exists(stored)
    person.refresh_from_db()
    assert person.retain_until is None  # kept while in post
    from prevent_hub.training.services import learner_left
    person = learner_left(learner=person, left_on=timezone.localdate(), acting_user=request.logged_by)
    assert person.retain_until == add_months(timezone.localdate(), 72)

    LegalHold.objects.filter(pk=hold.pk).update(ends_on=person.retain_until)
    retention_run(dry_run=False, trigger=RunTrigger.COMMAND, as_of=person.retain_until)
    assert apps.get_model("training.Learner").objects.filter(pk=person.pk).exists(), "kept on its day"
    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run(dry_run=False, trigger=RunTrigger.COMMAND,
                            as_of=person.retain_until + datetime.timedelta(days=1))

    left = {label: apps.get_model(label).objects.filter(query).count() for label, query in by_learner.items()}
    assert {label: count for label, count in left.items() if count} == {}
    assert not default_storage.exists(stored)
    assert [(row["reference"], row["outcome"]) for row in run.report] == [(person.reference, "deleted")]
    tombstone = Tombstone.objects.get(former_id=str(person.pk), object_type="training.learner")
    assert (tombstone.record_type, tombstone.reference) == ("training_record", person.reference)
    # The request the learner was linked to stays (it has its own period); the course stays.
    assert RightsRequest.objects.filter(pk=request.pk).exists()
    assert apps.get_model("training.Course").objects.filter(code="prevent-awareness").exists()
