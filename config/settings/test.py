"""The test suite. DATABASE_URL selects PostgreSQL for the second CI pass."""

import base64
import os

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES, env

# A key-encryption key made for this test session, put in the environment so
# that commands the tests start in a subprocess read the same database.
if not os.environ.get("ENCRYPTION_KEYS") and not os.environ.get("ENCRYPTION_KEY_FILE"):
    os.environ["ENCRYPTION_KEYS"] = "test:" + base64.b64encode(os.urandom(32)).decode()
ENCRYPTION_KEYS = os.environ.get("ENCRYPTION_KEYS", "")
# Never look again for another process's rotation: a pinned query count must
# not gain one now and then.
ENCRYPTION_CURRENT_KEY_RECHECK_SECONDS = None

DEBUG = False
DEMO_MODE = False
# Enough earlier referrals for every demo page to have figures; the import
# itself is tested at size in legacy_import's tests and benchmark.
DEMO_IMPORTED_REFERRALS = 150
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]

# No read replica in the suite, whatever the environment says: a test's records
# are in a transaction on the primary that a second connection cannot see. The
# router is tested against a database of its own (tests/test_read_replica.py).
DATABASES.pop("replica", None)
DATABASE_ROUTERS = []

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Tests read assets straight from build/static; a dedicated test checks that
# collectstatic with hashed names works.
STORAGES = {**STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/prevent-hub-test-media")  # noqa: S108

# Issue 21, ASVS V6.5.2 (authentication helper): recovery-code hashes as cheap
# as the MD5 passwords above; tests enrol hundreds of times.
RECOVERY_CODE_HASH_ITERATIONS = 1_000
