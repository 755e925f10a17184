"""How long `manage.py generate_synthetic` takes, how many rows it writes and
how big the database becomes, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/synthetic_data.py [--national-10y] [--scales council national-1y]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/synthetic_data.py

Each scale goes into its own scratch database (a new SQLite file, or a
PostgreSQL database created and dropped), migrated, then filled by the
command as an operator runs it (its own process, demo settings, seed 20,
the default anchor date): seconds per step, rows per model, the database's
size on disk afterwards, and `verify_audit` over the whole trail (its
verdict and time). The last hash of each audit chain is compared across
databases: the same seed must make the same trail on SQLite and PostgreSQL.

One run per scale: a run at national scale takes minutes, and what it
measures is throughput over millions of rows, not one request's latency.
national-10y (20 million audit events) only runs with --national-10y; without
it the section gives an estimate from national-1y's rates (every volume ten
times larger).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_common import databases, scratch_postgres  # noqa: E402
from harness import PYTHON, ROOT, table, write_section  # noqa: E402

SEED = 20
SHOWN = [  # (label, model) in the summary table
    ("referrals", "referrals.Referral"), ("people", "people.Person"), ("cases", "channel.ChannelCase"),
    ("timeline", "channel.ChronologyEntry"), ("audit events", "audit.AuditEvent"),
]


def run(env, *args, capture=False):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True,  # noqa: S603
                          stdout=subprocess.PIPE if capture else subprocess.DEVNULL, text=True)


def size_on_disk(env, sqlite_path: Path | None) -> int:
    if sqlite_path is not None:
        return sum(path.stat().st_size for path in sqlite_path.parent.glob(sqlite_path.name + "*"))
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]


def measure(label: str, server_url: str | None, scale: str) -> dict:
    print(f"-- {label}, {scale}", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="prevent-hub-synthetic-") as workdir:
        workdir = Path(workdir)
        report = workdir / "report.json"
        sqlite_path = None if server_url else workdir / "synthetic.sqlite3"

        def go(url):
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEMO_MODE": "true",
                   "DATABASE_URL": url}
            run(env, "migrate", "--noinput", "-v0")
            started = time.perf_counter()
            subprocess.run(  # noqa: S603 - progress lines go to our stderr
                [PYTHON, "manage.py", "generate_synthetic", "--scale", scale, "--seed", str(SEED),
                 "--json-report", str(report)], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
            wall = time.perf_counter() - started
            result = json.loads(report.read_text())
            started = time.perf_counter()
            verdict = run(env, "verify_audit", capture=True).stdout.strip().splitlines()[-1]
            result.update(wall_seconds=wall, verify_seconds=time.perf_counter() - started,
                          verify=verdict, intact=verdict.startswith("Audit trail intact"),
                          size_bytes=size_on_disk(env, sqlite_path))
            return result

        if server_url is None:
            return go(f"sqlite:///{sqlite_path}")
        with scratch_postgres(server_url) as url:
            return go(url)


def mib(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MiB" if size < 1024 ** 3 else f"{size / 1024 ** 3:,.1f} GiB"


def seconds(value: float) -> str:
    return f"{value:,.1f}" if value < 120 else f"{value:,.0f} ({value / 60:.1f} min)"


def markdown(results: dict[tuple[str, str], dict], scales: list[str]) -> str:
    summary_rows = []
    for (label, scale), result in results.items():
        rows = result["rows"]
        total_rows = sum(rows.values())
        summary_rows.append([
            label, scale, *(f"{rows.get(model, 0):,}" for _, model in SHOWN), f"{total_rows:,}",
            seconds(result["total_seconds"]), f"{total_rows / result['total_seconds']:,.0f}",
            mib(result["size_bytes"]),
            ("✅ " if result["intact"] else "❌ ") + result["verify"].split(":")[0],
            seconds(result["verify_seconds"])])
    headers = ["database", "scale", *(label for label, _ in SHOWN), "all rows", "seconds", "rows/s",
               "size on disk", "verify_audit", "verify s"]
    steps = list(next(iter(results.values()))["seconds"])
    step_rows = [[label, scale, *(seconds(result["seconds"].get(step, 0)) for step in steps)]
                 for (label, scale), result in results.items()]
    models = sorted({model for result in results.values() for model in result["rows"]})
    model_rows = [[model, *(f"{results[key]['rows'].get(model, 0):,}" for key in results)]
                  for model in models]
    model_headers = ["model", *(f"{label}, {scale}" for label, scale in results)]
    lines = [
        "## Synthetic data at every scale (issue 20)",
        "",
        "`benchmarks/synthetic_data.py`: `manage.py generate_synthetic --scale <scale> --seed 20` into a "
        "new, migrated scratch database per scale and database, in its own process as an operator runs it; "
        "then `verify_audit` over the whole trail. One run each (minutes of bulk writing: throughput, not "
        "latency). The machine has 2 cores and was shared with other work while this ran, so times are "
        "noisy; rows and sizes are exact.",
        "",
        table(headers, summary_rows),
        "",
        "Seconds per step:",
        "",
        table(["database", "scale", *steps], step_rows),
        "",
        "Rows per model:",
        "",
        table(model_headers, model_rows),
    ]
    # Same seed, same trail, whichever database: compare the chains' last hashes.
    for scale in scales:
        hashes = {label: result["audit_head_hash"] for (label, s), result in results.items() if s == scale}
        if len(hashes) > 1:
            same = len(set(hashes.values())) == 1
            first = next(iter(hashes.values()))[:16]
            lines += ["", f"{scale}: the audit chain ends with the same hash on "
                      f"{' and '.join(hashes)}: {'yes ✅' if same else 'no ❌'} (`{first}…`)"]
    estimates = []
    for (label, scale), result in results.items():
        if scale == "national-1y" and ("national-10y" not in scales):
            estimate = result["total_seconds"] * 10
            size = result["size_bytes"] * 10
            estimates.append(f"{label} ≈ {estimate / 60:.0f} minutes and ≈ {mib(size)}")
    if estimates:
        lines += ["", "national-10y was not run here. Estimated from national-1y (every volume ten times "
                  "larger; the audit trail, about nine tenths of the time, grows linearly): "
                  + "; ".join(estimates) + "."]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", nargs="+", default=["council", "national-1y"])
    parser.add_argument("--national-10y", action="store_true", help="also national-10y (long)")
    args = parser.parse_args()
    scales = list(args.scales) + (["national-10y"] if args.national_10y else [])
    results = {}
    for scale in scales:
        for label, url in databases():
            results[(label, scale)] = measure(label, url, scale)
            print(json.dumps({"database": label, "scale": scale,
                              **{k: v for k, v in results[(label, scale)].items() if k != "rows"}}),
                  file=sys.stderr, flush=True)
    write_section("synthetic-data", markdown(results, scales))
    print(re.sub(r"\n{3,}", "\n\n", markdown(results, scales)))
    return 0 if all(result["intact"] for result in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
