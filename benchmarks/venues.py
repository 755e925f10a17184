"""Venue calendars and the venue bookings dashboard, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/venues.py [--runs 100]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/venues.py

Synthetic, obviously fictional bookings made in bulk in a scratch database
(created and dropped): one busy venue with four rooms and 2,000 bookings in
the year around today (six months back, six ahead), and nine other venues
with 8,000 more over three years: 10,000 in all, in every status (most
approved, some awaiting action, refused, appealed, withdrawn or cancelled),
with their decisions, escalations and appeals. Times, for a venue booking
officer, in-process through every middleware (session, second factor, access
check, the audit event each page writes, rendering), server time from the
Server-Timing header: the busy venue's month calendar (its busiest month,
every room and one room), its week calendar, the dashboard (first page, the
awaiting-action filter, a search by words) and the quarterly counts, with the
staff home page measured in the same run as the baseline. Targets (issue 16):
the month calendar and the dashboard ≤ 50 ms median.
"""

import argparse
import datetime
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_common import (  # noqa: E402
    analyse,
    django_in,
    explain,
    page_rows,
    plan_sections,
    run_workers,
    scratch_database,
    signed_in_client,
    time_pages,
    worker_url,
)
from harness import table, write_section  # noqa: E402

TARGET_MS = 50
BUSY_VENUE_BOOKINGS = 2_000
OTHER_BOOKINGS = 8_000
OTHER_VENUES = 9
ROOMS = ["Main Hall", "Meeting Room 1", "Meeting Room 2", "Study Room"]
# Three slots a day, so a room is never double-booked.
SLOTS = [(datetime.time(9), datetime.time(12)), (datetime.time(13), datetime.time(17)),
         (datetime.time(18), datetime.time(21))]
TITLES = ["Fictional quiz night", "Example knitting circle", "Sample chess club", "Demo family fun day",
          "Placeholder history talk", "Specimen yoga class", "Testford poetry evening", "Mock job fair"]
NAMES = ["Alex Example", "Sam Sample", "Robin Placeholder", "Jo Specimen", "Chris Demo", "Pat Testworth"]
ORGANISATIONS = ["Example Residents Group", "Sample Chess Society", "", "Demo Arts Trust",
                 "Placeholder History Club"]
# (status, decision outcome, share) for events already held, and for those to come.
PAST = [("approved", "approve", 70), ("approved_with_conditions", "approve_with_conditions", 10),
        ("refused", "refuse", 4), ("appeal_dismissed", "refuse", 1), ("appeal_upheld", "refuse", 1),
        ("withdrawn", "", 8), ("cancelled", "approve", 6)]
FUTURE = [("requested", "", 8), ("checking", "", 5), ("escalated", "", 2),
          ("changed_awaiting_reapproval", "approve", 1), ("appealed", "refuse", 1),
          ("approved", "approve", 66), ("approved_with_conditions", "approve_with_conditions", 8),
          ("refused", "refuse", 3), ("withdrawn", "", 6)]
DECIDED = {"approved", "approved_with_conditions", "refused", "appeal_dismissed", "appeal_upheld",
           "cancelled", "changed_awaiting_reapproval", "appealed"}


def seed(rng) -> dict:
    """The venues, rooms and 10,000 bookings; returns what the pages need."""
    from django.db import transaction
    from django.utils import timezone

    from prevent_hub.access.roles import Role
    from prevent_hub.accounts.models import User
    from prevent_hub.accounts.tests.factories import UserFactory
    from prevent_hub.venues.models import (
        Appeal,
        BookingConditions,
        BookingDecision,
        Escalation,
        OpeningHours,
        Room,
        Venue,
        VenueBooking,
    )

    officer = User.objects.get(pk=UserFactory(roles=[Role.VENUE_BOOKING_OFFICER],
                                              full_name="Benchmark Example Officer").pk)
    conditions = BookingConditions.objects.get(version=1)
    refusal_clause = conditions.clauses.get(number="3")
    today, now = timezone.localdate(), timezone.now()
    with transaction.atomic():
        kinds = [("Library", "library")] + [("Community Centre", "community_centre")] * OTHER_VENUES
        venues = Venue.objects.bulk_create(
            Venue(name=f"Benchford Example {kind} {n}", kind=value,
                  address=f"{n} Fictional Street, Benchford")
            for n, (kind, value) in enumerate(kinds, start=1))
        rooms = {venue.pk: Room.objects.bulk_create(
            Room(venue=venue, name=name, capacity=rng.choice([20, 40, 120])) for name in ROOMS)
            for venue in venues}
        OpeningHours.objects.bulk_create(OpeningHours(venue=venue, weekday=day, opens=datetime.time(8),
                                                      closes=datetime.time(22))
                                         for venue in venues for day in range(7))
        busy, others = venues[0], venues[1:]
        slots_taken, bookings = set(), []

        def add(venue, first_day, days):
            while True:
                room = rng.choice(rooms[venue.pk])
                day = first_day + datetime.timedelta(days=rng.randrange(days))
                slot = rng.randrange(len(SLOTS))
                if (room.pk, day, slot) not in slots_taken:
                    break
            slots_taken.add((room.pk, day, slot))
            table_ = PAST if day < today else FUTURE
            status, outcome, _share = rng.choices(table_, weights=[row[2] for row in table_])[0]
            asked = day - datetime.timedelta(days=rng.randrange(10, 90))
            received = min(now - datetime.timedelta(hours=rng.randrange(1, 72)),
                           timezone.make_aware(datetime.datetime.combine(asked, datetime.time(10))))
            n = len(bookings) + 1
            bookings.append(VenueBooking(
                reference=f"VEN-{received:%Y}-{n:06d}", status=status, received_at=received, room=room,
                venue=venue, event_date=day, starts_at=SLOTS[slot][0], ends_at=SLOTS[slot][1],
                booker_name=rng.choice(NAMES), booker_email="booker@example.org",
                booker_address="1 Fictional Road, Benchford", organisation_name=rng.choice(ORGANISATIONS),
                equality_policy="has_one", title=rng.choice(TITLES), agenda="Fictional agenda",
                expected_audience=rng.randrange(5, 20), audience_description="Fictional audience",
                admission="open", conditions=conditions, conditions_accepted_at=received,
                decision_outcome=outcome, appeal_by=day if outcome in ("refuse", "approve_with_conditions")
                else None, ended_at=now if status in ("withdrawn", "cancelled") else None,
                end_reason="Fictional" if status in ("withdrawn", "cancelled") else ""))

        for _ in range(BUSY_VENUE_BOOKINGS):
            add(busy, today - datetime.timedelta(days=182), 365)
        for _ in range(OTHER_BOOKINGS):
            add(rng.choice(others), today - datetime.timedelta(days=900), 1095)
        VenueBooking.objects.bulk_create(bookings, batch_size=1000)
        made = list(VenueBooking.objects.values_list("pk", "status", "decision_outcome", "received_at"))
        decisions = BookingDecision.objects.bulk_create([
            BookingDecision(booking_id=pk, outcome=outcome, reasons="Fictional reasons",
                            clause=None if outcome == "approve" else refusal_clause,
                            decided_at=received + datetime.timedelta(days=3),
                            decided_on=(received + datetime.timedelta(days=3)).date(), decided_by=officer)
            for pk, status, outcome, received in made if status in DECIDED and outcome], batch_size=1000)
        Escalation.objects.bulk_create([
            Escalation(booking_id=pk, reason="Fictional reason", escalated_at=received, escalated_by=officer)
            for pk, status, _outcome, received in made if status == "escalated" or rng.random() < 0.03],
            batch_size=1000)
        by_booking = {decision.booking_id: decision for decision in decisions}
        Appeal.objects.bulk_create([
            Appeal(booking_id=pk, decision=by_booking[pk], grounds="Fictional grounds", lodged_at=received)
            for pk, status, _outcome, received in made
            if status in ("appealed", "appeal_upheld", "appeal_dismissed")], batch_size=1000)
    per_month = {}
    for booking in bookings:
        if booking.venue_id == busy.pk and booking.status not in ("withdrawn", "cancelled"):
            key = booking.event_date.replace(day=1)
            per_month[key] = per_month.get(key, 0) + 1
    busiest = max(per_month, key=per_month.get)
    return {"officer": officer, "venue": busy, "room": rooms[busy.pk][0], "busiest": busiest,
            "in_busiest": per_month[busiest], "statuses": _count_statuses(bookings)}


def _count_statuses(bookings) -> dict:
    counts = {}
    for booking in bookings:
        counts[booking.status] = counts.get(booking.status, 0) + 1
    return counts


# (page, whether the target applies to it)
PAGES = [
    ("staff home page (baseline)", False),
    ("dashboard, first page", True),
    ("dashboard, awaiting action only", True),
    ("dashboard, searched by words", True),
    ("month calendar, busiest month, every room", True),
    ("month calendar, busiest month, one room", True),
    ("month calendar as a list", True),
    ("week calendar, every room", False),
    ("quarterly counts, every venue", False),
]


def requests_for(made) -> dict:
    """Each page's (url name, kwargs, query)."""
    venue, room, month = made["venue"], made["room"], made["busiest"]
    monday = month + datetime.timedelta(days=(7 - month.weekday()) % 7)
    calendar = ("venues:calendar-month", {"pk": venue.pk})
    return {
        "staff home page (baseline)": ("staff:home", {}, {}),
        "dashboard, first page": ("venues:dashboard", {}, {}),
        "dashboard, awaiting action only": ("venues:dashboard", {}, {"status": "awaiting"}),
        "dashboard, searched by words": ("venues:dashboard", {}, {"q": "chess"}),
        "month calendar, busiest month, every room": (*calendar, {"month": f"{month:%Y-%m}"}),
        "month calendar, busiest month, one room": (*calendar, {"month": f"{month:%Y-%m}", "room": room.pk}),
        "month calendar as a list": (*calendar, {"month": f"{month:%Y-%m}", "view": "list"}),
        "week calendar, every room": ("venues:calendar-week", {"pk": venue.pk}, {"week": monday.isoformat()}),
        "quarterly counts, every venue": ("venues:counts", {}, {}),
    }


def measure(client, made, runs):
    from django.urls import reverse

    return time_pages({name: (client, reverse(url_name, kwargs=kwargs), params)
                       for name, (url_name, kwargs, params) in requests_for(made).items()}, runs)


def plans(made):
    from django.utils import timezone

    from prevent_hub.venues import selectors

    user, venue, month = made["officer"], made["venue"], made["busiest"]
    last = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    calendar = selectors.calendar_bookings(user=user, venue=venue, first=month, last=last,
                                           today=timezone.localdate())
    listed = selectors.bookings_filtered(user=user, filters=selectors.DashboardFilters())
    return {"month calendar's bookings": explain(calendar),
            "dashboard's first page, awaiting action": explain(listed.awaiting[:25]),
            "dashboard's first page, the rest": explain(listed.rest[:25])}


def worker(url, runs):
    with scratch_database(url) as env, django_in(env):
        import time

        started = time.perf_counter()
        made = seed(random.Random(16))
        seeded = time.perf_counter() - started
        analyse()
        client = signed_in_client(made["officer"])
        results = measure(client, made, runs)
        print(json.dumps({"pages": results, "plans": plans(made), "seed_seconds": seeded,
                          "busiest": f"{made['busiest']:%B %Y}", "in_busiest": made["in_busiest"],
                          "statuses": made["statuses"]}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    args, _ = parser.parse_known_args()
    url = worker_url(sys.argv)
    if url is not False:
        return worker(url, args.runs)

    results = run_workers(__file__, ["--runs", str(args.runs)])
    rows, ok = page_rows(results, PAGES, baseline="staff home page (baseline)", target_ms=TARGET_MS)
    first = next(iter(results.values()))
    statuses = ", ".join(f"{status.replace('_', ' ')} {count:,}" for status, count in
                         sorted(first["statuses"].items(), key=lambda item: -item[1]))
    seeded = "; ".join(f"{label} {result['seed_seconds']:.0f} s" for label, result in results.items())
    markdown = "\n\n".join([
        "## Venue calendars and the venue bookings dashboard (issue 16)",
        f"`benchmarks/venues.py`: {BUSY_VENUE_BOOKINGS + OTHER_BOOKINGS:,} venue bookings made in bulk in a "
        f"scratch database (seeded in {seeded}): one venue with four rooms and {BUSY_VENUE_BOOKINGS:,} "
        "bookings in the year around today, and nine others with the rest over three years, all "
        f"fictional; by status: {statuses}; with their decisions, escalations and appeals. The busiest "
        f"month of the busy venue, {first['busiest']}, has {first['in_busiest']} bookings holding a room. "
        f"Each figure is over {args.runs} requests (after 10 warm-up requests) as a venue booking officer, "
        "in-process through every middleware (session saved, second factor, access check, the audit event "
        "each page writes, rendering): server time from the `Server-Timing` header, with the staff home "
        "page as the baseline in the same run. A calendar reads the venue, its rooms, opening hours, "
        "closures and the bookings of the days it shows (five queries); the dashboard the venues to "
        "filter by, the bank holidays, the rooms' names, the awaiting-action counts, the list's counts "
        "(one aggregate each) and its page of 25 rows as two slices, awaiting action and the rest, each "
        "in its index's order (seven), whatever the number of bookings; tests hold both to their counts. "
        f"Targets: the month calendar and the dashboard, median ≤ {TARGET_MS} ms.",
        table(["database", "page", "median ms", "p95 ms", "× home page", "queries", "target"], rows),
        "Query plans at this size:",
        *plan_sections(results),
    ])
    write_section("venues", markdown)
    print(markdown)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
