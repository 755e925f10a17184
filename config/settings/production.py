"""Production. Refuses to start with debug on, a default secret key or demo data."""

from django.core.exceptions import ImproperlyConfigured

from ..secret_key import weakness as secret_key_weakness
from .base import *  # noqa: F403
from .base import env

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

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The reverse proxy terminates TLS and says so in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63072000)  # two years
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# Issue 21, ASVS V6.2.12 (authentication helper): new passwords are checked
# against Pwned Passwords (only a 5-character hash prefix leaves the server).
# Set PASSWORD_BREACH_CHECK_URL= (empty) where the service has no internet access.
PASSWORD_BREACH_CHECK_URL = env.str("PASSWORD_BREACH_CHECK_URL", default="https://api.pwnedpasswords.com/range/")
