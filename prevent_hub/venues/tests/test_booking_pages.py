"""The officer's booking page and its steps, as a venue booking officer and
the Prevent lead use them: ASK → CHECK → DECIDE, escalation and advice,
changes and re-approval, and who may see any of it."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.venues import selectors, services
from prevent_hub.venues.models import BookingStatus, VenueBooking

from .factories import (
    NOTES,
    appealed,
    booking_with_flyer,
    check_with_evidence,
    checklist_completed,
    checklist_lines,
    clause,
    officer,
    prevent_lead,
    venue_with_room,
)

pytestmark = pytest.mark.django_db

OFFICER, LEAD = Role.VENUE_BOOKING_OFFICER, Role.PREVENT_COORDINATOR
NEVER = ("Prevent Hub never searches, scrapes or scores anyone's online presence. Every check here is what "
         "an officer looked at and wrote down.")
STEPS = ("venues:booking", "venues:booking-decide", "venues:booking-escalate", "venues:booking-cancel",
         "venues:booking-letter-new")


@pytest.fixture
def room():
    return venue_with_room(acting_user=officer())[1]


@pytest.fixture
def booking(room):
    return booking_with_flyer(room, key="pages-1")


def url(name, booking, **kwargs):
    return reverse(name, kwargs={"reference": booking.reference, **kwargs})


def words(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html5lib").get_text(" ").split())


def error_summary(response) -> str:
    summary = BeautifulSoup(response.content, "html5lib").find(class_="govuk-error-summary")
    return " ".join(summary.get_text(" ").split()) if summary else ""


def reads(booking, action=AuditAction.VIEW):
    return AuditEvent.objects.filter(object_type="venues.venuebooking", object_id=str(booking.pk),
                                     action=action)


def record_every_check(client, booking, outcome="no_concerns"):
    for subject, speaker, kind in checklist_lines(booking):
        key = "-".join(str(part) for part in (subject, speaker and speaker.pk, kind) if part)
        response = client.post(url("venues:booking-check", booking, line=key),
                               {"outcome": outcome, "notes": NOTES})
        assert response.status_code == 302, key


# The page -----------------------------------------------------------------------------------


def test_the_officer_sees_ask_check_and_decide_on_one_page(staff_client, booking):
    client = staff_client(OFFICER)

    response = client.get(url("venues:booking", booking))

    assert response.status_code == 200
    text = words(response)
    for shown in ("ASK: what the booker told us", "CHECK: what officers looked at", "DECIDE:", NEVER,
                  "Alex Example-Booker", "Testford Example Reading Circle", "1234567", "Poetry evening",
                  "Sam Example-Poet", "New poems", "Posters in the library", "Download fictional-flyer.pdf",
                  "Version 1 accepted on", "Working days to go: ", "Working days since: ", "Kept until",
                  "10 checks still to record"):
        assert shown in text, shown
    # The booker's website is shown as they typed it, never as a link.
    assert not BeautifulSoup(response.content, "html5lib").find("a", href="https://reading-circle.example.org")
    assert reads(booking).count() == 1


def test_the_prevent_lead_sees_the_page_but_not_the_officers_actions(staff_client, booking):
    client = staff_client(LEAD)

    response = client.get(url("venues:booking", booking))

    assert response.status_code == 200
    assert "Decide the booking" not in words(response)
    assert "Write a letter" not in words(response)
    assert 'action="' + url("venues:booking-advise", booking, pk=0) not in response.content.decode()


@pytest.mark.parametrize("role", sorted(set(Role.values) - {OFFICER, LEAD}))
def test_every_other_role_is_refused_the_booking_and_its_steps(staff_client, booking, role):
    client = staff_client(role)
    for name in STEPS:
        assert client.get(url(name, booking)).status_code == 403, name


def test_a_booking_that_does_not_exist_is_not_found(staff_client):
    officer_client, lead_client = staff_client(OFFICER), staff_client(LEAD)
    missing = VenueBooking(reference="VEN-2026-999999")
    for name in STEPS:
        assert officer_client.get(url(name, missing)).status_code == 404, name
    assert lead_client.get(url("venues:booking", missing)).status_code == 404
    check_url = url("venues:booking-check", missing, line="booker-references")
    assert officer_client.get(check_url).status_code == 404


def test_a_line_the_checklist_does_not_have_is_not_found(staff_client, room):
    client = staff_client(OFFICER)
    booking = booking_with_flyer(room, key="individual", organisation_name="", charity_number="")
    for line in ("organisation-status", "booker-status", "speaker-999999-references", "speaker-x-references",
                 "nobody-references", "booker", "booker-1-references", "<script>"):
        assert client.get(url("venues:booking-check", booking, line=line)).status_code == 404, line


def test_the_page_takes_the_same_queries_for_one_speaker_or_six(staff_client, room,
                                                                django_assert_num_queries):
    client = staff_client(OFFICER)
    by, lead = officer(), prevent_lead()

    def through_every_step(booking):
        checklist_completed(booking, acting_user=by)
        check_with_evidence(booking, acting_user=by)
        escalation = services.booking_escalate(booking=booking, reason="Fictional reason", acting_user=by)
        services.escalation_advise(escalation=escalation, advice="Fictional advice", acting_user=lead)
        appealed(booking, decided_by=by)
        services.letter_send(booking=booking, kind="approval_with_conditions", subject="Fictional",
                             body="Fictional letter", acting_user=by)

    one = booking_with_flyer(room, key="one")
    through_every_step(one)
    client.get(url("venues:booking", one))  # session and caches settle
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("venues:booking", one)).status_code == 200

    six = booking_with_flyer(
        room, key="six", starts_at=one.ends_at, ends_at=one.ends_at.replace(hour=one.ends_at.hour + 1),
        speakers=[{"name": f"Fictional Speaker {n}", "organisation": "", "topic": "Poems"} for n in range(6)])
    through_every_step(six)
    with django_assert_num_queries(len(few)):
        response = client.get(url("venues:booking", six))
    assert "Fictional Speaker 5" in words(response)
    # The booking, its speakers, checks, evidence, flyers, escalations,
    # decisions and their conditions, appeals, changes and letters, and the
    # audit's look-up of the reference: one query each, however many there are.
    venues = [query for query in few.captured_queries if '"venues_' in query["sql"]]
    assert len(venues) == 12, "\n".join(query["sql"][:120] for query in venues)


def test_the_page_lists_what_is_missing_in_the_words_of_the_service(room):
    booking = booking_with_flyer(room, key="missing", speakers=[
        {"name": "Sam Example-Poet", "organisation": "", "topic": "Poems"},
        {"name": "Jo Example-Guest", "organisation": "Testford Writers", "topic": "Haiku"}])
    by = officer()
    check_with_evidence(booking, acting_user=by)
    speaker = booking.speakers.get(name="Jo Example-Guest")
    services.check_record(booking=booking, subject="speaker", speaker=speaker, kind="references",
                          outcome="not_applicable", notes=NOTES, acting_user=by)
    assert selectors.booking_page(booking).missing == services.checklist_missing(booking)
    assert len(services.checklist_missing(booking)) == 3 + 4 + 3 + 3 - 2


# CHECK → escalate → advise → DECIDE → change → re-approve ---------------------------------------


def test_an_officer_works_a_booking_through_to_a_decision_and_re_approval(
        staff_client, booking, django_capture_on_commit_callbacks):
    officer_client = staff_client(OFFICER, full_name="Casey Example-Officer")
    lead_client = staff_client(LEAD, full_name="Robin Example-Lead", email="robin.lead@example.org")

    # CHECK: every line in the officer's own words.
    record_every_check(officer_client, booking)
    assert "Every check is recorded." in words(officer_client.get(url("venues:booking", booking)))

    # Escalate: the Prevent lead is emailed the reference and a link, nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(url("venues:booking-escalate", booking),
                                       {"reason": "The speaker's recent talks need a second view"})
    assert response.status_code == 302
    sent = [message for message in mail.outbox if message.to == ["robin.lead@example.org"]]
    assert len(sent) == 1 and booking.reference in sent[0].subject
    assert url("venues:booking", booking) in sent[0].body
    assert "Sam Example-Poet" not in sent[0].body and "second view" not in sent[0].body

    # Advice: a form only the Prevent lead is given, on the booking page.
    page = lead_client.get(url("venues:booking", booking)).content.decode()
    advice_url = url("venues:booking-advise", booking, pk=booking.escalations.get().pk)
    assert f'action="{advice_url}"' in page
    assert f'action="{advice_url}"' not in officer_client.get(url("venues:booking", booking)).content.decode()
    assert officer_client.post(advice_url, {"advice": "Officer advice"}).status_code == 403
    assert lead_client.post(advice_url, {"advice": "Approve with an independent chair"}).status_code == 302
    assert lead_client.post(url("venues:booking-decide", booking), {"outcome": "approve"}).status_code == 403

    # DECIDE with conditions, citing a clause of the version accepted.
    decide_page = words(officer_client.get(url("venues:booking-decide", booking)))
    assert "Approve with an independent chair" in decide_page
    assert "Casey Example-Officer (you)" in decide_page
    response = officer_client.post(url("venues:booking-decide", booking), {
        "outcome": "approve_with_conditions",
        "conditions": "An independent chair\n\nTwo stewards at the door",
        "reasons": "The checks found no concerns; the lead advised a chair",
        "clause": clause(booking, "7").pk})
    assert response.status_code == 302
    page = words(officer_client.get(response["Location"]))
    for shown in ("Decision recorded: approved with conditions, by Casey Example-Officer", "Decided by",
                  "An independent chair", "Two stewards at the door",
                  "7. Conditions and stewarding", "The council may set conditions on an event",
                  "The booker may appeal until"):
        assert shown in page, shown
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED_WITH_CONDITIONS
    assert [c.text for c in booking.decisions.get().conditions.all()] == ["An independent chair",
                                                                          "Two stewards at the door"]

    # The booker changes it (their own pages): back for re-approval, with what changed shown first.
    services.booking_change(booking=booking, details={"agenda": "A new agenda"}, speakers=[
        {"name": "Sam Example-Poet", "organisation": "Testford Writers", "topic": "New poems"},
        {"name": "Jo Example-Guest", "organisation": "", "topic": "Haiku"}])
    page = BeautifulSoup(officer_client.get(url("venues:booking", booking)).content, "html5lib")
    banner = page.find(class_="govuk-notification-banner")
    assert "must be approved again" in banner.get_text()
    assert [th.get_text() for th in banner.select("tbody th")] == ["Agenda", "Speakers"]
    assert "A new agenda" in banner.get_text() and "Jo Example-Guest" in banner.get_text()

    decide_page = officer_client.get(url("venues:booking-decide", booking))
    text = words(decide_page)
    assert text.index("What changed") < text.index("What is your decision?")
    assert "Public statements reviewed for Jo Example-Guest" in text

    # Re-approving before the new speaker is checked is refused, naming what
    # is missing; nothing typed is lost.
    response = officer_client.post(url("venues:booking-decide", booking), {
        "outcome": "approve", "reasons": "The change does not alter our view", "clause": "none"})
    assert response.status_code == 200
    assert "Still to record: Public statements reviewed for Jo Example-Guest" in error_summary(response)
    assert "The change does not alter our view" in response.content.decode()
    record_every_check(officer_client, booking)
    response = officer_client.post(url("venues:booking-decide", booking), {
        "outcome": "approve", "reasons": "The change does not alter our view", "clause": "none"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED
    assert booking.decisions.last().reapproval
    assert "(decided again after a change)" in words(officer_client.get(url("venues:booking", booking)))


def test_a_decision_submitted_twice_is_recorded_once_and_the_second_is_refused(staff_client, booking):
    client = staff_client(OFFICER)
    checklist_completed(booking, acting_user=client.user)
    decision = {"outcome": "approve", "reasons": "No concerns", "clause": "none"}

    assert client.post(url("venues:booking-decide", booking), decision).status_code == 302
    again = client.post(url("venues:booking-decide", booking), decision)

    assert again.status_code == 200
    assert ("Only a booking awaiting a decision can be decided (this booking is approved)"
            in error_summary(again))
    assert booking.decisions.count() == 1
    page = words(client.get(url("venues:booking-decide", booking)))
    assert "This booking is not waiting for a decision" in page


def test_a_refusal_needs_a_clause_of_the_version_the_booker_accepted(staff_client, booking):
    client = staff_client(OFFICER)
    checklist_completed(booking, acting_user=client.user)
    services.conditions_publish(introduction="", clauses=[("1", "Only clause", "Fictional text")],
                                change_summary="Fictional", acting_user=client.user)
    newer = booking.conditions.__class__.objects.get(version=2).clauses.get()

    for clause_value, message in (("", "Select the clause of the booking conditions"),
                                  ("none", "Select the clause of the booking conditions"),
                                  (newer.pk, "Select the clause of the booking conditions the decision"),
                                  ("abc", "Select the clause of the booking conditions")):
        response = client.post(url("venues:booking-decide", booking),
                               {"outcome": "refuse", "reasons": "Fictional reasons", "clause": clause_value})
        assert response.status_code == 200 and message in error_summary(response), clause_value
    assert booking.decisions.count() == 0
    assert f"3. {clause(booking).heading}" in words(client.get(url("venues:booking-decide", booking)))
    assert "Only clause" not in words(client.get(url("venues:booking-decide", booking)))
