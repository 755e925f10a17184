"""Benchmarks: production-like (debug off, hashed static files) on a scratch
database, with a Server-Timing header carrying time and query counts."""

import os

from .base import *  # noqa: F403
from .base import ENCRYPTION_KEY_FILE, ENCRYPTION_KEYS, MIDDLEWARE, VAR_DIR
from .keyfile import key_file_made_once

DEBUG = False
DEMO_MODE = False
SECRET_KEY = "benchmark-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Outermost, so it times everything the server does for the request.
MIDDLEWARE = ["prevent_hub.core.middleware.ServerTimingMiddleware", *MIDDLEWARE]
# benchmarks/audit_concurrency.py measures each page with audit writing off
# as the baseline for "audit overhead". Never set outside a benchmark.
AUDIT_BENCHMARK_SKIP_WRITES = os.environ.get("BENCH_AUDIT_WRITES", "on") == "off"
# The generator, the web server and the benchmark scripts are separate
# processes on one scratch database: one key file for all of them.
if not ENCRYPTION_KEYS and not ENCRYPTION_KEY_FILE:
    ENCRYPTION_KEY_FILE = str(key_file_made_once(VAR_DIR / "benchmark-encryption-keys"))
