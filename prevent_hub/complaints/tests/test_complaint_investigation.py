"""The investigation pages: choosing an investigating officer who was not
involved, notes that are never edited, documents, points of complaint and
the investigating officer's findings, remedy and lessons, and the response
that always says how to escalate."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.channel.tests.factories import ChannelCaseFactory, team_member_add
from prevent_hub.complaints import services
from prevent_hub.complaints.models import (
    ComplaintDocument,
    InvestigationNote,
    LetterKind,
    LetterTemplate,
    Status,
)
from prevent_hub.core.uploads import WRONG_TYPE
from prevent_hub.referrals.tests.factories import ReferralFactory

from .factories import complaint_found, complaint_investigating, complaint_received, investigator, officer
from .page_helpers import banner, browser_for, error_summary, field_value, url, words

pytestmark = pytest.mark.django_db

STACU = "Prevent Standards and Compliance Unit"
LGSCO = "Local Government and Social Care Ombudsman"


def _about_us(by):
    complaint = complaint_received(organisation_kind="council")
    return services.complaint_triage(complaint=complaint, scope="application_of_duty_by_us",
                                     category="referral", reasons="", acting_user=by)


# The investigating officer -------------------------------------------------------------------------


def test_the_choice_is_of_active_investigating_and_complaints_officers():
    by = officer(full_name="Casey Example-Officer")
    complaint = _about_us(by)
    investigator(full_name="Ines Example-Investigator", job_title="Senior investigator")
    investigator(full_name="Gone Example-Leaver", is_active=False)
    UserFactory(roles=[Role.PREVENT_COORDINATOR], full_name="Cora Example-Coordinator")

    page = browser_for(by).get(url("complaint-investigator", complaint))

    options = [option.get_text() for option in BeautifulSoup(page.content, "html5lib").select(
        "select[name=investigator] option")]
    assert "Ines Example-Investigator, Senior investigator" in options
    assert "Casey Example-Officer" in options
    assert not any("Leaver" in option or "Coordinator" in option for option in options)


def test_an_investigating_officer_is_given_the_complaint_and_emailed(django_capture_on_commit_callbacks):
    by = officer()
    complaint = _about_us(by)
    chosen = investigator(full_name="Ines Example-Investigator")

    with django_capture_on_commit_callbacks(execute=True):
        response = browser_for(by).post(url("complaint-investigator", complaint),
                                        {"investigator": chosen.pk}, follow=True)

    assert "Ines Example-Investigator is the investigating officer, and has been emailed" in banner(response)
    complaint.refresh_from_db()
    assert complaint.investigator == chosen
    assert browser_for(chosen).get(url("complaint", complaint)).status_code == 200


def test_someone_involved_in_the_referral_is_refused_with_the_reason():
    by = officer()
    complaint = _about_us(by)
    involved = investigator(full_name="Ivo Example-Involved")
    referral = ReferralFactory(submitted_by=involved)
    services.complaint_link(complaint=complaint, reference=referral.reference, acting_user=by)

    response = browser_for(by).post(url("complaint-investigator", complaint), {"investigator": involved.pk})

    assert (f"Ivo Example-Involved was involved in {referral.reference}, which the complaint is about: "
            "choose someone who was not") in error_summary(response)
    soup = BeautifulSoup(response.content, "html5lib")
    selected = soup.select_one("select[name=investigator] option[selected]")
    assert selected["value"] == str(involved.pk)
    complaint.refresh_from_db()
    assert complaint.investigator is None


def test_not_a_person_in_the_list_is_refused():
    by = officer()
    complaint = _about_us(by)
    outsider = UserFactory(roles=[Role.AUDITOR])

    for value in (outsider.pk, "abc", "", "1 OR 1=1"):
        response = browser_for(by).post(url("complaint-investigator", complaint), {"investigator": value})
        assert "Select an investigating officer" in error_summary(response), value
    complaint.refresh_from_db()
    assert complaint.investigator is None


# Notes -------------------------------------------------------------------------------------------


def test_a_note_is_added_with_its_author_and_time_and_offers_no_way_to_change_it():
    complaint = complaint_investigating()
    client = browser_for(complaint.investigator)

    response = client.post(url("complaint-note-add", complaint),
                           {"text": "Spoke to the headteacher on the telephone."}, follow=True)

    assert "Note added." in banner(response)
    note = InvestigationNote.objects.get(complaint=complaint)
    text = words(response)
    assert "Spoke to the headteacher on the telephone." in text
    assert f"{complaint.investigator.full_name}, {note.written_at:%-d %B %Y}" in text
    soup = BeautifulSoup(response.content, "html5lib")
    notes = soup.find(id="notes").find_next("ul")
    assert not notes.find("a") and not notes.find("form")


def test_the_same_note_page_sent_twice_adds_one_note():
    complaint = complaint_investigating()
    client = browser_for(complaint.investigator)
    token = BeautifulSoup(client.get(url("complaint-note-add", complaint)).content, "html5lib").find(
        "input", attrs={"name": "once"})["value"]
    sent = {"text": "Read the referral form.", "once": token}

    client.post(url("complaint-note-add", complaint), sent)
    again = client.post(url("complaint-note-add", complaint), sent, follow=True)

    assert "That was saved already, so it has not been added again." in words(again)
    assert InvestigationNote.objects.filter(complaint=complaint).count() == 1
    # A new page (a new note) is added.
    client.post(url("complaint-note-add", complaint), {"text": "Read the referral form."})
    assert InvestigationNote.objects.filter(complaint=complaint).count() == 2


def test_a_note_on_a_closed_complaint_is_refused_and_kept():
    complaint = complaint_investigating()
    services.complaint_withdraw(complaint=complaint, reasons="Withdrawn by telephone.",
                                acting_user=complaint.owner)

    response = browser_for(complaint.owner).post(url("complaint-note-add", complaint), {"text": "Too late."})

    assert "Only a complaint being investigated can be changed" in error_summary(response)
    assert field_value(response, "text") == "Too late."
    assert not InvestigationNote.objects.exists()


# Documents -------------------------------------------------------------------------------------------


def test_a_document_is_added_and_downloaded():
    complaint = complaint_investigating()
    client = browser_for(complaint.investigator)
    upload = SimpleUploadedFile("school record.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                                "application/pdf")

    response = client.post(url("complaint-document-add", complaint),
                           {"description": "The school's record of the meeting", "file": upload}, follow=True)

    assert "Document added: The school's record of the meeting" in banner(response)
    stored = ComplaintDocument.objects.get(complaint=complaint)
    assert "Download school record.pdf" in words(response)
    download = browser_for(complaint.owner).get(url("complaint-document", complaint, pk=stored.pk))
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_file_that_is_not_what_it_says_is_refused_on_the_file():
    complaint = complaint_investigating()
    disguised = SimpleUploadedFile("record.pdf", b"<script>alert(1)</script>", "application/pdf")

    response = browser_for(complaint.investigator).post(url("complaint-document-add", complaint),
                                                        {"description": "A record", "file": disguised})

    soup = BeautifulSoup(response.content, "html5lib")
    assert WRONG_TYPE in soup.select_one(".govuk-form-group--error").get_text()
    assert WRONG_TYPE in error_summary(response)
    assert field_value(response, "description") == "A record"
    assert not ComplaintDocument.objects.exists()


# Points and findings -----------------------------------------------------------------------------------


def test_points_are_numbered_in_order():
    complaint = complaint_investigating(points=())
    client = browser_for(complaint.owner)

    client.post(url("complaint-point-add", complaint), {"summary": "Nobody told the family."}, follow=True)
    response = client.post(url("complaint-point-add", complaint), {"summary": "The record is wrong."},
                           follow=True)

    assert "Point 2 added." in banner(response)
    assert list(complaint.points.values_list("number", "summary")) == [
        (1, "Nobody told the family."), (2, "The record is wrong.")]


def test_the_investigating_officer_records_a_finding_with_reasons():
    complaint = complaint_investigating()
    client = browser_for(complaint.investigator)

    missing = client.post(url("complaint-finding", complaint, number=1), {"finding": "upheld", "reasons": ""})
    assert "Enter the reasons for the finding" in error_summary(missing)
    response = client.post(url("complaint-finding", complaint, number=1), {
        "finding": "upheld", "reasons": "The school did not call the family."}, follow=True)

    assert "Finding on point 1 recorded: upheld." in banner(response)
    point = complaint.points.get()
    assert (point.finding, point.found_by) == ("upheld", complaint.investigator)
    assert "The school did not call the family." in words(response)


def test_only_the_investigating_officer_records_findings():
    complaint = complaint_investigating()
    client = browser_for(complaint.owner)

    page = client.get(url("complaint-finding", complaint, number=1))
    assert (f"Only the complaint's investigating officer, {complaint.investigator.full_name}, records "
            "findings") in words(page)
    assert not BeautifulSoup(page.content, "html5lib").find("textarea")
    assert "Record the finding" not in words(client.get(url("complaint", complaint)))

    response = client.post(url("complaint-finding", complaint, number=1),
                           {"finding": "not_upheld", "reasons": "I would rather decide."})

    assert "Only the complaint's investigating officer records findings" in error_summary(response)
    assert complaint.points.get().finding == ""


def test_an_investigating_officer_who_became_involved_cannot_record_findings():
    case = ChannelCaseFactory()
    complaint = complaint_investigating()
    services.complaint_link(complaint=complaint, reference=case.reference, acting_user=complaint.owner)
    team_member_add(case, complaint.investigator)

    response = browser_for(complaint.investigator).post(url("complaint-finding", complaint, number=1),
                                                        {"finding": "not_upheld", "reasons": "All was well."})

    assert (f"You were involved in {case.reference}, which the complaint is about: the complaint needs "
            "another investigating officer") in error_summary(response)
    assert complaint.points.get().finding == ""


def test_remedy_and_lessons_are_saved():
    complaint = complaint_found()

    response = browser_for(complaint.investigator).post(url("complaint-conclusions", complaint), {
        "remedy": "A written apology and a meeting.", "lessons_learnt": "Speak to the family first."},
        follow=True)

    assert "Remedy and lessons learnt saved." in banner(response)
    complaint.refresh_from_db()
    assert complaint.remedy == "A written apology and a meeting."
    assert complaint.lessons_learnt == "Speak to the family first."


# The response ----------------------------------------------------------------------------------------


def test_the_response_waits_for_a_finding_on_every_point():
    complaint = complaint_investigating()
    client = browser_for(complaint.owner)

    page = client.get(url("complaint-response", complaint))

    assert "Every point of complaint needs a finding first." in words(page)
    assert not BeautifulSoup(page.content, "html5lib").find("textarea")
    assert "Send the response: not yet. Every point of complaint needs a finding first." in words(
        client.get(url("complaint", complaint)))
    refused = client.post(url("complaint-response", complaint),
                          {"subject": "Our response", "body": "Dear Pat"})
    assert "Every point of complaint needs a finding first" in error_summary(refused)
    complaint.refresh_from_db()
    assert complaint.status == Status.INVESTIGATING


def test_the_response_always_says_how_to_escalate_whatever_the_wording_and_the_officer_left_out():
    complaint = complaint_found(finding="upheld")
    by = complaint.owner
    template = LetterTemplate.objects.get(kind=LetterKind.RESPONSE)
    services.letter_template_update(template=template, subject="Our response $reference",
                                    body="Dear $complainant_name\n\n$findings", acting_user=by)
    client = browser_for(by)

    page = client.get(url("complaint-response", complaint))
    body = field_value(page, "body")
    assert "We should have spoken to the family." in body
    assert LGSCO not in body  # it is not in the box to be deleted...
    assert LGSCO in words(page) and STACU in words(page)  # ...it is shown, fixed, under it

    response = client.post(url("complaint-response", complaint), {
        "subject": field_value(page, "subject"), "body": "Dear Pat\n\nUpheld."}, follow=True)

    assert "Response sent and the complaint closed." in banner(response)
    letter = complaint.letters.get(kind=LetterKind.RESPONSE)
    assert LGSCO in letter.body and STACU in letter.body
    assert letter.body.startswith("Dear Pat\n\nUpheld.")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome) == (Status.RESPONDED, "upheld")
    # The letter's own page is the letter, to print: the service's pages are hidden in print.
    text = words(response)
    assert LGSCO in text and "Upheld." in text
    assert "govuk-!-display-none-print" in str(BeautifulSoup(response.content, "html5lib").find(
        class_="govuk-breadcrumbs"))


def test_the_response_drafted_states_the_outcome_the_findings_give():
    complaint = complaint_found(points=("First", "Second"), finding="not_upheld")

    page = browser_for(complaint.owner).get(url("complaint-response", complaint))

    assert "Overall, your complaint is not upheld." in field_value(page, "body")
    assert "First Not upheld" in words(page)


def test_a_response_sent_twice_is_sent_once():
    complaint = complaint_found()
    client = browser_for(complaint.owner)
    sent = {"subject": "Our response", "body": "Dear Pat"}

    client.post(url("complaint-response", complaint), sent)
    again = client.post(url("complaint-response", complaint), sent)

    assert "Only a complaint being investigated gets a response" in error_summary(again)
    assert complaint.letters.filter(kind=LetterKind.RESPONSE).count() == 1
