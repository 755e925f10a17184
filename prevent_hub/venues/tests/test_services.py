import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from prevent_hub.audit.models import AuditEvent
from prevent_hub.venues import services
from prevent_hub.venues.availability import free_days_after, free_slots
from prevent_hub.venues.models import BookingStatus

from .factories import (
    booking_submitted,
    checklist_completed,
    clause,
    next_weekday,
    officer,
    prevent_lead,
    venue_with_room,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    return venue_with_room(acting_user=officer())[1]


def test_a_request_gets_a_reference_retention_an_audit_event_and_an_acknowledgement(
        room, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_submitted(room)
    assert booking.reference.startswith("VEN-") and booking.reference.endswith(f"{booking.pk:06d}")
    assert booking.status == BookingStatus.REQUESTED
    assert booking.retain_until == booking.event_date.replace(year=booking.event_date.year + 2)
    assert booking.conditions.version == 1
    assert AuditEvent.objects.filter(object_type="venues.venuebooking", object_id=str(booking.pk)).exists()
    assert len(mail.outbox) == 1 and booking.reference in mail.outbox[0].subject
    assert "/venue-hire/booking/" in mail.outbox[0].body


def test_submitting_the_same_request_twice_makes_one_booking(room):
    first = booking_submitted(room, key="same")
    again = booking_submitted(room, key="same")
    assert first.pk == again.pk


def test_a_clash_is_refused_and_the_free_slots_are_the_rest_of_the_day(room):
    booking = booking_submitted(room)
    with pytest.raises(ValidationError) as refused:
        booking_submitted(room, key="clash", starts_at=datetime.time(19), ends_at=datetime.time(21))
    assert "already booked" in str(refused.value)
    slots = free_slots(room, booking.event_date)
    assert [str(slot) for slot in slots] == ["09:00 to 18:00", "20:00 to 21:00"]
    assert len(free_days_after(room, booking.event_date, days=3)) == 3
    # Back to back is not a clash.
    booking_submitted(room, key="after", starts_at=datetime.time(20), ends_at=datetime.time(21))


def test_a_withdrawn_booking_frees_its_slot(room):
    booking = booking_submitted(room)
    services.booking_withdraw(booking=booking, reason="Event postponed")
    assert booking_submitted(room, key="again").event_date == booking.event_date


def test_closed_days_and_hours_are_refused(room):
    services.closure_add(venue=room.venue, starts_on=next_weekday(), ends_on=next_weekday(),
                         reason="Staff training", acting_user=officer())
    with pytest.raises(ValidationError, match="Staff training"):
        booking_submitted(room)
    with pytest.raises(ValidationError, match="open from 09:00 to 21:00"):
        booking_submitted(room, event_date=next_weekday(3), starts_at=datetime.time(20),
                          ends_at=datetime.time(22))


def test_a_decision_needs_every_check_and_a_clause_for_refusal(room):
    booking = booking_submitted(room)
    decider = officer()
    with pytest.raises(ValidationError, match="Record every check"):
        services.booking_decide(booking=booking, outcome="approve", reasons="Fine", acting_user=decider)
    checklist_completed(booking, acting_user=decider)
    with pytest.raises(ValidationError) as refused:
        services.booking_decide(booking=booking, outcome="refuse", reasons="No", acting_user=decider)
    assert "clause" in refused.value.message_dict
    decision = services.booking_decide(booking=booking, outcome="refuse", reasons="Speaker's statements",
                                       clause=clause(booking), acting_user=decider)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REFUSED and booking.appeal_by > decision.decided_on


def test_an_appeal_is_decided_by_someone_other_than_the_decision_maker(room):
    booking = booking_submitted(room)
    decider, other = officer(), prevent_lead()
    checklist_completed(booking, acting_user=decider)
    services.booking_decide(booking=booking, outcome="approve_with_conditions", reasons="Stewarding needed",
                            clause=clause(booking, "7"), conditions=["Two stewards"], acting_user=decider)
    appeal = services.appeal_lodge(booking=booking, grounds="We cannot find stewards")
    with pytest.raises(ValidationError, match="someone else"):
        services.appeal_decide(appeal=appeal, outcome="upheld", reasons="x", acting_user=decider)
    services.appeal_decide(appeal=appeal, outcome="upheld", reasons="Small event", acting_user=other)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPEAL_UPHELD


def test_a_change_after_approval_goes_back_for_reapproval_showing_what_changed(room):
    booking = booking_submitted(room)
    decider = officer()
    checklist_completed(booking, acting_user=decider)
    services.booking_decide(booking=booking, outcome="approve", reasons="No concerns", acting_user=decider)
    changed = services.booking_change(
        booking=booking, details={"agenda": "A new agenda"},
        speakers=[{"name": "Sam Example-Poet", "organisation": "Testford Writers", "topic": "New poems"},
                  {"name": "Jo Example-Guest", "organisation": "", "topic": "Haiku"}])
    assert changed.status == BookingStatus.CHANGED_AWAITING_REAPPROVAL
    change = changed.changes.get()
    assert [c["field"] for c in change.changes] == ["agenda", "speakers"]
    assert change.changes[0]["after"] == "A new agenda"
    # The new speaker must be checked before re-approval.
    with pytest.raises(ValidationError, match="Jo Example-Guest"):
        services.booking_decide(booking=changed, outcome="approve", reasons="Still fine", acting_user=decider)
    checklist_completed(changed, acting_user=decider)
    decision = services.booking_decide(booking=changed, outcome="approve", reasons="Still fine",
                                       acting_user=decider)
    assert decision.reapproval


def test_escalation_and_advice(room):
    booking = booking_submitted(room)
    escalation = services.booking_escalate(booking=booking, reason="A speaker's past statements",
                                           acting_user=officer())
    services.escalation_advise(escalation=escalation, advice="Approve with an independent chair",
                               acting_user=prevent_lead())
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ESCALATED


def test_letters_fill_in_the_template(room, django_capture_on_commit_callbacks):
    from prevent_hub.venues.letters import letter_draft

    booking = booking_submitted(room)
    decider = officer(full_name="Casey Example-Officer")
    checklist_completed(booking, acting_user=decider)
    services.booking_decide(booking=booking, outcome="refuse", reasons="The reasons here",
                            clause=clause(booking), acting_user=decider)
    subject, body = letter_draft(booking, "refusal")
    assert booking.reference in subject
    assert "The reasons here" in body and "Casey Example-Officer" in body and "clause 3" in body
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(booking=booking, kind="refusal", subject=subject, body=body,
                             acting_user=decider)
    assert mail.outbox[0].to == ["alex.booker@example.org"]


# Venue bookings: the officer's workflow


def test_escalating_emails_the_prevent_lead_the_reference_and_a_link_and_nothing_more(
        room, django_capture_on_commit_callbacks):
    prevent_lead(email="robin.lead@example.org")
    officer(email="casey.officer@example.org")
    booking = booking_submitted(room)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_escalate(booking=booking, reason="A speaker's past statements",
                                  acting_user=officer())
    assert [message.to for message in mail.outbox] == [["robin.lead@example.org"]]
    sent = mail.outbox[0]
    assert booking.reference in sent.subject
    assert f"/staff/venues/bookings/{booking.reference}/" in sent.body
    assert "past statements" not in sent.body and "Alex" not in sent.body and "Poetry" not in sent.body


# Venues: administration, calendars and dashboard


def test_a_closure_sent_twice_is_one_closure(room):
    from prevent_hub.venues.models import Closure

    first, again = (services.closure_add(venue=room.venue, starts_on=next_weekday(), ends_on=next_weekday(),
                                         reason="Fictional boiler repair", acting_user=officer())
                    for _ in range(2))
    assert first.pk == again.pk and Closure.objects.count() == 1


def test_conditions_published_since_the_officer_started_are_not_overwritten():
    from prevent_hub.venues.models import BookingConditions

    clauses = [("1", "Fictional heading", "Fictional text of the clause.")]
    published = services.conditions_publish(introduction="", clauses=clauses, change_summary="Shorter",
                                            based_on_version=1, acting_user=officer())
    assert published.version == 2
    with pytest.raises(ValidationError, match="Version 2 of the booking conditions was published"):
        services.conditions_publish(introduction="", clauses=clauses, change_summary="Shorter",
                                    based_on_version=1, acting_user=officer())
    assert BookingConditions.objects.count() == 2
