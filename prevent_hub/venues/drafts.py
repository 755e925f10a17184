"""Drafts of venue booking requests: kept on the server while the booker is
still answering, until they send it or the draft expires.

A draft can be reached by the browser session that started or resumed it,
or through a secret link emailed to the address the booker gives (only a
SHA-256 hash of the link's token is stored; the token is made by the task
that sends the email, and a link works once: opening it sends a fresh one,
see core.drafts). Never by its id alone.

Drafts expire BOOKING_DRAFT_EXPIRY_DAYS after they were last saved;
`booking_drafts_expire` (a scheduled task) deletes expired drafts and their
promotion files.

Writing a draft is not audited: it is not yet a booking and only its own
writer can see it. Sending it (a booking is made, audited by booking_submit)
and deletion on expiry are.
"""

import datetime

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

from .models import BookingConditions, BookingDraft, PromotionFile, Room, VenueBooking
from .public_forms import DRAFT_FIELDS
from .services import BOOKING_FIELDS, booking_submit, draft_expiry

DRAFT_OBJECT_TYPE = "venues.bookingdraft"


def _clean_data(data: dict) -> dict:
    unknown = set(data) - DRAFT_FIELDS
    if unknown:
        raise ValueError(f"Not booking request answers: {', '.join(sorted(unknown))}")
    return data


def booking_draft_create(*, data: dict) -> BookingDraft:
    """Start a draft with the first page's answers."""
    with transaction.atomic():
        return BookingDraft.objects.create(data=_clean_data(dict(data)), expires_at=draft_expiry())


def booking_draft_update(*, draft: BookingDraft, data: dict) -> BookingDraft:
    """Keep a page's answers, replacing that page's earlier answers."""
    draft.data = {**draft.data, **_clean_data(dict(data))}
    draft.expires_at = draft_expiry()
    with transaction.atomic():
        draft.save(update_fields=["data", "expires_at", "updated_at"])
    return draft


def booking_draft_resume_link_request(*, draft: BookingDraft, email: str) -> BookingDraft:
    """Email a secret link to come back to the draft (after commit)."""
    from .tasks import booking_draft_resume_link_send

    with transaction.atomic():
        draft.email = email
        draft.expires_at = draft_expiry()
        draft.save(update_fields=["email", "expires_at", "updated_at"])
        draft_id = draft.pk
        transaction.on_commit(lambda: booking_draft_resume_link_send.enqueue(draft_id=draft_id))
    return draft


def booking_draft_token_issue(*, draft_id) -> tuple[BookingDraft, str] | None:
    """A new secret token for the draft, replacing any earlier one. Called by
    the task that sends the link."""
    return resume_token_issue(BookingDraft.objects, draft_id)


def booking_draft_from_token(token: str) -> BookingDraft | None:
    """The unexpired draft a resume link opens, or None. The link is spent
    and a fresh one emailed to the same address."""
    from .tasks import booking_draft_resume_link_send

    with transaction.atomic():
        draft = resume_token_spend(BookingDraft.objects, token)
        if draft is None:
            return None
        draft_id = draft.pk
        transaction.on_commit(lambda: booking_draft_resume_link_send.enqueue(draft_id=draft_id))
    return draft


def promotion_file_remove(*, draft: BookingDraft, file_id) -> bool:
    """Remove one of the draft's files. Returns whether there was one."""
    return draft_file_remove(draft.files, file_id)


def booking_drafts_expire(*, now=None) -> int:
    """Delete every expired draft and its files. One audit event records how
    many (no personal data). Returns the number deleted."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(BookingDraft.objects.filter(expires_at__lte=now).values_list("pk", flat=True))
        if not ids:
            return 0
        names = list(PromotionFile.objects.filter(draft_id__in=ids).values_list("file", flat=True))
        BookingDraft.objects.filter(pk__in=ids).delete()
        audit_event_record(action=AuditAction.DELETE, object_type=DRAFT_OBJECT_TYPE,
                           details={"reason": "expired", "count": len(ids), "promotion_files": len(names)})
        files_delete_after_commit(names)
    return len(ids)


def _as_date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _as_time(value):
    try:
        return datetime.time.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def details_from(data: dict) -> dict:
    """Answers kept as JSON (a draft's, or a change's) as the booking's
    fields: the room as a Room, dates and times as themselves."""
    details = {}
    for field in BOOKING_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field == "room":
            value = Room.objects.filter(pk=value).first() if isinstance(value, int) else None
        elif field == "event_date":
            value = _as_date(value)
        elif field in ("starts_at", "ends_at"):
            value = _as_time(value)
        elif value is None:
            value = ""
        details[field] = value
    return details


def speakers_from(data: dict) -> list[dict]:
    return [{key: str(speaker.get(key) or "") for key in ("name", "organisation", "topic")}
            for speaker in data.get("speakers") or [] if isinstance(speaker, dict)]


def booking_draft_submit(*, draft: BookingDraft) -> tuple[VenueBooking, bool]:
    """Turn a draft into a booking request: one transaction makes the booking
    (audited, acknowledged by email after commit), moves the draft's files to
    it and deletes the draft. Sending the same draft again returns the
    booking made the first time, with created False. Raises
    core.drafts.DraftGone if the draft has gone with no booking made from
    it, and ValidationError if the booking is refused (a clash since the
    answers were checked, conditions changed meanwhile)."""
    with transaction.atomic():
        locked, existing = draft_to_send(BookingDraft.objects, draft.pk, VenueBooking.objects)
        if existing is not None:
            return existing, False
        conditions = BookingConditions.objects.filter(version=locked.data.get("conditions_version")).first()
        if conditions is None:
            raise ValidationError({"conditions": "Read and accept the booking conditions"}, code="invalid")
        booking, created = booking_submit(
            details=details_from(locked.data), speakers=speakers_from(locked.data), conditions=conditions,
            submission_key=submission_key_for(draft.pk), files=list(locked.files.all()))
        locked.delete()
    return booking, created
