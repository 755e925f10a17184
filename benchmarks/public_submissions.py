"""Public concern submissions per second, with nothing lost (issue 4).

    .venv/bin/python benchmarks/public_submissions.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/public_submissions.py

A real gunicorn (the `make run` configuration: 2 workers x 2 threads) and a
task worker on a scratch database, on this 2-core machine, with the load
generator on the same cores. Each virtual member of the public has their own
cookies and network address (X-Forwarded-For behind one trusted proxy, so the
per-address rate limit applies as in production) and fills in the public
concern form page by page. Then:

1. Offered load: every prepared draft is submitted from its check-answers page
   on a fixed schedule of 50 a second (open loop: a slow response does not slow
   the schedule), and each submission's status and time are recorded.
2. No loss: every submission answered with the confirmation must have exactly
   one referral in the database with the reference it was shown, no draft may
   be left behind, and every acknowledgement email must have been queued.
3. Whole journeys: for comparison, complete journeys (4 pages + submit) as
   fast as 8 concurrent users can go.

The baseline is /healthz, timed in the same run before the load.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from audit_common import run_workers, scratch_database, worker_url
from harness import PYTHON, ROOT, gunicorn, percentile, table, write_section

RATE = 50  # submissions offered per second
DURATION_S = 20
JOURNEY_USERS = 8
JOURNEY_SECONDS = 20
REFERENCE = re.compile(r"PRV-\d{4}-\d{6}")

ANSWERS = [
    ("about-you", {"referrer_name": "Bench Neighbour {n}", "referrer_email": "bench{n}@test.example"}),
    ("the-person", {"subject_description": "Fictional person number {n}", "subject_approximate_age": "30"}),
    ("what-worries-you", {"concern_description": "Benchmark concern {n}: entirely made up.\nLine two."}),
    ("who-knows", {"subject_aware": "no", "family_aware": "unknown"}),
]


class Visitor:
    """One member of the public: a cookie jar and an address of their own."""

    def __init__(self, base, n):
        self.base, self.n = base, n
        self.http = requests.Session()
        self.http.headers["X-Forwarded-For"] = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        self.draft = None

    def _post(self, path, data):
        data = {**data, "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", "")}
        return self.http.post(self.base + path, data=data, allow_redirects=False, timeout=60)

    def fill(self):
        self.http.get(self.base + "/raise-a-concern/about-you/", timeout=60)
        for page, answers in ANSWERS:
            response = self._post(f"/raise-a-concern/{page}/", {
                **{key: value.format(n=self.n) for key, value in answers.items()}, "action": "continue"})
            if response.status_code != 302:
                raise RuntimeError(f"page {page}: {response.status_code}")
        page = self.http.get(self.base + "/raise-a-concern/check-your-answers/", timeout=60)
        self.draft = re.search(r'name="draft" value="([0-9a-f-]+)"', page.text)[1]

    def submit(self):
        """(status, ms): the submit alone, answered by a redirect to the confirmation."""
        started = time.perf_counter()
        response = self._post("/raise-a-concern/check-your-answers/", {"draft": self.draft})
        return response.status_code, (time.perf_counter() - started) * 1000

    def reference_shown(self):
        """The reference on this visitor's confirmation page, or None."""
        found = REFERENCE.search(self.http.get(self.base + "/raise-a-concern/sent/", timeout=60).text)
        return found[0] if found else None


def offered_load(visitors):
    """Submit each visitor's draft at its slot in a fixed 50-a-second schedule."""
    results = [None] * len(visitors)
    start = time.perf_counter() + 0.5

    def fire(i):
        delay = start + i / RATE - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        lag = max(0.0, -delay) * 1000
        try:
            results[i] = (*visitors[i].submit(), lag)
        except requests.RequestException as exc:
            results[i] = (repr(exc), float("nan"), lag)

    with ThreadPoolExecutor(max_workers=64) as pool:
        list(pool.map(fire, range(len(visitors))))
    return results, time.perf_counter() - start


def whole_journeys(base, first_n):
    done, failed = [], []
    stop = time.perf_counter() + JOURNEY_SECONDS
    counter = iter(range(first_n, first_n + 10**6))
    lock = threading.Lock()

    def user():
        while time.perf_counter() < stop:
            with lock:
                n = next(counter)
            visitor = Visitor(base, n)
            started = time.perf_counter()
            try:
                visitor.fill()
                status, _ = visitor.submit()
                reference = visitor.reference_shown()
            except (requests.RequestException, RuntimeError, TypeError) as exc:
                failed.append(repr(exc))
                continue
            (done if status == 302 and reference else failed).append((time.perf_counter() - started) * 1000)

    began = time.perf_counter()
    threads = [threading.Thread(target=user) for _ in range(JOURNEY_USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done, failed, time.perf_counter() - began


def database_facts(env):
    script = (
        "import json; from prevent_hub.referrals.models import Referral, ReferralDraft; "
        "from django_tasks_db.models import DBTaskResult; "
        "print(json.dumps({'references': list(Referral.objects.values_list('reference', flat=True)), "
        "'drafts': ReferralDraft.objects.count(), "
        "'acknowledgements': DBTaskResult.objects.filter(task_path__endswith='referral_acknowledgement_send')"
        ".count()}))"
    )
    out = subprocess.run([PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=env,  # noqa: S603
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(server_url):
    with scratch_database(server_url) as env:
        env = {**env, "TRUSTED_PROXY_COUNT": "1"}
        with gunicorn(env, workers=2, threads=2) as server:
            worker = subprocess.Popen([PYTHON, "manage.py", "db_worker", "--no-reload"],  # noqa: S603
                                      cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                baseline = server.sample("/healthz", 200)
                base = f"http://127.0.0.1:{server.port}"
                visitors = [Visitor(base, n) for n in range(RATE * DURATION_S)]
                prepared_at = time.perf_counter()
                with ThreadPoolExecutor(max_workers=8) as pool:
                    list(pool.map(Visitor.fill, visitors))
                prepare_s = time.perf_counter() - prepared_at
                results, elapsed = offered_load(visitors)
                with ThreadPoolExecutor(max_workers=8) as pool:
                    shown = list(pool.map(Visitor.reference_shown, visitors))
                done, failed, journey_s = whole_journeys(base, len(visitors))
                time.sleep(2)
            finally:
                worker.terminate()
                worker.wait(timeout=30)
        facts = database_facts(env)

    accepted = [row for row in results if row[0] == 302]
    shown = [reference for row, reference in zip(results, shown, strict=True) if row[0] == 302 and reference]
    stored = set(facts["references"])
    latencies = [row[1] for row in results if isinstance(row[1], float) and row[1] == row[1]]
    return {
        "baseline_ms": baseline["median_ms"],
        "prepare_s": prepare_s,
        "offered": len(results),
        "elapsed_s": elapsed,
        "accepted": len(accepted),
        "refused": len(results) - len(accepted),
        "statuses": sorted({str(row[0]) for row in results}),
        "median_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 95),
        "max_ms": max(latencies),
        "max_lag_ms": max(row[2] for row in results),
        "shown": len(shown),
        "lost": len(set(shown) - stored),
        "duplicates": len(shown) - len(set(shown)),
        "referrals": len(stored),
        "drafts_left": facts["drafts"],
        "acknowledgements": facts["acknowledgements"],
        "journeys": len(done),
        "journeys_failed": len(failed),
        "journeys_per_s": len(done) / journey_s,
        "journey_median_ms": statistics.median(done) if done else float("nan"),
    }


def report(results):
    rows, ok = [], True
    for label, r in results.items():
        achieved = r["accepted"] / r["elapsed_s"]
        good = (r["accepted"] == r["offered"] == r["shown"] and r["lost"] == 0 and r["duplicates"] == 0
                and achieved >= RATE * 0.95 and r["referrals"] == r["accepted"] + r["journeys"])
        ok &= good
        rows.append([
            label, f"{r['offered']} at {RATE}/s", f"{r['accepted']} ({achieved:.1f}/s)", r["refused"],
            f"{r['median_ms']:.0f} / {r['p95_ms']:.0f} / {r['max_ms']:.0f}",
            f"{r['median_ms'] / r['baseline_ms']:.0f}×", r["lost"], r["referrals"], r["drafts_left"],
            r["acknowledgements"], f"{r['journeys_per_s']:.1f}/s ({r['journey_median_ms']:.0f} ms)",
            "✅" if good else "❌",
        ])
    text = (
        "`benchmarks/public_submissions.py`: gunicorn as `make run` starts it (2 workers × 2 threads) "
        "and a task worker, on a scratch database, with the load generator on the same 2 cores. "
        f"{RATE * DURATION_S} members of the public (own cookies, own address through one trusted proxy, "
        "so the per-address rate limit applies) each fill in the public concern form; then every draft is "
        f"submitted on a fixed schedule of {RATE} a second (open loop). *Accepted* = the submit "
        "answered with the redirect to the confirmation page (timed: the submit request alone); "
        "afterwards each visitor's confirmation page is read for the reference it shows. *Lost* = "
        "references shown that are not in the database. Referrals in the database also count the whole "
        "journeys of the last column (8 concurrent users completing 4 pages and submitting, for "
        f"{JOURNEY_SECONDS} s). Times are what the client saw; baseline: /healthz server time in the "
        "same run. Target: 50 submissions a second accepted, none lost.\n\n"
        + table(["database", "offered", "accepted", "refused", "median / p95 / max ms", "× baseline",
                 "lost", "referrals in DB", "drafts left", "acknowledgements queued",
                 "whole journeys", "target"], rows)
    )
    write_section("public-submissions", text)
    print(text)
    return ok


if __name__ == "__main__":
    url = worker_url(sys.argv)
    if url is not False:
        print(json.dumps(measure(url)))
        sys.exit(0)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(0 if report(run_workers(__file__)) else 1)
