"""Audited page throughput under concurrent clients, on PostgreSQL.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/audit_concurrency.py [--seconds 10] [--design after]

Two real gunicorns (4 workers x 8 threads each) on one scratch PostgreSQL
database (created and dropped) with 200 fictional Channel cases: one writes
audit events as always, the other has audit writing switched off (the
benchmark-only setting AUDIT_BENCHMARK_SKIP_WRITES), the baseline measured in
the same run. 1, 8, 32 and 64 concurrent clients, each its own signed-in
Prevent coordinator (two factors) on its own keep-alive connection, ask for
Channel case pages as fast as they are answered, in 3 rounds of `--seconds`
(after a warm-up) on each server, alternating, so other work on the shared
machine hits both alike; pages a second is the median round, latencies are
pooled. Audit overhead = 1 - audited / unaudited pages a second. Target:
<= 10 % at 32 clients.

Lock waits: pg_stat_activity is sampled every 20 ms during each run; a
backend whose wait_event_type is "Lock" is waiting on a lock (on the old
design, the audit chain head's row: wait event "transactionid" or "tuple").
Sampled backend-seconds waiting / requests = lock wait per request.

`--design` labels the run: "before" was run on the single-chain-head design
(commit be6aeb9 plus the benchmark switch), "after" on the sealer design,
with `manage.py seal_audit --loop` running beside gunicorn as bin/serve runs
it. An "after" run also quotes the newest recorded "before" run, so the two
sit side by side. `--record-into DIR` records into another checkout's
results (how the "before" run, made on an export of the old code, was
recorded here).
"""

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from audit_common import django_in, scratch_database, worker_url  # noqa: E402
from harness import PYTHON, ROOT, gunicorn, percentile, table  # noqa: E402

CLIENTS = (1, 8, 32, 64)
ROUNDS = 3
CASES = 200
WORKERS, THREADS = 4, 8
TARGET_OVERHEAD = 0.10
SAMPLE_EVERY = 0.02
FIGURES = re.compile(r"<!-- figures: (.*?) -->")
_TIMING = re.compile(r'app;dur=([\d.]+)')
NAME = "audit-concurrency"


def load(port, cookies, paths, seconds, warmup):
    """Each cookie is one client asking for pages back to back; returns what
    was answered inside the measured window (after `warmup` seconds)."""
    start = time.monotonic() + warmup
    stop = start + seconds
    latencies, server_ms, errors = [], [], []
    lock = threading.Lock()

    def client(cookie, seed):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, mine_server, mine_errors = [], [], []
        while True:
            began = time.monotonic()
            if began >= stop:
                break
            conn.request("GET", rng.choice(paths), headers={"Cookie": cookie, "Host": "localhost"})
            response = conn.getresponse()
            response.read()
            ended = time.monotonic()
            if began >= start and ended <= stop:
                if response.status != 200:
                    mine_errors.append(response.status)
                mine.append((ended - began) * 1000)
                match = _TIMING.search(response.getheader("Server-Timing", ""))
                if match:
                    mine_server.append(float(match[1]))
        conn.close()
        with lock:
            latencies.extend(mine)
            server_ms.extend(mine_server)
            errors.extend(mine_errors)

    threads = [threading.Thread(target=client, args=(cookie, n)) for n, cookie in enumerate(cookies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"requests": len(latencies), "rps": len(latencies) / seconds, "latencies": latencies,
            "server_ms": server_ms, "errors": len(errors)}


def combined(rounds):
    """One figure from several rounds: the median round's pages a second,
    latencies pooled, lock waits and errors summed."""
    latencies = [ms for one in rounds for ms in one["latencies"]]
    server_ms = [ms for one in rounds for ms in one["server_ms"]]
    waits = {}
    for one in rounds:
        for event, count in one["lock_waits"].items():
            waits[event] = waits.get(event, 0) + count
    return {"rounds_rps": [one["rps"] for one in rounds],
            "rps": statistics.median(one["rps"] for one in rounds),
            "requests": len(latencies), "median_ms": statistics.median(latencies),
            "p95_ms": percentile(latencies, 95),
            "server_median_ms": statistics.median(server_ms) if server_ms else None,
            "errors": sum(one["errors"] for one in rounds),
            "lock_wait_backend_s": sum(one["lock_wait_backend_s"] for one in rounds),
            "lock_waits": waits}


class LockSampler:
    """Samples pg_stat_activity for backends waiting on a lock."""

    def __init__(self, url):
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        self.waiting = {}
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self):
        while not self._stop.is_set():
            rows = self.conn.execute(
                "SELECT wait_event, count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND wait_event_type = 'Lock' AND application_name <> 'prevent_hub_sealer' "
                "GROUP BY wait_event").fetchall()
            for event, count in rows:
                self.waiting[event] = self.waiting.get(event, 0) + count
            self.samples += 1
            time.sleep(SAMPLE_EVERY)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.conn.close()

    def backend_seconds(self):
        return sum(self.waiting.values()) * SAMPLE_EVERY


def worker(url, seconds, warmup, design):
    with scratch_database(url) as env, django_in(env):
        from channel_pages import make_cases
        from django.conf import settings
        from django.db import connections
        from django.test import Client
        from django.urls import reverse

        from conftest import sign_in
        from prevent_hub.access.roles import Role
        from prevent_hub.accounts.tests.factories import UserFactory
        from prevent_hub.channel.models import ChannelCase

        coordinators = [UserFactory(roles=[Role.PREVENT_COORDINATOR]) for _ in range(max(CLIENTS))]
        make_cases(CASES, coordinators[0])
        paths = [reverse("channel:case-detail", kwargs={"pk": pk})
                 for pk in ChannelCase.objects.order_by("pk").values_list("pk", flat=True)]
        cookies = []
        for user in coordinators:
            client = Client(HTTP_HOST="localhost")
            sign_in(client, user)
            cookies.append(f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
        has_sealer = (ROOT / "prevent_hub/audit/management/commands/seal_audit.py").exists()
        connections.close_all()
        database_url = env["DATABASE_URL"]

        # Audited and unaudited servers run side by side on the same database,
        # and the two are measured in alternating short rounds, so a burst of
        # other work on the shared machine hits both alike.
        envs = {writes: {**env, "BENCH_AUDIT_WRITES": writes} for writes in ("off", "on")}
        sealer = None
        if has_sealer:
            sealer = subprocess.Popen(  # noqa: S603
                [PYTHON, "manage.py", "seal_audit", "--loop"], cwd=ROOT, env=envs["on"],
                stdout=subprocess.DEVNULL)
        results = {}
        try:
            with (gunicorn(envs["off"], workers=WORKERS, threads=THREADS) as off,
                  gunicorn(envs["on"], workers=WORKERS, threads=THREADS) as on):
                servers = {"off": off, "on": on}
                for n in CLIENTS:
                    rounds = {"off": [], "on": []}
                    for index in range(ROUNDS):
                        for writes in (("off", "on") if index % 2 == 0 else ("on", "off")):
                            with LockSampler(database_url) as sampler:
                                figures = load(servers[writes].port, cookies[:n], paths, seconds, warmup)
                            figures["lock_wait_backend_s"] = sampler.backend_seconds()
                            figures["lock_waits"] = sampler.waiting
                            rounds[writes].append(figures)
                    for writes, measured in rounds.items():
                        results[f"{writes}-{n}"] = combined(measured)
                    print(f"{n} clients: audited {results[f'on-{n}']['rps']:.0f}/s, unaudited "
                          f"{results[f'off-{n}']['rps']:.0f}/s", file=sys.stderr, flush=True)
        finally:
            if sealer:
                sealer.terminate()
                sealer.wait(timeout=30)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit_auditevent")
            events = cursor.fetchone()[0]
        report = {}
        if has_sealer:
            from prevent_hub.audit.services import audit_chain_seal
            from prevent_hub.audit.verify import audit_chain_verify

            audit_chain_seal()
            verified = audit_chain_verify()
            report = {"intact": verified.intact, "message": verified.message()}
        else:
            from prevent_hub.audit.verify import audit_chain_verify

            verified = audit_chain_verify()
            report = {"intact": verified.intact, "message": verified.message()}
        print(json.dumps({"results": results, "events": events, "verify": report, "design": design}))


def _row(label, result, n):
    on, off = result[f"on-{n}"], result[f"off-{n}"]
    overhead = 1 - on["rps"] / off["rps"]
    per_request = on["lock_wait_backend_s"] * 1000 / max(on["requests"], 1)
    waits = sorted(on["lock_waits"].items(), key=lambda kv: -kv[1])
    kinds = ", ".join(f"{k} {v}" for k, v in waits) or "none"
    spread = "; ".join(" ".join(f"{rps:.0f}" for rps in figures.get("rounds_rps", [figures["rps"]]))
                       for figures in (on, off))
    return [label, n, f"{on['rps']:.0f}", f"{off['rps']:.0f}", f"{overhead:.0%}", spread,
            f"{on['median_ms']:.0f} / {on['p95_ms']:.0f}", f"{off['median_ms']:.0f} / {off['p95_ms']:.0f}",
            f"{per_request:.1f}", kinds, on["errors"] + off["errors"]], overhead


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=1)
    parser.add_argument("--design", default="after")
    parser.add_argument("--record-into", default="")
    parser.add_argument("--recorded-commit", default="")
    args, _ = parser.parse_known_args()
    url = worker_url(sys.argv)
    if url is not False:
        return worker(url, args.seconds, args.warmup, args.design)

    server = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    completed = subprocess.run(  # noqa: S603
        [PYTHON, __file__, "--worker", server, "--seconds", str(args.seconds),
         "--warmup", str(args.warmup), "--design", args.design],
        cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)
    run = json.loads(completed.stdout.strip().splitlines()[-1])
    if args.record_into:
        harness.RESULTS = Path(args.record_into) / "benchmarks" / "results"
        harness.REPORT = Path(args.record_into) / "docs" / "benchmarks.md"
    if args.recorded_commit:
        harness._commit = lambda: args.recorded_commit

    rows, overheads = [], {}
    for n in CLIENTS:
        row, overheads[n] = _row(args.design, run["results"], n)
        rows.append(row)
    before = None
    if args.design != "before":
        for recorded in reversed(harness.runs(NAME)):
            match = FIGURES.search(recorded["markdown"])
            if match and json.loads(match[1])["design"] == "before":
                before = json.loads(match[1])
                break
    compare = []
    if before:
        for n in CLIENTS:
            compare.append(_row("before (recorded run)", before["results"], n)[0])
        compare.extend(rows)
    met = overheads[32] <= TARGET_OVERHEAD
    headers = ["design", "clients", "audited pages/s", "unaudited pages/s", "audit overhead",
               "each round, audited; unaudited",
               "audited median / p95 ms", "unaudited median / p95 ms", "lock wait ms per request",
               "lock wait samples (event: backends)", "errors"]
    markdown = "\n\n".join([
        "## Audit trail under concurrent clients (issue 20)",
        f"`benchmarks/audit_concurrency.py`, design **{args.design}**: two real gunicorns ({WORKERS} "
        f"workers x {THREADS} threads each) on one PostgreSQL database with {CASES} fictional Channel "
        "cases, one writing audit events, the other with audit writing switched off (benchmark-only "
        "setting), the baseline measured in the same run; 1, 8, 32 and 64 concurrent clients, each its own "
        "signed-in Prevent coordinator on a keep-alive connection, asking for Channel case pages back to "
        f"back in {ROUNDS} rounds of {args.seconds:.0f} s (after {args.warmup:.0f} s warm-up) on each "
        "server, alternating; pages a second is the median round, latencies pooled. "
        "Audit overhead = 1 - audited / unaudited pages a second. Lock waits: pg_stat_activity sampled "
        f"every {SAMPLE_EVERY * 1000:.0f} ms (the sealer's own connection excluded); sampled "
        "backend-seconds waiting on a lock / audited requests. Latencies are client-side. The load "
        "generator runs on the same 2 cores as gunicorn and PostgreSQL, and the machine was shared with "
        "other work while this ran: figures are noisy, compare within a run. "
        f"Target: overhead ≤ {TARGET_OVERHEAD:.0%} at 32 clients: "
        f"{'met' if met else 'missed'} ({overheads[32]:.0%}).",
        table(headers, rows),
        *(["Side by side with the newest recorded run of the single chain-head design:",
           table(headers, compare)] if compare else []),
        f"Events written: {run['events']:,}; afterwards: {run['verify']['message']}.",
        f"<!-- figures: {json.dumps({'design': args.design, 'results': run['results']})} -->",
    ])
    harness.write_section("audit-concurrency", markdown)
    print(markdown)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
