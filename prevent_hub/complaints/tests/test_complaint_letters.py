"""How to escalate is in every letter that closes a complaint, whatever the
template or the officer's edit left out; and a letter can be drafted with
what the officer is about to record (the new date, who it went to)."""

import datetime

import pytest

from prevent_hub.complaints import services
from prevent_hub.complaints.letters import ESCALATION_HEADING, escalation_text, letter_draft, with_escalation
from prevent_hub.complaints.models import LetterKind, LetterTemplate

from .factories import complaint_found, complaint_received, investigator, officer
from .page_helpers import banner, browser_for, error_summary, field_value, words

pytestmark = pytest.mark.django_db

STACU = "Prevent Standards and Compliance Unit"
LGSCO = "Local Government and Social Care Ombudsman"


def test_a_response_keeping_only_the_heading_still_says_where_to_escalate():
    body = f"Dear Pat\n\nOur answer.\n\n{ESCALATION_HEADING}\n\n(details cut by mistake)"

    sent = with_escalation(LetterKind.RESPONSE, body)

    assert STACU in sent and LGSCO in sent
    assert sent.startswith(body)


def test_the_escalation_is_added_once():
    body = with_escalation(LetterKind.RESPONSE, "Dear Pat")

    assert with_escalation(LetterKind.RESPONSE, body) == body
    assert body.count(ESCALATION_HEADING) == 1


def test_letters_that_do_not_close_a_complaint_are_left_as_written():
    assert with_escalation(LetterKind.ACKNOWLEDGEMENT, "Dear Pat") == "Dear Pat"
    assert with_escalation(LetterKind.HOLDING, "Dear Pat") == "Dear Pat"


def test_the_response_sent_keeps_the_escalation_the_officer_cut():
    complaint = complaint_found()
    subject, body = services.response_draft(complaint, LetterKind.RESPONSE, officer=complaint.owner)
    cut = body.replace(escalation_text(), ESCALATION_HEADING)

    letter = services.response_send(complaint=complaint, subject=subject, body=cut,
                                    acting_user=complaint.owner)

    assert STACU in letter.body and LGSCO in letter.body


def test_a_draft_can_fill_what_is_not_recorded_yet():
    complaint = complaint_received()
    new_date = complaint.respond_by + datetime.timedelta(days=7)

    _, body = letter_draft(complaint, LetterKind.HOLDING, values={
        "extended_to": f"{new_date:%-d %B %Y}", "extension_reason": "A fictional witness is away."})

    assert f"{new_date:%-d %B %Y}" in body
    assert "A fictional witness is away." in body


# The letter wording pages ------------------------------------------------------------------------


def test_the_wording_of_every_letter_is_listed_with_the_escalation_it_always_gets():
    text = words(browser_for(officer()).get("/staff/complaints/letter-wording/"))

    for label in LetterKind.labels:
        assert label in text, label
    assert ("is added by the service to the end of every letter that closes a complaint" in text
            and "cannot be removed" in text)


def test_the_response_wording_is_edited_with_its_placeholders_and_the_fixed_escalation_shown():
    client = browser_for(officer())
    page = client.get("/staff/complaints/letter-wording/response/")
    text = words(page)
    assert "$findings" in text and "Each point of complaint with its finding and reasons" in text
    assert "It cannot be removed here or when the letter is sent" in text
    assert LGSCO in text
    assert "$findings" in field_value(page, "body")

    response = client.post("/staff/complaints/letter-wording/response/", {
        "subject": "Our answer to $reference", "body": "Dear $complainant_name\n\n$findings\n\n$officer"},
        follow=True)

    assert "The response letter is saved. Letters already sent keep their wording." in banner(response)
    template = LetterTemplate.objects.get(kind="response")
    assert template.subject == "Our answer to $reference" and template.updated_by == client.user


def test_wording_with_a_placeholder_that_does_not_exist_is_refused_and_kept():
    before = LetterTemplate.objects.get(kind="holding").body
    response = browser_for(officer()).post("/staff/complaints/letter-wording/holding/", {
        "subject": "More time", "body": "Dear $complainant_name, by $deadline. {{ settings.SECRET_KEY }}"})

    assert "These placeholders are not known: $deadline" in error_summary(response)
    assert field_value(response, "body") == "Dear $complainant_name, by $deadline. {{ settings.SECRET_KEY }}"
    assert LetterTemplate.objects.get(kind="holding").body == before


def test_template_syntax_in_the_wording_is_only_ever_text():
    template = LetterTemplate.objects.get(kind="acknowledgement")
    services.letter_template_update(template=template, subject="Received $reference",
                                    body="{{ settings.SECRET_KEY }} {% debug %} $complainant_name",
                                    acting_user=None)

    _, body = letter_draft(complaint_received(), LetterKind.ACKNOWLEDGEMENT)

    assert body == "{{ settings.SECRET_KEY }} {% debug %} Pat Example-Parent"


@pytest.mark.parametrize("kind", ["nonsense", "..", "response.html", "RESPONSE"])
def test_a_letter_that_does_not_exist_is_not_found(kind):
    assert browser_for(officer()).get(f"/staff/complaints/letter-wording/{kind}/").status_code == 404


def test_investigating_officers_do_not_edit_wording():
    client = browser_for(investigator())
    assert client.get("/staff/complaints/letter-wording/").status_code == 403
    assert client.post("/staff/complaints/letter-wording/response/", {"subject": "x", "body": "y"}
                       ).status_code == 403
