"""Every change to venues and bookings. Each function takes keyword-only
arguments and the acting user (None for a booker, who has no account),
checks its rules (refusing with a ValidationError that says why), writes in
one transaction with its audit event inside it (references and field names
only, never what anyone typed), and queues email after commit.

Status moves a booking can make:

    requested → checking → (escalated) → approved | approved with conditions | refused
    refused | approved with conditions → appealed → appeal upheld | appeal dismissed
    any approval → changed, awaiting re-approval (a change by the booker) → decided again
    anything not finished → withdrawn (booker) | cancelled (council)
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.core.demo import demo_loading
from prevent_hub.core.uploads import attachment_check, display_name
from prevent_hub.core.working_days import add_working_days
from prevent_hub.retention.models import RecordType
from prevent_hub.retention.selectors import retain_until

from .availability import unavailable_because
from .models import (
    AWAITING_DECISION,
    FINISHED,
    Admission,
    Appeal,
    AppealOutcome,
    BookingCapacity,
    BookingChange,
    BookingCheck,
    BookingConditions,
    BookingDecision,
    BookingStatus,
    CheckEvidence,
    CheckKind,
    CheckOutcome,
    CheckSubject,
    Closure,
    ConditionsClause,
    DecisionCondition,
    DecisionOutcome,
    EqualityPolicy,
    Escalation,
    Letter,
    LetterKind,
    LetterTemplate,
    OpeningHours,
    PromotionFile,
    Room,
    Speaker,
    Venue,
    VenueKind,
)

# Statuses in which the booking is approved to go ahead: a change then
# sends it back for re-approval.
GOING_AHEAD = (BookingStatus.APPROVED, BookingStatus.APPROVED_WITH_CONDITIONS, BookingStatus.APPEAL_UPHELD)
# Statuses a booker may change a booking in.
CHANGEABLE = (*AWAITING_DECISION, *GOING_AHEAD, BookingStatus.APPEAL_DISMISSED)
APPEALABLE = (BookingStatus.REFUSED, BookingStatus.APPROVED_WITH_CONDITIONS)

# What each subject of the checklist is checked for.
CHECKS_FOR = {
    CheckSubject.BOOKER: (CheckKind.PUBLIC_STATEMENTS, CheckKind.REFERENCES, CheckKind.PREVIOUS_BOOKINGS),
    CheckSubject.ORGANISATION: (CheckKind.PUBLIC_STATEMENTS, CheckKind.REFERENCES, CheckKind.STATUS,
                                CheckKind.PREVIOUS_BOOKINGS),
    CheckSubject.SPEAKER: (CheckKind.PUBLIC_STATEMENTS, CheckKind.REFERENCES, CheckKind.PREVIOUS_BOOKINGS),
}

# The booking's own fields a booker gives and may change, with their labels
# for the record of what changed.
BOOKING_FIELDS = {
    "room": "Room",
    "event_date": "Date",
    "starts_at": "Start time",
    "ends_at": "End time",
    "booker_name": "Booker's name",
    "booker_other_names": "Other names the booker uses",
    "booker_email": "Email address",
    "booker_phone": "Telephone",
    "booker_address": "Address",
    "organisation_name": "Organisation",
    "booking_capacity": "Booking for",
    "other_organisation_name": "Other organisation",
    "website": "Website",
    "charity_number": "Charity number",
    "company_number": "Company number",
    "equality_policy": "Equality policy",
    "title": "Event title",
    "theme": "Theme",
    "agenda": "Agenda",
    "expected_audience": "Expected audience",
    "audience_description": "Who the event is for",
    "admission": "Admission",
    "promotion": "How it will be promoted",
}
REQUIRED_FIELDS = {
    "room": "Select a room",
    "event_date": "Enter the date of the event",
    "starts_at": "Enter the start time",
    "ends_at": "Enter the end time",
    "booker_name": "Enter your full name",
    "booker_email": "Enter your email address",
    "booker_address": "Enter your address",
    "equality_policy": "Select whether you have an equality policy or will sign up to the council's",
    "title": "Enter the title of the event",
    "agenda": "Enter the agenda",
    "expected_audience": "Enter how many people you expect",
    "audience_description": "Enter who the event is for",
    "admission": "Select whether the event is open, ticketed or by invitation only",
}
CHOICES = {
    "booking_capacity": BookingCapacity,
    "equality_policy": EqualityPolicy,
    "admission": Admission,
}
SPEAKERS_MAX = 20


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reference_for(booking) -> str:
    """VEN-<year received>-<number>, numbered from the row's own id."""
    return f"VEN-{timezone.localtime(booking.received_at):%Y}-{booking.pk:06d}"


def _text(value) -> str:
    return str(value or "").strip()


def _locked(booking):
    from .models import VenueBooking

    return VenueBooking.objects.select_for_update().get(pk=booking.pk)


def _audit(booking, *, action=AuditAction.UPDATE, changed_fields=(), acting_user=None, **details):
    audit_event_record(action=action, obj=booking, actor=acting_user, changed_fields=list(changed_fields),
                       details={"reference": booking.reference, **details})


def _refuse_unless(booking, statuses, message):
    if booking.status not in statuses:
        raise ValidationError(f"{message} (this booking is {booking.get_status_display().lower()})",
                              code="status")


def _set_retention(booking):
    booking.retain_until, booking.retention_policy = retain_until(RecordType.VENUE_BOOKING,
                                                                  booking.event_date)


# Venues -----------------------------------------------------------------------


def _venue_errors(name, kind, address, *, venue=None) -> dict:
    errors = {}
    if not _text(name):
        errors["name"] = "Enter the venue's name"
    elif Venue.objects.filter(name__iexact=_text(name)).exclude(pk=getattr(venue, "pk", None)).exists():
        errors["name"] = "There is already a venue with this name"
    if kind not in VenueKind.values:
        errors["kind"] = "Select the type of venue"
    if not _text(address):
        errors["address"] = "Enter the venue's address"
    return errors


def venue_create(*, name: str, kind: str, address: str, acting_user) -> Venue:
    errors = _venue_errors(name, kind, address)
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        venue = Venue.objects.create(name=_text(name), kind=kind, address=_text(address))
        audit_event_record(action=AuditAction.CREATE, obj=venue, actor=acting_user,
                           changed_fields=["name", "kind", "address"])
    return venue


def venue_update(*, venue: Venue, name: str, kind: str, address: str, active: bool, acting_user) -> Venue:
    errors = _venue_errors(name, kind, address, venue=venue)
    if errors:
        raise ValidationError(errors, code="invalid")
    return _fields_update(venue, {"name": _text(name), "kind": kind, "address": _text(address),
                                  "active": bool(active)}, acting_user=acting_user)


def _fields_update(record, new: dict, *, acting_user):
    """Lock `record`, set `new` on it, and audit the fields that changed."""
    with transaction.atomic():
        locked = type(record).objects.select_for_update().get(pk=record.pk)
        changed = [field for field, value in new.items() if getattr(locked, field) != value]
        for field, value in new.items():
            setattr(locked, field, value)
        locked.save()
        if changed:
            audit_event_record(action=AuditAction.UPDATE, obj=locked, actor=acting_user,
                               changed_fields=changed)
    return locked


def _room_errors(venue, name, capacity, *, room=None) -> dict:
    errors = {}
    if not _text(name):
        errors["name"] = "Enter the room's name"
    elif Room.objects.filter(venue=venue, name__iexact=_text(name)).exclude(pk=getattr(room, "pk", None)) \
            .exists():
        errors["name"] = f"{venue} already has a room with this name"
    if not isinstance(capacity, int) or capacity < 1:
        errors["capacity"] = "Enter the room's capacity as a whole number of people, 1 or more"
    elif capacity > 100_000:
        errors["capacity"] = "Enter a capacity of 100,000 people or fewer"
    return errors


def room_create(*, venue: Venue, name: str, capacity: int, acting_user) -> Room:
    errors = _room_errors(venue, name, capacity)
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        room = Room.objects.create(venue=venue, name=_text(name), capacity=capacity)
        audit_event_record(action=AuditAction.CREATE, obj=room, actor=acting_user,
                           changed_fields=["name", "capacity"], details={"venue": venue.pk})
    return room


def room_update(*, room: Room, name: str, capacity: int, active: bool, acting_user) -> Room:
    errors = _room_errors(room.venue, name, capacity, room=room)
    if errors:
        raise ValidationError(errors, code="invalid")
    return _fields_update(room, {"name": _text(name), "capacity": capacity, "active": bool(active)},
                          acting_user=acting_user)


def opening_hours_set(*, venue: Venue, hours: dict, acting_user) -> list[OpeningHours]:
    """Replace the venue's opening hours: `hours` maps each weekday (0 for
    Monday) to (opens, closes), or None when the venue is closed that day."""
    errors = {}
    for weekday, times in hours.items():
        if weekday not in range(7):
            raise ValueError(f"Not a weekday: {weekday!r}")
        if times is not None and not times[0] < times[1]:
            errors[f"closes_{weekday}"] = "The closing time must be after the opening time"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        Venue.objects.select_for_update().get(pk=venue.pk)
        OpeningHours.objects.filter(venue=venue).delete()
        rows = OpeningHours.objects.bulk_create(
            OpeningHours(venue=venue, weekday=weekday, opens=times[0], closes=times[1])
            for weekday, times in sorted(hours.items()) if times is not None)
        audit_event_record(action=AuditAction.UPDATE, obj=venue, actor=acting_user,
                           changed_fields=["opening_hours"])
    return rows


def closure_add(*, venue: Venue, room: Room | None = None, starts_on: datetime.date, ends_on: datetime.date,
                reason: str, acting_user) -> Closure:
    """Close a venue (or one room) for some days. Bookings already made for
    those days stay: the officer is shown them to rearrange or cancel."""
    errors = {}
    if room is not None and room.venue_id != venue.pk:
        errors["room"] = "Select a room at this venue"
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "The last day of the closure must be on or after the first"
    if not _text(reason):
        errors["reason"] = "Enter why the venue is closed"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        Venue.objects.select_for_update().get(pk=venue.pk)
        # The same closure sent twice (a double click, a resent form) is one closure.
        same = Closure.objects.filter(venue=venue, room=room, starts_on=starts_on, ends_on=ends_on,
                                      reason=_text(reason)).first()
        if same is not None:
            return same
        closure = Closure.objects.create(venue=venue, room=room, starts_on=starts_on, ends_on=ends_on,
                                         reason=_text(reason))
        audit_event_record(action=AuditAction.CREATE, obj=closure, actor=acting_user,
                           changed_fields=["starts_on", "ends_on", "reason", "room"],
                           details={"venue": venue.pk})
    return closure


def closure_remove(*, closure: Closure, acting_user) -> None:
    with transaction.atomic():
        audit_event_record(action=AuditAction.DELETE, obj=closure, actor=acting_user,
                           details={"venue": closure.venue_id})
        closure.delete()


def conditions_publish(*, introduction: str, clauses: list[tuple[str, str, str]], change_summary: str,
                       acting_user, based_on_version: int | None = None) -> BookingConditions:
    """Publish a new version of the booking conditions: (number, heading,
    text) per clause. New booking requests accept it from now on; earlier
    bookings keep the version their booker accepted. `based_on_version` is
    the version the officer started from: if another has been published
    since (by someone else, or by the same form sent twice), nothing is."""
    errors = {}
    numbers = [_text(number) for number, _heading, _text_ in clauses]
    if not clauses:
        errors["clauses"] = "Enter at least one clause"
    elif any(not number or not _text(heading) or not _text(body) for number, heading, body in clauses):
        errors["clauses"] = "Give every clause a number, a heading and its text"
    elif len(set(numbers)) != len(numbers):
        errors["clauses"] = "Give every clause a different number"
    if not _text(change_summary):
        errors["change_summary"] = "Say what has changed from the previous version"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        latest = BookingConditions.objects.select_for_update().order_by("-version").first()
        if latest is not None and based_on_version not in (None, latest.version):
            raise ValidationError(f"Version {latest.version} of the booking conditions was published while "
                                  "you were writing yours, so yours was not published. Start again from "
                                  f"version {latest.version}", code="stale")
        conditions = BookingConditions.objects.create(
            version=(latest.version + 1) if latest else 1, introduction=_text(introduction),
            published_at=timezone.now(), published_by=acting_user, change_summary=_text(change_summary))
        ConditionsClause.objects.bulk_create(
            ConditionsClause(conditions=conditions, number=_text(number), position=position,
                             heading=_text(heading), text=_text(body))
            for position, (number, heading, body) in enumerate(clauses, start=1))
        audit_event_record(action=AuditAction.CREATE, obj=conditions, actor=acting_user,
                           details={"version": conditions.version, "clauses": len(clauses)})
    return conditions


def letter_template_update(*, kind: str, subject: str, body: str, acting_user) -> LetterTemplate:
    from .letters import placeholder_errors

    errors = {}
    if kind not in LetterKind.values:
        raise ValueError(f"Not a letter kind: {kind!r}")
    if not _text(subject):
        errors["subject"] = "Enter the letter's subject"
    if not _text(body):
        errors["body"] = "Enter the letter's wording"
    else:
        unknown = placeholder_errors(subject + "\n" + body)
        if unknown:
            errors["body"] = unknown
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        template, _created = LetterTemplate.objects.select_for_update().get_or_create(
            kind=kind, defaults={"subject": "", "body": "", "updated_at": timezone.now()})
        template.subject, template.body = _text(subject), body.strip()
        template.updated_at, template.updated_by = timezone.now(), acting_user
        template.save()
        audit_event_record(action=AuditAction.UPDATE, obj=template, actor=acting_user,
                           changed_fields=["subject", "body"], details={"kind": kind})
    return template


# Booking requests (the booker's side) -----------------------------------------


def _clean_booking(details: dict, speakers: list[dict], *, exclude=None) -> tuple[dict, list[dict], dict]:
    """The booking's fields as stored, its speakers, and any errors
    (`exclude`: the booking being changed, which does not clash with itself)."""
    unknown = set(details) - set(BOOKING_FIELDS)
    if unknown:
        raise ValueError(f"Not booking fields: {', '.join(sorted(unknown))}")
    clean, errors = {}, {}
    for field in BOOKING_FIELDS:
        value = details.get(field)
        if isinstance(value, str):
            value = value.strip()
        clean[field] = "" if value is None else value
    for field, message in REQUIRED_FIELDS.items():
        if clean[field] in ("", None):
            errors[field] = message
    for field, choices in CHOICES.items():
        if clean[field] and clean[field] not in choices.values:
            errors[field] = REQUIRED_FIELDS.get(field, "Select an option")
    if not clean["booking_capacity"]:
        clean["booking_capacity"] = BookingCapacity.OWN
    if clean["booking_capacity"] != BookingCapacity.OWN and not clean["other_organisation_name"]:
        errors["other_organisation_name"] = "Enter the name of the organisation you are booking with or for"
    if clean["booking_capacity"] != BookingCapacity.OWN and not clean["organisation_name"]:
        clean["organisation_name"] = clean["other_organisation_name"]
    audience = clean["expected_audience"]
    if audience != "" and (not isinstance(audience, int) or audience < 1):
        errors["expected_audience"] = "Enter how many people you expect as a whole number, 1 or more"
    room = clean["room"]
    if room and not isinstance(room, Room):
        raise ValueError("room must be a Room")
    if isinstance(room, Room) and isinstance(audience, int) and audience > room.capacity:
        errors["expected_audience"] = (f"{room} holds up to {room.capacity} people. Choose a larger room or "
                                       "expect fewer people")
    cleaned_speakers = []
    if len(speakers) > SPEAKERS_MAX:
        errors["speakers"] = f"You can name up to {SPEAKERS_MAX} speakers"
    for speaker in speakers:
        name, topic = _text(speaker.get("name")), _text(speaker.get("topic"))
        if not name or not topic:
            errors["speakers"] = "Give each speaker's name and what they will speak about"
            continue
        cleaned_speakers.append({"name": name, "organisation": _text(speaker.get("organisation")),
                                 "topic": topic})
    if not errors:
        because = unavailable_because(room, clean["event_date"], clean["starts_at"], clean["ends_at"],
                                      exclude=exclude)
        if because:
            errors["event_date"] = because
    return clean, cleaned_speakers, errors


def booking_submit(*, details: dict, speakers: list[dict], conditions: BookingConditions,
                   submission_key: str, files=(), acting_user=None):
    """Make a booking request from the booker's answers. Returns (booking,
    created). A second submit with the same `submission_key` (a double
    click, a retry) returns the booking made the first time. A clash with
    the room's calendar, or a closed day, is refused with a message on
    `event_date` (the page then shows the free slots). The acknowledgement
    email, with the booker's secret link, goes after commit."""
    from .models import VenueBooking
    from .tasks import booking_acknowledgement_send

    existing = VenueBooking.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing, False
    latest = BookingConditions.objects.order_by("-version").first()
    if conditions != latest:
        raise ValidationError({"conditions": "The booking conditions have changed. Read and accept the new "
                                             "version"}, code="conditions_changed")
    try:
        with transaction.atomic():
            # The room's row lock makes two requests for the same slot take turns.
            room = details.get("room")
            if isinstance(room, Room):
                details = {**details, "room": Room.objects.select_for_update().get(pk=room.pk)}
            clean, clean_speakers, errors = _clean_booking(details, speakers)
            if errors:
                raise ValidationError(errors, code="invalid")
            now = timezone.now()
            booking = VenueBooking(**clean, venue_id=clean["room"].venue_id, received_at=now,
                                   submission_key=submission_key, conditions=conditions,
                                   conditions_accepted_at=now)
            _set_retention(booking)
            booking.save()
            booking.reference = reference_for(booking)
            booking.save(update_fields=["reference"])
            Speaker.objects.bulk_create(Speaker(booking=booking, position=position, **speaker)
                                        for position, speaker in enumerate(clean_speakers, start=1))
            for stored in files:
                stored.draft = None
                stored.booking = booking
                stored.save(update_fields=["draft", "booking"])
            _audit(booking, action=AuditAction.CREATE, acting_user=acting_user,
                   changed_fields=[*BOOKING_FIELDS, "speakers"], speakers=len(clean_speakers),
                   conditions_version=conditions.version, promotion_files=len(files))
            booking_id = booking.pk
            # The demo's fictional bookers are emailed nothing.
            if not demo_loading():
                transaction.on_commit(lambda: booking_acknowledgement_send.enqueue(booking_id=booking_id))
    except IntegrityError:
        existing = VenueBooking.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing, False
    return booking, True


def booking_link_issue(*, booking_id) -> tuple[object, str] | None:
    """A new secret link token for the booker, replacing any earlier one.
    Called by the task that emails it, so the token never waits in a queue."""
    from .models import VenueBooking

    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        if not VenueBooking.objects.filter(pk=booking_id).update(booker_token_hash=token_hash(token)):
            return None
        return VenueBooking.objects.get(pk=booking_id), token


def booking_from_token(token: str):
    """The booking a booker's secret link opens, or None."""
    from .models import VenueBooking

    if not token or len(token) > 100:
        return None
    return VenueBooking.objects.filter(booker_token_hash=token_hash(token)).select_related(
        "room", "venue", "conditions").first()


def _describe(field, value) -> str:
    if value in ("", None):
        return ""
    if isinstance(value, datetime.date):
        from prevent_hub.core.formatting import govuk_date

        return govuk_date(value)
    if isinstance(value, datetime.time):
        return f"{value:%H:%M}"
    if field in CHOICES:
        return str(CHOICES[field](value).label)
    return str(value)


def _speakers_in_words(speakers) -> str:
    return "; ".join(
        f"{s['name']}" + (f" ({s['organisation']})" if s["organisation"] else "") + f": {s['topic']}"
        for s in speakers)


def booking_change(*, booking, details: dict, speakers: list[dict], acting_user=None):
    """The booker changes their booking. What changed is recorded field by
    field; a booking that was approved goes back for re-approval, so a
    change never slips through. Speakers are matched by name and
    organisation: a speaker kept keeps their checks; a new one needs
    checking; one removed goes with their checks."""
    with transaction.atomic():
        locked = _locked(booking)
        _refuse_unless(locked, CHANGEABLE, "This booking cannot be changed now")
        if locked.status == BookingStatus.APPEAL_DISMISSED \
                and locked.decision_outcome == DecisionOutcome.REFUSE:
            raise ValidationError("This booking was refused, so it cannot be changed", code="status")
        if locked.event_date <= timezone.localdate():
            raise ValidationError("The event has taken place or is today, so the booking cannot be changed",
                                  code="past")
        current = {field: getattr(locked, field) for field in BOOKING_FIELDS}
        merged = {**current, **details}
        room = merged["room"]
        merged["room"] = Room.objects.select_for_update().get(pk=room.pk)
        clean, clean_speakers, errors = _clean_booking(merged, speakers, exclude=locked)
        if errors:
            raise ValidationError(errors, code="invalid")
        changes = [{"field": field, "label": label, "before": _describe(field, current[field]),
                    "after": _describe(field, clean[field])}
                   for field, label in BOOKING_FIELDS.items() if current[field] != clean[field]]
        before_speakers = [{"name": s.name, "organisation": s.organisation, "topic": s.topic}
                           for s in locked.speakers.all()]
        if before_speakers != clean_speakers:
            changes.append({"field": "speakers", "label": "Speakers",
                            "before": _speakers_in_words(before_speakers),
                            "after": _speakers_in_words(clean_speakers)})
        if not changes:
            raise ValidationError("You have not changed anything", code="unchanged")
        for field in BOOKING_FIELDS:
            setattr(locked, field, clean[field])
        locked.venue_id = clean["room"].venue_id
        _replace_speakers(locked, clean_speakers)
        after_approval = locked.status in (*GOING_AHEAD, BookingStatus.APPEAL_DISMISSED)
        if after_approval:
            locked.status = BookingStatus.CHANGED_AWAITING_REAPPROVAL
        _set_retention(locked)
        locked.save()
        BookingChange.objects.create(booking=locked, changed_at=timezone.now(), changes=changes,
                                     after_approval=after_approval)
        _audit(locked, acting_user=acting_user, changed_fields=[change["field"] for change in changes],
               step="changed by the booker", reapproval_needed=after_approval)
    return locked


def _replace_speakers(booking, speakers: list[dict]):
    kept = {(s.name, s.organisation): s for s in booking.speakers.all()}
    wanted = {(s["name"], s["organisation"]) for s in speakers}
    Speaker.objects.filter(pk__in=[s.pk for key, s in kept.items() if key not in wanted]).delete()
    for position, speaker in enumerate(speakers, start=1):
        existing = kept.get((speaker["name"], speaker["organisation"]))
        if existing is None:
            Speaker.objects.create(booking=booking, position=position, **speaker)
        elif (existing.position, existing.topic) != (position, speaker["topic"]):
            existing.position, existing.topic = position, speaker["topic"]
            existing.save(update_fields=["position", "topic"])


def booking_withdraw(*, booking, reason: str = "", acting_user=None):
    """The booker withdraws their request or booking."""
    with transaction.atomic():
        locked = _locked(booking)
        if locked.status in FINISHED:
            raise ValidationError("This booking has already been withdrawn or cancelled", code="status")
        locked.status = BookingStatus.WITHDRAWN
        locked.ended_at, locked.ended_by, locked.end_reason = timezone.now(), acting_user, _text(reason)
        locked.save()
        _audit(locked, acting_user=acting_user, changed_fields=["status", "end_reason"], step="withdrawn")
    return locked


def appeal_lodge(*, booking, grounds: str, acting_user=None) -> Appeal:
    """The booker appeals a refusal or the conditions set, by the last day
    for appeals (BOOKING_APPEAL_WORKING_DAYS working days after the decision)."""
    if not _text(grounds):
        raise ValidationError({"grounds": "Enter why you think the decision is wrong"}, code="invalid")
    with transaction.atomic():
        locked = _locked(booking)
        _refuse_unless(locked, APPEALABLE, "Only a refusal or conditions can be appealed")
        if locked.appeal_by is None or timezone.localdate() > locked.appeal_by:
            raise ValidationError("The time to appeal this decision has passed", code="late")
        decision = locked.decisions.order_by("-decided_at", "-pk").first()
        appeal = Appeal.objects.create(booking=locked, decision=decision, grounds=_text(grounds),
                                       lodged_at=timezone.now())
        locked.status = BookingStatus.APPEALED
        locked.save(update_fields=["status"])
        _audit(locked, acting_user=acting_user, changed_fields=["status", "appeal"], step="appealed")
    return appeal


# Checks, escalation and the decision (the officer's side) ----------------------


def check_record(*, booking, subject: str, kind: str, outcome: str, notes: str, speaker=None,
                 acting_user) -> BookingCheck:
    """Record (or re-record) one line of the checklist in the officer's own
    words. A booking still "requested" moves to "checking"."""
    errors = {}
    if subject not in CheckSubject.values:
        raise ValueError(f"Not a check subject: {subject!r}")
    if kind not in CHECKS_FOR[subject]:
        raise ValueError(f"{kind!r} is not checked for a {subject}")
    if (subject == CheckSubject.SPEAKER) != (speaker is not None):
        raise ValueError("A speaker's check names the speaker; no other check does")
    if outcome not in CheckOutcome.values:
        errors["outcome"] = "Select what the check found"
    if not _text(notes):
        errors["notes"] = "Enter what you checked and what you found"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _locked(booking)
        _refuse_unless(locked, AWAITING_DECISION, "Checks are recorded before the decision")
        if speaker is not None and speaker.booking_id != locked.pk:
            raise ValueError("The speaker is not on this booking")
        if subject == CheckSubject.ORGANISATION and not locked.organisation_name:
            raise ValidationError("This booking names no organisation to check", code="no_organisation")
        line, created = BookingCheck.objects.update_or_create(
            booking=locked, subject=subject, speaker=speaker, kind=kind,
            defaults={"outcome": outcome, "notes": _text(notes), "recorded_at": timezone.now(),
                      "recorded_by": acting_user})
        if locked.status == BookingStatus.REQUESTED:
            locked.status = BookingStatus.CHECKING
            locked.save(update_fields=["status"])
        _audit(locked, acting_user=acting_user, changed_fields=["checks"],
               step="check recorded" if created else "check re-recorded", check=line.pk)
    return line


def check_evidence_add(*, check: BookingCheck, description: str, link: str = "", upload=None,
                       acting_user) -> CheckEvidence:
    """Keep a link the officer followed or a file they saved with a check.
    Uploads are checked by content and size."""
    from django.core.validators import URLValidator

    errors = {}
    if not _text(description):
        errors["description"] = "Describe the evidence"
    if not _text(link) and upload is None:
        errors["link"] = "Enter a link or choose a file"
    if _text(link):
        try:
            URLValidator(schemes=["http", "https"])(_text(link))
        except ValidationError:
            errors["link"] = "Enter a link starting http:// or https://"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _locked(check.booking)
        _refuse_unless(locked, AWAITING_DECISION, "Evidence is added before the decision")
        evidence = CheckEvidence(check_line=check, description=_text(description), link=_text(link),
                                 added_at=timezone.now(), added_by=acting_user)
        if upload is not None:
            evidence.content_type = attachment_check(upload)
            evidence.original_name, evidence.size = display_name(upload.name), upload.size
            evidence.file.save("evidence", upload, save=False)
        try:
            evidence.save()
        except Exception:
            if evidence.file:
                evidence.file.delete(save=False)
            raise
        _audit(locked, acting_user=acting_user, changed_fields=["evidence"], step="evidence added",
               check=check.pk)
    return evidence


def checklist_missing(booking) -> list[str]:
    """The checklist lines not yet recorded, in words ("" when complete)."""
    recorded = set(booking.checks.values_list("subject", "speaker_id", "kind"))
    subjects = [(CheckSubject.BOOKER, None, "the booker")]
    if booking.organisation_name:
        subjects.append((CheckSubject.ORGANISATION, None, "the organisation"))
    subjects += [(CheckSubject.SPEAKER, speaker.pk, speaker.name) for speaker in booking.speakers.all()]
    return [f"{CheckKind(kind).label} for {who}" for subject, speaker_id, who in subjects
            for kind in CHECKS_FOR[subject] if (subject, speaker_id, kind) not in recorded]


def booking_escalate(*, booking, reason: str, acting_user) -> Escalation:
    """Ask the Prevent lead's advice, with the reason. They are emailed after
    commit (the reference and a link only)."""
    from .tasks import booking_escalation_notify

    if not _text(reason):
        raise ValidationError({"reason": "Enter why you are escalating this booking"}, code="invalid")
    with transaction.atomic():
        locked = _locked(booking)
        _refuse_unless(locked, (BookingStatus.REQUESTED, BookingStatus.CHECKING,
                                BookingStatus.CHANGED_AWAITING_REAPPROVAL),
                       "Only a booking awaiting a decision and not already escalated can be escalated")
        escalation = Escalation.objects.create(booking=locked, reason=_text(reason),
                                               escalated_at=timezone.now(), escalated_by=acting_user)
        locked.status = BookingStatus.ESCALATED
        locked.save(update_fields=["status"])
        _audit(locked, acting_user=acting_user, changed_fields=["status", "escalation"], step="escalated")
        escalation_id = escalation.pk
        if not demo_loading():
            transaction.on_commit(lambda: booking_escalation_notify.enqueue(escalation_id=escalation_id))
    return escalation


def escalation_advise(*, escalation: Escalation, advice: str, acting_user) -> Escalation:
    """The Prevent lead's advice on an escalated booking (once; the
    decision stays the officer's)."""
    if not _text(advice):
        raise ValidationError({"advice": "Enter your advice"}, code="invalid")
    with transaction.atomic():
        locked = _locked(escalation.booking)
        line = Escalation.objects.select_for_update().get(pk=escalation.pk)
        if line.advised_at is not None:
            raise ValidationError("Advice has already been given on this escalation", code="advised")
        if locked.status in FINISHED:
            raise ValidationError("This booking has been withdrawn or cancelled", code="status")
        line.advice, line.advised_at, line.advised_by = _text(advice), timezone.now(), acting_user
        line.save()
        _audit(locked, acting_user=acting_user, changed_fields=["advice"], step="advice given")
    return line


def booking_decide(*, booking, outcome: str, reasons: str, clause: ConditionsClause | None = None,
                   conditions: list[str] = (), acting_user) -> BookingDecision:
    """The decision: approve, approve with conditions (each listed) or
    refuse, with reasons, by the acting user, today. A refusal or
    conditions cite the clause of the conditions the booker accepted, and
    may be appealed for BOOKING_APPEAL_WORKING_DAYS working days. Every
    line of the checklist must be recorded first."""
    conditions = [_text(condition) for condition in conditions if _text(condition)]
    errors = {}
    if outcome not in DecisionOutcome.values:
        errors["outcome"] = "Select the decision"
    if not _text(reasons):
        errors["reasons"] = "Enter the reasons for the decision"
    if outcome == DecisionOutcome.APPROVE_WITH_CONDITIONS and not conditions:
        errors["conditions"] = "Enter at least one condition"
    if outcome != DecisionOutcome.APPROVE_WITH_CONDITIONS and conditions:
        errors["conditions"] = "Conditions are set only when approving with conditions"
    if outcome in (DecisionOutcome.REFUSE, DecisionOutcome.APPROVE_WITH_CONDITIONS) and clause is None:
        errors["clause"] = "Select the clause of the booking conditions the decision relies on"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _locked(booking)
        _refuse_unless(locked, AWAITING_DECISION, "Only a booking awaiting a decision can be decided")
        if clause is not None and clause.conditions_id != locked.conditions_id:
            raise ValidationError({"clause": "Select a clause of the conditions this booker accepted"},
                                  code="invalid")
        missing = checklist_missing(locked)
        if missing:
            raise ValidationError("Record every check before deciding. Still to record: "
                                  + "; ".join(missing), code="checks_missing")
        now = timezone.now()
        today = timezone.localdate()
        reapproval = locked.status == BookingStatus.CHANGED_AWAITING_REAPPROVAL \
            or locked.decisions.exists()
        decision = BookingDecision.objects.create(
            booking=locked, outcome=outcome, reasons=_text(reasons), clause=clause, decided_at=now,
            decided_on=today, decided_by=acting_user, reapproval=reapproval)
        DecisionCondition.objects.bulk_create(
            DecisionCondition(decision=decision, number=number, text=text)
            for number, text in enumerate(conditions, start=1))
        locked.status = {DecisionOutcome.APPROVE: BookingStatus.APPROVED,
                         DecisionOutcome.APPROVE_WITH_CONDITIONS: BookingStatus.APPROVED_WITH_CONDITIONS,
                         DecisionOutcome.REFUSE: BookingStatus.REFUSED}[outcome]
        locked.decision_outcome = outcome
        locked.appeal_by = None if outcome == DecisionOutcome.APPROVE \
            else add_working_days(today, settings.BOOKING_APPEAL_WORKING_DAYS)
        locked.save(update_fields=["status", "decision_outcome", "appeal_by"])
        _audit(locked, acting_user=acting_user, changed_fields=["status", "decision"], step="decided",
               outcome=outcome, reapproval=reapproval)
    return decision


def appeal_decide(*, appeal: Appeal, outcome: str, reasons: str, acting_user) -> Appeal:
    """Decide the booker's appeal. Whoever made the decision appealed may
    not decide it. Upheld: the refusal or the conditions fall and the
    booking may go ahead. Dismissed: the decision stands."""
    errors = {}
    if outcome not in AppealOutcome.values:
        errors["outcome"] = "Select whether the appeal is upheld or dismissed"
    if not _text(reasons):
        errors["reasons"] = "Enter the reasons for the appeal decision"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _locked(appeal.booking)
        line = Appeal.objects.select_for_update().select_related("decision").get(pk=appeal.pk)
        if line.decided_at is not None or locked.status != BookingStatus.APPEALED:
            raise ValidationError("This appeal has already been decided", code="decided")
        if line.decision.decided_by_id == acting_user.pk:
            raise ValidationError("You made the decision under appeal, so someone else must decide the "
                                  "appeal", code="same_decision_maker")
        line.outcome, line.reasons = outcome, _text(reasons)
        line.decided_at, line.decided_by = timezone.now(), acting_user
        line.save()
        locked.status = BookingStatus.APPEAL_UPHELD if outcome == AppealOutcome.UPHELD \
            else BookingStatus.APPEAL_DISMISSED
        locked.save(update_fields=["status"])
        _audit(locked, acting_user=acting_user, changed_fields=["status", "appeal"], step="appeal decided",
               outcome=outcome)
    return line


def booking_cancel(*, booking, reason: str, acting_user):
    """The council cancels a booking, with its reasons."""
    if not _text(reason):
        raise ValidationError({"reason": "Enter the reasons for cancelling"}, code="invalid")
    with transaction.atomic():
        locked = _locked(booking)
        if locked.status in FINISHED:
            raise ValidationError("This booking has already been withdrawn or cancelled", code="status")
        locked.status = BookingStatus.CANCELLED
        locked.ended_at, locked.ended_by, locked.end_reason = timezone.now(), acting_user, _text(reason)
        locked.save()
        _audit(locked, acting_user=acting_user, changed_fields=["status", "end_reason"], step="cancelled")
    return locked


def letter_send(*, booking, kind: str, subject: str, body: str, acting_user) -> Letter:
    """Send the booker a letter (as the officer finally worded it) by email
    after commit, and keep it with the booking."""
    from .tasks import booking_letter_send

    errors = {}
    if kind not in LetterKind.values:
        raise ValueError(f"Not a letter kind: {kind!r}")
    if not _text(subject):
        errors["subject"] = "Enter the letter's subject"
    if not _text(body):
        errors["body"] = "Enter the letter"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _locked(booking)
        letter = Letter.objects.create(booking=locked, kind=kind, subject=_text(subject), body=body.strip(),
                                       sent_at=timezone.now(), sent_by=acting_user)
        _audit(locked, acting_user=acting_user, changed_fields=["letters"], step="letter sent", kind=kind)
        letter_id = letter.pk
        transaction.on_commit(lambda: booking_letter_send.enqueue(letter_id=letter_id))
    return letter


# Drafts of booking requests ---------------------------------------------------


def draft_expiry(*, now=None) -> datetime.datetime:
    return (now or timezone.now()) + datetime.timedelta(days=settings.BOOKING_DRAFT_EXPIRY_DAYS)


def promotion_file_add(*, draft, upload) -> PromotionFile:
    """Keep a flyer with a draft (checked by content and size)."""
    with transaction.atomic():
        from .models import BookingDraft

        locked = BookingDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.files.count() >= settings.BOOKING_PROMOTION_FILES_MAX:
            raise ValidationError(f"You can upload up to {settings.BOOKING_PROMOTION_FILES_MAX} files. "
                                  "Remove one to add another", code="too_many")
        content_type = attachment_check(upload)
        stored = PromotionFile(draft=locked, original_name=display_name(upload.name),
                               content_type=content_type, size=upload.size)
        stored.file.save("promotion", upload, save=False)
        try:
            stored.save()
        except Exception:
            stored.file.delete(save=False)
            raise
        locked.expires_at = draft_expiry()
        locked.save(update_fields=["expires_at", "updated_at"])
    return stored
