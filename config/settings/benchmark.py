"""Benchmarks: production-like (debug off, hashed static files) on a scratch
database, with a Server-Timing header carrying time and query counts."""

import os

from .base import *  # noqa: F403
from .base import MIDDLEWARE

DEBUG = False
DEMO_MODE = False
SECRET_KEY = "benchmark-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Outermost, so it times everything the server does for the request.
MIDDLEWARE = ["prevent_hub.core.middleware.ServerTimingMiddleware", *MIDDLEWARE]
# benchmarks/audit_concurrency.py measures each page with audit writing off
# as the baseline for "audit overhead". Never set outside a benchmark.
AUDIT_BENCHMARK_SKIP_WRITES = os.environ.get("BENCH_AUDIT_WRITES", "on") == "off"
