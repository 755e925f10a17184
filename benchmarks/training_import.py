"""Importing a spreadsheet of 20,000 training completions, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/training_import.py [--runs 3]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/training_import.py

A CSV file of 20,000 made-up rows (about 15,000 learners at 500
organisations, 400 of them already known to the service and 100 new),
with a realistic mix of courses: everyone has Prevent awareness; some have
Prevent referrals (after awareness, sometimes on the same day), Channel
awareness, the refresher or a local workshop. In a scratch database
(created and dropped), each run starts from no learners and times, as
`manage.py import_training` and the upload page do them:

- checking the file (training.imports.check: every rule, every look-up);
- importing it (training_import_run: checked again, then written in one
  transaction with its audit events and the learners' dates);
- importing the same file again (nothing changes: every row already recorded);
- the baseline, in the same run: the raw `csv` parse and a bulk insert of the
  same learners and completions, with no checks, no audit and no dates.

Medians over `--runs` runs. Target (issue 18): 20,000 rows in under a
minute, check and import together.
"""

import argparse
import csv
import datetime
import io
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_common import django_in, run_workers, scratch_database, worker_url  # noqa: E402
from harness import table, write_section  # noqa: E402

ROWS = 20_000
LEARNERS = 15_000
ORGANISATIONS = 500
KNOWN_ORGANISATIONS = 400
TARGET_S = 60
FIRST = ["Alex", "Sam", "Robin", "Jo", "Chris", "Pat", "Kit", "Jordan", "Morgan", "Charlie"]
KINDS = ["Primary School", "Academy", "Health Centre", "Youth Club", "College", "Housing Office"]
ROLES = ["Teacher", "Teaching assistant", "Designated safeguarding lead", "School nurse", "Youth worker",
         "Housing officer", "Receptionist", ""]


def organisation_name(n: int) -> str:
    return f"Fictional {KINDS[n % len(KINDS)]} {n} (demo)"


def build_file(rng) -> tuple[bytes, dict]:
    """The 20,000 rows, and how many of each course."""
    day0 = datetime.date(2021, 1, 1)
    rows, mix = [], {}

    def add(learner, course, day, certificate):
        name, email, organisation, role = learner
        rows.append([name, email, organisation, role, course, day.isoformat(), certificate])
        mix[course] = mix.get(course, 0) + 1

    learners = [(f"{rng.choice(FIRST)} Example-Learner{n}", f"learner{n:05d}@example.test",
                 organisation_name(rng.randrange(ORGANISATIONS)), rng.choice(ROLES)) for n in range(LEARNERS)]
    awareness = {}
    for learner in learners:
        day = day0 + datetime.timedelta(days=rng.randrange(4 * 365))
        awareness[learner[1]] = day
        add(learner, "prevent-awareness", day, f"HO-PA-{len(rows):07d}")
    others = [("Prevent referrals", 2_000), ("channel-awareness", 1_500), ("prevent-refresher", 1_000),
              ("Local Prevent workshop", 500)]
    for course, count in others:
        for learner in rng.sample(learners, count):
            after = rng.choice([0, 0, 1, 30, 200])
            add(learner, course, awareness[learner[1]] + datetime.timedelta(days=after),
                "" if course == "Local Prevent workshop" else f"HO-{len(rows):07d}")
    rng.shuffle(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["name", "email", "organisation", "role", "course", "completed_on",
                     "certificate_reference"])
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode(), mix


def seed():
    from prevent_hub.accounts.models import Organisation, OrganisationType

    Organisation.objects.bulk_create([Organisation(name=organisation_name(n), type=OrganisationType.EDUCATION)
                                      for n in range(KNOWN_ORGANISATIONS)])


def reset():
    """Back to no learners, completions or imports (the known organisations stay)."""
    from prevent_hub.accounts.models import Organisation
    from prevent_hub.training.models import Completion, Learner, TrainingImport

    Completion.objects.all().delete()
    Learner.objects.all().delete()
    TrainingImport.objects.all().delete()
    Organisation.objects.filter(name__startswith="Fictional ").exclude(
        name__in=[organisation_name(n) for n in range(KNOWN_ORGANISATIONS)]).delete()


def baseline(data: bytes) -> float:
    """Parse with `csv` and bulk insert the same learners and completions:
    no checks, no audit, no dates. Rolled back afterwards."""
    from django.db import transaction

    from prevent_hub.accounts.models import Organisation, OrganisationType
    from prevent_hub.training import selectors, services
    from prevent_hub.training.models import Completion, Learner

    class Rollback(Exception):
        pass

    started = time.perf_counter()
    try:
        with transaction.atomic():
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))[1:]
            courses = selectors.course_lookup()
            organisations = {org.name: org for org in Organisation.objects.all()}
            new = sorted({row[2] for row in rows} - set(organisations))
            for org in Organisation.objects.bulk_create([Organisation(name=name, type=OrganisationType.OTHER)
                                                         for name in new]):
                organisations[org.name] = org
            people = {}
            for row in rows:
                people.setdefault(row[1], row)
            made = Learner.objects.bulk_create(
                [Learner(reference=services.learner_reference_new(), full_name=row[0], email=email,
                         organisation=organisations[row[2]], job_role=row[3])
                 for email, row in people.items()],
                batch_size=1000)
            ids = {learner.email: learner.pk for learner in made}
            Completion.objects.bulk_create(
                [Completion(learner_id=ids[row[1]], course=courses[row[4].casefold()],
                            completed_on=datetime.date.fromisoformat(row[5]),
                            expires_on=datetime.date.fromisoformat(row[5]), certificate_reference=row[6],
                            source="import") for row in rows], batch_size=1000)
            elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return elapsed


def one_run(data: bytes) -> dict:
    from prevent_hub.training import imports

    reset()
    figures = {"baseline": baseline(data)}
    started = time.perf_counter()
    checked = imports.check(data)
    figures["check"] = time.perf_counter() - started
    assert not checked.errors, checked.errors[:5]

    training_import = imports.training_import_begin(file_name="bench.csv", skip_bad_rows=False)
    started = time.perf_counter()
    imports.training_import_run(training_import=training_import, acting_user=None, data=data)
    figures["import"] = time.perf_counter() - started
    training_import.refresh_from_db()
    assert training_import.status == "imported", training_import.errors[:5]
    counts = training_import.counts

    again = imports.training_import_begin(file_name="bench.csv", skip_bad_rows=False)
    started = time.perf_counter()
    imports.training_import_run(training_import=again, acting_user=None, data=data)
    figures["reimport"] = time.perf_counter() - started
    again.refresh_from_db()
    assert again.counts["completions_created"] == 0 and again.counts["learners_updated"] == 0
    return {"seconds": figures, "counts": counts, "again": again.counts}


def worker(url, runs):
    with scratch_database(url) as env, django_in(env):
        from prevent_hub.audit.models import AuditEvent
        from prevent_hub.audit.verify import audit_chain_verify

        data, mix = build_file(random.Random(18))
        seed()
        results = [one_run(data) for _ in range(runs)]
        events_before = AuditEvent.objects.count()
        intact = audit_chain_verify().intact
        medians = {name: statistics.median(result["seconds"][name] for result in results)
                   for name in ("baseline", "check", "import", "reimport")}
        print(json.dumps({"medians": medians, "all": [result["seconds"] for result in results],
                          "counts": results[-1]["counts"], "again": results[-1]["again"], "mix": mix,
                          "bytes": len(data), "audit_events": events_before, "chain_intact": intact}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args, _ = parser.parse_known_args()
    url = worker_url(sys.argv)
    if url is not False:
        return worker(url, args.runs)

    results = run_workers(__file__, ["--runs", str(args.runs)])
    rows, ok = [], True
    for label, result in results.items():
        medians = result["medians"]
        total = medians["check"] + medians["import"]
        ok &= total < TARGET_S and result["chain_intact"]
        for name, seconds in (("baseline: csv parse + bulk insert, no checks", medians["baseline"]),
                              ("check the file", medians["check"]),
                              ("import (checked again, then written)", medians["import"]),
                              ("check + import (what a user waits for)", total),
                              ("import the same file again (nothing changes)", medians["reimport"])):
            rows.append([label, name, f"{seconds:.1f}", f"{seconds / medians['baseline']:.1f}×",
                         ("✅" if total < TARGET_S else "❌") if name.startswith("check + import") else ""])
    first = next(iter(results.values()))
    counts = first["counts"]
    mix = ", ".join(f"{course} {count:,}" for course, count in first["mix"].items())
    markdown = "\n\n".join([
        "## Importing training records (issue 18)",
        f"`benchmarks/training_import.py`: a CSV file of {ROWS:,} made-up rows "
        f"({first['bytes'] / 1024 / 1024:.1f} MB): {counts['learners_created']:,} learners at "
        f"{ORGANISATIONS} organisations ({KNOWN_ORGANISATIONS} already known, "
        f"{counts['organisations_created']} new); courses: {mix}, in random order (so the prerequisite "
        "is often met by a later line of the file). Each run starts with no learners; median of "
        f"{args.runs} runs, in-process as `manage.py import_training` runs it. The import checks the file "
        "again before writing (as the upload page does, since time passes between the check and the "
        f"button), then writes {counts['completions_created']:,} completions, the learners, one audit event "
        "per record created (written in batches by `audit_events_record_many`, the chain verified intact "
        "afterwards) and every learner's dates in one transaction. The baseline, measured in the same run, "
        "parses the same file with `csv` and bulk-inserts the same learners and completions with no checks, "
        f"audit or dates. Target: check + import of {ROWS:,} rows in under {TARGET_S} s.",
        table(["database", "step", "median s", "× baseline", "target"], rows),
    ])
    write_section("training-import", markdown)
    print(markdown)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
