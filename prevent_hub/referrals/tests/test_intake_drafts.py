"""Draft services: expiry, deletion of expired drafts by the scheduled task,
and submitting a draft exactly once."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.core.drafts import DraftGone, token_hash
from prevent_hub.core.models import ScheduledJob
from prevent_hub.core.scheduler import scheduled, scheduled_jobs_enqueue
from prevent_hub.referrals import drafts
from prevent_hub.referrals.models import Referral, ReferralAttachment, ReferralDraft, ReferralKind
from prevent_hub.referrals.tasks import referral_draft_resume_link_send, referral_drafts_expire_task

from .factories import ReferralAttachmentFactory, ReferralDraftFactory

pytestmark = pytest.mark.django_db

COMPLETE = {
    "referrer_name": "Test Referrer", "referrer_organisation": "Test Org",
    "referrer_email": "ref@test.example", "dsl_consulted": "no", "dsl_name": "", "dsl_contact": "",
    "subject_given_name": "Fictional", "subject_family_name": "Adult",
    "subject_date_of_birth": "1990-05-17", "subject_approximate_age": None,
    "carer_name": "Should Not Be Sent",
    "subject_aware": "no", "family_aware": "no", "concern_description": "Fictional.",
    "concern_prompts": ["threats"],
}


def days_left(draft):
    return (draft.expires_at - timezone.now()).total_seconds() / 86400


def test_a_draft_nobody_could_come_back_to_expires_after_a_day():
    draft = drafts.referral_draft_create(kind=ReferralKind.PUBLIC, data={"referrer_name": "A"})
    assert 0.9 < days_left(draft) <= 1


def test_owned_drafts_and_drafts_with_a_link_last_the_configured_period(settings):
    settings.REFERRAL_DRAFT_EXPIRY_DAYS = 10
    owned = drafts.referral_draft_create(kind=ReferralKind.PRACTITIONER, data={}, owner=UserFactory())
    assert 9.9 < days_left(owned) <= 10
    linked = drafts.referral_draft_create(kind=ReferralKind.PUBLIC, data={})
    drafts.referral_draft_resume_link_request(draft=linked, email="a@test.example", base_url="http://x/")
    assert 9.9 < days_left(linked) <= 10


def test_drafts_only_hold_intake_fields():
    with pytest.raises(ValueError, match="Not intake fields: status"):
        drafts.referral_draft_create(kind=ReferralKind.PUBLIC, data={"status": "decided"})


def test_the_resume_link_email_holds_only_the_link_and_the_expiry():
    draft = ReferralDraftFactory(kind=ReferralKind.PUBLIC, email="a@test.example",
                                 data={"subject_given_name": "Secretname", "concern_description": "Secret"})
    assert referral_draft_resume_link_send.call(draft_id=str(draft.pk), base_url="https://hub.example/")
    email = mail.outbox[-1]
    assert "https://hub.example/raise-a-concern/resume/" in email.body
    assert "Secret" not in email.body and "Secret" not in email.subject
    draft.refresh_from_db()
    token = email.body.split("/resume/", 1)[1].split("/", 1)[0]
    assert draft.resume_token_hash == token_hash(token) != token
    assert drafts.referral_draft_from_token(token, base_url="https://hub.example/") == draft


def test_no_link_is_sent_for_a_draft_that_has_gone():
    assert not referral_draft_resume_link_send.call(
        draft_id="00000000-0000-0000-0000-000000000000", base_url="https://hub.example/")
    assert not mail.outbox


def test_expired_drafts_and_their_files_are_deleted_by_the_task(django_capture_on_commit_callbacks):
    now = timezone.now()
    expired = ReferralAttachmentFactory(draft=ReferralDraftFactory(
        expires_at=now - datetime.timedelta(seconds=1))).draft
    expired_file = expired.attachments.get().file.name
    ReferralDraftFactory(expires_at=now - datetime.timedelta(days=3))
    current = ReferralAttachmentFactory(draft=ReferralDraftFactory()).draft
    assert default_storage.exists(expired_file)

    with django_capture_on_commit_callbacks(execute=True):
        assert referral_drafts_expire_task.call() == 2

    assert list(ReferralDraft.objects.all()) == [current]
    assert not default_storage.exists(expired_file)
    assert ReferralAttachment.objects.filter(draft=current).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert event.object_type == "referrals.referraldraft"
    assert event.details == {"reason": "expired", "count": 2, "attachments": 1}
    # Nothing more to do: no empty audit events.
    assert referral_drafts_expire_task.call() == 0
    assert AuditEvent.objects.filter(action=AuditAction.DELETE).count() == 1


def test_draft_expiry_is_scheduled_and_runs_from_the_scheduler():
    names = {job.name: job for job in scheduled()}
    job = names[referral_drafts_expire_task.module_path]
    assert job.every <= datetime.timedelta(days=1)
    ReferralDraftFactory(expires_at=timezone.now() - datetime.timedelta(hours=1))
    assert referral_drafts_expire_task.module_path in scheduled_jobs_enqueue()
    assert not ReferralDraft.objects.exists()  # the test task backend runs it at once
    assert ScheduledJob.objects.get(name=job.name).next_run_at > timezone.now()


def test_details_leave_out_pages_that_do_not_apply():
    draft = ReferralDraftFactory(data=COMPLETE)
    details = drafts.details_from_draft(draft)
    assert details["subject_date_of_birth"] == datetime.date(1990, 5, 17)
    assert "carer_name" not in details
    assert details["concern_prompts"] == ["threats"]
    assert details["subject_approximate_age"] is None


def test_submitting_a_draft_twice_makes_one_referral():
    draft = ReferralDraftFactory(data=COMPLETE)
    ReferralAttachmentFactory(draft=draft)
    first, created = drafts.referral_draft_submit(draft=draft, acting_user=None)
    assert created
    again, created_again = drafts.referral_draft_submit(draft=draft, acting_user=None)
    assert again == first and not created_again
    assert Referral.objects.count() == 1
    assert first.attachments.count() == 1
    assert first.submission_key == f"draft:{draft.pk}"


def test_submitting_a_draft_deleted_without_a_referral_says_so():
    draft = ReferralDraftFactory(data=COMPLETE)
    ReferralDraft.objects.filter(pk=draft.pk).delete()
    with pytest.raises(DraftGone):
        drafts.referral_draft_submit(draft=draft, acting_user=None)


def test_a_failed_submit_keeps_the_draft():
    draft = ReferralDraftFactory(data={**COMPLETE, "referrer_email": "not an email"})
    with pytest.raises(ValidationError):
        drafts.referral_draft_submit(draft=draft, acting_user=None)
    assert ReferralDraft.objects.filter(pk=draft.pk).exists()
    assert not Referral.objects.exists()
