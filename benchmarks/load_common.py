"""Plumbing shared by the load and durability benchmarks: the data set to run
against, the accounts and tokens the simulated users need, and the records
their writes go to (a "plan", written as JSON for locust and the clients).

    .venv/bin/python benchmarks/load_common.py --prepare plan.json --staff 40

runs inside Django (the environment names the database) and writes the plan.
Everything it makes is fictional: accounts at load.test.example, tokens named
"(fictional)".
"""

import json
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from harness import PYTHON, ROOT, bench_env, manage

NATIONAL_SQLITE = Path("/work/bench-data/national-10y.sqlite3")
NATIONAL_POSTGRES = "bench_national_10y"
SYNTHETIC = ("council", "national-1y")  # generated here when asked for (national-10y is copied)
KEEP = ROOT / "var" / "bench-load"  # the data set copy kept for --reuse
PASSWORD = "Load-test-only-password-1"  # noqa: S105 (fictional accounts on a scratch copy)
# The demo accounts' password is published (the demo and synthetic data both
# have them), so the app refuses to serve such data outside demo mode. On this
# scratch copy every password is made unusable, and then it is just fictional data.
DEMO_DISARM = (
    "from django.contrib.auth.hashers import make_password; "
    "from prevent_hub.accounts.models import User; from prevent_hub.core.models import DemoDataLoad; "
    "User.objects.update(password=make_password(None)); DemoDataLoad.objects.all().delete()"
)
PREFERRED_DECISIONS = ["noted", "continue_support", "seek_consent_again", "more_information"]


def data_set(which: str, *, reuse: bool, postgres: str | None) -> tuple[dict, str]:
    """The environment for a scratch copy of the data set `which`
    ("national-10y", or "council"/"national-1y" generated here, or "demo"),
    and a description of it. The coordinator's
    generated copy is never written to: SQLite is copied, PostgreSQL cloned
    from it as a template. With `reuse`, the copy made last time is used as
    it is (the writes of earlier runs are in it)."""
    KEEP.mkdir(parents=True, exist_ok=True)
    if postgres:
        import psycopg

        parts = urlsplit(postgres)
        name = f"h_load_{which.replace('-', '_')}"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not (reuse and exists):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                if which == "national-10y":
                    conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{NATIONAL_POSTGRES}"')
                else:
                    conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["BENCH_DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        fresh = not (reuse and exists)
    else:
        target = KEEP / f"{which}.sqlite3"
        os.environ["BENCH_DATABASE_URL"] = f"sqlite:///{target}"
        fresh = not (reuse and target.exists())
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            if which == "national-10y":
                # SQLite's online backup: a consistent copy, WAL included, even
                # while the coordinator's copy is open; opened read-only.
                source = sqlite3.connect(f"file:{NATIONAL_SQLITE}?mode=ro", uri=True)
                copy = sqlite3.connect(target)
                with copy:
                    source.backup(copy, pages=65536)
                source.close()
                copy.close()
    env = bench_env(KEEP)
    if fresh:
        manage(env, "migrate", "--noinput", "-v0")
        if which != "national-10y":
            # Both refuse to run outside demo mode (the demo accounts' password is published).
            make = ["generate_synthetic", "--scale", which, "--seed", "1"] if which in SYNTHETIC else [
                "load_demo_data"]
            subprocess.run([PYTHON, "manage.py", *make], cwd=ROOT, check=True,  # noqa: S603
                           env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
                           stdout=subprocess.DEVNULL)
        subprocess.run([PYTHON, "manage.py", "shell", "-c", DEMO_DISARM], cwd=ROOT, env=env,  # noqa: S603
                       check=True, stdout=subprocess.DEVNULL)
    if fresh or not (KEEP / "static").exists():
        manage(env, "collectstatic", "--noinput", "-v0")
    return env, f"{which} ({'PostgreSQL' if postgres else 'SQLite'})"


def server_log_summary(log: Path) -> dict:
    """How often the server log names worker time-outs, boots and errors
    (gunicorn's own, and Django's for a request that failed)."""
    text = log.read_text()
    return {"worker timeouts": text.count("WORKER TIMEOUT"), "workers booted": text.count("Booting worker"),
            "errors logged": text.count("[ERROR]") + text.count(" ERROR django.request ")}


def make_plan(env, path: Path, *, staff: int, partners: int = 8) -> dict:
    """Run the preparation inside Django (a subprocess) and read the plan."""
    subprocess.run([PYTHON, str(Path(__file__)), "--prepare", str(path), "--staff", str(staff),  # noqa: S603
                    "--partners", str(partners)], cwd=ROOT, env=env, check=True)
    return json.loads(path.read_text())


# ---------------------------------------------------------------- what clients send


ANSWERS = [
    ("about-you", {"referrer_name": "Loadtest Neighbour {n}", "referrer_email": "load{n}@load.test.example"}),
    ("the-person", {"subject_description": "Fictional person number {n}", "subject_approximate_age": "30"}),
    ("what-worries-you", {"concern_description": "Load test concern {n}: entirely made up."}),
    ("who-knows", {"subject_aware": "no", "family_aware": "unknown"}),
]


def api_body(n: int) -> dict:
    return {
        "referrer": {"name": "Loadtest Referrer", "role": "Designated safeguarding lead",
                     "organisation": "Loadtest Academy (fictional)", "email": "referrer@load.test.example",
                     "phone": "01632 960000", "relationship_to_person": "Teacher"},
        "safeguarding_lead": {"consulted": "yes", "name": "Loadtest Lead",
                              "contact": "dsl@load.test.example"},
        "person": {"given_name": "Testina", "family_name": f"Exampleton{n}", "date_of_birth": "2010-04-01",
                   "address": "1 Fictional Street", "postcode": "ZZ99 1ZZ",
                   "school_or_employer": "Loadtest Academy (fictional)"},
        "awareness": {"person_knows": "no", "family_knows": "unknown"},
        "concern": {"description": "Load test concern: no real person is described here.",
                    "when": "Last week", "how_it_came_to_notice": "Said in class (fictional).",
                    "prompts": ["online_activity"]},
    }


# ---------------------------------------------------------------- inside Django


def _organisation():
    from prevent_hub.accounts.models import Organisation, OrganisationType

    return Organisation.objects.get_or_create(
        name="Load test council (fictional)", defaults={"type": OrganisationType.LOCAL_AUTHORITY})[0]


def _accounts(count: int, run: str):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from prevent_hub.access.roles import Role
    from prevent_hub.accounts.models import RoleAssignment, User

    organisation = _organisation()
    accounts = []
    for n in range(count):
        user = User.objects.create_user(
            email=f"load{run}-{n:03d}@load.test.example", password=PASSWORD,
            full_name=f"Loadtest Exampleton {n}", organisation=organisation)
        RoleAssignment.objects.create(user=user, role=Role.PREVENT_COORDINATOR)
        device = TOTPDevice.objects.create(user=user, name="Load test authenticator", confirmed=True)
        accounts.append({"email": user.email, "password": PASSWORD, "totp_key": device.key})
    return accounts


def _tokens(count: int, run: str):
    from prevent_hub.accounts.models import User
    from prevent_hub.api.services import api_token_issue
    from prevent_hub.audit.context import acting_as

    tokens = []
    for n in range(count):
        user = User.objects.create_user(email=f"partner{run}-{n:02d}@load.test.example", password=None,
                                        full_name=f"Partner System {n} (fictional)",
                                        organisation=_organisation())
        with acting_as(None, request_id="load-benchmark"):
            _, plaintext = api_token_issue(user=user, scopes=["referrals:submit"],
                                           name=f"Load test partner {n} (fictional)")
        tokens.append(plaintext)
    return tokens


def _decision_pool(acting):
    """Undecided agenda items of meetings on or before today that one of the
    simple decisions can settle, with a police representative recorded as
    present for the person's area (the law needs one; recording it is the
    real service a panel administrator would use)."""
    from django.utils import timezone

    from prevent_hub.accounts.models import OrganisationType
    from prevent_hub.panels import services
    from prevent_hub.panels.decisions import area_for, decisions_for, police_present_for
    from prevent_hub.panels.models import AgendaItem, MeetingStatus

    items = (AgendaItem.objects.filter(decision="", meeting__date__lte=timezone.localdate())
             .exclude(meeting__status=MeetingStatus.CANCELLED)
             .select_related("meeting__panel__area", "case__area", "review").order_by("-meeting__date")[:400])
    pool = []
    for item in items:
        allowed = [choice.value for choice in decisions_for(item)]
        decision = next((choice for choice in PREFERRED_DECISIONS if choice in allowed), None)
        if decision is None:
            continue
        if not police_present_for(item):
            try:
                services.attendance_record(
                    meeting=item.meeting, name="Police Representative (fictional)",
                    organisation_name="Police (fictional)", organisation_type=OrganisationType.POLICE,
                    police_area=area_for(item), acting_user=acting)
            except Exception as error:  # noqa: BLE001 - a meeting that is closed is left out
                print(f"meeting {item.meeting_id} left out: {error}", file=sys.stderr)
                continue
        pool.append({"meeting": item.meeting_id, "item": item.pk, "decision": decision})
    return pool


def prepare(path: Path, staff: int, partners: int):
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from prevent_hub.accounts.models import User
    from prevent_hub.audit.context import acting_as
    from prevent_hub.channel.models import ChannelCase
    from prevent_hub.panels.models import PanelMeeting
    from prevent_hub.people.models import Person
    from prevent_hub.referrals.models import Referral, ReferralStatus

    run = secrets.token_hex(3)  # accounts of earlier runs on a reused copy stay as they were
    accounts = _accounts(staff, run)
    tokens = _tokens(partners, run)
    acting = User.objects.get(email=accounts[0]["email"])
    with acting_as(acting, request_id="load-benchmark"):
        decisions = _decision_pool(acting)
    cases = list(ChannelCase.objects.order_by("-pk").values_list("pk", flat=True)[:2000])
    referrals = list(Referral.objects.order_by("-pk").values_list("reference", flat=True)[:2000])
    gateway = list(Referral.objects.filter(status__in=[ReferralStatus.NEW, ReferralStatus.AWAITING_GATEWAY])
                   .order_by("-pk").values_list("reference", "status")[:3000])
    surnames = list(Person.objects.exclude(family_name="").order_by("-pk")
                    .values_list("family_name", flat=True).distinct()[:300])
    meetings = list(PanelMeeting.objects.order_by("-date").values_list("pk", flat=True)[:50])
    plan = {"staff": accounts, "tokens": tokens, "cases": cases, "referrals": referrals,
            "gateway": gateway, "surnames": surnames, "meetings": meetings, "decisions": decisions,
            "counts": {"referrals": Referral.objects.count(), "cases": ChannelCase.objects.count(),
                       "people": Person.objects.count()}}
    path.write_text(json.dumps(plan))


if __name__ == "__main__":
    args = sys.argv
    prepare(Path(args[args.index("--prepare") + 1]), int(args[args.index("--staff") + 1]),
            int(args[args.index("--partners") + 1]))
