"""What anyone could type or send at the complaint pages: markup, far too
much text, the wrong kinds of value, fields the form never had. Each is
refused with a message or shown as plain text, and changes nothing it
should not."""

import pytest
from bs4 import BeautifulSoup

from prevent_hub.complaints import services
from prevent_hub.complaints.models import Complaint, InvestigationNote, Status

from .factories import complaint_investigating, complaint_received, officer
from .page_helpers import browser_for, error_summary, field_value, url

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _no_markup_from(response):
    soup = BeautifulSoup(response.content, "html5lib")
    assert not any("alert" in (tag.string or "") for tag in soup.find_all("script"))
    assert not soup.find("img", src="x")


def test_markup_in_what_the_complainant_said_and_in_notes_is_shown_as_text():
    complaint = complaint_received(what_happened=f"They wrote {SCRIPT}", adjustments=SCRIPT)
    services.complaint_triage(complaint=complaint, scope="application_of_duty_by_us", category="other",
                              reasons=SCRIPT, acting_user=officer())
    services.note_add(complaint=complaint, text=SCRIPT, acting_user=officer())
    client = browser_for(officer())

    response = client.get(url("complaint", complaint))

    _no_markup_from(response)
    assert "&lt;script&gt;" in response.content.decode()


def test_markup_sent_back_on_a_refused_page_is_text():
    complaint = complaint_investigating()

    response = browser_for(complaint.owner).post(url("complaint-finding", complaint, number=1),
                                                 {"finding": SCRIPT, "reasons": SCRIPT})

    assert "Select upheld, partly upheld or not upheld" in error_summary(response)
    _no_markup_from(response)
    assert field_value(response, "reasons") == SCRIPT


def test_far_too_much_text_is_refused_and_nothing_is_saved():
    complaint = complaint_investigating()
    client = browser_for(complaint.owner)

    response = client.post(url("complaint-note-add", complaint), {"text": "x" * 10_001})

    assert "The note must be 10,000 characters or fewer" in error_summary(response)
    assert not InvestigationNote.objects.exists()
    response = client.post(url("complaint-link", complaint), {"reference": "PRV-" + "9" * 5000})
    assert "The reference must be 40 characters or fewer" in error_summary(response)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("complaint-triage", {"scope": "everything", "category": ["referral", "other"]},
     "Select what the complaint is about"),
    ("complaint-consent", {"recipient": "the press", "consent": "given"}, "Select who the consent is about"),
    ("complaint-consent", {"recipient": "stacu", "consent": "given", "given_on-day": "31",
                           "given_on-month": "2", "given_on-year": "2026"},
     "Date they agreed must be a real date"),
    ("complaint-extend", {"new_date-day": "x", "new_date-month": "y", "new_date-year": "z", "reason": "R"},
     "New date for the response must be a real date"),
    ("complaint-withdraw", {"reasons": ""}, "Enter how and why the complainant withdrew it"),
    ("complaint-investigator", {"investigator": "../../admin"}, "Select an investigating officer"),
])
def test_the_wrong_kind_of_value_is_refused_with_a_message(name, data, message):
    complaint = complaint_investigating()

    response = browser_for(complaint.owner).post(url(name, complaint), data)

    assert response.status_code == 200
    assert message in error_summary(response)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.INVESTIGATING


def test_fields_the_form_never_had_change_nothing():
    complaint = complaint_received()
    client = browser_for(officer())

    client.post(url("complaint-triage", complaint), {
        "scope": "application_of_duty_by_us", "category": "referral", "reasons": "",
        "status": "responded", "outcome": "upheld", "investigator": client.user.pk,
        "reference": "CMP-HIJACK"})

    complaint.refresh_from_db()
    assert complaint.status == Status.INVESTIGATING
    assert (complaint.outcome, complaint.investigator, complaint.reference[:4]) == ("", None, "CMP-")


@pytest.mark.parametrize("path", ["points/abc/finding/", "points/-1/finding/", "documents/1.5/",
                                  "letters/..%2F1/", "notes/1/", "notes/1/edit/"])
def test_addresses_that_do_not_exist_are_not_found(path):
    complaint = complaint_investigating()

    response = browser_for(complaint.owner).get(url("complaint", complaint) + path)

    assert response.status_code == 404


def test_a_get_never_changes_anything():
    complaint = complaint_received()
    client = browser_for(officer())

    client.get(url("complaint-triage", complaint) + "?scope=policy&category=other&reasons=x")
    client.get(url("complaint-withdraw", complaint) + "?reasons=Gone")

    complaint.refresh_from_db()
    assert (complaint.status, complaint.scope) == (Status.RECEIVED, "")
