"""The complaint page as the complaints officer and the investigating officer
see it: what the complainant said (adjustments first), the clocks, consent,
the investigation and letters; who may see it and do what; that every page
records who looked; and that the page costs the same queries however much
the complaint holds."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.complaints import services, tasks
from prevent_hub.complaints.models import Complaint, ReminderKind
from prevent_hub.core.working_days import WorkingCalendar
from tests.test_url_role_matrix import walk

from .factories import (
    complaint_found,
    complaint_investigating,
    complaint_received,
    complaint_responded,
    document_added,
    investigator,
    letter_sent,
    officer,
)
from .page_helpers import browser_for, url, views_of, words

pytestmark = pytest.mark.django_db

# Every page of one complaint, as (URL name, extra kwargs).
PAGES = [
    ("complaint", {}), ("complaint-triage", {}), ("complaint-link", {}), ("complaint-unlink", {}),
    ("complaint-consent", {}), ("complaint-acknowledge", {}), ("complaint-pass-on", {}),
    ("complaint-share-with-stacu", {}), ("complaint-signpost", {}), ("complaint-extend", {}),
    ("complaint-withdraw", {}), ("complaint-investigator", {}), ("complaint-note-add", {}),
    ("complaint-document-add", {}), ("complaint-point-add", {}), ("complaint-finding", {"number": 1}),
    ("complaint-conclusions", {}), ("complaint-response", {}),
]
# What only complaints officers do: triage, sharing, letters, closing.
OFFICERS_ONLY = ["complaint-triage", "complaint-link", "complaint-unlink", "complaint-consent",
                 "complaint-acknowledge", "complaint-pass-on", "complaint-share-with-stacu",
                 "complaint-signpost", "complaint-extend", "complaint-withdraw", "complaint-investigator",
                 "complaint-response"]
INVESTIGATION = ["complaint-note-add", "complaint-document-add", "complaint-point-add",
                 "complaint-conclusions"]


def heading_positions(response, *texts):
    text = words(response)
    return [text.index(wanted) for wanted in texts]


# What the page shows ---------------------------------------------------------------------


def test_the_officer_sees_what_the_complainant_said_the_clocks_and_what_to_do_next():
    complaint = complaint_received(
        adjustments="Please write in large print; I use a screen reader.", contact_preference="post",
        address="1 Fictional Road, Testford")
    client = browser_for(officer())

    response = client.get(url("complaint", complaint))

    assert response.status_code == 200
    text = words(response)
    for shown in ("Pat Example-Parent", "Parent or carer of the person affected", "Sam Example-Child",
                  "The school referred my son to Prevent without speaking to us first.",
                  "Testford Example Academy", "An explanation and an apology.",
                  "Received: awaiting triage", "Acknowledge by", "Respond by", "working days left",
                  "To pass it to the organisation Given", "To send it to StaCU Refused",
                  "Kept until Set when the complaint is closed", "Triage the complaint",
                  "Acknowledge the complaint", "Not linked", "Not chosen yet", "No notes.",
                  "No letters sent."):
        assert shown in text, shown
    # Reasonable adjustments come before anything else about the complaint.
    banner, deadlines = heading_positions(response, "Reasonable adjustments", "Deadlines")
    assert banner < deadlines
    assert "Please write in large print; I use a screen reader. Contact by post." in text


def test_without_adjustments_there_is_no_banner_for_them():
    response = browser_for(officer()).get(url("complaint", complaint_received()))

    assert not BeautifulSoup(response.content, "html5lib").find(id="adjustments")
    assert "Reasonable adjustments None asked for" in words(response)


def test_the_investigation_the_notes_newest_last_documents_and_letters_are_on_the_page():
    complaint = complaint_found(points=("Nobody told us", "The record is wrong"))
    by = complaint.owner
    services.note_add(complaint=complaint, text="First: spoke to the school.", acting_user=by)
    services.note_add(complaint=complaint, text="Second: read the referral.",
                      acting_user=complaint.investigator)
    document_added(complaint)
    letter_sent(complaint)
    services.conclusions_record(complaint=complaint, remedy="A fictional apology.",
                                lessons_learnt="Speak to families first.", acting_user=complaint.investigator)

    text = words(browser_for(by).get(url("complaint", complaint)))

    for shown in ("Point 1", "Nobody told us", "Point 2", "The record is wrong", "Partly upheld",
                  "We should have spoken to the family.", complaint.investigator.full_name,
                  "Download fictional-meeting-record.pdf", "The school's record", "A fictional apology.",
                  "Speak to families first.", "Your complaint", "Emailed"):
        assert shown in text, shown
    assert text.index("First: spoke to the school.") < text.index("Second: read the referral.")
    assert f"{by.full_name}, " in text


def test_a_closed_complaint_says_when_it_is_kept_until_and_offers_nothing_more():
    complaint = complaint_responded()
    response = browser_for(complaint.owner).get(url("complaint", complaint))

    text = words(response)
    assert "Responded" in text
    assert f"Kept until {complaint.retain_until:%-d %B %Y}, then deleted" in text
    # Only StaCU may still be sent it, once the complainant agrees.
    assert "Record sending it to StaCU (only once the complainant has agreed)" in text
    for step in ("Triage the complaint", "Add a note", "Give more time", "Send the response", "withdrew"):
        assert step not in text, step
    assert f"Answered on {complaint.responded_on:%-d %B %Y}" in text


# The clocks ---------------------------------------------------------------------------------


def _working_days_back(days):
    calendar = WorkingCalendar.load()
    return calendar.nth_working_day_back(timezone.localdate(), days + 1)


def test_an_unanswered_complaint_past_its_dates_is_tagged_overdue_with_how_long():
    complaint = complaint_received(received_on=_working_days_back(25))

    text = words(browser_for(officer()).get(url("complaint", complaint)))

    assert "Overdue" in text
    assert "Overdue by 22 working days" in text  # acknowledge by: 3 working days after receipt
    assert "Overdue by 5 working days" in text  # respond by: 20


def test_a_deadline_within_the_reminder_days_is_due_soon_exactly_when_the_reminder_says_so():
    today = timezone.localdate()
    for back in range(14, 22):
        complaint = complaint_received(received_on=_working_days_back(back))
        services.complaint_acknowledge(complaint=complaint, subject="Received", body="Dear Pat",
                                       acting_user=officer())
        complaint.refresh_from_db()
        reminded = {kind for found, kind, _ in tasks.reminders_due(today) if found.pk == complaint.pk}

        text = words(browser_for(officer()).get(url("complaint", complaint)))

        assert ("Due soon" in text) == (ReminderKind.RESPOND_DUE in reminded), back
        assert ("Overdue" in text) == (ReminderKind.RESPOND_OVERDUE in reminded), back


def test_the_overdue_tag_follows_the_dashboards_rule():
    today = timezone.localdate()
    late = complaint_received(received_on=_working_days_back(25))
    fresh = complaint_received(complainant_name="Another Example")
    client = browser_for(officer())
    from prevent_hub.complaints.selectors import overdue

    counted = set(Complaint.objects.filter(overdue(today)).values_list("pk", flat=True))
    for complaint in (late, fresh):
        shown = "Overdue" in words(client.get(url("complaint", complaint)))
        assert shown == (complaint.pk in counted)


def test_an_extended_complaint_shows_the_new_date_and_the_first():
    complaint = complaint_investigating()
    calendar = WorkingCalendar.load()
    new_date = calendar.add_working_days(max(complaint.respond_by, timezone.localdate()), 10)
    services.complaint_extend(complaint=complaint, new_date=new_date, reason="A fictional witness is away.",
                              subject="More time", body="Dear Pat", acting_user=complaint.owner)

    text = words(browser_for(complaint.owner).get(url("complaint", complaint)))

    assert f"Respond by (extended) {new_date:%-d %B %Y}" in text
    assert f"First due by {complaint.respond_by:%-d %B %Y}" in text
    assert "A fictional witness is away." in text


# Who sees what ---------------------------------------------------------------------------------


def test_the_investigating_officer_sees_their_complaint_and_only_what_they_can_act_on():
    mine = complaint_investigating()
    client = browser_for(mine.investigator)

    response = client.get(url("complaint", mine))

    assert response.status_code == 200
    text = words(response)
    for offered in ("Add a note", "Add a document", "Add a point of complaint", "Record the finding",
                    "Record the remedy and lessons learnt"):
        assert offered in text, offered
    for not_theirs in ("Triage the complaint", "Acknowledge the complaint", "Give more time to respond",
                       "Send the response", "Choose the investigating officer",
                       "Record that the complainant withdrew it", "Change the investigating officer"):
        assert not_theirs not in text, not_theirs


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_an_investigating_officer_never_finds_a_complaint_that_is_not_theirs(name, kwargs):
    someone_elses = complaint_investigating()
    client = browser_for(investigator())

    status = client.get(url(name, someone_elses, **kwargs)).status_code

    # Triage and responding are refused before any look-up; the rest look
    # the complaint up through what they may see, and find nothing.
    assert status == (403 if name in OFFICERS_ONLY else 404)


@pytest.mark.parametrize("name", OFFICERS_ONLY)
def test_an_investigating_officer_is_refused_the_complaints_officers_steps_on_their_own(name):
    mine = complaint_investigating()
    client = browser_for(mine.investigator)

    assert client.get(url(name, mine)).status_code == 403
    assert client.post(url(name, mine), {"scope": "policy"}).status_code == 403
    mine.refresh_from_db()
    assert mine.scope == "application_of_duty_by_us"


def test_other_roles_see_no_complaint():
    complaint = complaint_received()
    from prevent_hub.accounts.tests.factories import UserFactory

    for role in (Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR, Role.AUDITOR, Role.DATA_PROTECTION_OFFICER):
        client = browser_for(UserFactory(roles=[role]))
        assert client.get(url("complaint", complaint)).status_code == 403, role


@pytest.mark.parametrize("reference", ["CMP-2026-999999", "..%2F..%2Fetc%2Fpasswd", "CMP-2026-000001%00",
                                       "cmp-2026-000001 OR 1=1", "%2e%2e"])
def test_a_reference_that_names_no_complaint_is_not_found(reference):
    complaint_received()
    client = browser_for(officer())

    assert client.get(f"/staff/complaints/{reference}/").status_code == 404


def test_a_point_or_document_or_letter_of_another_complaint_is_not_found():
    mine, other = complaint_investigating(), complaint_investigating()
    document, sent = document_added(other), letter_sent(other)
    client = browser_for(mine.owner)

    assert client.get(url("complaint-document", mine, pk=document.pk)).status_code == 404
    assert client.get(url("complaint-letter", mine, pk=sent.pk)).status_code == 404
    assert client.get(url("complaint-finding", mine, number=9)).status_code == 404


# Audit -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_every_page_of_a_complaint_records_that_it_was_viewed(name, kwargs):
    complaint = complaint_investigating()
    client = browser_for(complaint.owner)
    before = views_of(complaint).count()

    response = client.get(url(name, complaint, **kwargs))

    assert response.status_code == 200
    assert views_of(complaint).count() == before + 1
    assert views_of(complaint).latest("sequence").actor == complaint.owner


def test_the_letter_and_the_document_record_their_reading():
    complaint = complaint_investigating()
    sent, stored = letter_sent(complaint), document_added(complaint)
    client = browser_for(complaint.investigator)

    assert client.get(url("complaint-letter", complaint, pk=sent.pk)).status_code == 200
    assert views_of(complaint).count() == 1
    download = client.get(url("complaint-document", complaint, pk=stored.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    from prevent_hub.audit.models import AuditAction, AuditEvent

    event = AuditEvent.objects.get(object_type="complaints.complaint", object_id=str(complaint.pk),
                                   action=AuditAction.DOWNLOAD)
    assert event.actor == complaint.investigator
    assert event.details["document"] == stored.pk


# Cost -----------------------------------------------------------------------------------------

# The page's queries: every staff page's session, user, second factor and
# roles (4); the complaint with the people named on it (1); its sharings,
# points, notes, documents, extensions and letters (6); its two overdue
# flags and the bank holidays (2); the view event (4 on SQLite, which seals
# it at once; PostgreSQL inserts it, a sealer chains it later) and the audit middleware's look-up
# of the complaint the URL names (1); the session saved (3).
PAGE_QUERIES = {"sqlite": 22, "postgresql": 19}


def _grown(complaint, times):
    by = complaint.owner
    for number in range(times):
        services.note_add(complaint=complaint, text=f"Note {number}", acting_user=by)
        services.point_add(complaint=complaint, summary=f"Point {number}", acting_user=by)
        document_added(complaint)
        services.complaint_extend(
            complaint=complaint, new_date=WorkingCalendar.load().add_working_days(
                max(Complaint.objects.get(pk=complaint.pk).response_due, timezone.localdate()), 1),
            reason="More", subject="More time", body="Dear Pat", acting_user=by)
    return complaint


def _queries(client, complaint):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url("complaint", complaint)).status_code == 200
    return len(captured)


def test_the_page_takes_the_same_queries_for_one_note_or_six():
    small, large = _grown(complaint_investigating(), 1), _grown(complaint_investigating(), 6)
    client = browser_for(officer())
    _queries(client, small)  # the first request of a session reads more (the device, the roles)

    assert _queries(client, small) == _queries(client, large)
    assert _queries(client, large) == PAGE_QUERIES[connection.vendor]


# Notes are never edited ----------------------------------------------------------------------------


def test_no_address_edits_or_deletes_a_note():
    routes = [route for route, _, _ in walk(get_resolver().url_patterns) if "note" in route
              and route.startswith("staff/complaints/")]

    assert routes == ["staff/complaints/<str:reference>/notes/add/"]


def test_a_saved_note_refuses_to_be_changed():
    complaint = complaint_investigating()
    note = services.note_add(complaint=complaint, text="As written.", acting_user=complaint.owner)

    note.text = "Changed afterwards."
    with pytest.raises(ValueError, match="cannot be edited"):
        note.save()
    note.refresh_from_db()
    assert note.text == "As written."


# Legal holds on the record a complaint concerns ----------------------------------------------------


def test_the_complaints_officer_holds_the_linked_record_from_the_complaint_and_sees_the_hold_on_it():
    from prevent_hub.records.models import LegalHold
    from prevent_hub.referrals.tests.factories import ReferralFactory

    by = officer()
    complaint = complaint_investigating(by=by)
    referral = ReferralFactory()
    services.complaint_link(complaint=complaint, reference=referral.reference, acting_user=by)
    client = browser_for(by)
    page = BeautifulSoup(client.get(url("complaint", complaint)).content, "html.parser")
    hold_link = next(link for link in page.find_all("a") if link.get_text(" ", strip=True).startswith("Hold"))
    assert hold_link["href"].endswith(f"?complaint={complaint.reference}")

    form = client.get(hold_link["href"])
    assert referral.reference in form.content.decode()
    ends_on = timezone.localdate() + datetime.timedelta(days=90)
    response = client.post(hold_link["href"], {
        "reference": referral.reference, "kind": "complaint", "reason": "The complaint is open.",
        "ends_on-day": ends_on.day, "ends_on-month": ends_on.month, "ends_on-year": ends_on.year})
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.complaint, hold.referral) == (complaint, referral)
    page = words(client.get(url("complaint", complaint)))
    assert f"until {ends_on.day} {ends_on:%B} {ends_on.year}" in page


def test_an_investigating_officer_sees_holds_but_cannot_place_them():
    from prevent_hub.referrals.tests.factories import ReferralFactory

    complaint = complaint_investigating()
    services.complaint_link(complaint=complaint, reference=ReferralFactory().reference,
                            acting_user=complaint.owner)
    text = words(browser_for(complaint.investigator).get(url("complaint", complaint)))
    assert "Hold the record it concerns from deletion" not in text
