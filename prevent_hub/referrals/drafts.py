"""Drafts of referrals and concerns: kept on the server while someone is still
writing, until they submit or the draft expires.

A draft can be reached by the browser session that started or resumed it, by
its owner (a signed-in account with a second factor), or through a secret
link emailed to the address someone gives. Only a SHA-256 hash of the link's
token is stored, and the token is made by the task that sends the email, so
it never waits in the task queue either.

Drafts expire REFERRAL_DRAFT_EXPIRY_DAYS after they were last saved. A draft
nobody could come back to (no owner and no link sent) expires a day after its
last save: once the browser session ends it is unreachable, and keeping what
someone typed about another person any longer would serve nobody.
`referral_drafts_expire` (a scheduled task) deletes expired drafts and their
files.

Writing a draft is not audited: it is not yet a referral and only its own
writer can see it. Submitting (a referral is created, audited by
referral_submit), deletion by the owner, and deletion on expiry are.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.core.drafts import (
    draft_file_remove,
    draft_to_send,
    files_delete_after_commit,
    resume_token_issue,
    resume_token_spend,
    submission_key_for,
)
from prevent_hub.core.uploads import attachment_check, display_name

from .forms import JOURNEY_BY_KIND
from .models import Referral, ReferralAttachment, ReferralDraft
from .services import INTAKE_FIELDS, referral_submit

UNREACHABLE_DRAFT_EXPIRY = datetime.timedelta(days=1)
DRAFT_OBJECT_TYPE = "referrals.referraldraft"


def draft_expiry(draft: ReferralDraft, *, now=None) -> datetime.datetime:
    now = now or timezone.now()
    if draft.owner_id or draft.resume_token_hash or draft.email:
        return now + datetime.timedelta(days=settings.REFERRAL_DRAFT_EXPIRY_DAYS)
    return now + UNREACHABLE_DRAFT_EXPIRY


def _clean_data(data: dict) -> dict:
    unknown = set(data) - set(INTAKE_FIELDS)
    if unknown:
        raise ValueError(f"Not intake fields: {', '.join(sorted(unknown))}")
    return data


def referral_draft_create(*, kind, data: dict, owner=None) -> ReferralDraft:
    """Start a draft with the first page's answers. `owner` is a signed-in
    account with a verified second factor, or None."""
    draft = ReferralDraft(kind=kind, owner=owner, data=_clean_data(dict(data)))
    draft.expires_at = draft_expiry(draft)
    with transaction.atomic():
        draft.save()
    return draft


def referral_draft_update(*, draft: ReferralDraft, data: dict) -> ReferralDraft:
    """Keep a page's answers, replacing that page's earlier answers."""
    draft.data = {**draft.data, **_clean_data(dict(data))}
    draft.expires_at = draft_expiry(draft)
    with transaction.atomic():
        draft.save(update_fields=["data", "expires_at", "updated_at"])
    return draft


def referral_draft_resume_link_request(*, draft: ReferralDraft, email: str, base_url: str) -> ReferralDraft:
    """Email a secret link to come back to the draft (after commit). The
    draft then lasts the full expiry period from now."""
    from .tasks import referral_draft_resume_link_send

    with transaction.atomic():
        draft.email = email
        draft.expires_at = draft_expiry(draft)
        draft.save(update_fields=["email", "expires_at", "updated_at"])
        draft_id = str(draft.pk)
        transaction.on_commit(
            lambda: referral_draft_resume_link_send.enqueue(draft_id=draft_id, base_url=base_url))
    return draft


def referral_draft_token_issue(*, draft_id) -> tuple[ReferralDraft, str] | None:
    """Make a new secret token for the draft, replacing any earlier one (so
    only the newest link works). Returns (draft, token), or None if the draft
    has gone. Called by the task that sends the link."""
    return resume_token_issue(ReferralDraft.objects, draft_id)


def referral_draft_from_token(token: str, *, base_url: str) -> ReferralDraft | None:
    """The unexpired draft a resume link's token opens, or None. A link works
    once (core.drafts): a fresh link is emailed to the same address."""
    from .tasks import referral_draft_resume_link_send

    with transaction.atomic():
        draft = resume_token_spend(ReferralDraft.objects, token)
        if draft is None:
            return None
        draft_id = str(draft.pk)
        transaction.on_commit(
            lambda: referral_draft_resume_link_send.enqueue(draft_id=draft_id, base_url=base_url))
    return draft


def referral_draft_attachment_add(*, draft: ReferralDraft, upload) -> ReferralAttachment:
    """Check an uploaded file (type by content, size) and keep it with the
    draft. Raises ValidationError with a message for the person uploading."""
    with transaction.atomic():
        locked = ReferralDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.attachments.count() >= settings.REFERRAL_ATTACHMENTS_MAX:
            raise ValidationError(
                f"You can attach up to {settings.REFERRAL_ATTACHMENTS_MAX} files. Remove one to add "
                "another", code="too_many")
        content_type = attachment_check(upload)
        attachment = ReferralAttachment(
            draft=locked, original_name=display_name(upload.name), content_type=content_type,
            size=upload.size,
        )
        attachment.file.save("upload", upload, save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.delete(save=False)
            raise
        locked.expires_at = draft_expiry(locked)
        locked.save(update_fields=["expires_at", "updated_at"])
    return attachment


def referral_draft_attachment_remove(*, draft: ReferralDraft, attachment_id) -> bool:
    """Remove one of the draft's files. Returns whether there was one."""
    return draft_file_remove(draft.attachments, attachment_id)


def referral_draft_delete(*, draft: ReferralDraft, acting_user) -> None:
    """The owner deletes their draft, with its files."""
    with transaction.atomic():
        names = list(draft.attachments.values_list("file", flat=True))
        audit_event_record(
            action=AuditAction.DELETE, object_type=DRAFT_OBJECT_TYPE, object_id=draft.pk,
            details={"kind": str(draft.kind), "reason": "deleted by its owner", "attachments": len(names)},
            actor=acting_user,
        )
        draft.delete()
        files_delete_after_commit(names)


def referral_drafts_expire(*, now=None) -> int:
    """Delete every expired draft and its files. One audit event records how
    many (no personal data). Returns the number deleted."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = ReferralDraft.objects.filter(expires_at__lte=now)
        ids = list(expired.values_list("pk", flat=True))
        if not ids:
            return 0
        names = list(ReferralAttachment.objects.filter(draft_id__in=ids).values_list("file", flat=True))
        ReferralDraft.objects.filter(pk__in=ids).delete()
        audit_event_record(
            action=AuditAction.DELETE, object_type=DRAFT_OBJECT_TYPE,
            details={"reason": "expired", "count": len(ids), "attachments": len(names)},
        )
        files_delete_after_commit(names)
    return len(ids)


def details_from_draft(draft: ReferralDraft) -> dict:
    """The draft's answers as referral_submit's `details`: only the pages that
    apply (no parent or carer for an adult), dates as dates."""
    journey = JOURNEY_BY_KIND[draft.kind]
    data = draft.data
    details = {}
    for page in journey.pages_for(data):
        for name in page.fields:
            value = data.get(name)
            if name == "subject_date_of_birth":
                value = datetime.date.fromisoformat(value) if value else None
            elif name == "subject_approximate_age":
                value = int(value) if value not in (None, "") else None
            elif name == "concern_prompts":
                value = list(value or [])
            elif value is None:
                value = ""
            details[name] = value
    return details


def referral_draft_submit(*, draft: ReferralDraft, acting_user, also_tell=()) -> tuple[Referral, bool]:
    """Turn a draft into a referral: one transaction makes the referral
    (audited, acknowledged by email after commit), moves the draft's files to
    it and deletes the draft. Submitting the same draft again returns the
    referral made the first time, with created False. Raises DraftGone if
    the draft has gone with no referral made from it, and ValidationError if
    the model refuses the answers."""
    with transaction.atomic():
        locked, existing = draft_to_send(ReferralDraft.objects, draft.pk, Referral.objects)
        if existing is not None:
            return existing, False
        referral, created = referral_submit(
            kind=locked.kind, details=details_from_draft(locked), submission_key=submission_key_for(draft.pk),
            acting_user=acting_user, attachments=list(locked.attachments.all()), also_tell=tuple(also_tell),
        )
        locked.delete()
    return referral, created
