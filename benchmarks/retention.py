"""A retention dry run over national ten-year volume, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/retention.py [--runs 3]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/retention.py

Bulk-inserts into a scratch SQLite file (and, with BENCH_DATABASE_URL, a
scratch PostgreSQL database it creates and drops): 80,000 people, 100,000 referrals
(10,000 of them gone to Channel), 10,000 Channel cases and 2,000,000 timeline
entries, with 50 legal holds, and 50,000 learners (staff whose training is
recorded) with a completion each. A third of the referrals that did not go to
Channel are past their retain_until, a third closed but still kept, a third
open; 40% of the cases and a third of the learners are past theirs. All
synthetic and fictional.

Times `retention_run(dry_run=True)` (what the nightly run lists before it
deletes anything, and what the preview page runs), median of `--runs` runs,
with its query count, and shows EXPLAIN QUERY PLAN for the due-records
queries (they must use referral_by_retain_until, case_by_retain_until and
learner_by_retain_until).
Target: under one minute.
"""

import argparse
import datetime
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_common import (  # noqa: E402
    django_in,
    explain,
    make_users,
    run_workers,
    scratch_database,
    worker_url,
)
from harness import table, write_section  # noqa: E402

PEOPLE = 80_000
REFERRALS = 100_000
CASES = 10_000
ENTRIES = 2_000_000
HOLDS = 50
LEARNERS = 50_000
TARGET_S = 60
SLICE_CASES = 100
SLICE_REFERRALS = 300
SLICE_LEARNERS = 300


def seed(rng):
    from django.db import connection, transaction
    from django.utils import timezone

    from prevent_hub.channel.models import ChannelCase
    from prevent_hub.people.models import Person
    from prevent_hub.records.models import LegalHold
    from prevent_hub.referrals.models import Referral
    from prevent_hub.retention.models import RecordType
    from prevent_hub.retention.selectors import policy_in_force
    from prevent_hub.training.models import Completion, Course, Learner

    today = timezone.localdate()
    now = timezone.now()
    user = make_users(1, organisations=1)[0]
    closed = policy_in_force(RecordType.REFERRAL_CLOSED, today)
    not_adopted = policy_in_force(RecordType.CASE_NOT_ADOPTED, today)
    with transaction.atomic():
        Person.objects.bulk_create(
            [Person(given_name=f"Benchgiven{n}", family_name="Benchfamily", created_by=user)
             for n in range(PEOPLE)], batch_size=5_000)
        people = list(Person.objects.values_list("pk", flat=True))
        referrals = []
        for n in range(REFERRALS):
            received = now - datetime.timedelta(days=rng.randrange(3650))
            to_channel = n < CASES
            share = rng.random()
            until = None
            if not to_channel and share < 1 / 3:
                until = today - datetime.timedelta(days=rng.randrange(1, 2000))
            elif not to_channel and share < 2 / 3:
                until = today + datetime.timedelta(days=rng.randrange(1, 1100))
            referrals.append(Referral(
                reference=f"PRV-BENCH-{n + 1:07d}", kind="practitioner", status="decided",
                received_at=received,
                referrer_name="Bench Referrer", concern_description="Made-up benchmark concern.",
                person_id=rng.choice(people), retain_until=until,
                retention_policy=closed if until else None))
        Referral.objects.bulk_create(referrals, batch_size=5_000)
        channel_referrals = list(Referral.objects.filter(reference__lte=f"PRV-BENCH-{CASES:07d}")
                                 .values_list("pk", "person_id"))
        cases = []
        for n, (referral_id, person_id) in enumerate(channel_referrals):
            past = rng.random() < 0.4
            later = today + datetime.timedelta(days=rng.randrange(1, 2000)) if rng.random() < 0.5 else None
            until = today - datetime.timedelta(days=rng.randrange(1, 1500)) if past else later
            cases.append(ChannelCase(reference=f"CH-BENCH-{n + 1:06d}", person_id=person_id,
                                     referral_id=referral_id, status="closed" if until else "support",
                                     opened_at=now, opened_by=user, retain_until=until,
                                     retention_policy=not_adopted if until else None))
        ChannelCase.objects.bulk_create(cases, batch_size=5_000)
        case_rows = list(ChannelCase.objects.values_list("pk", "person_id"))
        with connection.cursor() as cursor:
            for _batch in range(0, ENTRIES, 50_000):
                rows = []
                for _ in range(50_000):
                    if rng.random() < 0.6:
                        case_id, person_id = rng.choice(case_rows)
                    else:
                        case_id, person_id = None, rng.choice(people)
                    rows.append((case_id, person_id, now.isoformat(), "note", "Made-up line", "", "", None))
                cursor.executemany(
                    "INSERT INTO channel_chronologyentry (case_id, person_id, occurred_at, kind, summary, "
                    "object_type, object_id, recorded_by_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", rows)
        held = rng.sample(referrals[CASES:], HOLDS)
        LegalHold.objects.bulk_create([
            LegalHold(referral_id=Referral.objects.get(reference=referral.reference).pk,
                      reference=referral.reference, kind="complaint", reason="Made-up benchmark hold",
                      ends_on=today + datetime.timedelta(days=90), placed_by=user, placed_at=now)
            for referral in held])
        training = policy_in_force(RecordType.TRAINING_RECORD, today)
        Learner.objects.bulk_create([
            Learner(reference=f"LRN-B{n:07d}", full_name=f"Bench Learner{n}", email=f"learner{n}@bench.test",
                    organisation_id=user.organisation_id, retention_policy=training,
                    retain_until=today + datetime.timedelta(days=rng.randrange(-1500, 3000)))
            for n in range(LEARNERS)], batch_size=5_000)
        awareness = Course.objects.get(code="prevent-awareness")
        Completion.objects.bulk_create([
            Completion(learner_id=pk, course=awareness, completed_on=today - datetime.timedelta(days=2500),
                       expires_on=today - datetime.timedelta(days=1770), source="import")
            for pk in Learner.objects.values_list("pk", flat=True)], batch_size=5_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def worker(args):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from prevent_hub.records import deletion
    from prevent_hub.records.models import RunTrigger
    from prevent_hub.records.services import retention_run

    rng = random.Random(7)
    started = time.perf_counter()
    seed(rng)
    seeded = time.perf_counter() - started
    today = timezone.localdate()
    plans = {"referrals due": explain(deletion.referrals_due(today)),
             "cases due": explain(deletion.cases_due(today)),
             "learners due": explain(deletion.learners_due(today))}
    times, queries, counts = [], [], None
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as captured:
            begun = time.perf_counter()
            run = retention_run(dry_run=True, trigger=RunTrigger.COMMAND)
            times.append(time.perf_counter() - begun)
        queries.append(len(captured))
        counts = run.counts
    return {"seconds": times, "queries": queries, "counts": counts, "plans": plans, "seed_seconds": seeded,
            "deleting": deleting_slice(today)}


def deleting_slice(today):
    """What a real run costs per record: the first SLICE_CASES due cases
    (each with its referral), SLICE_REFERRALS due referrals and
    SLICE_LEARNERS due learners (each with a completion), deleted one
    by one as a real run deletes them (records.deletion.record_delete, a
    transaction each), timed each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from prevent_hub.records import deletion
    from prevent_hub.records.models import RetentionRun, RunTrigger

    due = [record for record in deletion.records_due(today) if record.hold is None]
    picked = ([record for record in due if record.object_type == deletion.CASE][:SLICE_CASES]
              + [record for record in due if record.object_type == deletion.REFERRAL][:SLICE_REFERRALS]
              + [record for record in due if record.object_type == deletion.LEARNER][:SLICE_LEARNERS])
    run = RetentionRun.objects.create(as_of=today, dry_run=False, trigger=RunTrigger.COMMAND,
                                      started_at=timezone.now())
    timings = {deletion.CASE: [], deletion.REFERRAL: [], deletion.LEARNER: []}
    queries = {deletion.CASE: [], deletion.REFERRAL: [], deletion.LEARNER: []}
    for record in picked:
        # Django keeps only the last 9,000 queries: a full log counts none.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            begun = time.perf_counter()
            outcome = deletion.record_delete(record, run=run, as_of=today)
            timings[record.object_type].append((time.perf_counter() - begun) * 1000)
        queries[record.object_type].append(len(captured))
        assert outcome == "deleted", outcome
    return {kind: {"n": len(values), "median_ms": statistics.median(values),
                   "p95_ms": sorted(values)[int(len(values) * 0.95) - 1],
                   "queries": statistics.median(queries[kind])}
            for kind, values in timings.items() if values}


KINDS = {"channel.channelcase": "case with its referral", "referrals.referral": "referral",
         "training.learner": "learner with a completion"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args, _ = parser.parse_known_args()
    url = worker_url(sys.argv)
    if url is not False:
        with scratch_database(url) as env, django_in(env):
            result = worker(args)
        print(json.dumps(result, default=str))
        return 0

    results = run_workers(__file__, ["--runs", str(args.runs)])
    rows, plans, ok, uses_index = [], [], True, True
    for label, result in results.items():
        median = statistics.median(result["seconds"])
        passed = median < TARGET_S
        counts = result["counts"]
        rows.append([label, f"{median:.1f}", ", ".join(f"{s:.1f}" for s in result["seconds"]),
                     statistics.median(result["queries"]), f"{counts['due']:,}",
                     f"{counts['would_delete']:,}", f"{counts['held']:,}", "pass" if passed else "MISSED"])
        indexed = ("referral_by_retain_until" in result["plans"]["referrals due"]
                   and "case_by_retain_until" in result["plans"]["cases due"]
                   and "learner_by_retain_until" in result["plans"]["learners due"])
        plans += [f"- {label}, {what}: `{plan.replace(chr(10), '; ')}`"
                  for what, plan in result["plans"].items()]
        plans.append(f"- {label}: each uses its retain_until index: {'yes' if indexed else 'NO'}.")
        ok &= passed
        uses_index &= indexed
    seeded = "; ".join(f"{label} {result['seed_seconds']:.0f} s" for label, result in results.items())
    markdown = "\n\n".join([
        "## Retention dry run (issue 15)",
        f"`benchmarks/retention.py`: a scratch database with {PEOPLE:,} people, {REFERRALS:,} referrals "
        f"({CASES:,} gone to Channel), {CASES:,} Channel cases, {ENTRIES:,} timeline entries, {HOLDS} "
        f"legal holds and {LEARNERS:,} learners with a completion each, bulk-inserted (all synthetic). A "
        "third of the referrals that did not go to Channel are past their retain_until, a third closed "
        "and still kept, a third open; 40% of the cases and a third of the learners are past theirs. "
        f"Seeded in {seeded}. Timed: `records.services.retention_run(dry_run=True)`, "
        f"in-process, median of {args.runs} runs. Target: under {TARGET_S} s.",
        table(["database", "median s", "runs (s)", "queries", "found due", "would delete", "held", "target"],
              rows),
        "Query plans of the due-records queries (EXPLAIN):\n\n" + "\n".join(plans),
        f"Then the cost of really deleting, after the dry runs: the first {SLICE_CASES} due cases (each "
        f"with its referral), {SLICE_REFERRALS} due referrals and {SLICE_LEARNERS} due learners (each with "
        "a completion), deleted one by one as a real run does "
        "(`records.deletion.record_delete`, one transaction each). At this volume a first run after ten "
        "years with no deletion deletes every due record this way; later nightly runs find only a day's "
        "worth.",
        table(["database", "record", "deleted", "median ms", "p95 ms", "queries each",
               "first run, all due (estimate)"],
              [[label, KINDS[kind], item["n"],
                f"{item['median_ms']:.1f}", f"{item['p95_ms']:.1f}", item["queries"],
                f"{result['counts']['would_delete'] * item['median_ms'] / 60000:.0f} min at this rate"
                if kind == "referrals.referral" else ""]
               for label, result in results.items() for kind, item in result["deleting"].items()]),
    ])
    write_section("retention", markdown)
    print(markdown)
    return 0 if ok and uses_index else 1


if __name__ == "__main__":
    sys.exit(main())
