import json

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.channel.tests.factories import ChannelCaseFactory, NoteFactory
from prevent_hub.core.pdf import _RESHAPER
from prevent_hub.panels.tests.helpers import pdf_pages
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.tests.factories import ReferralFactory
from prevent_hub.rights import services
from prevent_hub.rights.bundle import NOT_SEARCHED, SEARCHED_MODELS, bundle_build, references_in
from prevent_hub.rights.documents import bundle_json, bundle_pdf, redactions_applied
from prevent_hub.rights.models import Redaction

from .factories import bundle_prepared, first_field, person_with_records

pytestmark = pytest.mark.django_db

POLISH = ("Zażółć", "Gęślą-Jaźń")
ARABIC = ("يوسف", "المثال")

# The apps whose models can hold information about a person referred.
PERSONAL_APPS = ("people", "referrals", "channel", "panels", "rights", "training")


def test_every_model_that_can_hold_personal_data_is_searched_or_says_why_not():
    models = {model._meta.label for app in PERSONAL_APPS for model in apps.get_app_config(app).get_models()}
    missing = sorted(models - set(SEARCHED_MODELS) - set(NOT_SEARCHED))
    assert missing == [], f"add these to rights.bundle.SOURCES (or NOT_SEARCHED, with the reason): {missing}"
    assert not set(SEARCHED_MODELS) & set(NOT_SEARCHED)
    assert "audit.AuditEvent" in SEARCHED_MODELS


def test_the_document_has_a_section_for_every_model_searched():
    document = bundle_build(person_id=PersonFactory().pk)
    keys = [section["key"] for section in document["sections"]]
    assert keys == [label.lower() for label in SEARCHED_MODELS]
    assert document["searched"] == list(SEARCHED_MODELS)


def test_the_bundle_holds_every_referral_and_case_reference_and_every_note():
    person = person_with_records(referrals=10, notes=3)
    other_case = ChannelCaseFactory(person=person)
    stranger = person_with_records(referrals=2)
    document = bundle_build(person_id=person.pk)
    found = references_in(document)
    assert sorted(found["referrals"]) == sorted(person.referrals.values_list("reference", flat=True))
    assert len(found["referrals"]) == 11  # ten, and the one the second case was opened from
    assert other_case.reference in found["cases"] and len(found["cases"]) == 2
    text = json.dumps(document, ensure_ascii=False)
    assert "Fictional note 3 about the test person." in text
    assert not set(stranger.referrals.values_list("reference", flat=True)) & set(found["referrals"])
    # Everything a referral says, including the referrer (for the DPO to redact).
    referral = next(s for s in document["sections"] if s["key"] == "referrals.referral")["items"][0]
    keys = {row["key"] for row in referral["fields"]}
    assert {"referrer_name", "referrer_email", "concern_description", "gateway_reasons"} <= keys
    assert not keys & {"submission_key", "submission_fingerprint", "subject_postcode_key"}


def test_records_merged_into_the_person_are_included():
    person = person_with_records(referrals=1)
    merged = PersonFactory(merged_into=person)
    ReferralFactory(person=merged)
    found = references_in(bundle_build(person_id=person.pk))
    held = ReferralFactory._meta.model.objects.filter(person__in=[person, merged])
    assert sorted(found["referrals"]) == sorted(held.values_list("reference", flat=True))


def test_audit_events_about_the_person_and_their_records_are_included():
    person = person_with_records(referrals=1, notes=1)
    referral = person.referrals.first()
    audit_event_record(action=AuditAction.VIEW, obj=referral, details={})
    audit_event_record(action=AuditAction.UPDATE, obj=person, changed_fields=["address"])
    document = bundle_build(person_id=person.pk)
    audit = document["sections"][-1]
    records = [next(f["value"] for f in item["fields"] if f["key"] == "record") for item in audit["items"]]
    assert f"Referral {referral.reference}" in records
    assert any(record.startswith("Person") for record in records)


def test_building_takes_the_same_number_of_queries_however_much_is_held():
    small = person_with_records(referrals=1, notes=1)
    large = person_with_records(referrals=10, notes=25)
    for case in large.channel_cases.all():
        for _ in range(5):
            NoteFactory(case=case)
    with CaptureQueriesContext(connection) as few:
        bundle_build(person_id=small.pk)
    with CaptureQueriesContext(connection) as many:
        bundle_build(person_id=large.pk)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_pdf_prints_polish_and_arabic_names_on_numbered_marked_pages():
    polish = person_with_records(referrals=1, notes=1, given_name=POLISH[0], family_name=POLISH[1])
    arabic = person_with_records(referrals=1, notes=1, given_name=ARABIC[0], family_name=ARABIC[1])
    for person, expected in ((polish, " ".join(POLISH)), (arabic, _RESHAPER.reshape(" ".join(ARABIC)))):
        data = bundle_pdf(bundle_build(person_id=person.pk), title="Subject access bundle (test)",
                          status="Test")
        pages = pdf_pages(data)
        text = "\n".join(pages)
        assert expected.split(" ")[0] in text, expected
        for number, page in enumerate(pages, start=1):
            assert f"Page {number} of {len(pages)}" in page
            assert page.count("OFFICIAL-SENSITIVE") >= 2
    assert b"NotoNaskhArabic" in data


def test_redactions_replace_the_content_in_the_json_and_the_pdf():
    bundle = bundle_prepared()
    item_key, field_key = first_field(bundle)
    secret = next(row["value"] for section in bundle.document["sections"] for item in section["items"]
                  if item["key"] == item_key for row in item["fields"] if row["key"] == field_key)
    services.redaction_add(bundle=bundle, item_key=item_key, field_key=field_key, reason="third_party",
                           explanation="Fictional", acting_user=bundle.prepared_by)
    shown = redactions_applied(bundle.document, Redaction.objects.filter(bundle=bundle))
    released = json.loads(bundle_json(shown, status="Approved"))
    person = next(s for s in released["sections"] if s["key"] == "people.person")["items"][0]
    row = next(r for r in person["fields"] if r["key"] == field_key)
    assert row["value"] == "[Redacted: third-party information]" and row["redacted"] is True
    pdf = "\n".join(pdf_pages(bundle_pdf(shown, title="Test", status="Approved")))
    assert "[Redacted: third-party information]" in pdf
    # The frozen document itself is untouched.
    bundle.refresh_from_db()
    assert secret in json.dumps(bundle.document, ensure_ascii=False)
