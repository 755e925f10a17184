"""A name with controls that reorder text ("Demo\\u202eNOSRED" would show as
"DemoDERSON") is neutralised where it comes in, so it reads as typed on every
page, PDF, CSV and email that shows it."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.api.tests.factories import bearer, issue_token, referral_body
from prevent_hub.panels.tests.helpers import pdf_text
from prevent_hub.referrals.models import Referral

pytestmark = pytest.mark.django_db

HOSTILE = "Demo\u202eNOSRED\u202c \u2067Isolated\u2069"
CONTROLS = ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069")


def submitted_through_the_api():
    _, plaintext = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["referrals:submit"])
    body = referral_body()
    body["person"] = {**body["person"], "family_name": HOSTILE, "other_names": [HOSTILE]}
    body["referrer"] = {**body["referrer"], "name": HOSTILE}
    response = Client().post("/api/v1/referrals", json.dumps(body), content_type="application/json",
                             **bearer(plaintext))
    assert response.status_code == 201
    return Referral.objects.get(reference=response.json()["reference"])


def test_reordering_controls_never_reach_the_record_page_pdf_or_csv():
    referral = submitted_through_the_api()
    for stored in (referral.subject_family_name, referral.referrer_name, referral.subject_other_names):
        assert not any(control in stored for control in CONTROLS)
        assert "DemoNOSRED" in stored
    coordinator = Client()
    sign_in(coordinator, UserFactory(roles=[Role.PREVENT_COORDINATOR]))
    page = coordinator.get(reverse("triage:referral", kwargs={"reference": referral.reference}))
    pdf = coordinator.get(reverse("triage:referral-pdf", kwargs={"reference": referral.reference}))
    csv = coordinator.get(reverse("triage:export"))
    for shown in (page.content.decode(), pdf_text(pdf.content), b"".join(csv.streaming_content).decode()):
        assert "DemoNOSRED" in shown
        assert not any(control in shown for control in CONTROLS)


def test_marks_that_reorder_nothing_are_kept():
    from prevent_hub.core.names import neutralise_bidi

    arabic = "\u0639\u0645\u0631\u0627\u0646\u200f (Imran)"
    assert neutralise_bidi(arabic) == arabic
    assert neutralise_bidi(["a\u202eb", 3]) == ["ab", 3]


def test_names_stored_before_are_neutralised_by_the_migration():
    import importlib

    from django.apps import apps

    from prevent_hub.people.tests.factories import PersonFactory
    from prevent_hub.referrals.tests.factories import ReferralFactory

    migration = importlib.import_module("prevent_hub.referrals.migrations.0006_neutralise_bidi_in_names")
    referral = ReferralFactory(subject_family_name=HOSTILE, referrer_name="Ref\u202eeree")
    person = PersonFactory(family_name=HOSTILE)
    staff = UserFactory(full_name="Staff\u2067Member\u2069")
    untouched = ReferralFactory(subject_family_name="Plain")
    migration.neutralise(apps, None)
    referral.refresh_from_db()
    person.refresh_from_db()
    staff.refresh_from_db()
    assert referral.subject_family_name == "DemoNOSRED Isolated"
    assert referral.referrer_name == "Referee"
    assert person.family_name == "DemoNOSRED Isolated"
    assert staff.full_name == "StaffMember"
    untouched.refresh_from_db()
    assert untouched.subject_family_name == "Plain"
