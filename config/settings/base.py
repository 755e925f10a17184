"""Settings shared by every environment.

Everything that differs between machines comes from the environment (12-factor);
dev.py, test.py and production.py only change defaults and switch features.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SERVICE_NAME = env.str("SERVICE_NAME", default="Prevent Hub")
COUNCIL_NAME = env.str("COUNCIL_NAME", default="Shireford County Council")
# The council's own brand: a service that is not on GOV.UK shows neither the
# crown nor "© Crown copyright". The logo is a static file path (add your own
# to a static directory) or an https:// address, which the Content Security
# Policy then allows.
COUNCIL_LOGO = env.str("COUNCIL_LOGO", default="core/council-logo.svg")
COUNCIL_COPYRIGHT = env.str("COUNCIL_COPYRIGHT", default=f"© {COUNCIL_NAME}")
COUNCIL_COPYRIGHT_URL = env.str("COUNCIL_COPYRIGHT_URL", default="")
# The browser tab's icon: a static file path (an SVG).
COUNCIL_FAVICON = env.str("COUNCIL_FAVICON", default="core/favicon.svg")
# /.well-known/security.txt (RFC 9116): where to report a vulnerability, and
# the policy page if there is one. Expires is always within a year of today.
SECURITY_CONTACT = env.str("SECURITY_CONTACT", default="mailto:security@shireford.example")
SECURITY_POLICY_URL = env.str("SECURITY_POLICY_URL", default="")
SECURITY_TXT_EXPIRES_DAYS = env.int("SECURITY_TXT_EXPIRES_DAYS", default=180)

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Demo mode loads synthetic people and accounts. Production refuses it (production.py).
DEMO_MODE = env.bool("DEMO_MODE", default=False)

INSTALLED_APPS = [
    "prevent_hub.core.admin_site.PreventHubAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Django's own widget templates, for the GOV.UK form renderer (FORM_RENDERER, a
    # TemplatesSetting) and for the admin's widgets that include them.
    "django.forms",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "prevent_hub.govuk",
    "prevent_hub.core",
    "prevent_hub.accounts",
    "prevent_hub.access",
    "prevent_hub.audit",
    "prevent_hub.encryption",
    "prevent_hub.directory",
    "prevent_hub.public",
    "prevent_hub.staff",
    "prevent_hub.administration",
    "prevent_hub.retention",
    "prevent_hub.reporting",
    # In the order they build on one another (demo data loads in this order).
    "prevent_hub.referrals",
    "prevent_hub.people",
    "prevent_hub.channel",
    "prevent_hub.panels",
    "prevent_hub.legacy_import",
    "prevent_hub.venues",
    "prevent_hub.complaints",
    "prevent_hub.training",
    "prevent_hub.assurance",
    "prevent_hub.statistics",
    "prevent_hub.rights",
    "prevent_hub.records",
    "prevent_hub.api",
    "prevent_hub.synthetic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "prevent_hub.core.middleware.RequestIdMiddleware",
    "prevent_hub.core.middleware.PrivateResponsesMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "prevent_hub.accounts.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Before anything reads the path into the database or the audit trail.
    "prevent_hub.core.middleware.UnsafePathMiddleware",
    "prevent_hub.audit.context.AuditContextMiddleware",
    # Deny by default: every view needs a signed-in user unless it is marked
    # @login_not_required (public pages, sign-in, health check)...
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # ...staff pages need a second factor...
    "prevent_hub.accounts.middleware.SecondFactorMiddleware",
    # ...and a declared action the user's roles allow (audited when refused).
    "prevent_hub.access.middleware.AccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees sign-in failures the views reject.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Lockout first: refuses to even check a password while an address or
    # account is locked out.
    "axes.backends.AxesStandaloneBackend",
    "prevent_hub.accounts.backends.EmailBackend",
    "prevent_hub.access.backends.DjangoAdminPermissionBackend",
]
SESSION_ENGINE = "prevent_hub.accounts.sessions"

# Lockout (django-axes): after AXES_FAILURE_LIMIT failed passwords for an
# account, it is locked for AXES_COOLOFF_MINUTES. Per account, not per address:
# a council office shares one address, and attackers have many.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = [
    # axes.W006 wants addresses in the lockout key. We lock accounts instead:
    # shared office addresses would lock out whole teams (see comment above).
    "axes.W006",
]
AXES_USERNAME_FORM_FIELD = "username"
# Email addresses are case-insensitive: "Sam@" and "sam@" share one count.
AXES_USERNAME_CALLABLE = "prevent_hub.accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "prevent_hub.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
AXES_CLIENT_IP_CALLABLE = "prevent_hub.core.network.client_ip"
# Our own audit trail records sign-ins; axes only needs its failure counts.
AXES_DISABLE_ACCESS_LOG = True
AXES_USE_ATTEMPT_EXPIRATION = True

# How many reverse proxies sit in front of gunicorn (for the client address in
# audit events and lockouts). 0: trust REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Prevent Hub")
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_MINUTES", default=60) * 60


ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "prevent_hub.core.context_processors.service",
                "prevent_hub.directory.context_processors.contacts",
            ],
            "builtins": ["prevent_hub.govuk.templatetags.govuk"],
        },
    },
]

# Every Django form renders GOV.UK markup.
FORM_RENDERER = "prevent_hub.govuk.forms.GovukFormRenderer"

# The embedded database lives under var/; DATABASE_URL switches to PostgreSQL.
SQLITE_PATH = VAR_DIR / "prevent-hub.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env.str("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=env.int("DB_CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while the task worker writes; IMMEDIATE
    # transactions take the write lock up front instead of failing half way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=5000;"
            "PRAGMA foreign_keys=ON;"
            # Deleted rows are overwritten with zeros, not left in free pages
            # (retention: docs/retention.md).
            "PRAGMA secure_delete=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    # Connections are kept (DB_CONN_MAX_AGE, one per server thread) as on
    # PostgreSQL: opening one and running the pragmas above cost each request
    # about half a millisecond. A file has no server to go away, so no health check.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False

# A read replica of the PostgreSQL primary, for reports and statistics only
# (prevent_hub.core.db_routers). Every write, and every other read, stays on
# the primary.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=DATABASES["default"]["CONN_HEALTH_CHECKS"])
    DATABASE_ROUTERS = ["prevent_hub.core.db_routers.ReportReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "accounts:signed-out"

AUTH_PASSWORD_VALIDATORS = [
    # NCSC: length and a blocklist, no composition rules.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
# Issue 21, ASVS V6 (authentication helper): context-specific words and breached
# passwords. The word list is in docs/administration.md; PASSWORD_CONTEXT_WORDS
# adds local ones (comma-separated). The breach check is off unless
# PASSWORD_BREACH_CHECK_URL is set (production.py turns it on).
AUTH_PASSWORD_VALIDATORS += [
    {"NAME": "prevent_hub.accounts.password_validators.ContextWordsValidator"},
    {"NAME": "prevent_hub.accounts.password_validators.BreachedPasswordValidator"},
]
PASSWORD_CONTEXT_WORDS = env.list("PASSWORD_CONTEXT_WORDS", default=[])
PASSWORD_BREACH_CHECK_URL = env.str("PASSWORD_BREACH_CHECK_URL", default="")
PASSWORD_BREACH_CHECK_TIMEOUT = env.float("PASSWORD_BREACH_CHECK_TIMEOUT", default=3.0)
# Recovery codes are stored as salted PBKDF2-SHA256 hashes (ASVS V6.5.2); a
# sign-in with one checks up to 10, so fewer rounds than a password's.
RECOVERY_CODE_HASH_ITERATIONS = env.int("RECOVERY_CODE_HASH_ITERATIONS", default=100_000)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = env.str("STATIC_URL", default="/static/")
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "prevent_hub.core.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Uploads on S3-compatible object storage (AWS S3, MinIO, Ceph...) when a
# bucket is named; otherwise on the file system under MEDIA_ROOT. The bucket
# stays private: nothing links to it, and every download is streamed through
# the application's access check and audit (core.uploads).
STORAGE_S3_BUCKET = env.str("STORAGE_S3_BUCKET", default="")
if STORAGE_S3_BUCKET:
    # e.g. "AES256" or "aws:kms"; empty: the bucket's default encryption.
    _encryption = env.str("STORAGE_S3_SERVER_SIDE_ENCRYPTION", default="")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            # Empty values leave boto3 to its own chain: environment, instance
            # role, ~/.aws (so keys need not be in our environment at all).
            "endpoint_url": env.str("STORAGE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("STORAGE_S3_REGION", default="") or None,
            "access_key": env.str("STORAGE_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("STORAGE_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("STORAGE_S3_PREFIX", default=""),
            # "path" for servers without per-bucket host names (MinIO, moto).
            "addressing_style": env.str("STORAGE_S3_ADDRESSING_STYLE", default="") or None,
            # No per-object ACL: buckets with ACLs disabled (the AWS default)
            # refuse one, and objects take the bucket's own (private) policy.
            "default_acl": None,
            # Names are random already; never replace an existing object.
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": _encryption} if _encryption else {},
        },
    }

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
    }
}

# Email: console in development, SMTP (or any backend) from EMAIL_URL elsewhere,
# e.g. smtp+tls://user:password@smtp.example.org:587
_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email["EMAIL_HOST"],
    "port": _email["EMAIL_PORT"],
    "username": _email["EMAIL_HOST_USER"],
    "password": _email["EMAIL_HOST_PASSWORD"],
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
    "timeout": 10,
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _smtp_options if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="prevent-hub@localhost")

# Messages live in the session: no extra cookie (see the cookies page).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# The audit sealer (docs/security.md): requests seal what is waiting after
# they commit at most this often, per process; verify_audit exits with
# status 3 when an event has waited longer than the alert unsealed.
AUDIT_SEAL_AFTER_COMMIT_EVERY = env.float("AUDIT_SEAL_AFTER_COMMIT_EVERY", default=1.0)
AUDIT_UNSEALED_ALERT_SECONDS = env.int("AUDIT_UNSEALED_ALERT_SECONDS", default=300)

SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30) * 60
# The warning before an idle timeout, shown by assets/js/session-timeout.js.
SESSION_TIMEOUT_WARNING_SECONDS = env.int("SESSION_TIMEOUT_WARNING_MINUTES", default=2) * 60
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout, not absolute timeout
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Security headers. Inline script or style needs the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *([COUNCIL_LOGO] if COUNCIL_LOGO.startswith("https://") else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # No page uses a <base> element, so an injected one cannot redirect relative URLs.
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Transport for the partner API (ASVS V4.1.2). A partner system that calls
# http:// has already sent its token in the clear: redirecting would hide the
# mistake, so /api/ is never redirected and, where API_REQUIRE_HTTPS is on
# (production), a plain-HTTP API request is refused with a problem document.
SECURE_REDIRECT_EXEMPT = [r"^api(/|$)"]
API_REQUIRE_HTTPS = env.bool("API_REQUIRE_HTTPS", default=False)
# The file of secrets systemd reads (docs/deployment.md section 24): `check --deploy`
# warns when anyone but its owner and group could read it.
SECRETS_ENV_FILE = env.str("SECRETS_ENV_FILE", default="/etc/prevent-hub/env")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Special-category data is encrypted at rest (docs/encryption.md). The
# key-encryption keys come from outside the database: `id:base64key,…` (the
# first is current) or a file of such lines. dev, test and benchmark settings
# make their own; production refuses to start without one.
ENCRYPTION_KEYS = env.str("ENCRYPTION_KEYS", default="")
ENCRYPTION_KEY_FILE = env.str("ENCRYPTION_KEY_FILE", default="")
# How often a process looks again for the current data key, in case another
# process rotated it (until then it keeps encrypting under the one it knew,
# which stays readable).
ENCRYPTION_CURRENT_KEY_RECHECK_SECONDS = env.int("ENCRYPTION_CURRENT_KEY_RECHECK_SECONDS", default=60)
# Error reports (logged or emailed) never carry what was posted or a
# function's local variables: either may be special-category data.
DEFAULT_EXCEPTION_REPORTER_FILTER = "prevent_hub.encryption.error_reports.NoValuesExceptionReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# Raising a concern and triage. Periods are settings because councils differ
# and guidance changes (see docs/administration.md).
# Unsubmitted referral drafts are deleted this many days after they were last saved.
REFERRAL_DRAFT_EXPIRY_DAYS = env.int("REFERRAL_DRAFT_EXPIRY_DAYS", default=28)
# Public concern and referral submissions (and draft saves) accepted from one
# IP address per hour; more are refused with a message, keeping what was typed.
PUBLIC_SUBMISSIONS_PER_HOUR = env.int("PUBLIC_SUBMISSIONS_PER_HOUR", default=20)
# The partner API: requests an hour per token, and per client address (an
# IPv6 /64 counts as one) whatever the token, before it is even checked.
API_REQUESTS_PER_HOUR_PER_TOKEN = env.int("API_REQUESTS_PER_HOUR_PER_TOKEN", default=3600)
API_REQUESTS_PER_HOUR_PER_ADDRESS = env.int("API_REQUESTS_PER_HOUR_PER_ADDRESS", default=7200)
# Attachments to a referral: how many, and the largest file accepted.
REFERRAL_ATTACHMENTS_MAX = env.int("REFERRAL_ATTACHMENTS_MAX", default=5)
REFERRAL_ATTACHMENT_MAX_BYTES = env.int("REFERRAL_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# A document that is a zip (Word .docx, OpenDocument) is refused, before it is
# unpacked, if it declares more than this in all or is compressed more than
# this many times: "zip bombs" that would fill memory or disk when opened.
UPLOAD_ARCHIVE_MAX_BYTES = env.int("UPLOAD_ARCHIVE_MAX_BYTES", default=100 * 1024 * 1024)
UPLOAD_ARCHIVE_MAX_RATIO = env.int("UPLOAD_ARCHIVE_MAX_RATIO", default=100)
# Working days from receipt before a new referral counts as overdue for
# triage, and before one shared with police counts as overdue for its
# gateway outcome (guidance: up to about 5 working days).
TRIAGE_TARGET_WORKING_DAYS = env.int("TRIAGE_TARGET_WORKING_DAYS", default=1)
GATEWAY_TARGET_WORKING_DAYS = env.int("GATEWAY_TARGET_WORKING_DAYS", default=5)
# Channel support: a case in support with no delivered session (or, before the
# first one, since support started) for more than this many weeks is flagged
# "Support may have stopped" to the coordinator.
SUPPORT_STALLED_WEEKS = env.int("SUPPORT_STALLED_WEEKS", default=4)
# Channel reviews: days from one panel review to the next, and how many days
# before a review (panel or post-exit) is due its reminder email goes.
REVIEW_INTERVAL_DAYS = env.int("REVIEW_INTERVAL_DAYS", default=28)
# Panel members see a case on a meeting's agenda until this many days after the
# meeting (time to read and check the draft minutes), then no longer.
PANEL_CASE_ACCESS_DAYS = env.int("PANEL_CASE_ACCESS_DAYS", default=14)
# Building an agenda brings in reviews and re-assessments falling due up to
# this many days after the meeting (so they are not a month late by the next).
PANEL_AGENDA_LOOKAHEAD_DAYS = env.int("PANEL_AGENDA_LOOKAHEAD_DAYS", default=14)
# A scheduled meeting's notice and agenda go to members this many days before
# it, if nobody has sent them sooner.
PANEL_NOTICE_DAYS = env.int("PANEL_NOTICE_DAYS", default=7)
POST_EXIT_REMINDER_DAYS = env.int("POST_EXIT_REMINDER_DAYS", default=14)
# Venue hire: unsubmitted booking requests are deleted this many days after
# they were last saved; a booker may appeal a refusal or conditions within
# this many working days of the decision.
BOOKING_DRAFT_EXPIRY_DAYS = env.int("BOOKING_DRAFT_EXPIRY_DAYS", default=28)
BOOKING_APPEAL_WORKING_DAYS = env.int("BOOKING_APPEAL_WORKING_DAYS", default=10)
# Flyers and other promotion material with a booking request: how many, and
# the largest file accepted is REFERRAL_ATTACHMENT_MAX_BYTES.
BOOKING_PROMOTION_FILES_MAX = env.int("BOOKING_PROMOTION_FILES_MAX", default=5)
# The venue bookings dashboard flags a request awaiting action whose event is
# this many working days away or fewer: little time is left to check it.
BOOKING_EVENT_SOON_WORKING_DAYS = env.int("BOOKING_EVENT_SOON_WORKING_DAYS", default=10)
# Complaints: the council acknowledges a complaint within this many working
# days of receiving it and responds within this many (England and Wales bank
# holidays excluded); owners are reminded this many working days before a
# deadline, and again when it passes.
COMPLAINT_ACKNOWLEDGE_WORKING_DAYS = env.int("COMPLAINT_ACKNOWLEDGE_WORKING_DAYS", default=3)
COMPLAINT_RESPOND_WORKING_DAYS = env.int("COMPLAINT_RESPOND_WORKING_DAYS", default=20)
COMPLAINT_REMINDER_WORKING_DAYS = env.int("COMPLAINT_REMINDER_WORKING_DAYS", default=3)
# Training: a learner whose training runs out within this many days is "due
# soon" on the compliance pages, and is emailed a reminder this many days
# before a completion's refresh date (once per completion).
TRAINING_DUE_SOON_DAYS = env.int("TRAINING_DUE_SOON_DAYS", default=60)
# Statistics: counts from 1 to this number are shown as "*" (small-number
# suppression, statistics.suppression).
STATISTICS_SUPPRESS_UP_TO = env.int("STATISTICS_SUPPRESS_UP_TO", default=4)
# The largest file of earlier referrals accepted (legacy_import), in rows and bytes.
LEGACY_IMPORT_MAX_ROWS = env.int("LEGACY_IMPORT_MAX_ROWS", default=50_000)
# How many made-up earlier referrals the demo imports (legacy_import.demo).
DEMO_IMPORTED_REFERRALS = env.int("DEMO_IMPORTED_REFERRALS", default=1_500)
LEGACY_IMPORT_MAX_BYTES = env.int("LEGACY_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
TRAINING_REMINDER_DAYS = env.int("TRAINING_REMINDER_DAYS", default=60)
# The largest training spreadsheet accepted, in rows (the header not counted).
TRAINING_IMPORT_MAX_ROWS = env.int("TRAINING_IMPORT_MAX_ROWS", default=100_000)
# The address staff use to reach the service (for links in emails sent by
# background tasks, which have no request), e.g. https://prevent.example.gov.uk
SERVICE_BASE_URL = env.str("SERVICE_BASE_URL", default="")

# Absolute session lifetime (ASVS V7.3.2; docs/administration.md "Sessions"):
# however busy, a session ends this long after sign-in. Checked after the
# messages middleware (it says why) and before any view's checks.
SESSION_ABSOLUTE_LIFETIME_HOURS = env.float("SESSION_ABSOLUTE_LIFETIME_HOURS", default=12)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "prevent_hub.accounts.middleware.AbsoluteSessionLifetimeMiddleware",
)

# A zip document (.docx, .odt) declaring more files than this is refused before
# anything is unpacked (a Word document holds a few dozen; one with many images a
# few hundred).
UPLOAD_ARCHIVE_MAX_ENTRIES = env.int("UPLOAD_ARCHIVE_MAX_ENTRIES", default=1000)
# Virus scanning of every upload by ClamAV's clamd (core.antivirus), e.g.
# unix:///run/clamav/clamd.ctl or tcp://127.0.0.1:3310. Unset: no scanning
# (production warns). Set: a file is refused if clamd finds malware or cannot
# be reached (fail closed).
CLAMD_URL = env.str("CLAMD_URL", default="")
CLAMD_TIMEOUT_SECONDS = env.int("CLAMD_TIMEOUT_SECONDS", default=30)
# Sealed audit events are sent to a separate log system as they are sealed
# (audit.forwarding): udp://host:514, tcp://host:514 or unix:///dev/log. Unset:
# not forwarded.
AUDIT_FORWARD_SYSLOG = env.str("AUDIT_FORWARD_SYSLOG", default="")
