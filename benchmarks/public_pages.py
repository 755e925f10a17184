"""Public pages through gunicorn: server time, queries and worker memory.

    .venv/bin/python benchmarks/public_pages.py [--requests 300]

Targets (issue 2): every public page median <= 20 ms server time and <= 3
queries; a gunicorn worker <= 150 MB resident.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import gunicorn, scratch_site, table, write_section  # noqa: E402

TARGET_MS, TARGET_QUERIES, TARGET_RSS_MB = 20, 3, 150


def public_paths():
    import django

    django.setup()
    from django.urls import reverse

    from prevent_hub.public.urls import PAGES

    return [reverse(f"public:{name}") for _route, name, _template in PAGES] + ["/sign-in/"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    with scratch_site() as env:
        import os

        os.environ.update(env)
        paths = public_paths()
        with gunicorn(env) as server:
            baseline = server.sample("/healthz", args.requests)
            results = [server.sample(path, args.requests) for path in paths]
            rss = server.worker_rss_mb()

    rows, failures = [], []
    for result in results:
        ok = (result["status"] == 200 and result["median_ms"] <= TARGET_MS
              and result["queries"] <= TARGET_QUERIES)
        if not ok:
            failures.append(result["path"])
        rows.append([
            f"`{result['path']}`", result["status"], f"{result['median_ms']:.1f}",
            f"{result['p95_ms']:.1f}", f"{result['median_ms'] / baseline['median_ms']:.1f}×",
            result["queries"], "✅" if ok else "❌",
        ])
    rss_ok = rss <= TARGET_RSS_MB
    markdown = "\n\n".join([
        "## Public pages (issue 2)",
        f"`benchmarks/public_pages.py`: one gunicorn worker (1 thread) on a fresh SQLite "
        f"database, production-like settings, {args.requests} sequential requests per page "
        f"after 10 warm-up requests. Server time is the view's own time from the "
        f"`Server-Timing` header. Baseline: `/healthz` median "
        f"{baseline['median_ms']:.2f} ms in the same run. "
        f"Targets: median ≤ {TARGET_MS} ms, ≤ {TARGET_QUERIES} queries, "
        f"worker ≤ {TARGET_RSS_MB} MB resident.",
        table(["page", "status", "median ms", "p95 ms", "× baseline", "queries", "target"], rows),
        f"Gunicorn worker resident memory after the run: **{rss:.0f} MB** "
        f"({'✅' if rss_ok else '❌'} target {TARGET_RSS_MB} MB).",
    ])
    write_section("public-pages", markdown)
    print(markdown)
    return 0 if not failures and rss_ok else 1


if __name__ == "__main__":
    sys.exit(main())
