"""`manage.py verify_audit` over a million events, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/audit_verify.py [--events 1000000]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/audit_verify.py

Generates the events in bulk with correctly chained hashes (not one by one
through audit_event_record), then runs the real command in its own process
and times it, with its peak memory. Target: under 60 s for 1,000,000 events.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_common import (  # noqa: E402
    django_in,
    generate_events,
    make_users,
    run_workers,
    scratch_database,
    worker_url,
)
from harness import PYTHON, ROOT, table, write_section  # noqa: E402

TARGET_S = 60


def run_command(env):
    """manage.py verify_audit in its own process: (output, seconds, peak MB)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(  # noqa: S603
            [PYTHON, "manage.py", "verify_audit", "--progress"], cwd=ROOT, env=env,
            stdout=out, stderr=err,
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(f"verify_audit failed: {out.read()}{err.read()}")
        print(err.read(), file=sys.stderr, end="")
        return out.read().strip(), seconds, usage.ru_maxrss / 1024


def worker(url, events):
    with scratch_database(url) as env, django_in(env):
        users = make_users(2000)
        generation_s = generate_events(
            events, users, progress=lambda done: done % 200_000 == 0 and print(
                f"generated {done:,}", file=sys.stderr, flush=True))
        from django.db import connection

        connection.close()  # the command gets the database to itself
        runs, peaks = [], []
        for _ in range(2):
            output, seconds, peak_mb = run_command(env)
            runs.append(seconds)
            peaks.append(peak_mb)
        peak_mb = max(peaks)
        print(json.dumps({
            "events": events, "generation_s": generation_s, "verify_s": runs,
            "peak_mb": peak_mb, "output": output,
        }))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    args, _ = parser.parse_known_args()
    url = worker_url(sys.argv)
    if url is not False:
        return worker(url, args.events)

    results = run_workers(__file__, ["--events", str(args.events)])
    rows, ok = [], True
    for label, result in results.items():
        best = min(result["verify_s"])
        passed = best < TARGET_S
        ok &= passed
        rows.append([
            label, f"{result['events']:,}", f"{result['generation_s']:.0f} s",
            " / ".join(f"{s:.1f} s" for s in result["verify_s"]),
            f"{result['events'] / best:,.0f}", f"{result['peak_mb']:.0f} MB",
            "✅" if passed else "❌",
        ])
    markdown = "\n\n".join([
        "## Verifying the audit chain (issue 3)",
        "`benchmarks/audit_verify.py`: a scratch database with chained audit events made in bulk "
        "(2,000 users, ~200,000 records), then `manage.py verify_audit --progress` run twice as "
        "its own process; the time includes Python and Django start-up. Peak memory is the "
        "largest resident set of any child process (the command streams: memory stays flat "
        f"whatever the number of events). Target: under {TARGET_S} s for 1,000,000 events.",
        table(["database", "events", "generated in", "verify_audit (run 1 / run 2)",
               "events per second", "peak memory", "target"], rows),
        "Output: `" + next(iter(results.values()))["output"] + "`",
    ])
    write_section("audit-verify", markdown)
    print(markdown)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
