"""Bad and hostile input to the public complaint form: markup and SQL-ish
text (shown as text everywhere, stored as typed), overlong and huge answers,
malformed dates, answers of the wrong kind, the honeypot, CSRF, someone
else's answers and the per-address limit on sending. Every refusal says why,
keeps what was typed and stores nothing."""

import pytest
from django import forms as django_forms
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from prevent_hub.complaints.models import Complaint
from prevent_hub.complaints.public_forms import PAGES, ComplaintPageForm

from .public_helpers import draft, error_summary_text, fill, main_text, page_answers, post, send, soup

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('{}')</script>"
SQL = "Robert'); DROP TABLE complaints_complaint;--"
SQL_STORY = "They said 1=1 OR ''=''; DROP TABLE auth_user;-- and then UNION SELECT password"
HONEYPOT = ComplaintPageForm.honeypot_field
CHECK = reverse("complain:check")


def _answers_so_far(client) -> dict:
    return dict(((client.session.get("complaint") or {}).get("draft") or {}).get("answers") or {})


def free_text_fields():
    """(page slug, field name) of every answer typed as free text."""
    for page in PAGES:
        for name in page.fields:
            if type(page.form.base_fields[name]) is django_forms.CharField:
                yield page.slug, name


def test_markup_in_every_text_answer_is_shown_as_text_and_stored_as_typed():
    # Every free text question asked: another connection, a postal address.
    answers = page_answers(**{"about-you": {"relationship": "other"},
                              "how-to-contact-you": {"contact_preference": "post"}})
    typed = {}
    for page, name in free_text_fields():
        answers[page] = {**answers[page], name: SCRIPT.format(name)}
        typed[name] = SCRIPT.format(name)
    client = Client()
    fill(client, answers)
    # The organisation's name, typed as markup, is in a consent question too.
    pages = [client.get(CHECK), *(client.get(reverse("complain:page", kwargs={"page": page.slug}))
                                  for page in PAGES)]
    for response in pages:
        assert response.status_code == 200
        assert "<script>alert" not in str(soup(response).find("main"))
    check = pages[0].content.decode()
    for name in typed:
        assert escape(SCRIPT.format(name)) in check, name
    send(client)
    complaint = Complaint.objects.get()
    for name, value in typed.items():
        assert getattr(complaint, name) == value, name


def test_sql_in_answers_is_only_ever_text():
    client = Client()
    fill(client, page_answers(**{"about-you": {"complainant_name": SQL},
                                 "what-happened": {"what_happened": SQL_STORY}}))
    send(client)
    complaint = Complaint.objects.get()
    assert (complaint.complainant_name, complaint.what_happened) == (SQL, SQL_STORY)
    assert Complaint.objects.filter(complainant_name=SQL).count() == 1


@pytest.mark.parametrize(("page", "field", "limit", "message"), [
    ("about-you", "complainant_name", 200, "Your name must be 200 characters or fewer"),
    ("person-affected", "affected_person_name", 200, "Their name must be 200 characters or fewer"),
    ("adjustments", "adjustments", 2000, "The adjustments you need must be 2,000 characters or fewer"),
    ("what-happened", "what_happened", 10_000, "What happened must be 10,000 characters or fewer"),
    ("when-it-happened", "happened_when", 200, "When it happened must be 200 characters or fewer"),
    ("organisation", "organisation_name", 200, "The organisation’s name must be 200 characters or fewer"),
    ("outcome", "outcome_wanted", 5000, "What you would like to happen must be 5,000 characters or fewer"),
])
def test_overlong_answers_are_refused_with_the_limit_and_kept_on_the_page_only(page, field, limit, message):
    client = Client()
    answers = page_answers()
    fill(client, answers, until=page)
    response = post(client, page, {**answers[page], field: "x" * (limit + 1)})
    assert response.status_code == 200
    assert message in error_summary_text(response)
    assert "x" * (limit + 1) in response.content.decode()
    assert "x" * (limit + 1) not in str(_answers_so_far(client))


def test_a_huge_post_is_refused_with_a_message_not_an_error_page():
    client = Client()
    fill(client, until="what-happened")
    response = post(client, "what-happened", {"what_happened": "y" * 200_000})
    assert response.status_code == 200
    assert "What happened must be 10,000 characters or fewer" in error_summary_text(response)


def _date(day, month, year):
    return {"happened_on-day": day, "happened_on-month": month, "happened_on-year": year}


@pytest.mark.parametrize(("page", "posted", "message"), [
    ("when-it-happened", _date("31", "2", "2026"), "Date it happened must be a real date"),
    ("when-it-happened", _date("1", "", "2026"), "Date it happened must include a month"),
    ("when-it-happened", _date("1", "1", "26"), "Date it happened year must include 4 numbers"),
    ("when-it-happened", _date("x", "1", "2026"), "Date it happened must be a real date"),
    ("when-it-happened", _date("-1", "1", "2026"), "Date it happened must be a real date"),
    ("when-it-happened", _date("1", "1", "99999"), "Date it happened year must include 4 numbers"),
    ("when-it-happened", _date("1", "1", "9999"), "The date it happened must be today or in the past"),
    ("about-you", {"relationship": "<script>"}, "Select how you are connected to the person affected"),
    ("about-you", {"relationship": "self'--"}, "Select how you are connected to the person affected"),
    ("how-to-contact-you", {"contact_preference": "carrier pigeon"},
     "Select how you would like us to contact you"),
    ("contact-details", {"email": "pat@example.org<script>"},
     "Enter your email address in the correct format"),
    ("adjustments", {"adjustments_needed": "perhaps"}, "Select yes if you need us to make any adjustments"),
    ("organisation", {"organisation_kind": "council OR 1=1"}, "Select which organisation was involved"),
    ("share-with-the-organisation", {"organisation_consent": "yes please"},
     "Select yes if we can share your complaint with Testford Example Academy"),
    ("share-with-stacu", {"stacu_consent": "1"}, "Select yes if we can share your complaint with StaCU"),
    ("what-happened", {"what_happened": "Before\x00after"}, "Null characters are not allowed"),
])
def test_answers_of_the_wrong_kind_are_refused_with_a_message_and_nothing_is_kept(page, posted, message):
    client = Client()
    answers = page_answers()
    fill(client, answers, until=page)
    before = _answers_so_far(client)
    response = post(client, page, {**answers[page], **posted})
    assert response.status_code == 200
    assert message in error_summary_text(response)
    assert _answers_so_far(client) == before


def test_a_telephone_number_must_look_like_one():
    client = Client()
    answers = page_answers(**{"how-to-contact-you": {"contact_preference": "phone"}})
    fill(client, answers, until="contact-details")
    response = post(client, "contact-details", {"phone": "'; DROP TABLE--"})
    assert "Enter a telephone number, like 01632 960 001" in error_summary_text(response)
    assert escape("'; DROP TABLE--") in response.content.decode()


def test_the_honeypot_refuses_the_page_and_keeps_what_was_typed():
    client = Client()
    response = post(client, "about-you", {**page_answers()["about-you"], HONEYPOT: "http://spam.example"})
    assert "Leave this field blank" in error_summary_text(response)
    assert 'value="Pat Example-Parent"' in response.content.decode()
    assert _answers_so_far(client) == {}
    fill(client)
    refused = client.post(CHECK, {"draft": draft(client)["id"], HONEYPOT: "x"})
    assert "Leave this field blank" in error_summary_text(refused)
    assert not Complaint.objects.exists()


def test_unknown_pages_are_not_found():
    client = Client()
    assert client.get("/complaints/make-a-complaint/..%2F..%2Fstaff/").status_code == 404
    assert client.get(reverse("complain:page", kwargs={"page": "no-such-page"})).status_code == 404


def test_forms_refuse_a_post_without_the_csrf_token_and_store_nothing():
    client = Client(enforce_csrf_checks=True)
    assert post(client, "about-you", page_answers()["about-you"]).status_code == 403
    assert _answers_so_far(client) == {}
    assert client.post(CHECK, {"draft": "0" * 32}).status_code == 403
    assert not Complaint.objects.exists()


def test_a_forged_draft_id_sends_nothing():
    client = Client()
    fill(client)
    for forged in ("", "1", "../x", "x" * 5000, "draft:1"):
        response = client.post(CHECK, {"draft": forged})
        assert response.status_code == 302 and response.url == reverse("complain:start")
    assert not Complaint.objects.exists()


def test_sending_from_one_address_is_limited_and_what_was_typed_is_kept(settings):
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 1
    first, second = Client(), Client()
    fill(first)
    send(first)
    fill(second, page_answers(**{"about-you": {"complainant_name": "Jo Example-Neighbour"}}))
    response = send(second)
    assert "You have sent a lot of forms from this network" in error_summary_text(response)
    assert "Jo Example-Neighbour" in main_text(response)
    assert Complaint.objects.count() == 1
    assert _answers_so_far(second)["complainant_name"] == "Jo Example-Neighbour"
