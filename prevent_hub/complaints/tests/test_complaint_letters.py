"""How to escalate is in every letter that closes a complaint, whatever the
template or the officer's edit left out; and a letter can be drafted with
what the officer is about to record (the new date, who it went to)."""

import datetime

import pytest

from prevent_hub.complaints import services
from prevent_hub.complaints.letters import ESCALATION_HEADING, escalation_text, letter_draft, with_escalation
from prevent_hub.complaints.models import LetterKind

from .factories import complaint_found, complaint_received

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
