"""Plumbing shared by the audit benchmarks.

Each audit benchmark measures SQLite and, when BENCH_DATABASE_URL points at a
PostgreSQL server, PostgreSQL too. Django can only be set up once per process,
so the script re-runs itself once per database (`--worker URL`), in a scratch
database it creates and drops, and prints its figures as JSON for the parent.
"""

import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from harness import PYTHON, ROOT, scratch_site

WORKER_FLAG = "--worker"


def databases() -> list[tuple[str, str | None]]:
    """(label, server URL) to measure: SQLite always, PostgreSQL if configured."""
    found = [("SQLite", None)]
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        found.append(("PostgreSQL", url))
    return found


@contextmanager
def scratch_postgres(server_url: str):
    """A new, empty database on the server `server_url` points at; dropped afterwards."""
    import psycopg

    parts = urlsplit(server_url)
    name = f"prevent_hub_bench_{uuid.uuid4().hex[:12]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_database(server_url: str | None):
    """harness.scratch_site on SQLite, or on a scratch PostgreSQL database."""
    if server_url is None:
        os.environ.pop("BENCH_DATABASE_URL", None)
        with scratch_site() as env:
            yield env
        return
    with scratch_postgres(server_url) as url:
        os.environ["BENCH_DATABASE_URL"] = url
        with scratch_site() as env:
            yield env


def run_workers(script: str, extra_args=()) -> dict[str, dict]:
    """Run `script --worker URL` once per database; {label: its JSON result}."""
    results = {}
    for label, url in databases():
        print(f"-- {label}", file=sys.stderr, flush=True)
        completed = subprocess.run(  # noqa: S603
            [PYTHON, script, WORKER_FLAG, url or "sqlite", *extra_args],
            cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
        )
        results[label] = json.loads(completed.stdout.strip().splitlines()[-1])
    return results


def worker_url(argv) -> str | None | bool:
    """The database URL when running as a worker (None for SQLite), else False."""
    if WORKER_FLAG not in argv:
        return False
    url = argv[argv.index(WORKER_FLAG) + 1]
    return None if url == "sqlite" else url


@contextmanager
def django_in(env):
    """Set Django up in this process against the scratch database."""
    os.environ.update(env)
    import django

    django.setup()
    yield


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, (time.perf_counter() - started) * 1000


def with_queries(fn):
    """(fn's result, how many queries it made)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = fn()
    return result, len(captured.captured_queries)


# ---------------------------------------------------------------- data


RECORD_TYPES = [
    # (object type, how many records, share of events)
    ("people.person", 90_000, 0.40),
    ("referrals.referral", 60_000, 0.25),
    ("channel.case", 38_000, 0.20),
    ("panels.meeting", 10_000, 0.05),
]
ACTIONS = [("view", 60), ("search", 8), ("update", 10), ("create", 4), ("export", 2),
           ("download", 4), ("sign_in", 9), ("sign_out", 3)]
CHANGED = [["status"], ["address", "phone"], ["consent"], ["email"], ["notes", "risk_summary"]]


def make_users(count: int, organisations: int = 40):
    """`count` users in `organisations` organisations, created in bulk."""
    from django.contrib.auth.hashers import make_password

    from prevent_hub.accounts.models import Organisation, OrganisationType, User

    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Benchmark organisation {n}", type=OrganisationType.OTHER)
         for n in range(organisations)]
    )
    password = make_password(None)
    User.objects.bulk_create(
        [User(email=f"user{n:05d}@bench.shireford.example", full_name=f"Benchmark User {n}",
              organisation=orgs[n % organisations], password=password)
         for n in range(count)],
        batch_size=1000,
    )
    return list(User.objects.select_related("organisation").order_by("pk"))


def generate_events(count: int, users, *, seed: int = 1, batch: int = 10_000, days: int = 730,
                    progress=None) -> float:
    """Append `count` correctly chained events, in bulk; returns seconds taken.

    Events are spread over the last `days` days, by `users`, about records of
    the types in RECORD_TYPES (~200,000 records) and the users themselves.
    They go in through audit.services.audit_events_load (COPY on PostgreSQL,
    executemany on SQLite, sealed as they load): model instances and
    bulk_create would take most of the time.
    """
    from prevent_hub.audit.services import audit_events_load

    started = time.perf_counter()
    rng = random.Random(seed)
    actors = [(u.pk, u.email, u.organisation_id, u.organisation.name) for u in users]
    user_ids = [u.pk for u in users]
    action_names = [name for name, _ in ACTIONS]
    action_weights = [weight for _, weight in ACTIONS]
    type_names = [name for name, _, _ in RECORD_TYPES]
    type_weights = [share for _, _, share in RECORD_TYPES]
    type_sizes = {name: size for name, size, _ in RECORD_TYPES}
    begin = datetime.now(UTC) - timedelta(days=days)
    step = timedelta(days=days) / max(count, 1)
    agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36"

    def rows():
        for index in range(count):
            actor_id, email, org_id, org_name = rng.choice(actors)
            action = rng.choices(action_names, action_weights)[0]
            if action in ("sign_in", "sign_out"):
                object_type, object_id = "accounts.user", str(actor_id)
            elif rng.random() < 0.1:
                object_type, object_id = "accounts.user", str(rng.choice(user_ids))
            else:
                object_type = rng.choices(type_names, type_weights)[0]
                object_id = str(rng.randint(1, type_sizes[object_type]))
            yield (
                begin + step * index, actor_id, email, org_id, org_name, action, object_type, object_id,
                rng.choice(CHANGED) if action == "update" else [],
                {"page": rng.randint(1, 5)} if action == "search" else {},
                f"{rng.getrandbits(128):032x}",
                f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                agent, f"/staff/{object_type.split('.')[0]}/{object_id}/",
            )

    audit_events_load(rows(), batch_size=batch, progress=progress)
    return time.perf_counter() - started


def analyse():
    """Fresh planner statistics, as autovacuum (PostgreSQL) or a nightly
    ANALYZE (SQLite) would leave them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


_TIMING = re.compile(r'app;dur=([\d.]+), db;desc="(\d+) queries"')


def signed_in_client(user):
    """A Django test client signed in as `user` with a second factor, talking
    to the in-process app as "localhost" (the benchmark settings' host)."""
    from django.test import Client

    from conftest import sign_in

    client = Client(HTTP_HOST="localhost")
    sign_in(client, user)
    return client


def server_timing(response) -> tuple[float, int]:
    """(server ms, queries) from the Server-Timing header."""
    match = _TIMING.search(response.get("Server-Timing", ""))
    if not match:
        raise RuntimeError("no Server-Timing header: run with config.settings.benchmark")
    return float(match[1]), int(match[2])


def summary(values) -> dict:
    from harness import percentile

    return {"median": statistics.median(values), "p95": percentile(values, 95),
            "n": len(values)}


def time_pages(requests: dict, runs: int) -> dict:
    """Each page of `requests` ({name: (client, path, params)}), asked 10
    times to warm up and then `runs` times: its server time (median, p95)
    and the query counts seen."""
    results = {}
    for name, (client, path, params) in requests.items():
        for _ in range(10):
            client.get(path, params)
        server, queries = [], set()
        for _ in range(runs):
            response = client.get(path, params)
            assert response.status_code == 200, (name, response.status_code)
            ms, n = server_timing(response)
            server.append(ms)
            queries.add(n)
        results[name] = {**summary(server), "queries": sorted(queries)}
    return results


def page_rows(results: dict, pages, *, baseline: str, target_ms: float) -> tuple[list, bool]:
    """Rows of (database, page, median, p95, × the baseline page, queries,
    target met) from run_workers' results, for `pages` ((name, whether the
    target applies) pairs), and whether every targeted page met it."""
    rows, ok = [], True
    for label, result in results.items():
        base = result["pages"][baseline]["median"]
        for name, targeted in pages:
            figures = result["pages"][name]
            passed = figures["median"] <= target_ms
            ok &= passed or not targeted
            rows.append([label, name, f"{figures['median']:.1f}", f"{figures['p95']:.1f}",
                         f"{figures['median'] / base:.1f}×", ", ".join(map(str, figures["queries"])),
                         ("✅" if passed else "❌") if targeted else ""])
    return rows, ok


def plan_sections(results: dict) -> list[str]:
    """Each database's query plans (a result's "plans": {what: plan text}) as Markdown."""
    return [f"{label}, {name}:\n\n```\n{text}\n```" for label, result in results.items()
            for name, text in result["plans"].items()]


def explain(queryset) -> str:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())
