"""Notes (never changed; corrections are addenda) and documents."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel import notes
from prevent_hub.channel.models import CaseDocument, ChronologyEntry, Note

from .factories import CaseDocumentFactory, ChannelCaseFactory, NoteFactory, team_member_add

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
       b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")


def _notes(case):
    return reverse("channel:case-notes", kwargs={"pk": case.pk})


def test_adding_a_note_and_a_correction(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    add = reverse("channel:case-note-add", kwargs={"pk": case.pk})
    response = client.post(add, {"text": ""})
    assert "Enter the note" in response.content.decode()
    client.post(add, {"text": "Met the family on Tuesday (fictional)"})
    note = Note.objects.get()
    correction = reverse("channel:case-note-correction", kwargs={"pk": case.pk, "note_pk": note.pk})
    assert "Met the family on Tuesday (fictional)" in client.get(correction).content.decode()
    client.post(correction, {"text": "It was Wednesday, not Tuesday (fictional)"})
    note.refresh_from_db()
    assert note.text == "Met the family on Tuesday (fictional)"
    addendum = Note.objects.get(addendum_to=note)
    assert addendum.written_by == client.user
    html = client.get(_notes(case)).content.decode()
    assert html.index("Met the family on Tuesday") < html.index("It was Wednesday, not Tuesday")
    assert "Correction by" in html
    assert ChronologyEntry.objects.filter(case=case, kind="note").count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="channel.note").count() == 2


def test_there_is_no_way_to_edit_or_delete_a_note():
    for name in ("case-note-edit", "case-note-delete", "note-edit", "note-delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"channel:{name}", kwargs={"pk": 1, "note_pk": 1})
    assert not [name for name in dir(notes) if "edit" in name or "delete" in name or "update" in name]


def test_a_correction_never_updates_the_note():
    author = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    note = NoteFactory(text="Original (fictional)")
    with CaptureQueriesContext(connection) as queries:
        notes.note_correction_add(note=note, text="Correction (fictional)", acting_user=author)
        notes.note_add(case=note.case, text="Another (fictional)", acting_user=author)
    table = Note._meta.db_table
    assert not [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "DELETE")) and table in q["sql"]]


def test_a_correction_of_a_correction_attaches_to_the_original():
    author = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    note = NoteFactory()
    first = notes.note_correction_add(note=note, text="First (fictional)", acting_user=author)
    second = notes.note_correction_add(note=first, text="Second (fictional)", acting_user=author)
    assert second.addendum_to == note


def test_an_intervention_provider_adds_notes_but_does_not_see_documents(staff_client):
    client = staff_client(Role.INTERVENTION_PROVIDER)
    case = ChannelCaseFactory()
    team_member_add(case, client.user)
    document = CaseDocumentFactory(case=case, original_name="fictional-school-report.pdf")
    client.post(reverse("channel:case-note-add", kwargs={"pk": case.pk}), {"text": "Session went well"})
    html = client.get(_notes(case)).content.decode()
    assert "Session went well" in html
    assert "fictional-school-report.pdf" not in html and "Documents" not in html
    download = reverse("channel:case-document", kwargs={"pk": case.pk, "document_pk": document.pk})
    assert client.get(download).status_code == 403


def test_uploading_and_downloading_a_document(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    add = reverse("channel:case-document-add", kwargs={"pk": case.pk})
    response = client.post(add, {"file": SimpleUploadedFile("../evil\u202e.png", PNG, "text/html"),
                                 "description": "Chronology from school (fictional)"})
    assert response.status_code == 302
    document = CaseDocument.objects.get()
    assert document.content_type == "image/png"
    assert document.original_name == "evil.png"
    html = client.get(_notes(case)).content.decode()
    assert "Download evil.png" in html and "Chronology from school (fictional)" in html
    download = client.get(reverse("channel:case-document",
                                  kwargs={"pk": case.pk, "document_pk": document.pk}))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PNG
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, object_id=str(case.pk)).exists()
    assert ChronologyEntry.objects.filter(case=case, kind="document").exists()


def test_a_file_of_the_wrong_type_is_refused(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    add = reverse("channel:case-document-add", kwargs={"pk": case.pk})
    upload = SimpleUploadedFile("report.pdf", b"<script>x</script>", "application/pdf")
    response = client.post(add, {"file": upload,
                                 "description": "Kept description"})
    html = response.content.decode()
    assert "must be a PDF, Word document" in html
    assert "Kept description" in html
    assert not CaseDocument.objects.exists()


def test_a_saved_note_refuses_to_be_changed_or_deleted_at_the_model_too(db):
    from prevent_hub.channel.models import Note, NoteIsPermanent

    case = ChannelCaseFactory()
    note = Note.objects.create(case=case, text="Fictional note.", written_by=case.opened_by,
                               written_at=case.opened_at)
    note.text = "Rewritten"
    with pytest.raises(NoteIsPermanent):
        note.save()
    with pytest.raises(NoteIsPermanent):
        note.delete()
    assert Note.objects.get(pk=note.pk).text == "Fictional note."
