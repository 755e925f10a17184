"""The steps off the booking page: evidence, appeals, cancelling and
letters, with the audit trail each leaves and what hostile input gets."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from prevent_hub.audit.models import AuditAction
from prevent_hub.venues import services
from prevent_hub.venues.models import AppealOutcome, BookingStatus, CheckEvidence, Letter

from .factories import NOTES, appealed, check_with_evidence, checklist_completed, clause, officer
from .test_booking_pages import LEAD, OFFICER, booking, error_summary, reads, room, url, words

pytestmark = pytest.mark.django_db

__all__ = ["booking", "room"]  # fixtures, used by name

LINE = "booker-public_statements"


# Evidence ------------------------------------------------------------------------------------------


def test_evidence_is_a_link_or_a_file_kept_with_the_check_and_downloads_are_recorded(staff_client, booking):
    client = staff_client(OFFICER)
    assert client.post(url("venues:booking-check", booking, line=LINE),
                       {"outcome": "concerns", "notes": NOTES}).status_code == 302

    linked = {"description": "Their statement of 3 March", "link": "https://example.org/statement"}
    assert client.post(url("venues:booking-evidence-add", booking, line=LINE), linked).status_code == 302
    upload = SimpleUploadedFile("saved copy.pdf", b"%PDF-1.4 fictional", content_type="application/pdf")
    assert client.post(url("venues:booking-evidence-add", booking, line=LINE),
                       {"description": "A saved copy", "file": upload}).status_code == 302

    page = BeautifulSoup(client.get(url("venues:booking", booking)).content, "html5lib")
    link = page.find("a", href="https://example.org/statement")
    assert link["rel"] == ["noopener", "noreferrer"] and link.get_text() == "https://example.org/statement"
    stored = CheckEvidence.objects.get(description="A saved copy")
    download = client.get(url("venues:booking-evidence-file", booking, pk=stored.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert 'filename="saved copy.pdf"' in download["Content-Disposition"]
    assert reads(booking, AuditAction.DOWNLOAD).filter(details__evidence=stored.pk).exists()
    flyer = booking.promotion_files.get()
    assert client.get(url("venues:booking-promotion-file", booking, pk=flyer.pk)).status_code == 200
    assert reads(booking, AuditAction.DOWNLOAD).filter(details__promotion_file=flyer.pk).exists()
    assert client.get(url("venues:booking-evidence-file", booking, pk=999999)).status_code == 404


@pytest.mark.parametrize(("posted", "field_error"), [
    ({"description": "A link", "link": "javascript:alert(1)"}, "Enter a link starting http:// or https://"),
    ({"description": "A link", "link": "ftp://example.org/file"}, "Enter a link starting http:// or https://"),
    ({"description": "A link", "link": "data:text/html,<b>x</b>"}, "Enter a link starting http:// or https://"),
    ({"description": "Nothing"}, "Enter a link or choose a file"),
    ({"link": "https://example.org"}, "Describe the evidence"),
    ({"description": "x" * 501, "link": "https://example.org"}, "The description must be 500 characters"),
    ({"description": "A link", "link": "https://example.org/" + "a" * 1000}, "The link must be 1,000"),
])
def test_bad_evidence_is_refused_with_a_reason_and_nothing_kept(staff_client, booking, posted, field_error):
    client = staff_client(OFFICER)
    check_with_evidence(booking, acting_user=client.user)
    before = CheckEvidence.objects.count()

    response = client.post(url("venues:booking-evidence-add", booking, line=LINE), posted)

    assert response.status_code == 200
    assert field_error in error_summary(response)
    assert CheckEvidence.objects.count() == before


def test_a_file_that_is_not_a_document_is_refused_on_the_file(staff_client, booking):
    client = staff_client(OFFICER)
    check_with_evidence(booking, acting_user=client.user)
    upload = SimpleUploadedFile("page.html", b"<script>alert(1)</script>", content_type="application/pdf")

    response = client.post(url("venues:booking-evidence-add", booking, line=LINE),
                           {"description": "A web page", "file": upload})

    assert "The selected file must be a PDF" in error_summary(response)
    summary = BeautifulSoup(response.content, "html5lib").find(class_="govuk-error-summary")
    assert summary.find("a")["href"] == "#id_file"
    assert 'value="A web page"' in response.content.decode()


def test_evidence_waits_for_the_check_to_be_recorded(staff_client, booking):
    client = staff_client(OFFICER)
    response = client.get(url("venues:booking-evidence-add", booking, line=LINE))
    assert response.status_code == 302
    assert response["Location"] == url("venues:booking-check", booking, line=LINE)


# Appeals -------------------------------------------------------------------------------------------


def test_the_decider_is_told_someone_else_must_decide_the_appeal_and_is_refused(staff_client, booking):
    decider = staff_client(OFFICER)
    appeal = appealed(booking, decided_by=decider.user)
    appeal_url = url("venues:booking-appeal-decide", booking, pk=appeal.pk)

    page = decider.get(appeal_url)
    assert "Someone else must decide this appeal" in words(page)
    assert not BeautifulSoup(page.content, "html5lib").find("form", method="post", action=appeal_url)
    booking_page = words(decider.get(url("venues:booking", booking)))
    assert "Someone else must decide this appeal: you made the decision it is against" in booking_page
    assert appeal_url not in decider.get(url("venues:booking", booking)).content.decode()

    refused = decider.post(appeal_url, {"outcome": "upheld", "reasons": "My own decision was wrong"})
    assert refused.status_code == 200
    assert "someone else must decide the appeal" in error_summary(refused)
    appeal.refresh_from_db()
    assert appeal.decided_at is None
    with pytest.raises(ValidationError, match="someone else"):
        services.appeal_decide(appeal=appeal, outcome="upheld", reasons="x", acting_user=decider.user)


def test_someone_else_decides_the_appeal(staff_client, booking):
    appeal = appealed(booking, decided_by=officer())
    lead = staff_client(LEAD, full_name="Robin Example-Lead")
    appeal_url = url("venues:booking-appeal-decide", booking, pk=appeal.pk)
    assert appeal_url in lead.get(url("venues:booking", booking)).content.decode()
    page = words(lead.get(appeal_url))
    assert "We are a small group and cannot find stewards" in page and "Two stewards at the door" in page

    response = lead.post(appeal_url, {"outcome": "upheld", "reasons": "A small, ticketed event"})

    assert response.status_code == 302
    booking.refresh_from_db()
    appeal.refresh_from_db()
    assert booking.status == BookingStatus.APPEAL_UPHELD and appeal.outcome == AppealOutcome.UPHELD
    page = words(lead.get(url("venues:booking", booking)))
    assert "Upheld by Robin Example-Lead" in page and "A small, ticketed event" in page
    again = lead.post(appeal_url, {"outcome": "dismissed", "reasons": "Second thoughts"})
    assert "This appeal has already been decided" in error_summary(again)


# Cancelling ----------------------------------------------------------------------------------------


def test_cancelling_asks_if_you_are_sure_needs_reasons_and_happens_once(staff_client, booking):
    client = staff_client(OFFICER, full_name="Casey Example-Officer")
    cancel_url = url("venues:booking-cancel", booking)
    assert "Are you sure you want to cancel" in words(client.get(cancel_url))
    assert "Enter the reasons for cancelling" in error_summary(client.post(cancel_url, {"reason": "  "}))

    assert client.post(cancel_url, {"reason": "The venue's roof is being repaired"}).status_code == 302

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    page = words(client.get(url("venues:booking", booking)))
    assert "Cancelled by the council" in page and "The venue's roof is being repaired" in page
    assert "by Casey Example-Officer" in page
    again = client.post(cancel_url, {"reason": "Twice"})
    assert "already been withdrawn or cancelled" in error_summary(again)
    assert booking.__class__.objects.get(pk=booking.pk).end_reason == "The venue's roof is being repaired"


# Letters -------------------------------------------------------------------------------------------


def test_a_letter_is_filled_in_edited_sent_kept_and_printable(
        staff_client, booking, django_capture_on_commit_callbacks):
    client = staff_client(OFFICER, full_name="Casey Example-Officer")
    checklist_completed(booking, acting_user=client.user)
    services.booking_decide(booking=booking, outcome="refuse", reasons="The fictional reasons",
                            clause=clause(booking), acting_user=client.user)

    chooser = BeautifulSoup(client.get(url("venues:booking-letter-new", booking)).content, "html5lib")
    assert chooser.find("input", value="refusal").has_attr("checked")
    chosen = client.get(url("venues:booking-letter-new", booking), {"kind": "refusal"})
    write_url = url("venues:booking-letter-write", booking, kind="refusal")
    assert chosen["Location"] == write_url
    body = BeautifulSoup(client.get(write_url).content, "html5lib").find("textarea", attrs={"name": "body"})
    assert "The fictional reasons" in body.get_text() and "Casey Example-Officer" in body.get_text()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(write_url, {"subject": f"Your booking {booking.reference}",
                                           "body": body.get_text() + "\nWith an added line <b>bold</b>."})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["alex.booker@example.org"]
    assert "With an added line <b>bold</b>." in mail.outbox[-1].body
    letter = Letter.objects.get()
    printable = client.get(response["Location"])
    assert "With an added line &lt;b&gt;bold&lt;/b&gt;." in printable.content.decode()
    assert reads(booking).exists()
    assert url("venues:booking-letter", booking, pk=letter.pk) in client.get(
        url("venues:booking", booking)).content.decode()
    assert client.get(url("venues:booking-letter-write", booking, kind="threat")).status_code == 404


def test_a_letter_with_nothing_in_it_is_refused(staff_client, booking):
    client = staff_client(OFFICER)
    response = client.post(url("venues:booking-letter-write", booking, kind="approval"),
                           {"subject": "", "body": "x" * 20001})
    summary = error_summary(response)
    assert "Enter the letter's subject" in summary and "Letter must be 20,000 characters or fewer" in summary
    assert not Letter.objects.exists()


# Hostile input ------------------------------------------------------------------------------------


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_what_anyone_typed_is_shown_as_text(staff_client, room):
    from .factories import booking_with_flyer

    client = staff_client(OFFICER)
    booking = booking_with_flyer(room, key="hostile", title=SCRIPT, agenda=SCRIPT, booker_other_names=SCRIPT,
                                 website="javascript:alert(1)", speakers=[
                                     {"name": SCRIPT, "organisation": SCRIPT, "topic": SCRIPT}])
    client.post(url("venues:booking-check", booking, line=LINE), {"outcome": "concerns", "notes": SCRIPT})
    client.post(url("venues:booking-escalate", booking), {"reason": SCRIPT})

    html = client.get(url("venues:booking", booking)).content.decode()

    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html


@pytest.mark.parametrize(("name", "posted", "message"), [
    ("venues:booking-check", {"outcome": "banana", "notes": NOTES}, "Select what the check found"),
    ("venues:booking-check", {"outcome": "concerns", "notes": "   "}, "Enter what you checked and what"),
    ("venues:booking-check", {"outcome": "concerns", "notes": "x" * 5001}, "must be 5,000 characters"),
    ("venues:booking-escalate", {"reason": ""}, "Enter why you are escalating this booking"),
    ("venues:booking-escalate", {"reason": "x" * 5001}, "must be 5,000 characters or fewer"),
    ("venues:booking-decide", {"outcome": ["approve", "refuse"], "reasons": "x"}, "Select the clause"),
    ("venues:booking-decide", {"outcome": "delete", "reasons": "x"}, "Select the decision"),
    ("venues:booking-decide", {"outcome": "approve", "reasons": "x" * 10001}, "10,000 characters or fewer"),
    ("venues:booking-decide", {"outcome": "approve", "reasons": "Fine", "conditions": "Stewards",
                               "clause": "none"}, "Conditions are set only when approving with conditions"),
    ("venues:booking-decide", {"outcome": "approve_with_conditions", "reasons": "Fine", "clause": "none"},
     "Enter at least one condition"),
    ("venues:booking-cancel", {"reason": "x" * 2001}, "must be 2,000 characters or fewer"),
])
def test_bad_input_is_refused_with_a_reason_and_changes_nothing(staff_client, booking, name, posted, message):
    client = staff_client(OFFICER)
    kwargs = {"line": LINE} if name == "venues:booking-check" else {}
    status = booking.status

    response = client.post(url(name, booking, **kwargs), posted)

    assert response.status_code == 200
    assert message in error_summary(response)
    booking.refresh_from_db()
    assert booking.status == status and not booking.checks.exists() and not booking.decisions.exists()


def test_advice_is_given_once_and_is_text(staff_client, booking):
    lead = staff_client(LEAD)
    escalation = services.booking_escalate(booking=booking, reason="Fictional reason", acting_user=officer())
    advise_url = url("venues:booking-advise", booking, pk=escalation.pk)
    assert "Enter your advice" in error_summary(lead.post(advise_url, {"advice": ""}))
    assert lead.post(advise_url, {"advice": SCRIPT}).status_code == 302
    assert "Advice has already been given" in error_summary(lead.post(advise_url, {"advice": "More"}))
    assert "&lt;script&gt;" in lead.get(url("venues:booking", booking)).content.decode()
    assert lead.get(url("venues:booking-advise", booking, pk=999999)).status_code == 404


# The audit trail ----------------------------------------------------------------------------------


def test_every_page_and_change_is_in_the_audit_trail(staff_client, booking):
    client = staff_client(OFFICER)
    for name, kwargs in (("venues:booking", {}), ("venues:booking-decide", {}), ("venues:booking-cancel", {}),
                         ("venues:booking-check", {"line": LINE}), ("venues:booking-letter-new", {})):
        before = reads(booking).count()
        assert client.get(url(name, booking, **kwargs)).status_code == 200
        assert reads(booking).count() == before + 1, name
    client.post(url("venues:booking-check", booking, line=LINE), {"outcome": "concerns", "notes": NOTES})
    changed = reads(booking, AuditAction.UPDATE).filter(details__step="check recorded")
    assert changed.count() == 1
    assert NOTES not in str(changed.get().details)


def test_evidence_is_not_offered_once_the_booking_is_decided(staff_client, booking):
    client = staff_client(OFFICER)
    check_with_evidence(booking, acting_user=client.user)
    checklist_completed(booking, acting_user=client.user)
    services.booking_decide(booking=booking, outcome="approve", reasons="Fine", acting_user=client.user)
    evidence_url = url("venues:booking-evidence-add", booking, line=LINE)

    assert client.get(evidence_url)["Location"] == url("venues:booking-check", booking, line=LINE)
    refused = client.post(evidence_url, {"description": "Late", "link": "https://example.org/late"})
    assert "Evidence is added before the decision (this booking is approved)" in error_summary(refused)
    check_page = words(client.get(url("venues:booking-check", booking, line=LINE)))
    assert "Add evidence" not in check_page and "Checks are recorded before the decision" in check_page
