"""Signed-in pages a second on two cores, with 8 and 32 concurrent clients
(issue 20, point 4), on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/throughput.py [--scale national-10y] [--seconds 20]
    .venv/bin/python benchmarks/throughput.py --reuse /work/bench-data/national-10y.sqlite3 \
        --reuse bench_national_10y
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/throughput.py

The same data and pages as benchmarks/floor.py (`--scale`, `--reuse`). One
gunicorn, production-like settings, WORKERS processes × THREADS threads
(gthread): two processes because there are two cores and each runs Python
one thread at a time; a few threads each, so a thread waiting on the
database or the network does not leave its core idle. Each client is its own
signed-in session (a Prevent coordinator, two factors) on its own keep-alive
connection, asking for the next page as soon as the last one arrives, for
`--seconds` after a warm-up. Two mixes: the case page alone, and the main
staff pages in turn (staff home, case list, a case page and its timeline,
your tasks, the triage queue, a referral, a person, the panels list). Every
page writes its session's idle-timeout update and most an audit event, so
this is also write throughput. The clients run on the same two cores (Python
threads, about a fifth of one core at these rates). Target: ≥ 150 pages a second.
"""

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_common import WORKER_FLAG, analyse, django_in, worker_url  # noqa: E402
from floor import FALLBACK, database, describe_data, generate, signed_in, staff_user, targets  # noqa: E402
from harness import PYTHON, ROOT, gunicorn, percentile, table, write_section  # noqa: E402

TARGET_PER_SECOND = 150
WORKERS, THREADS = 2, 4
CONCURRENCY = (8, 32)
MIX = ["staff home", "case list", "case page", "case timeline", "your tasks", "triage queue",
       "referral page", "person page", "panels list"]


def mix_paths() -> dict[str, str]:
    """The mix's pages: name → path (the floor's choice of case, referral, person)."""
    from django.db.models import Count
    from django.urls import reverse

    from prevent_hub.channel.models import ChronologyEntry
    from prevent_hub.referrals.models import Referral

    per_case = sorted(ChronologyEntry.objects.order_by().values("case_id").annotate(n=Count("pk"))
                      .values_list("n", "case_id"))
    case_pk = per_case[len(per_case) // 2][1]
    referral = Referral.objects.filter(person__isnull=False).order_by("-received_at", "-pk").first()
    return {
        "staff home": reverse("staff:home"),
        "case list": reverse("channel:case-list"),
        "case page": reverse("channel:case-detail", args=[case_pk]),
        "case timeline": reverse("channel:case-timeline", args=[case_pk]),
        "your tasks": reverse("channel:my-tasks"),
        "triage queue": reverse("triage:queue"),
        "referral page": reverse("triage:referral", args=[referral.reference]),
        "person page": reverse("people:detail", args=[referral.person_id]),
        "panels list": reverse("panels:home"),
    }


def load(port, cookies, paths, seconds) -> dict:
    """`len(cookies)` clients asking for `paths` in turn for `seconds`."""
    stop = threading.Event()
    latencies, errors, lock = [], [], threading.Lock()

    def client(index, cookie):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, failed, n = [], [], index
        while not stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError as error:
                status = type(error).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            if not stop.is_set():
                mine.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    failed.append(status)
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    threads = [threading.Thread(target=client, args=(i, cookie)) for i, cookie in enumerate(cookies)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    elapsed = time.perf_counter() - started
    for thread in threads:
        thread.join()
    return {"requests": len(latencies), "per_second": len(latencies) / elapsed,
            "median": statistics.median(latencies), "p95": percentile(latencies, 95),
            "errors": len(errors), "error_kinds": sorted({str(e) for e in errors})}


def worker(spec, scale, seconds):
    with database(spec) as (env, scratch), django_in(env):
        made = generate(scale) if scratch else f"an already generated database (`--reuse`, `--scale {scale}`)"
        if scratch:
            analyse()
        from prevent_hub.access.roles import Role

        data = describe_data()
        paths = mix_paths()
        coordinator = staff_user("floor-coordinator", [Role.PREVENT_COORDINATOR])
        cookies = [signed_in(coordinator)[1]["Cookie"] for _ in range(max(CONCURRENCY))]
        results = {}
        with gunicorn(env, workers=WORKERS, threads=THREADS) as server:
            for mix, mix_paths_ in (("case page", [paths["case page"]]),
                                    ("main staff pages", [paths[name] for name in MIX])):
                load(server.port, cookies[:8], mix_paths_, 3)  # warm-up
                for clients in CONCURRENCY:
                    figures = load(server.port, cookies[:clients], mix_paths_, seconds)
                    results[f"{mix}|{clients}"] = figures
                    print(f"{mix} × {clients}: {figures}", file=sys.stderr, flush=True)
            rss = server.worker_rss_mb()
        print(json.dumps({"made": made, "data": data, "results": results, "rss_mb": rss}))


def report(results, args) -> tuple[str, bool]:
    ok = True
    rows = []
    for label, result in results.items():
        for key, figures in result["results"].items():
            mix, clients = key.split("|")
            passed = figures["per_second"] >= TARGET_PER_SECOND and figures["errors"] == 0
            ok &= passed
            rows.append([label, mix, clients, f"{figures['per_second']:.0f}", f"{figures['median']:.1f}",
                         f"{figures['p95']:.1f}", figures["errors"], "✅" if passed else "❌"])
    first = next(iter(results.values()))
    parts = [
        "## Signed-in pages a second on two cores (issue 20)",
        f"`benchmarks/throughput.py`: gunicorn with {WORKERS} worker processes × {THREADS} threads "
        "(two cores: one Python process per core; a few threads each so that waiting on the database "
        "or network leaves no core idle), production-like settings, persistent database connections. "
        "Each client is its own signed-in session (Prevent coordinator, two factors) on a keep-alive "
        f"connection, asking again as soon as a page arrives, for {args.seconds} s after a warm-up. "
        "Every page also writes (the session's idle-timeout update, and most an audit event). "
        "The clients are Python threads on the same two cores, and the machine was shared with other "
        "work while this ran: figures are noisy and low. Latency is the client's (queueing included). "
        f"Data as for the floor: {first['made']}: {first['data']}. "
        f"Main staff pages, in turn: {', '.join(MIX)}. Target: ≥ {TARGET_PER_SECOND} pages a second, "
        "no errors.",
        table(["database", "pages", "clients", "pages/s", "median ms", "p95 ms", "errors", "target"], rows),
        "Largest gunicorn worker's resident memory after the run: " + "; ".join(
            f"{label} {result['rss_mb']:.0f} MB" for label, result in results.items()) + ".",
    ]
    return "\n\n".join(parts), ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="national-10y", choices=sorted(FALLBACK))
    parser.add_argument("--reuse", action="append", default=[])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="measure one database only")
    parser.add_argument("--print-only", action="store_true")
    args, _ = parser.parse_known_args()
    spec = worker_url(sys.argv)
    if spec is not False:
        return worker(spec or "sqlite", args.scale, args.seconds)
    results = {}
    for label, spec in targets(args):
        print(f"-- {label}", file=sys.stderr, flush=True)
        completed = subprocess.run(  # noqa: S603
            [PYTHON, __file__, WORKER_FLAG, spec, "--scale", args.scale, "--seconds", str(args.seconds)],
            cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)
        results[label] = json.loads(completed.stdout.strip().splitlines()[-1])
    markdown, ok = report(results, args)
    if not args.print_only:
        write_section("throughput", markdown)
    print(markdown)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
