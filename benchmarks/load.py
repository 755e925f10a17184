"""Load: signed-in staff, triage and panel work, public and partner
submissions at once, against a real gunicorn on 2 cores (issue 20, points 5
and 9).

    .venv/bin/python benchmarks/load.py                 # national-10y on SQLite
    .venv/bin/python benchmarks/load.py --reuse         # the copy made last time
    .venv/bin/python benchmarks/load.py --data council  # generated here (seed 1), quicker
    .venv/bin/python benchmarks/load.py --data demo     # the demo data
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/load.py             # national-10y on PostgreSQL

The data set is a scratch copy (var/bench-load/) of the coordinator's
generated national-10y database (`manage.py generate_synthetic --scale
national-10y --seed 1`), or the demo data; `--reuse` keeps the copy of the
last run (its writes included) instead of copying again. Fictional accounts
(one per simulated staff user, each with its own authenticator key) and
partner API tokens are added to it, and the records the writes go to are
chosen (benchmarks/load_common.py).

gunicorn then serves it with `--workers` × `--threads` (default 2 × 4: one
process per core, and threads to overlap the time a request waits on the
database and the network; see docs/decisions/0030-app-server-for-two-cores.md),
with a task worker (`manage.py db_worker`) beside it, and locust
(benchmarks/locustfile.py) runs headless on the same 2 cores for `--seconds`
with `--users` users (staff : public : partner ≈ 10 : 2 : 1, staff think 0.5-2 s
between pages), then stops by itself. Loopback only.

Written to docs/benchmarks.md (section `load`): requests a second, median and
p95 per request type and overall (as the client saw them, locust's rounding),
errors (target 0), the baseline /healthz measured in the same run, and each web
worker's resident memory after the run (target ≤ 150 MB).
"""

import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from harness import PYTHON, ROOT, gunicorn, percentile, table, write_section
from load_common import KEEP, NATIONAL_SQLITE, data_set, make_plan, server_log_summary

RSS_TARGET_MB = 150


def worker_rss(server) -> list[float]:
    """Resident memory of each gunicorn worker, MB."""
    children = Path(f"/proc/{server.master_pid}/task/{server.master_pid}/children").read_text().split()
    found = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                found.append(int(line.split()[1]) / 1024)
    return found


def run_locust(port, plan_path, *, users, spawn_rate, seconds, out: Path):
    """Run the scenario; every request as (type, ms, failure or None, when)."""
    subprocess.run(  # noqa: S603
        [PYTHON, "-m", "locust", "-f", "benchmarks/locustfile.py", "--headless", "-u", str(users),
         "-r", str(spawn_rate), "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
         "--only-summary", "--stop-timeout", "10", "--exit-code-on-error", "0", "--loglevel", "WARNING"],
        cwd=ROOT, env={**os.environ, "LOAD_PLAN": str(plan_path), "LOAD_SAMPLES": str(out)}, check=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return json.loads(out.read_text())


def measure(args):
    env, described = data_set(args.data, reuse=args.reuse, postgres=args.postgres)
    plan = make_plan(env, KEEP / "plan.json", staff=args.users)
    env = {**env, "TRUSTED_PROXY_COUNT": "1"}
    log = KEEP / "gunicorn.log"
    with gunicorn(env, workers=args.workers, threads=args.threads, log=log) as server:
        tasks = subprocess.Popen([PYTHON, "manage.py", "db_worker", "--no-reload"],  # noqa: S603
                                 cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            baseline = server.sample("/healthz", 200)
            rss_before = worker_rss(server)
            with tempfile.TemporaryDirectory() as scratch:
                samples = run_locust(server.port, KEEP / "plan.json", users=args.users,
                                     spawn_rate=args.spawn_rate, seconds=args.seconds,
                                     out=Path(scratch) / "samples.json")
            rss_after = worker_rss(server)
        finally:
            tasks.terminate()
            tasks.wait(timeout=30)
    return {"described": described, "plan": plan, "baseline": baseline, "samples": samples,
            "rss_before": rss_before, "rss_after": rss_after, "server_log": server_log_summary(log)}


def figures(samples, label):
    times = [sample[1] for sample in samples]
    return [label, len(samples), sum(1 for sample in samples if sample[2]),
            f"{statistics.median(times):.0f}", f"{percentile(times, 95):.0f}", f"{max(times):.0f}"]


def report(args, r) -> bool:
    samples = r["samples"]
    # Signing everyone in (a password hash each, by design slow) saturates the
    # cores while the users start; the steady state is what follows the last.
    signing_in = [sample for sample in samples if sample[0].endswith(("sign in", "sign in: second factor"))]
    settled = max(sample[3] for sample in signing_in)
    steady = [sample for sample in samples if sample[3] > settled]
    by_type = collections.defaultdict(list)
    for sample in steady:
        by_type[sample[0]].append(sample)
    signed_in_by_type = collections.defaultdict(list)
    for sample in signing_in:
        signed_in_by_type[sample[0]].append(sample)
    span = max(sample[3] for sample in steady) - settled
    failures = sum(1 for sample in samples if sample[2])
    baseline_ms = r["baseline"]["client_median_ms"]
    overall = statistics.median(sample[1] for sample in steady)
    overall_p95 = percentile([sample[1] for sample in steady], 95)
    biggest = max(r["rss_after"])
    ok = failures == 0 and biggest <= RSS_TARGET_MB
    counts = r["plan"]["counts"]
    rows = [figures(by_type[name], f"`{name}`") for name in sorted(by_type)]
    rows += [figures(steady, "**all, steady state**")]
    rows += [figures(signed_in_by_type[name], f"`{name}` (while users start)")
             for name in sorted(signed_in_by_type)]
    rows += [figures(samples, "**all, whole run**")]
    text = (
        f"`benchmarks/load.py`: {args.users} simulated users for {args.seconds} s (started "
        f"{args.spawn_rate:g} a second) against gunicorn {args.workers} workers × {args.threads} threads "
        "and a task worker, on "
        f"{r['described']} ({counts['people']:,} people, {counts['referrals']:,} referrals, "
        f"{counts['cases']:,} cases), with locust on the same 2 cores (the machine was shared with other "
        "work, so the figures are noisy). Staff (browsing 6 : triage 3 : panel 1) sign in with a password "
        "and a TOTP code and think 0.5-2 s between pages; members of the public fill in the concern form "
        "(4 pages, check answers, submit, confirmation) and partner systems POST /api/v1/referrals with an "
        "Idempotency-Key, each every 1-3 s. Times are what the client saw, ms; baseline: /healthz, median "
        f"{baseline_ms:.1f} ms in the same run before the load. *Steady state*: the {span:.0f} s after the "
        "last user had signed in. A failure is any answer other than the one a person would expect (a page "
        "200, a form sent 302, the API 201), over the whole run.\n\n"
        + table(["request", "count", "failures", "median ms", "p95 ms", "max ms"], rows)
        + f"\n\n**{len(steady) / span:.1f} requests a second** in the steady state, median {overall:.0f} ms "
        f"({overall / baseline_ms:.0f}× the baseline), p95 {overall_p95:.0f} ms; "
        f"**{failures} errors** over the whole run (target 0). Panel decisions there were to record: "
        f"{len(r['plan']['decisions'])}; referrals awaiting sharing or a gateway outcome: "
        f"{len(r['plan']['gateway'])}. Server log: "
        + ", ".join(f"{what} {n}" for what, n in r["server_log"].items()) + ".\n\n"
        + table(["web worker memory (RSS)", "before the load", "after the load", "target"],
                [[f"worker {n + 1}", f"{before:.0f} MB", f"{after:.0f} MB",
                  f"≤ {RSS_TARGET_MB} MB {'✅' if after <= RSS_TARGET_MB else '❌'}"]
                 for n, (before, after) in enumerate(zip(r["rss_before"], r["rss_after"], strict=False))])
    )
    errors = collections.Counter((sample[0], sample[2]) for sample in samples if sample[2])
    if errors:
        text += "\n\nErrors:\n\n" + table(["request", "error", "times"], [
            [f"`{name}`", error.replace("|", "/")[:200], times]
            for (name, error), times in errors.most_common()])
    if args.record:
        write_section("load", text)
    print(text)
    return ok


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", choices=["national-10y", "national-1y", "council", "demo"],
                        default="national-10y" if NATIONAL_SQLITE.exists() else "demo")
    parser.add_argument("--reuse", action="store_true", help="use the copy of the data set made last time")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--spawn-rate", type=float, default=3)
    parser.add_argument("--seconds", type=int, default=100)
    parser.add_argument("--no-record", dest="record", action="store_false",
                        help="print only: for trying the script out, not for measuring")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", "")
    args.postgres = url if url.startswith(("postgres://", "postgresql://")) else None
    return args


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    arguments_given = arguments()
    sys.exit(0 if report(arguments_given, measure(arguments_given)) else 1)
