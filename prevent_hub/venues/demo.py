"""Demo venues and bookings. Every venue, group, booker and speaker is
invented and obviously so.

Two venues with rooms and opening hours, a closure, and a booking in every
status a booking can have, each made through the services as the booker's
and the officers' clicks would: the venue booking officer checks and
decides, the demo Prevent coordinator (the council's Prevent lead for venue
hire) gives advice and decides appeals against the officer's decisions.
"""

import datetime

from django.utils import timezone

from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.accounts.models import User
from prevent_hub.audit.context import acting_as

from . import services
from .models import BookingConditions, BookingStatus, CheckOutcome, VenueKind

OPEN_ALL_WEEK = {day: (datetime.time(9), datetime.time(21)) for day in range(6)}

VENUES = [
    ("Shireford Central Library (demo)", VenueKind.LIBRARY, "1 Fictional Square, Shireford, SF1 1AA",
     [("Meeting Room A", 30), ("Lecture Theatre", 120)]),
    ("Northgate Community Centre (demo)", VenueKind.COMMUNITY_CENTRE, "22 Example Road, Northgate, SF4 2ZZ",
     [("Main Hall", 200), ("Small Room", 15)]),
]

# (title, organisation, admission, speakers) for each status's booking.
STORIES = {
    BookingStatus.REQUESTED: ("Knitting circle open afternoon", "Shireford Demo Knitters", "open", []),
    BookingStatus.CHECKING: ("Local history talk", "Northgate Demo History Society", "open",
                             [("Dr Ada Example-Historian", "Demo University", "The old mill")]),
    BookingStatus.ESCALATED: ("Community debate on local issues", "Demo Debating Forum", "ticketed",
                              [("Sam Example-Speaker", "", "Town centre parking"),
                               ("Jo Example-Panellist", "Demo Residents' Group", "Youth services")]),
    BookingStatus.APPROVED: ("Chess club tournament", "Shireford Demo Chess Club", "open", []),
    BookingStatus.APPROVED_WITH_CONDITIONS: ("Charity fundraising dinner", "Demo Food Bank Friends",
                                             "ticketed", [("Chris Example-Host", "", "Welcome")]),
    BookingStatus.REFUSED: ("Invitation-only seminar", "Demo Unregistered Group", "invitation",
                            [("Unnamed Example-Guest", "", "Not given")]),
    BookingStatus.APPEALED: ("Film screening and discussion", "Demo Film Society", "ticketed",
                             [("Robin Example-Director", "Demo Films", "Making a documentary")]),
    BookingStatus.APPEAL_UPHELD: ("Faith groups' open day", "Northgate Demo Interfaith Forum", "open",
                                  [("Alex Example-Chair", "Demo Interfaith Forum", "Welcome and tour")]),
    BookingStatus.APPEAL_DISMISSED: ("Late-night music event", "Demo Music Collective", "ticketed", []),
    BookingStatus.CHANGED_AWAITING_REAPPROVAL: ("Parents' coffee morning", "Demo Parents' Network", "open",
                                                [("Pat Example-Nurse", "Demo Health Visitors", "Sleep")]),
    BookingStatus.WITHDRAWN: ("Book launch", "Demo Independent Press", "open",
                              [("Lee Example-Author", "", "Reading from a new novel")]),
    BookingStatus.CANCELLED: ("Craft fair", "Demo Makers' Market", "open", []),
}


def _user(local):
    return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")


def _venues(officer):
    rooms = []
    for name, kind, address, venue_rooms in VENUES:
        venue = services.venue_create(name=name, kind=kind, address=address, acting_user=officer)
        services.opening_hours_set(venue=venue, hours=OPEN_ALL_WEEK, acting_user=officer)
        rooms += [services.room_create(venue=venue, name=room, capacity=capacity, acting_user=officer)
                  for room, capacity in venue_rooms]
    return rooms


def _weekday(days_ahead: int) -> datetime.date:
    """A Monday-to-Saturday date about `days_ahead` days from today."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    return day + datetime.timedelta(days=1) if day.weekday() == 6 else day


def _submitted(room, number, status, conditions):
    title, organisation, admission, speakers = STORIES[status]
    details = {
        "room": room, "event_date": _weekday(10 + 3 * number),
        "starts_at": datetime.time(10 + number % 8), "ends_at": datetime.time(12 + number % 8),
        "booker_name": f"Demo Booker-{chr(65 + number)}", "booker_other_names": "",
        "booker_email": f"booker{number}@{DEMO_DOMAIN}", "booker_phone": "01632 960 000",
        "booker_address": f"{number + 1} Demo Lane, Shireford, SF2 {number}AB",
        "organisation_name": organisation, "booking_capacity": "own", "other_organisation_name": "",
        "website": "https://demo.example", "charity_number": "" if number % 2 else "1000000",
        "company_number": "", "equality_policy": "has_one" if number % 2 else "will_sign",
        "title": title, "theme": "A fictional demo event", "agenda": "Welcome; main event; close",
        "expected_audience": min(room.capacity, 12), "audience_description": "Local residents (demo)",
        "admission": admission, "promotion": "Posters in the venue (demo)",
    }
    booking, _created = services.booking_submit(
        details=details, speakers=[{"name": n, "organisation": o, "topic": t} for n, o, t in speakers],
        conditions=conditions, submission_key=f"demo-{number}")
    return booking


def _checked(booking, officer, *, concerns=False):
    booking.refresh_from_db()
    subjects = [("booker", None)] + ([("organisation", None)] if booking.organisation_name else [])
    subjects += [("speaker", speaker) for speaker in booking.speakers.all()]
    for subject, speaker in subjects:
        for kind in services.CHECKS_FOR[subject]:
            found = CheckOutcome.CONCERNS if concerns and subject != "booker" else CheckOutcome.NO_CONCERNS
            services.check_record(
                booking=booking, subject=subject, speaker=speaker, kind=kind, outcome=found,
                notes="Fictional demo: read the group's own website and leaflets; two references taken by "
                      "phone." if found == CheckOutcome.NO_CONCERNS else
                      "Fictional demo: the group would not give its trustees' names or a registered address.",
                acting_user=officer)
    return booking


def _decided(booking, officer, outcome, **kwargs):
    clause_number = {"approve": None, "approve_with_conditions": "7", "refuse": "1"}[outcome]
    clause = booking.conditions.clauses.get(number=clause_number) if clause_number else None
    services.booking_decide(booking=booking, outcome=outcome, clause=clause, acting_user=officer,
                            reasons={"approve": "Fictional demo: no concerns found in any check.",
                                     "approve_with_conditions": "Fictional demo: a large ticketed event; "
                                                                "stewarding keeps it safe.",
                                     "refuse": "Fictional demo: the organiser would not say who the "
                                               "speakers are or who runs the group."}[outcome],
                            **kwargs)


def load():
    officer, lead = _user("venues"), _user("coordinator")
    conditions = BookingConditions.objects.order_by("-version").first()
    with acting_as(officer):
        rooms = _venues(officer)
        services.closure_add(venue=rooms[0].venue, starts_on=_weekday(60), ends_on=_weekday(62),
                             reason="Fictional demo: redecoration", acting_user=officer)
    made = {}
    for number, status in enumerate(STORIES):
        with acting_as(None):
            made[status] = _submitted(rooms[number % len(rooms)], number, status, conditions)
    with acting_as(officer):
        _checked(made[BookingStatus.CHECKING], officer)
        for status in (BookingStatus.APPROVED, BookingStatus.APPROVED_WITH_CONDITIONS, BookingStatus.APPEALED,
                       BookingStatus.APPEAL_UPHELD, BookingStatus.APPEAL_DISMISSED,
                       BookingStatus.CHANGED_AWAITING_REAPPROVAL):
            _checked(made[status], officer)
        _checked(made[BookingStatus.REFUSED], officer, concerns=True)
        escalated = _checked(made[BookingStatus.ESCALATED], officer)
        escalation = services.booking_escalate(
            booking=escalated, acting_user=officer,
            reason="Fictional demo: a speaker's past statements were reported in a local newsletter; I would "
                   "like the Prevent lead's view.")
        _decided(made[BookingStatus.APPROVED], officer, "approve")
        _decided(made[BookingStatus.CHANGED_AWAITING_REAPPROVAL], officer, "approve")
        _decided(made[BookingStatus.REFUSED], officer, "refuse")
        for status in (BookingStatus.APPROVED_WITH_CONDITIONS, BookingStatus.APPEAL_UPHELD,
                       BookingStatus.APPEAL_DISMISSED):
            _decided(made[status], officer, "approve_with_conditions",
                     conditions=["Two stewards at the door throughout the event",
                                 "The event ends by the booked time"])
        _decided(made[BookingStatus.APPEALED], officer, "refuse")
    with acting_as(lead):
        services.escalation_advise(escalation=escalation, acting_user=lead,
                                   advice="Fictional demo: nothing known to the Prevent team about these "
                                          "speakers. Approving with an independent chair would be "
                                          "proportionate.")
    with acting_as(None):
        for status, grounds in ((BookingStatus.APPEALED, "Fictional demo: we can name our speakers now."),
                                (BookingStatus.APPEAL_UPHELD, "Fictional demo: we cannot afford stewards."),
                                (BookingStatus.APPEAL_DISMISSED, "Fictional demo: we do not need stewards.")):
            services.appeal_lodge(booking=made[status], grounds=grounds)
        changed = made[BookingStatus.CHANGED_AWAITING_REAPPROVAL]
        services.booking_change(booking=changed, details={"agenda": "Welcome; talk on sleep; questions"},
                                speakers=[{"name": s.name, "organisation": s.organisation, "topic": s.topic}
                                          for s in changed.speakers.all()]
                                + [{"name": "Kim Example-Visitor", "organisation": "", "topic": "Play"}])
        services.booking_withdraw(booking=made[BookingStatus.WITHDRAWN],
                                  reason="Fictional demo: the author is unwell.")
    with acting_as(lead):
        for status, outcome, reasons in (
                (BookingStatus.APPEAL_UPHELD, "upheld",
                 "Fictional demo: a small event; the venue's own staff are enough."),
                (BookingStatus.APPEAL_DISMISSED, "dismissed", "Fictional demo: a late event with a large "
                                                              "audience needs stewards.")):
            appeal = made[status].appeals.get()
            services.appeal_decide(appeal=appeal, outcome=outcome, reasons=reasons, acting_user=lead)
    with acting_as(officer):
        services.booking_cancel(booking=made[BookingStatus.CANCELLED], acting_user=officer,
                                reason="Fictional demo: the hall's heating has failed on that day.")
