"""What production refuses in its connections to the database, mail server and
object store (ASVS V12.3.1, V12.3.2, V13.2.3): each function returns "" when the
connection is acceptable, or the reason it is not.

Loopback and Unix sockets never leave the host, so they need no TLS. Anything
else must be encrypted, and for the database the server's certificate checked
(PostgreSQL's default `sslmode=prefer` accepts any certificate, or none).
"""

from urllib.parse import urlsplit

LOOPBACK_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1", "[::1]"})

# Passwords that installers, images and tutorials ship with: a scan tries these first.
DEFAULT_PASSWORDS = frozenset({
    "postgres", "password", "secret", "changeme", "change-me", "admin", "root", "test", "example",
    "letmein", "123456", "minioadmin", "prevent_hub", "prevent-hub",
})

CERTIFICATE_CHECKING_SSLMODES = frozenset({"verify-full", "verify-ca"})


def is_local(host: str) -> bool:
    host = (host or "").strip().lower()
    return host in LOOPBACK_HOSTS or host.startswith("/")  # a Unix socket directory


def _default_password(user: str, password: str) -> bool:
    password = (password or "").strip().lower()
    return bool(password) and (password in DEFAULT_PASSWORDS or password == (user or "").strip().lower())


def database_weakness(database: dict) -> str:
    """A Django DATABASES entry (as dj_database_url parses DATABASE_URL)."""
    if database.get("ENGINE", "").endswith("sqlite3"):
        return ""
    if _default_password(database.get("USER", ""), database.get("PASSWORD", "")):
        return "its password is a well-known default or the user name; set a long random one"
    host = str(database.get("HOST", ""))
    sslmode = (database.get("OPTIONS") or {}).get("sslmode", "")
    if not is_local(host) and sslmode not in CERTIFICATE_CHECKING_SSLMODES:
        return (f"the database host {host!r} is not on this machine, so add ?sslmode=verify-full "
                "(TLS with the server's certificate checked)")
    return ""


def email_weakness(email: dict) -> str:
    """EMAIL_URL as django-environ parses it."""
    if not email.get("EMAIL_BACKEND", "").endswith("smtp.EmailBackend"):
        return ""
    if _default_password(email.get("EMAIL_HOST_USER", ""), email.get("EMAIL_HOST_PASSWORD", "")):
        return "its password is a well-known default or the user name; set the mail account's real one"
    host = email.get("EMAIL_HOST", "")
    if not is_local(host) and not (email.get("EMAIL_USE_TLS") or email.get("EMAIL_USE_SSL")):
        return (f"the mail server {host!r} is not on this machine, so use smtp+tls:// (STARTTLS, "
                "port 587) or smtp+ssl:// (port 465)")
    return ""


def object_store_weakness(endpoint_url: str, secret_key: str) -> str:
    """STORAGE_S3_ENDPOINT_URL ("" means AWS, always https) and its secret key."""
    if _default_password("", secret_key):
        return "STORAGE_S3_SECRET_ACCESS_KEY is a well-known default"
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        if parts.scheme != "https" and not is_local(parts.hostname or ""):
            return f"STORAGE_S3_ENDPOINT_URL {endpoint_url!r} must be an https:// address"
    return ""
