"""Local development and `make run`: demo data on, SQLite under var/.

Debug is off unless DEBUG=true: the demo shows the service's own error pages,
as production does, not Django's debug page listing every URL pattern."""

from .base import *  # noqa: F403
from .base import ENCRYPTION_KEY_FILE, ENCRYPTION_KEYS, VAR_DIR, env
from .keyfile import key_file_made_once

DEBUG = env.bool("DEBUG", default=False)
DEMO_MODE = env.bool("DEMO_MODE", default=True)
# Only ever used on a developer's machine; production.py refuses it.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
# A key-encryption key made once for this machine's demo database, beside it
# (var/ is not committed). Losing it loses the demo data's encrypted fields.
if not ENCRYPTION_KEYS and not ENCRYPTION_KEY_FILE:
    ENCRYPTION_KEY_FILE = str(key_file_made_once(VAR_DIR / "encryption-keys"))
