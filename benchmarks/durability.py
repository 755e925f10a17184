"""Durability: no acknowledged submission is lost or doubled while web
workers and the task worker are killed (issue 20, point 6).

    .venv/bin/python benchmarks/durability.py --minutes 10     # the recorded run
    .venv/bin/python benchmarks/durability.py --minutes 1 --no-record   # trying it out
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/durability.py --minutes 10    # SQLite, then PostgreSQL

On a scratch database, gunicorn (2 workers × 4 threads, as benchmarks/load.py)
and a task worker (`manage.py db_worker`: every submission queues an
acknowledgement email) run while client threads stream submissions:

- partner systems POST /api/v1/referrals, each with its own token and a new
  Idempotency-Key per referral. A request that fails (connection reset, 5xx,
  time-out) is sent again with the same key and body until it is answered
  201 (made now) or 200 (made by an earlier attempt whose answer was lost).
  After every 5th acknowledgement the client sends it once more on purpose,
  as a partner that never saw the answer would, and must get the same reference.
- members of the public fill in the concern form and submit it. A submit that
  fails is sent again from the same browser (cookies) with the same draft,
  and the confirmation page is read (again, if need be) for the reference.

Every `--kill-every` seconds one gunicorn worker, chosen at random, is killed
with SIGKILL (gunicorn starts a new one); every 4th kill the task worker is
killed too, and started again. Then the clients finish the submission they are
in, and the checks: every reference a client was given exists exactly once in
the database and belongs to that client's submission (its Idempotency-Key or
draft); no key or draft made two referrals; replays got the first reference;
and, once the task worker has caught up, every referral has its
acknowledgement task and none is left unfinished.
"""

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests
from audit_common import databases, scratch_database
from harness import PYTHON, ROOT, gunicorn, table, write_section
from load_common import ANSWERS, api_body, make_plan, server_log_summary

REFERENCE = re.compile(r"PRV-\d{4}-\d{6}")
RETRYABLE = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
TASK_WORKER_EVERY = 4  # kills of a web worker per kill of the task worker


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = Counter()
        self.api = []  # (token index, key, reference, status)
        self.public = []  # (draft id, reference)
        self.replay_mismatches = []

    def add(self, **counts):
        with self.lock:
            self.counts.update(counts)


def until_answered(send, tally, kind):
    """Call `send` until it returns an answer; count the attempts that failed."""
    while True:
        try:
            response = send()
        except RETRYABLE:
            tally.add(**{f"{kind}_retries": 1})
            time.sleep(0.2)
            continue
        if response.status_code >= 500:
            tally.add(**{f"{kind}_retries": 1})
            time.sleep(0.2)
            continue
        return response


def partner(base, token, index, stop, tally):
    http = requests.Session()
    http.headers.update({"Authorization": f"Bearer {token}", "X-Forwarded-For": f"10.200.0.{index + 1}"})
    n = 0
    while not stop.is_set():
        n += 1
        key, body = str(uuid.uuid4()), api_body(index * 1_000_000 + n)

        def send(key=key, body=body):
            return http.post(f"{base}/api/v1/referrals", json=body, headers={"Idempotency-Key": key},
                             timeout=15)

        response = until_answered(send, tally, "api")
        if response.status_code not in (200, 201):
            tally.add(api_refused=1)
            print(f"partner {index}: {response.status_code} {response.text[:200]}", file=sys.stderr)
            continue
        reference = response.json()["reference"]
        if response.status_code == 200:
            tally.add(api_found_earlier=1)  # an earlier attempt was made but its answer lost
        with tally.lock:
            tally.api.append((index, key, reference))
        if n % 5 == 0:
            again = until_answered(send, tally, "api")
            tally.add(api_replays=1)
            if again.status_code != 200 or again.json().get("reference") != reference:
                with tally.lock:
                    tally.replay_mismatches.append((key, reference, again.status_code, again.text[:200]))


def member_of_public(base, index, stop, tally):
    n = 0
    while not stop.is_set():
        n += 1
        http = requests.Session()
        number = index * 1_000_000 + n
        http.headers["X-Forwarded-For"] = f"10.{100 + index}.{number // 256 % 256}.{number % 256}"

        def post(path, data, http=http):
            data = {**data, "csrfmiddlewaretoken": http.cookies.get("csrftoken", "")}
            return http.post(base + path, data=data, allow_redirects=False, timeout=15)

        try:
            http.get(base + "/raise-a-concern/about-you/", timeout=15)
            for slug, answers in ANSWERS:
                data = {key: value.format(n=number) for key, value in answers.items()}
                if post(f"/raise-a-concern/{slug}/", {**data, "action": "continue"}).status_code != 302:
                    raise requests.ConnectionError("page not saved")
            page = http.get(base + "/raise-a-concern/check-your-answers/", timeout=15)
            draft = re.search(r'name="draft" value="([0-9a-f-]+)"', page.text)[1]
        except (*RETRYABLE, TypeError):
            # Before the submit nothing was acknowledged: start a new journey.
            tally.add(public_abandoned_before_submit=1)
            continue
        response = until_answered(lambda draft=draft: post("/raise-a-concern/check-your-answers/",
                                                           {"draft": draft}), tally, "public")
        if response.status_code != 302 or not response.headers["Location"].endswith("/sent/"):
            tally.add(public_refused=1)
            print(f"public {index}: {response.status_code} {response.headers.get('Location')}",
                  file=sys.stderr)
            continue
        sent = until_answered(lambda http=http: http.get(base + "/raise-a-concern/sent/", timeout=15),
                              tally, "public")
        found = REFERENCE.search(sent.text)
        if not found:
            tally.add(public_no_reference=1)
            continue
        with tally.lock:
            tally.public.append((draft, found[0]))


def workers_of(master_pid) -> list[int]:
    return [int(pid) for pid in
            Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()]


def start_task_worker(env):
    return subprocess.Popen([PYTHON, "manage.py", "db_worker", "--no-reload"],  # noqa: S603
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def database_facts(env):
    script = (
        "import json; from prevent_hub.referrals.models import Referral; "
        "from django_tasks_db.models import DBTaskResult; from django.db.models import Count; "
        "print(json.dumps({'referrals': list(Referral.objects.values_list('reference', 'submission_key')), "
        "'tasks': dict(DBTaskResult.objects.filter(task_path__endswith='referral_acknowledgement_send')"
        ".values_list('status').annotate(n=Count('id')))}))"
    )
    out = subprocess.run([PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=env,  # noqa: S603
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(args, server_url):
    with scratch_database(server_url) as env:
        plan = make_plan(env, Path(env["STATIC_ROOT"]).parent / "plan.json", staff=1, partners=args.partners)
        token_ids = json.loads(subprocess.run(
            [PYTHON, "manage.py", "shell", "-c",
             "import json; from prevent_hub.api.models import ApiToken; "
             "print(json.dumps({t.prefix: t.pk for t in ApiToken.objects.all()}))"],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
        env = {**env, "TRUSTED_PROXY_COUNT": "1",
               # Durability, not the per-token hourly allowance, is under test.
               "API_REQUESTS_PER_HOUR_PER_TOKEN": "1000000", "API_REQUESTS_PER_HOUR_PER_ADDRESS": "1000000"}
        tally, stop, kills = Tally(), threading.Event(), Counter()
        log = Path(env["STATIC_ROOT"]).parent / "gunicorn.log"
        with gunicorn(env, workers=args.workers, threads=args.threads, log=log) as server:
            base = f"http://127.0.0.1:{server.port}"
            tasks = start_task_worker(env)
            clients = [threading.Thread(target=partner, args=(base, token, n, stop, tally))
                       for n, token in enumerate(plan["tokens"])]
            clients += [threading.Thread(target=member_of_public, args=(base, n, stop, tally))
                        for n in range(args.public)]
            for client in clients:
                client.start()
            rng = random.Random(1)
            ends = time.monotonic() + args.minutes * 60
            try:
                while time.monotonic() < ends:
                    time.sleep(args.kill_every)
                    alive = workers_of(server.master_pid)
                    if alive:
                        os.kill(rng.choice(alive), signal.SIGKILL)
                        kills["web worker"] += 1
                    if kills["web worker"] % TASK_WORKER_EVERY == 0:
                        tasks.send_signal(signal.SIGKILL)
                        tasks.wait()
                        kills["task worker"] += 1
                        tasks = start_task_worker(env)
                stop.set()
                for client in clients:
                    client.join(timeout=120)
                time.sleep(args.drain)  # let the task worker catch up
            finally:
                stop.set()
                tasks.terminate()
                tasks.wait(timeout=30)
        facts = database_facts(env)
        facts["server_log"] = server_log_summary(log)
    return check(plan, token_ids, tally, kills, facts)


def check(plan, token_ids, tally, kills, facts):
    stored = Counter(reference for reference, _ in facts["referrals"])
    key_of = dict(facts["referrals"])
    keys_made = Counter(key for _, key in facts["referrals"] if key)
    token_pk = [token_ids[next(prefix for prefix in token_ids if token.startswith(prefix))]
                for token in plan["tokens"]]
    acknowledged = ([(reference, f"api:{token_pk[index]}:{key}") for index, key, reference in tally.api]
                    + [(reference, f"draft:{draft}") for draft, reference in tally.public])
    references = Counter(reference for reference, _ in acknowledged)
    return {
        "api_acknowledged": len(tally.api),
        "public_acknowledged": len(tally.public),
        "counts": dict(tally.counts),
        "kills": dict(kills),
        "referrals_in_database": len(facts["referrals"]),
        "lost": sum(1 for reference, _ in acknowledged if stored[reference] == 0),
        "not_theirs": sum(1 for reference, key in acknowledged
                          if stored[reference] and key_of[reference] != key),
        "given_twice": sum(1 for times in references.values() if times > 1),
        "duplicates": sum(1 for times in keys_made.values() if times > 1) + sum(
            1 for times in stored.values() if times > 1),
        "unacknowledged_in_database": len(set(stored) - set(references)),
        "replay_mismatches": tally.replay_mismatches[:10],
        "tasks": facts["tasks"],
        "server_log": facts["server_log"],
    }


def passed(r) -> bool:
    counts = r["counts"]
    return (r["lost"] == r["duplicates"] == r["not_theirs"] == r["given_twice"] == 0
            and not r["replay_mismatches"] and not counts.get("api_refused")
            and not counts.get("public_refused"))


def row(args, label, r) -> list:
    counts, tasks = r["counts"], r["tasks"]
    return [
        label, f"{args.minutes:g} min",
        f"{r['kills'].get('web worker', 0)} / {r['kills'].get('task worker', 0)}",
        f"{r['api_acknowledged']} / {r['public_acknowledged']}",
        f"{counts.get('api_retries', 0)} / {counts.get('public_retries', 0)}",
        counts.get("api_found_earlier", 0), f"{counts.get('api_replays', 0)} ({len(r['replay_mismatches'])})",
        counts.get("public_abandoned_before_submit", 0),
        r["duplicates"], r["lost"], r["not_theirs"], r["unacknowledged_in_database"],
        ", ".join(f"{status.lower()} {n}" for status, n in sorted(tasks.items())) or "none",
        ", ".join(f"{what} {n}" for what, n in r["server_log"].items()),
        "✅" if passed(r) else "❌",
    ]


def report(args, results: dict) -> bool:
    text = (
        f"`benchmarks/durability.py --minutes {args.minutes:g}`: gunicorn ({args.workers} workers × "
        f"{args.threads} threads) and a task worker on a scratch database; {args.partners} partner systems "
        f"(POST /api/v1/referrals, an Idempotency-Key each) and {args.public} members of the public (the "
        "concern form, page by page) submit without pause while one web worker is killed with SIGKILL "
        f"every {args.kill_every:g} s (and the task worker every {TASK_WORKER_EVERY}th time, then started "
        "again). A failed or interrupted request is sent again: the API with the same key and body, the "
        "form's submit from the same browser with the same draft. Every 5th API acknowledgement is sent "
        "once more on purpose and must get the same reference (*replays*, mismatches in brackets). "
        "*Found earlier* = retries answered 200: the first attempt had been stored but its answer lost. "
        "*Lost* = references given to a client that are not in the database; *not theirs* = a reference "
        "stored for another submission; *duplicates* = a key or draft with two referrals. A form journey "
        "interrupted before its submit (nothing acknowledged yet) is abandoned and a new one started. "
        "Acknowledgement tasks are counted by status after the clients stop and the task worker has had "
        f"{args.drain} s to catch up. *Server log*: gunicorn's own log, which names each SIGKILL of a "
        f"worker as an error. Target: no duplicates, nothing lost, no replay mismatches. The "
        "machine was shared with other work.\n\n"
        + table(["database", "run", "kills (web / task)", "acknowledged (API / form)",
                 "retries (API / form)", "found earlier", "replays", "forms abandoned before submit",
                 "duplicates", "lost", "not theirs", "stored, never acknowledged", "acknowledgement tasks",
                 "server log", "target"],
                [row(args, label, r) for label, r in results.items()])
    )
    for label, r in results.items():
        unfinished = sum(n for status, n in r["tasks"].items() if status != "SUCCESSFUL")
        if unfinished:
            text += (f"\n\n{label}: {unfinished} acknowledgement tasks were not finished when the run "
                     "ended (see the task statuses).")
        if r["replay_mismatches"]:
            text += f"\n\n{label}: replay mismatches: " + "; ".join(map(str, r["replay_mismatches"]))
    if args.record:
        write_section("durability", text)
    print(text)
    return all(passed(r) for r in results.values())


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--kill-every", type=float, default=3, help="seconds between kills of a web worker")
    parser.add_argument("--partners", type=int, default=4)
    parser.add_argument("--public", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--drain", type=int, default=20)
    parser.add_argument("--no-record", dest="record", action="store_false",
                        help="print only: for trying the script out, not for measuring")
    return parser.parse_args()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    given = arguments()
    measured = {}
    for label, server in databases():
        print(f"-- {label}", file=sys.stderr, flush=True)
        measured[label] = measure(given, server)
    sys.exit(0 if report(given, measured) else 1)
