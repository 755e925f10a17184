"""Shared benchmark plumbing: a scratch database, a real gunicorn, timings
read from the Server-Timing header, and a section of docs/benchmarks.md.

The machine is shared and noisy, so every benchmark reports medians and p95
over many requests, and a baseline (/healthz) measured in the same run.
"""

import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
REPORT = ROOT / "docs" / "benchmarks.md"
_TIMING = re.compile(r'app;dur=([\d.]+), db;desc="(\d+) queries"')


def bench_env(workdir: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.benchmark",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3"),
        "STATIC_ROOT": str(workdir / "static"),
    }


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True,  # noqa: S603
                   stdout=subprocess.DEVNULL)


@contextmanager
def scratch_site(setup=None):
    """A migrated scratch database with collected static files; `setup(env)`
    may load data into it. Yields the environment to run gunicorn with."""
    workdir = Path(tempfile.mkdtemp(prefix="prevent-hub-bench-"))
    env = bench_env(workdir)
    try:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        if setup:
            setup(env)
        yield env
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env, workers=1, threads=1, log: Path | None = None):
    """A real gunicorn on a free port, until the block ends. With `log`, the
    server's own log (worker boots, kills, time-outs) goes to that file: a
    pipe nobody reads fills up over a long run with workers killed every few
    seconds, and stops the server."""
    port = free_port()
    written = log.open("w") if log else None
    proc = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.py",
         "--workers", str(workers), "--threads", str(threads), "--access-logfile", "/dev/null"],
        cwd=ROOT, env={**env, "HOST": "127.0.0.1", "PORT": str(port)},
        stdout=subprocess.DEVNULL, stderr=written or subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + (60 if log else 30)
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                said = log.read_text()[-3000:] if log else proc.stderr.read().decode()
                raise RuntimeError("gunicorn did not start: " + said)
            time.sleep(0.2)
        yield Server(port, proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60 if log else 30)
        if written:
            written.close()


class Server:
    def __init__(self, port, master_pid):
        self.port = port
        self.master_pid = master_pid
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path, headers=None):
        """One request; returns (status, server ms, queries, client ms)."""
        started = time.perf_counter()
        self.conn.request("GET", path, headers=headers or {})
        response = self.conn.getresponse()
        response.read()
        client_ms = (time.perf_counter() - started) * 1000
        match = _TIMING.search(response.getheader("Server-Timing", ""))
        server_ms, queries = (float(match[1]), int(match[2])) if match else (float("nan"), -1)
        return response.status, server_ms, queries, client_ms

    def sample(self, path, n, headers=None, warmup=10):
        for _ in range(warmup):
            self.get(path, headers)
        rows = [self.get(path, headers) for _ in range(n)]
        statuses = {row[0] for row in rows}
        server = [row[1] for row in rows]
        return {
            "path": path,
            "status": statuses.pop() if len(statuses) == 1 else sorted(statuses),
            "median_ms": statistics.median(server),
            "p95_ms": percentile(server, 95),
            "queries": max(row[2] for row in rows),
            "client_median_ms": statistics.median(row[3] for row in rows),
        }

    def worker_rss_mb(self) -> float:
        """Largest resident set among the gunicorn workers."""
        children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children")
        rss = 0
        for pid in children.read_text().split():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss = max(rss, int(line.split()[1]))
        return rss / 1024


def percentile(values, pct):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return (f"{os.cpu_count()} cores ({cpu}), {mem_kb / 1024 / 1024:.0f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


RESULTS = ROOT / "benchmarks" / "results"


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,  # noqa: S607
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_section(name: str, markdown: str):
    """Record this run and regenerate the benchmark's section of
    docs/benchmarks.md from every run recorded.

    Every run is appended to benchmarks/results/<name>.jsonl (its date,
    machine, commit and report): nothing here keeps the best of several runs
    or drops one, and the section between the markers is only ever written
    from that history (tests/test_benchmarks_doc.py checks both), so it holds
    generated text alone. Commentary belongs outside the markers."""
    RESULTS.mkdir(exist_ok=True)
    run = {"date": date.today().isoformat(), "machine": machine(), "commit": _commit(),
           "markdown": markdown.strip()}
    with (RESULTS / f"{name}.jsonl").open("a") as history:
        history.write(json.dumps(run, ensure_ascii=False) + "\n")
    section_replace(name, render_section(name))


def runs(name: str) -> list[dict]:
    path = RESULTS / f"{name}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def render_section(name: str) -> str:
    """The section, from the recorded runs: the newest in full, then every
    earlier one (newest first) folded away."""
    recorded = runs(name)
    if not recorded:
        raise LookupError(f"No recorded runs for {name}")
    latest, *earlier = reversed(recorded)
    parts = [latest["markdown"], "",
             f"_Measured {_long_date(latest['date'])} on {latest['machine']}, commit {latest['commit']}._"]
    if earlier:
        parts += ["", f"Earlier runs ({len(earlier)}, newest first, every one recorded):", ""]
        for run in earlier:
            summary = f"{_long_date(run['date'])}, commit {run['commit']}, {run['machine']}"
            parts += ["<details>", f"<summary>{summary}</summary>",
                      "", run["markdown"], "", "</details>", ""]
    return "\n".join(parts).rstrip()


def _long_date(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d %B %Y")


def section_replace(name: str, body: str):
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{body}\n{end}"
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    REPORT.write_text(text)


def section_in_doc(name: str) -> str | None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = REPORT.read_text()
    if start not in text:
        return None
    return text.split(start, 1)[1].split(end, 1)[0].strip("\n")


def table(headers, rows) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
