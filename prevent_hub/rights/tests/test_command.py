import json

import pytest
from django.core.management import CommandError, call_command

from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.complaints.services import complaint_link
from prevent_hub.complaints.tests.factories import complaint_received, officer
from prevent_hub.panels.tests.helpers import pdf_pages

from .factories import person_with_records

pytestmark = pytest.mark.django_db


def test_the_command_writes_the_unredacted_bundle_with_every_reference_and_audits_it(tmp_path, capsys):
    person = person_with_records(referrals=3, notes=2)
    call_command("subject_access_bundle", "--person", str(person.pk), "--out", str(tmp_path / "out"))
    document = json.loads((tmp_path / "out" / "bundle.json").read_text())
    text = json.dumps(document, ensure_ascii=False)
    for reference in [*person.referrals.values_list("reference", flat=True),
                      *person.channel_cases.values_list("reference", flat=True)]:
        assert reference in text
    assert "UNREDACTED" in document["status"]
    assert "OFFICIAL-SENSITIVE" in pdf_pages((tmp_path / "out" / "bundle.pdf").read_bytes())[0]
    assert "UNREDACTED" in capsys.readouterr().err
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, details__command="subject_access_bundle")
    assert exports.filter(object_type="people.person", object_id=str(person.pk)).exists()
    assert exports.filter(object_type="referrals.referral").count() == 3


def test_the_command_logs_each_complaint_about_the_person_as_exported(tmp_path):
    person = person_with_records(referrals=1, notes=0)
    about_them, someone_elses = complaint_received(), complaint_received(complainant_name="Robin Unrelated")
    complaint_link(complaint=about_them, reference=person.referrals.get().reference, acting_user=officer())
    call_command("subject_access_bundle", "--person", str(person.pk), "--out", str(tmp_path / "out"))
    assert about_them.reference in (tmp_path / "out" / "bundle.json").read_text()
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="complaints.complaint")
    assert list(exports.values_list("object_id", flat=True)) == [str(about_them.pk)]
    assert someone_elses.reference not in (tmp_path / "out" / "bundle.json").read_text()


def test_an_unknown_person_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no person record 999999"):
        call_command("subject_access_bundle", "--person", "999999", "--out", str(tmp_path / "unused"))
    assert not (tmp_path / "unused").exists()


def test_a_folder_that_cannot_be_written_is_refused(tmp_path):
    person = person_with_records(referrals=1, notes=0)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(CommandError, match="not a folder"):
        call_command("subject_access_bundle", "--person", str(person.pk), "--out", str(blocked))
    with pytest.raises(CommandError, match="Cannot"):
        call_command("subject_access_bundle", "--person", str(person.pk), "--out", str(blocked / "inside"))
    assert not AuditEvent.objects.filter(details__command="subject_access_bundle").exists()
