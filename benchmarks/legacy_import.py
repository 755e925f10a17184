"""Importing 10,000 referrals from earlier records, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/legacy_import.py [--runs 3]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/legacy_import.py

A CSV file of 10,000 made-up rows from the demo's generator
(legacy_import.demo.synthetic_csv: five financial years, national-like
proportions, about 14% to Channel). In a scratch database (created and
dropped), each run starts with no referrals and times, as
`manage.py import_referrals` and the upload page do them:

- checking the file (legacy_import.imports.check: every rule, every look-up);
- importing it (referral_import_run: checked again, then written in one
  transaction: referrals, a person record each, timelines, Channel cases,
  consent and one audit event per record);
- importing the same file again (nothing changes: every row already imported).

Medians over `--runs` runs. Target (issue 19): 10,000 rows in under a
minute, check and import together.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_common import django_in, run_workers, scratch_database, worker_url  # noqa: E402
from harness import table, write_section  # noqa: E402

ROWS = 10_000
TARGET_S = 60


def reset():
    from prevent_hub.channel.models import ChannelCase, ChronologyEntry, Consent
    from prevent_hub.legacy_import.models import ReferralImport
    from prevent_hub.people.models import Person, PersonName
    from prevent_hub.referrals.models import Referral, ReferralName

    Consent.objects.all().delete()
    ChronologyEntry.objects.all().delete()
    ChannelCase.objects.all().delete()
    PersonName.objects.all().delete()
    Referral.objects.update(person=None)
    Person.objects.all().delete()
    ReferralName.objects.all().delete()
    Referral.objects.all().delete()
    ReferralImport.objects.all().delete()


def one_run(data: bytes, user) -> dict:
    from prevent_hub.legacy_import import imports

    reset()
    figures = {}
    started = time.perf_counter()
    checked = imports.check(data)
    figures["check"] = time.perf_counter() - started
    assert not checked.errors, checked.errors[:5]

    referral_import = imports.referral_import_begin(file_name="bench.csv", skip_bad_rows=False,
                                                    acting_user=user)
    started = time.perf_counter()
    imports.referral_import_run(referral_import=referral_import, acting_user=user, data=data)
    figures["import"] = time.perf_counter() - started
    referral_import.refresh_from_db()
    assert referral_import.status == "imported", referral_import.errors[:5]

    again = imports.referral_import_begin(file_name="bench.csv", skip_bad_rows=False, acting_user=user)
    started = time.perf_counter()
    imports.referral_import_run(referral_import=again, acting_user=user, data=data)
    figures["reimport"] = time.perf_counter() - started
    again.refresh_from_db()
    assert again.counts["referrals_created"] == 0 and again.counts["already_imported"] == ROWS
    return {"seconds": figures, "counts": referral_import.counts}


def worker(url, runs):
    with scratch_database(url) as env, django_in(env):
        from prevent_hub.access.roles import Role
        from prevent_hub.accounts.tests.factories import UserFactory
        from prevent_hub.audit.models import AuditEvent
        from prevent_hub.audit.verify import audit_chain_verify
        from prevent_hub.legacy_import.demo import synthetic_csv

        user = UserFactory(roles=[Role.PREVENT_COORDINATOR])
        data = synthetic_csv(ROWS, prefix="BENCH")
        results = [one_run(data, user) for _ in range(runs)]
        events = AuditEvent.objects.count()
        intact = audit_chain_verify().intact
        medians = {name: statistics.median(result["seconds"][name] for result in results)
                   for name in ("check", "import", "reimport")}
        print(json.dumps({"medians": medians, "all": [result["seconds"] for result in results],
                          "counts": results[-1]["counts"], "bytes": len(data), "audit_events": events,
                          "chain_intact": intact}))


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
        for name, seconds in (("check the file", medians["check"]),
                              ("import (checked again, then written)", medians["import"]),
                              ("check + import (what a user waits for)", total),
                              ("import the same file again (nothing changes)", medians["reimport"])):
            rows.append([label, name, f"{seconds:.1f}",
                         ("✅" if total < TARGET_S else "❌") if name.startswith("check + import") else ""])
    first = next(iter(results.values()))
    counts = first["counts"]
    markdown = "\n\n".join([
        "## Importing referrals from earlier records (issue 19)",
        f"`benchmarks/legacy_import.py`: a CSV file of {ROWS:,} made-up referrals "
        f"({first['bytes'] / 1024 / 1024:.1f} MB) from the demo's generator (five financial years, "
        f"national-like proportions): {counts['referrals_created']:,} referrals, "
        f"{counts['people_created']:,} person records (never matched to anyone) and "
        f"{counts['cases_created']:,} Channel cases with their consent. Each run starts with no referrals; "
        f"median of {args.runs} runs, in-process as `manage.py import_referrals` runs it. The import checks "
        "the file again before writing (as the upload page does), then writes everything, with one audit "
        "event per record created (the chain verified intact afterwards), in one transaction. "
        f"Target: check + import of {ROWS:,} rows in under {TARGET_S} s.",
        table(["database", "step", "median s", "target"], rows),
    ])
    write_section("legacy-import", markdown)
    print(markdown)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
