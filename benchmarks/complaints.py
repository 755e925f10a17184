"""The complaints dashboard and quarterly counts, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/complaints.py [--runs 100]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/complaints.py

Synthetic, obviously fictional complaints made in bulk in a scratch database
(created and dropped): 10,000 received over three years up to today, most
answered (responded to, passed on or signposted), some withdrawn, the last
few weeks' still open (awaiting triage or being investigated, some overdue,
some extended), with deadlines worked out in working days as the service
does. Times, for a complaints officer, in-process through every middleware
(session, second factor, access check, the audit event each page writes,
rendering), server time from the Server-Timing header: the dashboard (first
page, a page far down, the overdue filter, a search by one word and by two,
a search by reference, and an investigating officer's own) and the
quarterly counts (every year, and one financial year), with the staff home
page measured in the same run as the baseline. Target (issue 17): the dashboard ≤ 50 ms
median.
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
COMPLAINTS = 10_000
DAYS = 3 * 365
NAMES = ["Alex Example", "Sam Sample", "Robin Placeholder", "Jo Specimen", "Chris Demo", "Pat Testworth"]
ORGANISATIONS = {"council": "", "school": "Benchford Example Academy", "police": "Example Police (fictional)",
                 "health": "Sample Health Trust", "other": "Placeholder Youth Club"}
# (status, scope, share) for complaints received more than six weeks ago,
# and for those received since.
OLD = [("responded", "application_of_duty_by_us", 55), ("passed_on", "application_of_duty_by_other", 20),
       ("signposted", "policy", 12), ("signposted", "application_of_duty_by_other", 5),
       ("withdrawn", "", 8)]
RECENT = [("received", "", 25), ("received", "application_of_duty_by_other", 10),
          ("investigating", "application_of_duty_by_us", 45), ("responded", "application_of_duty_by_us", 10),
          ("passed_on", "application_of_duty_by_other", 5), ("withdrawn", "", 5)]
CATEGORIES = ["referral", "channel", "information_sharing", "staff_conduct", "training", "venue_hire",
              "communication", "other"]
FINDINGS = ["upheld", "partly_upheld", "not_upheld"]
INVESTIGATORS = 8


def seed(rng) -> dict:
    """10,000 complaints; returns what the pages need."""
    from django.db import transaction
    from django.utils import timezone

    from prevent_hub.access.roles import Role
    from prevent_hub.accounts.models import User
    from prevent_hub.accounts.tests.factories import UserFactory
    from prevent_hub.complaints.models import Complaint
    from prevent_hub.core.dates import add_months
    from prevent_hub.core.working_days import WorkingCalendar

    officer = User.objects.get(pk=UserFactory(roles=[Role.COMPLAINTS_OFFICER],
                                              full_name="Benchmark Example Officer").pk)
    investigators = [User.objects.get(pk=UserFactory(roles=[Role.INVESTIGATING_OFFICER],
                                                     full_name=f"Benchmark Investigator {n}").pk)
                     for n in range(1, INVESTIGATORS + 1)]
    calendar = WorkingCalendar.load()
    today, now = timezone.localdate(), timezone.now()
    complaints = []
    for n in range(1, COMPLAINTS + 1):
        received = today - datetime.timedelta(days=rng.randrange(DAYS))
        acknowledge_by = calendar.add_working_days(received, 3)
        respond_by = calendar.add_working_days(received, 20)
        recent = (today - received).days < 42
        rows = RECENT if recent else OLD
        status, scope, _share = rng.choices(rows, weights=[row[2] for row in rows])[0]
        kind = "council" if scope == "application_of_duty_by_us" else rng.choice(list(ORGANISATIONS))
        closed = status not in ("received", "investigating")
        extended = status in ("investigating", "responded") and rng.random() < 0.1
        extended_to = calendar.add_working_days(respond_by, 10) if extended else None
        answered = None
        if closed and status != "withdrawn":
            late = rng.random() < 0.15
            answered = min(today, calendar.add_working_days(received, rng.randrange(21, 30) if late
                                                            else rng.randrange(2, 20)))
        closed_on = (answered or min(today, received + datetime.timedelta(days=rng.randrange(1, 30)))
                     if closed else None)
        complaints.append(Complaint(
            reference=f"CMP-{received:%Y}-{n:06d}", status=status, source="online",
            received_at=timezone.make_aware(datetime.datetime.combine(received, datetime.time(10))),
            received_on=received, complainant_name=f"{rng.choice(NAMES)} {n}", relationship="parent_or_carer",
            contact_preference="email", email=f"complainant{n}@example.org",
            what_happened="Fictional account of what happened.", organisation_kind=kind,
            organisation_name=ORGANISATIONS[kind], outcome_wanted="A fictional outcome.",
            scope=scope, category=rng.choice(CATEGORIES) if scope else "",
            triaged_at=now if scope else None, triaged_by=officer if scope else None,
            owner=officer if scope else None,
            investigator=rng.choice(investigators) if status in ("investigating", "responded") else None,
            acknowledge_by=acknowledge_by, respond_by=respond_by,
            extended_to=extended_to,
            acknowledged_on=None if (recent and status == "received" and rng.random() < 0.5) else received,
            responded_on=answered, closed_on=closed_on,
            outcome=rng.choice(FINDINGS) if status == "responded" else "",
            retain_until=add_months(closed_on, 72) if closed_on else None))
    with transaction.atomic():
        Complaint.objects.bulk_create(complaints, batch_size=1000)
    counts = {}
    for complaint in complaints:
        counts[complaint.status] = counts.get(complaint.status, 0) + 1
    busiest = max(investigators, key=lambda user: sum(c.investigator == user for c in complaints))
    return {"officer": officer, "investigator": busiest, "statuses": counts,
            "investigated": sum(c.investigator == busiest for c in complaints),
            "reference": complaints[len(complaints) // 2].reference,
            "year": today.year if today.month >= 4 else today.year - 1}


# (page, whether the target applies to it)
PAGES = [
    ("staff home page (baseline)", False),
    ("dashboard, first page", True),
    ("dashboard, page 200", True),
    ("dashboard, overdue only", True),
    ("dashboard, searched by words", True),
    ("dashboard, searched by two words", True),
    ("dashboard, searched by reference", True),
    ("dashboard, an investigating officer's", True),
    ("quarterly counts, every year", False),
    ("quarterly counts, one financial year", False),
]


def requests_for(made) -> dict:
    """Each page's (who asks, url name, query). "sample trust" matches a
    name in six and every health trust's complaint: each word has to be
    looked for in two names on every row."""
    return {
        "staff home page (baseline)": ("officer", "staff:home", {}),
        "dashboard, first page": ("officer", "complaints:dashboard", {}),
        "dashboard, page 200": ("officer", "complaints:dashboard", {"page": 200}),
        "dashboard, overdue only": ("officer", "complaints:dashboard", {"status": "overdue"}),
        "dashboard, searched by words": ("officer", "complaints:dashboard", {"q": "robin"}),
        "dashboard, searched by two words": ("officer", "complaints:dashboard", {"q": "sample trust"}),
        "dashboard, searched by reference": ("officer", "complaints:dashboard", {"q": made["reference"]}),
        "dashboard, an investigating officer's": ("investigator", "complaints:dashboard", {}),
        "quarterly counts, every year": ("officer", "complaints:counts", {}),
        "quarterly counts, one financial year": ("officer", "complaints:counts", {"year": made["year"]}),
    }


def measure(clients, made, runs):
    from django.urls import reverse

    return time_pages({name: (clients[whose], reverse(url_name), params)
                       for name, (whose, url_name, params) in requests_for(made).items()}, runs)


def plans(made):
    from django.utils import timezone

    from prevent_hub.complaints import selectors
    from prevent_hub.core.working_days import WorkingCalendar

    today = timezone.localdate()
    clocks = selectors.Clocks(today=today, soon=WorkingCalendar.load().add_working_days(today, 3))
    listed = selectors.complaints_filtered(user=made["officer"], filters=selectors.DashboardFilters(),
                                           clocks=clocks)
    return {"dashboard's first page, open complaints": explain(listed.first[:25]),
            "dashboard's first page, the rest": explain(listed.rest[:25])}


def worker(url, runs):
    with scratch_database(url) as env, django_in(env):
        import time

        started = time.perf_counter()
        made = seed(random.Random(17))
        seeded = time.perf_counter() - started
        analyse()
        clients = {"officer": signed_in_client(made["officer"]),
                   "investigator": signed_in_client(made["investigator"])}
        results = measure(clients, made, runs)
        print(json.dumps({"pages": results, "plans": plans(made), "seed_seconds": seeded,
                          "statuses": made["statuses"], "investigated": made["investigated"]}))


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
        "## The complaints dashboard and quarterly counts (issue 17)",
        f"`benchmarks/complaints.py`: {COMPLAINTS:,} complaints made in bulk in a scratch database (seeded "
        f"in {seeded}), received over three years up to today, all fictional; by status: {statuses}; "
        "deadlines in working days as the service works them out, some extended, some overdue; "
        f"{INVESTIGATORS} investigating officers, the busiest with {first['investigated']:,} complaints. "
        f"Each figure is over {args.runs} requests (after 10 warm-up requests) as a complaints officer "
        "(and that investigating officer for their own dashboard), "
        "in-process through every middleware (session saved, second factor, access check, the audit event "
        "each page writes, rendering): server time from the `Server-Timing` header, with the staff home "
        "page as the baseline in the same run. The dashboard reads the bank holidays, the summary cards "
        "(one aggregate over open complaints), the list's counts and its page of 25 rows as two slices, "
        "open complaints (by the day a response is due) and the rest (newest first), whatever the number "
        "of complaints; the counts page when the first and last complaints came and every count in one "
        "query, whatever the number of quarters. Tests hold both to their counts. "
        f"Target: the dashboard, median ≤ {TARGET_MS} ms.",
        table(["database", "page", "median ms", "p95 ms", "× home page", "queries", "target"], rows),
        "Query plans at this size:",
        *plan_sections(results),
    ])
    write_section("complaints", markdown)
    print(markdown)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
