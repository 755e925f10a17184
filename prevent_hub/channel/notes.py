"""Case notes and documents.

A note is never changed or deleted after saving: there is no service that
does either. A correction is an addendum, a new note linked to the one it
corrects and shown under it. Documents are checked for what they contain
(as referral attachments are) and stored under a random name.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.core.formatting import govuk_datetime
from prevent_hub.core.uploads import attachment_check, display_name

from .chronology import chronology_record
from .models import CaseDocument, ChannelCase, ChronologyKind, Note


def note_add(*, case: ChannelCase, text: str, acting_user) -> Note:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the note"}, code="note_empty")
    with transaction.atomic():
        note = Note.objects.create(case=case, text=text, written_by=acting_user, written_at=timezone.now())
        audit_event_record(action=AuditAction.CREATE, obj=note, changed_fields=["text"],
                           details={"case": case.reference}, actor=acting_user)
        chronology_record(case=case, person_id=case.person_id, kind=ChronologyKind.NOTE, obj=note,
                          summary=f"Note added by {acting_user.full_name}", recorded_by=acting_user,
                          occurred_at=note.written_at)
    return note


def note_correction_add(*, note: Note, text: str, acting_user) -> Note:
    """An addendum to `note` (always to the original note, never to another
    addendum). The note itself is not touched."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the correction"}, code="note_empty")
    original = note.addendum_to if note.addendum_to_id else note
    with transaction.atomic():
        addendum = Note.objects.create(case_id=original.case_id, text=text, addendum_to=original,
                                       written_by=acting_user, written_at=timezone.now())
        case = ChannelCase.objects.only("pk", "person_id", "reference").get(pk=original.case_id)
        audit_event_record(action=AuditAction.CREATE, obj=addendum, changed_fields=["text", "addendum_to"],
                           details={"case": case.reference, "addendum_to": original.pk}, actor=acting_user)
        chronology_record(
            case=case, person_id=case.person_id, kind=ChronologyKind.NOTE, obj=addendum,
            summary=f"Correction added to the note of {govuk_datetime(original.written_at)} "
                    f"by {acting_user.full_name}",
            recorded_by=acting_user, occurred_at=addendum.written_at,
        )
    return addendum


def document_add(*, case: ChannelCase, upload, description: str = "", acting_user) -> CaseDocument:
    """Store an uploaded document on the case, if its content is an allowed
    type and it is not too large (the same rules as referral attachments)."""
    if upload is None:
        raise ValidationError({"file": "Select a file"}, code="file_needed")
    try:
        content_type = attachment_check(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}, code=error.code) from None
    name = display_name(upload.name)
    with transaction.atomic():
        document = CaseDocument(
            case=case, original_name=name, content_type=content_type, size=upload.size,
            description=(description or "").strip()[:300], uploaded_by=acting_user,
            uploaded_at=timezone.now(),
        )
        document.file.save(name, upload, save=False)
        document.save()
        audit_event_record(action=AuditAction.CREATE, obj=document,
                           changed_fields=["file", "original_name", "description"],
                           details={"case": case.reference, "content_type": content_type,
                                    "size": upload.size}, actor=acting_user)
        chronology_record(case=case, person_id=case.person_id, kind=ChronologyKind.DOCUMENT, obj=document,
                          summary=f"Document added by {acting_user.full_name}", recorded_by=acting_user,
                          occurred_at=document.uploaded_at)
    return document
