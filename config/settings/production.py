"""Production. Refuses to start with debug on, a default secret key, demo data, or without a
well-formed encryption key."""

from django.core.exceptions import ImproperlyConfigured

from prevent_hub.encryption.keys import configured_keks

from ..secret_key import weakness as secret_key_weakness
from .base import *  # noqa: F403
from .base import ENCRYPTION_KEY_FILE, ENCRYPTION_KEYS, env

DEBUG = env.bool("DEBUG", default=False)
DEMO_MODE = env.bool("DEMO_MODE", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set DEBUG=false).")
if DEMO_MODE:
    raise ImproperlyConfigured("Demo data is not allowed in production (unset DEMO_MODE).")
if _weakness := secret_key_weakness(SECRET_KEY):
    raise ImproperlyConfigured(
        f"SECRET_KEY must be set to a long random value in production ({_weakness}), for example "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )

# Raises ImproperlyConfigured when there is no key or one is malformed.
configured_keks(ENCRYPTION_KEYS, ENCRYPTION_KEY_FILE)

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
API_REQUIRE_HTTPS = env.bool("API_REQUIRE_HTTPS", default=True)  # base.py: why the API is not redirected
# The reverse proxy terminates TLS and says so in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63072000)  # two years
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# Connections out (ASVS V12.3, V13.2.3): a database or mail server off this
# machine only over TLS, the database's certificate checked, an object store
# only over https, and no well-known default password (config/backend_connections.py).
from .. import backend_connections  # noqa: E402

_connections = {
    "DATABASE_URL": backend_connections.database_weakness(DATABASES["default"]),  # noqa: F405
    "DATABASE_REPLICA_URL": backend_connections.database_weakness(DATABASES.get("replica", {})),  # noqa: F405
}
_connections["EMAIL_URL"] = backend_connections.email_weakness(env.email_url("EMAIL_URL", default="consolemail://"))
if env.str("STORAGE_S3_BUCKET", default=""):
    _connections["The object store"] = backend_connections.object_store_weakness(
        env.str("STORAGE_S3_ENDPOINT_URL", default=""), env.str("STORAGE_S3_SECRET_ACCESS_KEY", default=""))
for _name, _weakness in _connections.items():
    if _weakness:
        raise ImproperlyConfigured(f"{_name} is refused in production: {_weakness}.")

# New passwords are checked against Pwned Passwords (ASVS V6.2.12; only a
# 5-character hash prefix leaves the server). Set PASSWORD_BREACH_CHECK_URL=
# (empty) where the service has no internet access.
PASSWORD_BREACH_CHECK_URL = env.str("PASSWORD_BREACH_CHECK_URL", default="https://api.pwnedpasswords.com/range/")
