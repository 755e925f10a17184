"""The raw-SQL floor: every main staff page and API read, served by a real
gunicorn, beside the very SQL it runs replayed straight through the database
driver in the same run (issue 20).

    .venv/bin/python benchmarks/floor.py [--scale national-10y] [--runs 200]
    .venv/bin/python benchmarks/floor.py --reuse /work/bench-data/national-10y.sqlite3 \
        --reuse bench_national_10y          # already generated data (SQLite file, PostgreSQL name)
    make bench BENCH_REUSE="/work/bench-data/national-10y.sqlite3 bench_national_10y" \
        BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/floor.py

For each page, in blocks of 20 so the machine's noise falls on both alike:
1. the page is asked once in-process (Django's test client, the same settings
   and middleware as gunicorn) inside a transaction that is then rolled back,
   with `connection.execute_wrapper` capturing every statement and its
   parameters exactly as Django hands them to the driver;
2. the floor: those statements replayed through a plain `sqlite3` / `psycopg`
   connection (opened once, kept open), every row fetched, all inside one
   transaction that is rolled back (the page's writes, i.e. the session's
   idle-timeout update and the audit event, run but are not kept);
3. the page: asked through gunicorn (1 worker, 1 thread) with the same
   session cookie or API token; server time and query count from the
   `Server-Timing` header.

Targets: each page's median ≤ 2× its floor's median, and p95 ≤ 50 ms.
Data: `manage.py generate_synthetic --scale S --seed 1` when that command
exists (otherwise only `channel_pages.make_cases`'s bulk cases and timeline
entries, at the sizes in FALLBACK: the demo data cannot be served by the
production-like settings), or `--reuse` an already
generated database (it is migrated, so new indexes are added; the benchmark
adds four fictional staff accounts, an API token, sessions and audit events).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_common import WORKER_FLAG, analyse, django_in, scratch_database, worker_url  # noqa: E402
from harness import PYTHON, ROOT, bench_env, gunicorn, manage, percentile, table, write_section  # noqa: E402

TARGET_RATIO = 2.0
TARGET_P95_MS = 50.0
BLOCK = 20
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
# Without generate_synthetic: (cases, timeline entries) on top of the demo data.
# "tiny" is for trying the script out.
FALLBACK = {"tiny": (200, 20_000), "council": (1_000, 100_000), "national-1y": (2_000, 200_000),
            "national-10y": (10_000, 2_000_000)}
# Transaction control is the driver's job in the floor (one BEGIN ... ROLLBACK).
_SAVEPOINT = re.compile(r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I)


# ---------------------------------------------------------------- databases


def targets(args) -> list[tuple[str, str]]:
    """(label, database spec) to measure: "sqlite" (scratch), "sqlite:PATH",
    "postgres:SERVER_URL" (scratch) or "postgres-reuse:DATABASE_URL"."""
    found = []
    # `make bench BENCH_REUSE="FILE.sqlite3 DBNAME"` passes --reuse to every script that takes it.
    reuse = args.reuse or os.environ.get("BENCH_REUSE", "").split()
    sqlite_reuse = [r for r in reuse if r.endswith((".sqlite3", ".db")) or os.path.isfile(r)]
    pg_reuse = [r for r in reuse if r not in sqlite_reuse]
    found.append(("SQLite", f"sqlite:{sqlite_reuse[0]}" if sqlite_reuse else "sqlite"))
    server = os.environ.get("BENCH_DATABASE_URL", "")
    if pg_reuse:
        parts = urlsplit(server if server.startswith("postgres") else DEFAULT_SERVER)
        found.append(("PostgreSQL", "postgres-reuse:" + urlunsplit(parts._replace(path=f"/{pg_reuse[0]}"))))
    elif server.startswith(("postgres://", "postgresql://")):
        found.append(("PostgreSQL", f"postgres:{server}"))
    # --only: one database now, the other later (national data takes long to make).
    return [(label, spec) for label, spec in found if args.only in (None, label.lower())]


@contextmanager
def database(spec: str):
    """The environment for Django and gunicorn on the database `spec` names."""
    kind, _, rest = spec.partition(":")
    if kind in ("sqlite", "postgres") and (kind == "postgres" or not rest):
        with scratch_database(rest or None) as env:
            yield env, True
        return
    workdir = Path(tempfile.mkdtemp(prefix="prevent-hub-floor-"))
    env = bench_env(workdir)
    env["DATABASE_URL"] = f"sqlite:///{Path(rest).resolve()}" if kind == "sqlite" else rest
    os.environ["BENCH_DATABASE_URL"] = env["DATABASE_URL"]
    try:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        yield env, False
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def generate(scale: str) -> str:
    """Fill the scratch database; returns what was made, for the report."""
    from django.core.management import call_command, get_commands
    from django.test.utils import override_settings

    if "generate_synthetic" in get_commands():
        # It refuses to run outside demo mode, but does not mark the database
        # as holding demo data, so the production-like settings serve it.
        with override_settings(DEMO_MODE=True):
            call_command("generate_synthetic", scale=scale, seed=1, stdout=sys.stderr)
        return f"`manage.py generate_synthetic --scale {scale} --seed 1`"
    from channel_pages import make_cases, make_entries

    from prevent_hub.access.roles import Role

    cases, entries = FALLBACK[scale]
    opener = staff_user("floor-opener", [Role.PREVENT_COORDINATOR])
    make_cases(cases, opener)
    make_entries(entries, opener)
    return (f"{cases:,} bulk cases (people and referrals behind each) and "
            f"{entries:,} timeline entries (`generate_synthetic` was not there yet; sizes for "
            f"`--scale {scale}` without it)")


def describe_data() -> str:
    from prevent_hub.audit.models import AuditEvent
    from prevent_hub.channel.models import ChannelCase, ChronologyEntry
    from prevent_hub.people.models import Person
    from prevent_hub.referrals.models import Referral

    counts = [(Person, "people"), (Referral, "referrals"), (ChannelCase, "Channel cases"),
              (ChronologyEntry, "timeline entries"), (AuditEvent, "audit events")]
    return ", ".join(f"{model.objects.count():,} {name}" for model, name in counts)


# ---------------------------------------------------------------- who asks, and for what


def staff_user(name: str, roles):
    """A fictional benchmark account (made once, found again on reuse)."""
    from prevent_hub.accounts.models import User
    from prevent_hub.accounts.tests.factories import UserFactory

    email = f"{name}@bench.shireford.example"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = UserFactory(email=email, full_name=f"{name.replace('-', ' ').title()} (fictional)",
                           roles=roles)
    return User.objects.get(pk=user.pk)


def signed_in(user):
    """An in-process client signed in as `user` (two factors), and the Cookie
    header that lets gunicorn requests share its session."""
    from audit_common import signed_in_client
    from django.conf import settings

    client = signed_in_client(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return client, {"Cookie": cookie}


def pages() -> list[dict]:
    """Every page measured: name, path, and whose client asks."""
    from django.db.models import Count, Max
    from django.urls import reverse

    from prevent_hub.access.roles import Role
    from prevent_hub.api.services import api_token_issue
    from prevent_hub.audit.context import acting_as
    from prevent_hub.channel.models import ChannelCase, ChronologyEntry
    from prevent_hub.panels.models import PanelMeeting
    from prevent_hub.referrals.models import Referral

    coordinator = staff_user("floor-coordinator", [Role.PREVENT_COORDINATOR])
    auditor = staff_user("floor-auditor", [Role.AUDITOR])
    complaints = staff_user("floor-complaints-officer", [Role.COMPLAINTS_OFFICER])
    training = staff_user("floor-training-administrator", [Role.TRAINING_ADMINISTRATOR])
    clients = {user: signed_in(user) for user in (coordinator, auditor, complaints, training)}
    with acting_as(None):
        _row, token = api_token_issue(user=coordinator, scopes=["cases:read", "referrals:read",
                                                                "statistics:read"], name="Floor benchmark")
    api = (clients[coordinator][0], {"Authorization": f"Bearer {token}"})

    # A case with the typical number of timeline entries.
    per_case = list(ChronologyEntry.objects.order_by().values("case_id").annotate(n=Count("pk"))
                    .values_list("n", "case_id"))
    per_case.sort()
    entries, case_pk = per_case[len(per_case) // 2] if per_case else (0, ChannelCase.objects.latest("pk").pk)
    referral = Referral.objects.filter(person__isnull=False).order_by("-received_at", "-pk").first()
    person = referral.person
    meeting = (PanelMeeting.objects.annotate(n=Count("items")).filter(n__gt=0)
               .order_by("-date", "-pk").first())
    latest = Referral.objects.aggregate(at=Max("received_at"))["at"]
    year = (latest.year if latest.month >= 4 else latest.year - 1) - 1

    def page(name, path, user=coordinator, query=""):
        client, headers = clients[user]
        return {"name": name, "path": path + (f"?{query}" if query else ""), "client": client,
                "headers": headers}

    found = [
        page("staff home", reverse("staff:home")),
        page("case list", reverse("channel:case-list")),
        page(f"case page ({entries} timeline entries)", reverse("channel:case-detail", args=[case_pk])),
        page("case timeline", reverse("channel:case-timeline", args=[case_pk])),
        page("your tasks", reverse("channel:my-tasks")),
        page("Channel dashboard", reverse("channel:dashboard")),
        page("triage queue", reverse("triage:queue")),
        page("referral page", reverse("triage:referral", args=[referral.reference])),
        page("person page", reverse("people:detail", args=[person.pk])),
        page("people search (a full name)", reverse("people:search"),
             query=f"name={person.given_name}+{person.family_name}"),
        page("panels list", reverse("panels:home")),
        *([page("meeting and agenda", reverse("panels:meeting", args=[meeting.pk]))] if meeting else []),
        page("audit search (one case's events)", reverse("audit:search"), auditor,
             query=f"object_type=channel.channelcase&object_id={case_pk}"),
        page("venue bookings", reverse("venues:dashboard")),
        page("complaints", reverse("complaints:dashboard"), complaints),
        page("training compliance", reverse("training:home"), training),
        page("statistics dashboard", reverse("statistics:dashboard")),
        page("assurance summary", reverse("assurance:summary")),
        {"name": "API: cases list", "path": "/api/v1/cases", "client": api[0], "headers": api[1]},
        {"name": "API: case", "path": f"/api/v1/cases/{case_pk}", "client": api[0], "headers": api[1]},
        {"name": "API: referral", "path": f"/api/v1/referrals/{referral.reference}", "client": api[0],
         "headers": api[1]},
        {"name": f"API: statistics {year}/{(year + 1) % 100:02d}", "path": f"/api/v1/statistics?year={year}",
         "client": api[0], "headers": api[1]},
    ]
    return found


# ---------------------------------------------------------------- the floor


def capture(page) -> list[tuple[str, object, bool]]:
    """The statements `page` runs, as Django hands them to the driver, from one
    in-process request whose writes are rolled back."""
    from django.db import connection, transaction

    captured = []

    def record(execute, sql, params, many, context):
        captured.append((sql, params, many))
        return execute(sql, params, many, context)

    meta = {f"HTTP_{key.upper().replace('-', '_')}": value for key, value in page["headers"].items()
            if key != "Cookie"}
    with transaction.atomic():
        with connection.execute_wrapper(record):
            response = page["client"].get(page["path"], **meta)
        transaction.set_rollback(True)
    assert response.status_code == 200, (page["name"], response.status_code)
    return [(sql, params, many) for sql, params, many in captured if not _SAVEPOINT.match(sql)]


class Floor:
    """A plain driver connection replaying captured statements."""

    def __init__(self):
        from django.db import connection

        self.vendor = connection.vendor
        settings = connection.settings_dict
        if self.vendor == "sqlite":
            import sqlite3

            from django.db.backends.sqlite3._functions import register

            self.conn = sqlite3.connect(settings["NAME"], isolation_level=None, check_same_thread=False)
            # The same pragmas as the app's connections, and the same SQL
            # functions Django registers (date arithmetic in some queries).
            for pragma in settings["OPTIONS"].get("init_command", "").split(";"):
                if pragma.strip():
                    self.conn.execute(pragma)
            register(self.conn)
            self.begin = "BEGIN IMMEDIATE"
        else:
            import psycopg

            self.conn = psycopg.connect(
                host=settings["HOST"] or None, port=settings["PORT"] or None, user=settings["USER"],
                password=settings["PASSWORD"] or None, dbname=settings["NAME"], autocommit=True,
                # Django binds parameters on the client side; so does the floor.
                cursor_factory=psycopg.ClientCursor)
            self.conn.execute("SET TIME ZONE 'UTC'")
            self.begin = "BEGIN"

    def convert(self, statements):
        if self.vendor != "sqlite":
            return statements
        from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

        return [(FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%") if params is not None else sql,
                 params, many) for sql, params, many in statements]

    def run(self, statements) -> float:
        """Milliseconds for the statements, every row fetched, in one
        transaction rolled back."""
        cursor = self.conn.cursor()
        started = time.perf_counter()
        cursor.execute(self.begin)
        try:
            for sql, params, many in statements:
                if many:
                    cursor.executemany(sql, params)
                elif params is None:
                    cursor.execute(sql)
                else:
                    cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()
        finally:
            cursor.execute("ROLLBACK")
        return (time.perf_counter() - started) * 1000


# ---------------------------------------------------------------- the run


def measure(server, floor, found, runs) -> dict:
    results = {}
    for page in found:
        for _ in range(5):  # warm-up, both ways
            server.get(page["path"], page["headers"])
        # Captured after the page's last request: a replayed audit event
        # takes the chain's next place, which the next request would take.
        statements = floor.convert(capture(page))
        if os.environ.get("FLOOR_DEBUG"):
            for sql, params, _many in statements:
                print(f"    {sql[:300]} {str(params)[:200]}", file=sys.stderr)
        for _ in range(5):
            floor.run(statements)
        page_ms, floor_ms, queries, statuses = [], [], set(), set()
        while len(page_ms) < runs:
            statements = floor.convert(capture(page))
            for _ in range(BLOCK):
                floor_ms.append(floor.run(statements))
            for _ in range(BLOCK):
                status, ms, n, _client = server.get(page["path"], page["headers"])
                statuses.add(status)
                page_ms.append(ms)
                queries.add(n)
        results[page["name"]] = {
            "path": page["path"], "status": sorted(statuses), "queries": sorted(queries),
            "captured": len(statements),
            "median": statistics.median(page_ms), "p95": percentile(page_ms, 95),
            "floor_median": statistics.median(floor_ms), "floor_p95": percentile(floor_ms, 95),
        }
        print(f"{page['name']}: {results[page['name']]}", file=sys.stderr, flush=True)
    return results


def worker(spec, scale, runs):
    with database(spec) as (env, scratch), django_in(env):
        started = time.perf_counter()
        made = generate(scale) if scratch else f"an already generated database (`--reuse`, `--scale {scale}`)"
        generate_seconds = time.perf_counter() - started
        if scratch:
            analyse()
        data = describe_data()
        found = pages()
        floor = Floor()
        # The partner API's hourly limits would refuse a benchmark's worth of requests.
        run_env = {**env, "API_REQUESTS_PER_HOUR_PER_TOKEN": "100000000",
                   "API_REQUESTS_PER_HOUR_PER_ADDRESS": "100000000"}
        with gunicorn(run_env, workers=1, threads=1) as server:
            results = measure(server, floor, found, runs)
        print(json.dumps({"made": made, "data": data, "generate_seconds": generate_seconds,
                          "pages": results}))


def report(results: dict, args) -> tuple[str, bool]:
    ok = True
    parts = [
        "## The raw-SQL floor: every main page beside its own SQL (issue 20)",
        "`benchmarks/floor.py`: each main staff page and partner-API read, served by gunicorn "
        "(1 worker, 1 thread, production-like settings), beside **its floor**: the very statements the "
        "page runs, captured from one in-process request (Django's `connection.execute_wrapper`, the "
        "same settings and middleware, its writes rolled back) and replayed in the same run through "
        "a plain driver connection (`sqlite3` / `psycopg`, opened once and kept open, every row "
        "fetched), inside one transaction that is rolled back. So the floor includes every query and "
        "write the page makes (session idle-timeout update, audit event) and the database's own work, "
        "and leaves out connecting, the commit (a WAL flush on PostgreSQL), building the queries, "
        "turning rows into objects, access checks and rendering: what Django and the app add. "
        f"Page and floor alternate in blocks of {BLOCK}, {args.runs} of each per page, after warm-up. "
        "Server time from the `Server-Timing` header. The machine (2 cores) was shared with other "
        "work while this ran, so figures are noisy; compare the ratios. "
        f"Targets: page median ≤ {TARGET_RATIO:g}× its floor's median, p95 ≤ {TARGET_P95_MS:g} ms.",
    ]
    for label, result in results.items():
        rows = []
        for name, figures in result["pages"].items():
            ratio = figures["median"] / figures["floor_median"]
            passed = (ratio <= TARGET_RATIO and figures["p95"] <= TARGET_P95_MS
                      and figures["status"] == [200])
            ok &= passed
            status = "" if figures["status"] == [200] else f" (status {figures['status']})"
            rows.append([f"{name}{status}", f"`{figures['path']}`", f"{figures['median']:.1f}",
                         f"{figures['p95']:.1f}", ", ".join(map(str, figures["queries"])),
                         f"{figures['floor_median']:.2f}", f"{ratio:.1f}×",
                         "✅" if ratio <= TARGET_RATIO else "❌",
                         "✅" if figures["p95"] <= TARGET_P95_MS else "❌"])
        parts += [f"### {label}", f"Data: {result['made']}: {result['data']}.",
                  table(["page", "path", "median ms", "p95 ms", "queries", "floor median ms", "× floor",
                         f"≤ {TARGET_RATIO:g}× floor", f"p95 ≤ {TARGET_P95_MS:g} ms"], rows)]
    return "\n\n".join(parts), ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="national-10y", choices=sorted(FALLBACK))
    parser.add_argument("--reuse", action="append", default=[],
                        help="an already generated database: a SQLite file, or a PostgreSQL database name")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="measure one database only")
    parser.add_argument("--print-only", action="store_true",
                        help="print the section without recording the run (for trying the script out)")
    args, _ = parser.parse_known_args()
    spec = worker_url(sys.argv)
    if spec is not False:
        return worker(spec or "sqlite", args.scale, args.runs)
    results = {}
    for label, spec in targets(args):
        print(f"-- {label}", file=sys.stderr, flush=True)
        completed = subprocess.run(  # noqa: S603
            [PYTHON, __file__, WORKER_FLAG, spec, "--scale", args.scale, "--runs", str(args.runs)],
            cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)
        results[label] = json.loads(completed.stdout.strip().splitlines()[-1])
    markdown, ok = report(results, args)
    if not args.print_only:
        write_section("floor", markdown)
    print(markdown)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
