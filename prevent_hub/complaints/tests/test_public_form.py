"""The public complaint form as a complainant goes through it with a plain
client (one client per person): every question page and what it refuses,
the contact detail asked for the way they chose, consent to share asked
and recorded separately, check your answers with its change links, send,
the reference and the dates, the acknowledgement email, and a double send."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.complaints import services
from prevent_hub.complaints.models import Complaint, Consent
from prevent_hub.core.formatting import govuk_date

from .public_helpers import (
    draft,
    error_summary_text,
    fill,
    inline_error,
    main_text,
    page_answers,
    page_url,
    post,
    send,
    soup,
    summary_link,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
CHECK = reverse("complain:check")
RETURNING = {"from": "check"}


def test_a_parent_complains_about_a_school_and_gets_a_reference_the_dates_and_an_email(
        django_capture_on_commit_callbacks):
    client = Client()
    start = client.get(reverse("complain:start"))
    assert start.url == page_url("about-you")
    with time_machine.travel(datetime.datetime(2026, 12, 6, 10, tzinfo=LONDON), tick=False):
        fill(client)
        check = client.get(CHECK)
        for shown in ("Pat Example-Parent", "Parent or carer of the person affected", "Sam Example-Child",
                      "pat.parent@example.org", "Letters in large print, please.", "22 November 2026",
                      "A school, college or nursery", "Testford Example Academy",
                      "An explanation and an apology."):
            assert shown in main_text(check), shown
        with django_capture_on_commit_callbacks(execute=True):
            response = send(client)
        confirmation = client.get(response.url)
        # Read while the clock is still that day: the session's idle timeout
        # runs from then, whenever the suite runs.
        answers_left = client.session["complaint"]
        restart = client.get(reverse("complain:start"))

    complaint = Complaint.objects.get()
    assert re.fullmatch(r"CMP-2026-\d{6}", complaint.reference)
    assert (complaint.source, complaint.status, complaint.recorded_by) == ("online", "received", None)
    assert (complaint.complainant_name, complaint.affected_person_name, complaint.organisation_name) == (
        "Pat Example-Parent", "Sam Example-Child", "Testford Example Academy")
    assert complaint.happened_on == datetime.date(2026, 11, 22)
    assert complaint.adjustments == "Letters in large print, please."
    assert (complaint.acknowledge_by, complaint.respond_by) == (datetime.date(2026, 12, 9),
                                                                datetime.date(2027, 1, 6))

    page = main_text(confirmation)
    assert "govuk-panel--confirmation" in confirmation.content.decode()
    assert f"Your reference is {complaint.reference}" in page
    assert "We will acknowledge your complaint by 9 December 2026" in page
    assert "We will send you our response by 6 January 2027" in page
    assert "What happens next" in page
    # The answers leave the session once sent: the next person on this
    # computer finds a fresh form.
    assert "draft" not in answers_left or answers_left["draft"] is None
    assert restart.url == page_url("about-you")

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["pat.parent@example.org"]
    assert complaint.reference in email.subject
    assert "6 January 2027" in email.body
    complaint.refresh_from_db()
    assert complaint.acknowledged_on == datetime.date(2026, 12, 6)


def test_the_complaint_is_audited_without_what_was_typed():
    client = Client()
    fill(client)
    send(client)
    complaint = Complaint.objects.get()
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="complaints.complaint",
                                   object_id=str(complaint.pk))
    assert event.actor is None
    assert "Pat Example-Parent" not in str(event.details) and "referred my son" not in str(event.details)


# Each page's own questions and messages --------------------------------------------------


@pytest.mark.parametrize(("page", "posted", "field", "message"), [
    ("about-you", {"complainant_name": "", "relationship": ""}, "complainant_name", "Enter your full name"),
    ("about-you", {"relationship": ""}, "relationship",
     "Select how you are connected to the person affected"),
    ("about-you", {"relationship": "other", "relationship_other": ""}, "relationship_other",
     "Enter how you are connected to the person affected"),
    ("person-affected", {"affected_person_name": ""}, "affected_person_name",
     "Enter the name of the person affected"),
    ("how-to-contact-you", {"contact_preference": ""}, "contact_preference",
     "Select how you would like us to contact you"),
    ("contact-details", {"email": ""}, "email", "Enter your email address, so that we can email you"),
    ("contact-details", {"email": "pat at example"}, "email",
     "Enter your email address in the correct format, like name@example.org"),
    ("adjustments", {"adjustments_needed": "", "adjustments": ""}, "adjustments_needed",
     "Select yes if you need us to make any adjustments"),
    ("adjustments", {"adjustments_needed": "yes", "adjustments": ""}, "adjustments",
     "Enter the adjustments you need"),
    ("what-happened", {"what_happened": "  "}, "what_happened", "Enter what happened"),
    ("when-it-happened", {"happened_on-day": "", "happened_on-month": "", "happened_on-year": ""},
     "happened_on", "Enter when it happened, or tell us roughly when"),
    ("when-it-happened", {"happened_on-day": "1", "happened_on-month": "1", "happened_on-year": "2099"},
     "happened_on", "The date it happened must be today or in the past"),
    ("organisation", {"organisation_kind": ""}, "organisation_kind",
     "Select which organisation was involved"),
    ("organisation", {"organisation_name": ""}, "organisation_name", "Enter the name of the organisation"),
    ("outcome", {"outcome_wanted": ""}, "outcome_wanted", "Enter what you would like to happen"),
    ("share-with-the-organisation", {"organisation_consent": ""}, "organisation_consent",
     "Select yes if we can share your complaint with Testford Example Academy"),
    ("share-with-stacu", {"stacu_consent": ""}, "stacu_consent",
     "Select yes if we can share your complaint with StaCU"),
])
def test_each_page_says_what_is_missing_or_wrong_there_and_keeps_nothing_wrong(page, posted, field, message):
    client = Client()
    answers = page_answers()
    fill(client, answers, until=page)
    kept = dict(client.session.get("complaint", {}).get("draft", {}).get("answers", {}))
    response = post(client, page, {**answers[page], **posted})
    assert response.status_code == 200
    assert message in error_summary_text(response)
    assert message in inline_error(response, field)
    assert soup(response).title.get_text().startswith("Error: ")
    after = client.session.get("complaint", {}).get("draft", {}).get("answers", {})
    assert after == kept


def test_what_was_typed_stays_on_a_page_with_an_error():
    client = Client()
    fill(client, until="what-happened")
    story = "They called the police about a school essay.\nNobody told us why."
    response = post(client, "when-it-happened", {"happened_on-day": "31", "happened_on-month": "2",
                                                 "happened_on-year": "2026", "happened_when": "Last spring"})
    assert "Date it happened must be a real date" in error_summary_text(response)
    assert 'value="31"' in response.content.decode() and 'value="Last spring"' in response.content.decode()
    response = post(client, "what-happened", {"what_happened": story, "website": "spam"})
    assert story in response.content.decode()


def test_a_rough_time_will_do_when_they_are_not_sure_of_the_date():
    client = Client()
    fill(client, page_answers(**{"when-it-happened": {"happened_on-day": "", "happened_on-month": "",
                                                      "happened_on-year": "",
                                                      "happened_when": "The autumn term of 2025"}}))
    send(client)
    complaint = Complaint.objects.get()
    assert (complaint.happened_on, complaint.happened_when) == (None, "The autumn term of 2025")


def test_going_back_shows_the_answers_given():
    client = Client()
    fill(client, until="outcome")
    page = client.get(page_url("organisation"))
    back = soup(page).find("a", class_="govuk-back-link")
    assert back["href"] == page_url("when-it-happened")
    day = soup(client.get(back["href"])).find("input", attrs={"name": "happened_on-day"})
    assert day["value"] == page_answers()["when-it-happened"]["happened_on-day"]
    assert "Testford Example Academy" in page.content.decode()
    assert "checked" in str(soup(page).find("input", attrs={"name": "organisation_kind", "value": "school"}))
    first = soup(client.get(page_url("about-you"))).find("a", class_="govuk-back-link")
    assert first["href"] == reverse("public:complaints")


# Who is complaining -------------------------------------------------------------------------


def test_someone_complaining_for_themselves_is_not_asked_for_anyone_else_s_name():
    client = Client()
    answers = page_answers(**{"about-you": {"relationship": "self"}})
    fill(client, answers, until="person-affected")
    post(client, "person-affected", {"affected_person_name": "Typed before changing their answer"})
    response = post(client, "about-you", answers["about-you"])
    assert response.url == page_url("how-to-contact-you")
    assert client.get(page_url("person-affected")).url == page_url("how-to-contact-you")
    fill(client, answers, skip=("about-you", "person-affected"))
    assert "Name of the person affected" not in main_text(client.get(CHECK))
    send(client)
    complaint = Complaint.objects.get()
    assert (complaint.relationship, complaint.affected_person_name) == ("self", "")


def test_another_connection_is_described_in_their_own_words():
    client = Client()
    fill(client, page_answers(**{"about-you": {"relationship": "other",
                                              "relationship_other": "Their football coach"}}))
    send(client)
    complaint = Complaint.objects.get()
    assert (complaint.relationship, complaint.relationship_other) == ("other", "Their football coach")


# How to contact them ---------------------------------------------------------------------------


@pytest.mark.parametrize(("preference", "asked", "not_asked", "message"), [
    ("email", "email", ("phone", "address"), "Enter your email address, so that we can email you"),
    ("phone", "phone", ("address",), "Enter your telephone number, so that we can call you"),
    ("post", "address", ("phone",), "Enter your postal address, so that we can write to you"),
])
def test_the_contact_detail_asked_for_is_the_one_they_chose(preference, asked, not_asked, message):
    client = Client()
    fill(client, page_answers(**{"how-to-contact-you": {"contact_preference": preference}}),
         until="contact-details")
    page = soup(client.get(page_url("contact-details")))
    assert page.find(attrs={"name": asked}) is not None
    for name in not_asked:
        assert page.find(attrs={"name": name}) is None, name
    # An email address can always be given, for the acknowledgement.
    assert page.find(attrs={"name": "email"}) is not None
    response = post(client, "contact-details", {})
    assert message in error_summary_text(response)
    assert message in inline_error(response, asked)


def test_a_complainant_who_asks_for_a_call_gets_no_email_and_keeps_the_reference(
        django_capture_on_commit_callbacks):
    client = Client()
    answers = page_answers(**{"how-to-contact-you": {"contact_preference": "phone"},
                              "contact-details": {"email": "", "phone": "01632 960 123"}})
    fill(client, answers)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client)
    complaint = Complaint.objects.get()
    assert (complaint.contact_preference, complaint.phone, complaint.email) == ("phone", "01632 960 123", "")
    assert mail.outbox == []
    assert "Keep a note of your reference" in main_text(client.get(response.url))


def test_changing_the_contact_preference_from_check_your_answers_asks_for_the_new_detail_and_drops_the_old():
    client = Client()
    fill(client, page_answers(**{"how-to-contact-you": {"contact_preference": "post"},
                                 "contact-details": {"email": "", "address": "1 Example Street, Testford"}}))
    response = post(client, "how-to-contact-you", {"contact_preference": "email"}, **RETURNING)
    assert response.url == page_url("contact-details", **RETURNING)
    response = post(client, "contact-details", {"email": "pat.parent@example.org"}, **RETURNING)
    assert response.url == CHECK
    assert draft(client)["answers"]["address"] == ""
    assert "1 Example Street" not in main_text(client.get(CHECK))


# The organisation and consent to share -----------------------------------------------------------


def test_consent_is_recorded_for_each_recipient_separately_and_dated_only_when_given():
    client = Client()
    fill(client, page_answers(**{"share-with-the-organisation": {"organisation_consent": "refused"},
                                 "share-with-stacu": {"stacu_consent": "given"}}))
    send(client)
    complaint = Complaint.objects.get()
    assert (complaint.organisation_consent, complaint.organisation_consent_on) == (Consent.REFUSED, None)
    assert (complaint.stacu_consent, complaint.stacu_consent_on) == (Consent.GIVEN, timezone.localdate())

    other = Client()
    fill(other)
    send(other)
    second = Complaint.objects.exclude(pk=complaint.pk).get()
    assert (second.organisation_consent, second.organisation_consent_on) == (Consent.GIVEN,
                                                                              timezone.localdate())
    assert (second.stacu_consent, second.stacu_consent_on) == (Consent.REFUSED, None)


def test_each_consent_page_explains_what_saying_yes_means_and_names_the_organisation():
    client = Client()
    fill(client, until="share-with-the-organisation")
    organisation = main_text(client.get(page_url("share-with-the-organisation")))
    assert "Can we share your complaint with Testford Example Academy?" in organisation
    assert "If you say yes, we may send the organisation your complaint" in organisation
    assert "If you say no, we will not share your complaint" in organisation
    stacu = main_text(client.get(page_url("share-with-stacu")))
    assert "Prevent Standards and Compliance Unit (StaCU)" in stacu
    assert "does not deal with complaints about Prevent policy" in stacu
    assert "separate question from sharing your complaint with the organisation" in stacu


def test_a_complaint_about_the_council_is_not_asked_about_sharing_with_the_organisation():
    client = Client()
    answers = page_answers(organisation={"organisation_kind": "council", "organisation_name": "Typed anyway"})
    fill(client, answers, until="share-with-the-organisation")
    assert client.get(page_url("share-with-the-organisation")).url == page_url("share-with-stacu")
    fill(client, {"share-with-stacu": answers["share-with-stacu"]})
    assert "Share with the organisation" not in main_text(client.get(CHECK))
    send(client)
    complaint = Complaint.objects.get()
    assert (complaint.organisation_kind, complaint.organisation_name) == ("council", "")
    assert (complaint.organisation_consent, complaint.organisation_consent_on) == (Consent.NOT_ASKED, None)


def test_changing_to_another_organisation_from_check_your_answers_asks_about_sharing_with_it():
    client = Client()
    answers = page_answers(organisation={"organisation_kind": "council", "organisation_name": ""})
    fill(client, answers, skip=("share-with-the-organisation",))
    response = post(client, "organisation", {"organisation_kind": "police",
                                             "organisation_name": "Testford Example Police"}, **RETURNING)
    assert response.url == page_url("share-with-the-organisation", **RETURNING)
    assert "Can we share your complaint with Testford Example Police?" in main_text(client.get(response.url))


# Check your answers and send -----------------------------------------------------------------


def test_every_change_link_goes_to_its_question_and_comes_back_to_check_your_answers():
    client = Client()
    answers = page_answers()
    fill(client, answers)
    links = [link["href"] for link in soup(client.get(CHECK)).select(".govuk-summary-list__actions a")]
    assert len(links) == 14
    for href in links:
        path, _, anchor = href.partition("#")
        assert path.endswith("?from=check"), href
        page = path.split("/")[-2]
        shown = client.get(path)
        assert shown.status_code == 200 and soup(shown).find(id=anchor) is not None, href
        response = post(client, page, answers[page], **RETURNING)
        assert response.url == CHECK, href


def test_sending_with_a_question_unanswered_says_which_and_links_to_it():
    client = Client()
    fill(client, skip=("outcome",))
    check = client.get(CHECK)
    assert "Not answered yet" in main_text(check)
    response = send(client)
    assert response.status_code == 200
    assert "Enter what you would like to happen" in error_summary_text(response)
    assert summary_link(response, "Enter what you would like to happen") == \
        page_url("outcome", **RETURNING) + "#id_outcome_wanted"
    assert not Complaint.objects.exists()


def test_a_refusal_by_the_service_on_send_is_linked_to_the_page_that_asks(monkeypatch):
    def refuse(**kwargs):
        raise ValidationError({"email": "This email address cannot be used"})

    monkeypatch.setattr(services, "complaint_submit", refuse)
    client = Client()
    fill(client)
    response = send(client)
    assert summary_link(response, "This email address cannot be used") == \
        page_url("contact-details", **RETURNING) + "#id_email"
    assert "Pat Example-Parent" in main_text(response)


def test_sending_twice_makes_one_complaint_and_shows_its_reference_again(django_capture_on_commit_callbacks):
    client = Client()
    fill(client)
    draft_id = draft(client)["id"]
    with django_capture_on_commit_callbacks(execute=True):
        first = send(client, draft_id)
        again = send(client, draft_id)
    complaint = Complaint.objects.get()
    assert first.url == again.url == reverse("complain:sent")
    assert complaint.reference in main_text(client.get(again.url))
    assert len(mail.outbox) == 1


def test_the_same_answers_sent_from_two_sessions_are_two_complaints_and_neither_sees_the_other():
    parent, stranger = Client(), Client()
    fill(parent)
    draft_id = draft(parent)["id"]
    refused = send(stranger, draft_id)
    assert refused.url == reverse("complain:start")
    assert not Complaint.objects.exists()
    send(parent, draft_id)
    assert send(stranger, draft_id).url == reverse("complain:start")
    assert stranger.get(reverse("complain:sent")).url == reverse("public:complaints")
    assert Complaint.objects.count() == 1


def test_a_started_complaint_can_be_continued_or_started_again():
    client = Client()
    fill(client, until="organisation")
    start = client.get(reverse("complain:start"))
    assert start.status_code == 200
    assert "You have started a complaint" in main_text(start)
    continue_link = soup(start).find("a", string="Continue your complaint")
    assert continue_link["href"] == page_url("organisation")
    again = client.post(reverse("complain:start"))
    assert again.url == page_url("about-you")
    assert "Pat Example-Parent" not in client.get(page_url("about-you")).content.decode()


def test_the_deadlines_follow_the_settings(settings):
    settings.COMPLAINT_ACKNOWLEDGE_WORKING_DAYS, settings.COMPLAINT_RESPOND_WORKING_DAYS = 1, 10
    client = Client()
    fill(client)
    response = send(client)
    complaint = Complaint.objects.get()
    assert (complaint.acknowledge_by, complaint.respond_by) == services.deadlines(complaint.received_on)
    page = main_text(client.get(response.url))
    assert f"We will send you our response by {govuk_date(complaint.respond_by)}" in page
