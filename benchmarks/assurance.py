"""The Prevent duty assurance summary at council scale, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/assurance.py [--runs 50]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/assurance.py

Synthetic, obviously fictional records made in bulk in a scratch database
(created and dropped): 50,000 learners in 400 organisations with about
100,000 completions over five years (the training standing as at a day is
worked out from the completions, the heaviest figure), 25,000 referrals
over three years, half with a gateway outcome, and 150 panel meetings with
their attendance. Times, for a Prevent coordinator, in-process through every
middleware (session, second factor, access check, rendering), server time
from the Server-Timing header: the summary for the current year (as at
today), for last year (as at 31 March) and its CSV, with the staff home page
measured in the same run as the baseline. Target: the summary page ≤ 1 s
median at this size (it is read a few times a year, by a handful of people).
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
    page_rows,
    run_workers,
    scratch_database,
    signed_in_client,
    time_pages,
    worker_url,
)
from harness import table, write_section  # noqa: E402

TARGET_MS = 1000
LEARNERS = 50_000
ORGANISATIONS = 400
REFERRALS = 25_000
MEETINGS = 150
BATCH = 5_000


def seed(rng) -> dict:
    """Everything in bulk; returns who reads the pages and the years."""
    from django.utils import timezone

    from prevent_hub.access.roles import Role
    from prevent_hub.accounts.models import Organisation
    from prevent_hub.accounts.tests.factories import UserFactory
    from prevent_hub.core.quarters import financial_year_of
    from prevent_hub.panels.models import Attendance, MeetingStatus, PanelMeeting
    from prevent_hub.panels.tests.factories import PanelFactory
    from prevent_hub.referrals.models import GatewayOutcome, Referral, ReferralKind, ReferralStatus
    from prevent_hub.training.models import Completion, CompletionSource, Course, Learner
    from prevent_hub.training.services import expires_on, learner_dates_refresh

    today = timezone.localdate()
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR], full_name="Benchmark Example Coordinator")
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Fictional School {number} (demo)", type="education")
        for number in range(ORGANISATIONS))
    learners = Learner.objects.bulk_create(
        (Learner(reference=f"LRN-B{number:07d}", full_name=f"Alex Example-Learner{number}",
                 email=f"learner{number}@example.test", organisation=rng.choice(organisations),
                 job_role=rng.choice(["Teacher", "Teaching assistant", "Youth worker", "Nurse"]),
                 is_safeguarding_lead=rng.random() < 0.05,
                 left_on=(today - datetime.timedelta(days=rng.randrange(1, 700))
                          if rng.random() < 0.05 else None))
         for number in range(LEARNERS)), batch_size=BATCH)
    courses = {course.code: course for course in Course.objects.all()}
    completions = []

    def done(learner, code, day, *, within=(0, 1)):
        day = min(today, day + datetime.timedelta(days=rng.randrange(*within)))
        completions.append(Completion(learner=learner, course=courses[code], completed_on=day,
                                      expires_on=expires_on(courses[code], day),
                                      source=CompletionSource.IMPORT))

    for learner in learners:
        if rng.random() < 0.1:
            continue  # never trained
        day = today - datetime.timedelta(days=rng.randrange(0, 5 * 365))
        done(learner, "prevent-awareness", day)
        if learner.is_safeguarding_lead or rng.random() < 0.3:
            done(learner, "prevent-referrals", day, within=(0, 200))
        if rng.random() < 0.4:
            done(learner, "prevent-refresher", day, within=(300, 900))
    Completion.objects.bulk_create(completions, batch_size=BATCH, ignore_conflicts=True)
    ids = [learner.pk for learner in learners]
    for start in range(0, len(ids), BATCH):
        learner_dates_refresh(ids[start:start + BATCH])

    now = timezone.now()
    outcomes = list(GatewayOutcome)
    referrals = []
    for number in range(REFERRALS):
        received = now - datetime.timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
        decided = rng.random() < 0.5
        referrals.append(Referral(
            reference=f"PRV-B-{number:07d}", kind=rng.choice(list(ReferralKind)), received_at=received,
            status=ReferralStatus.DECIDED if decided else ReferralStatus.NEW,
            concern_description="Fictional benchmark concern.",
            gateway_outcome=rng.choice(outcomes) if decided else "",
            gateway_decided_on=min(today, timezone.localdate(received) + datetime.timedelta(days=5))
            if decided else None))
    Referral.objects.bulk_create(referrals, batch_size=BATCH)

    panel = PanelFactory()
    meetings = PanelMeeting.objects.bulk_create(
        PanelMeeting(panel=panel, date=today - datetime.timedelta(days=7 * number),
                     start_time=datetime.time(10), status=MeetingStatus.HELD, created_at=now,
                     created_by=panel.chair)
        for number in range(1, MEETINGS + 1))
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, name=f"Sam Example-Member{seat}", organisation_name="Fictional Council",
                   organisation_type="local_authority", apologies=seat == 7, recorded_at=now,
                   recorded_by=panel.chair)
        for meeting in meetings for seat in range(8))
    year = financial_year_of(today)
    return {"coordinator": coordinator, "year": year, "completions": len(completions)}


PAGES = [
    ("staff home page (baseline)", False),
    ("summary, this year (as at today)", True),
    ("summary, last year (as at 31 March)", True),
    ("summary as a spreadsheet (CSV), last year", False),
]


def measure(client, made, runs):
    from django.urls import reverse

    last = made["year"] - 1
    return time_pages({
        "staff home page (baseline)": (client, reverse("staff:home"), {}),
        "summary, this year (as at today)": (client, reverse("assurance:summary"), {}),
        "summary, last year (as at 31 March)": (client, reverse("assurance:summary-year", args=[last]), {}),
        "summary as a spreadsheet (CSV), last year": (client, reverse("assurance:summary-csv", args=[last]),
                                                      {}),
    }, runs)


def worker(url, runs):
    with scratch_database(url) as env, django_in(env):
        import time

        started = time.perf_counter()
        made = seed(random.Random(18))
        seeded = time.perf_counter() - started
        analyse()
        results = measure(signed_in_client(made["coordinator"]), made, runs)
        print(json.dumps({"pages": results, "seed_seconds": seeded, "completions": made["completions"]}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args, _ = parser.parse_known_args()
    url = worker_url(sys.argv)
    if url is not False:
        return worker(url, args.runs)

    results = run_workers(__file__, ["--runs", str(args.runs)])
    rows, ok = page_rows(results, PAGES, baseline="staff home page (baseline)", target_ms=TARGET_MS)
    first = next(iter(results.values()))
    seeded = "; ".join(f"{label} {result['seed_seconds']:.0f} s" for label, result in results.items())
    markdown = "\n\n".join([
        "## The Prevent duty assurance summary (issue 18)",
        f"`benchmarks/assurance.py`: {LEARNERS:,} learners in {ORGANISATIONS} organisations with "
        f"{first['completions']:,} completions over five years, {REFERRALS:,} referrals over three years "
        f"(half with a gateway outcome) and {MEETINGS} panel meetings with their attendance, made in bulk "
        f"in a scratch database (seeded in {seeded}), all fictional. Each figure is over {args.runs} "
        "requests (after 10 warm-up requests) as a Prevent coordinator, in-process through every "
        "middleware, server time from the `Server-Timing` header, with the staff home page as the "
        "baseline in the same run. The summary reads a fixed number of aggregate queries whatever is "
        "recorded (a test holds it to its count); the training standing as at a day works out every "
        "learner's latest refresh date from their completions up to that day in one grouped query. "
        f"Target: the summary page, median ≤ {TARGET_MS} ms.",
        table(["database", "page", "median ms", "p95 ms", "× home page", "queries", "target"], rows),
    ])
    write_section("assurance", markdown)
    print(markdown)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
