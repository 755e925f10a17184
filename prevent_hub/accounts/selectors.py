"""Reads for the account pages. Everything here is about the signed-in user's
own account, so no access scoping is needed beyond `user=`."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from prevent_hub.core.formatting import govuk_datetime

from . import second_factor
from .models import Session


def idle_timeout_minutes() -> int:
    return settings.SESSION_COOKIE_AGE // 60


def idle_timeout_description() -> str:
    """'30 minutes' (or, with a test's very short timeout, '8 seconds')."""
    seconds = settings.SESSION_COOKIE_AGE
    if seconds % 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = seconds // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def absolute_lifetime_description() -> str:
    """'12 hours': how long after signing in a session ends however busy."""
    hours = settings.SESSION_ABSOLUTE_LIFETIME_HOURS
    return f"{hours:g} hour{'s' if hours != 1 else ''}"


def timeout_warning_seconds() -> int:
    """How long before the idle timeout the warning appears (default 2 minutes)."""
    warning = settings.SESSION_TIMEOUT_WARNING_SECONDS
    return max(0, min(warning, settings.SESSION_COOKIE_AGE))


_BROWSERS = [  # order matters: Edge and Opera say "Chrome" too, Chrome says "Safari"
    (r"Edg(e|A|iOS)?/", "Microsoft Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
]
_SYSTEMS = [
    (r"iPhone|iPad|iPod", "iOS"),
    (r"Android", "Android"),
    (r"Windows", "Windows"),
    (r"CrOS", "ChromeOS"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"Linux", "Linux"),
]


def describe_browser(user_agent: str) -> str:
    """'Firefox on Windows' from a User-Agent header, or 'Unknown browser'."""
    if not user_agent:
        return "Unknown browser"
    browser = next((name for pattern, name in _BROWSERS if re.search(pattern, user_agent)), None)
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, user_agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"Browser on {system}" if system else "Unknown browser")


def session_count(user=None) -> int:
    """Sessions not yet expired: one person's, or everyone's (for a system
    administrator about to end them)."""
    sessions = Session.objects.filter(expire_date__gt=timezone.now(), user__isnull=False)
    if user is not None:
        sessions = sessions.filter(user=user)
    return sessions.count()


def session_reference(session_key: str) -> str:
    """What the account page calls a session: derived from its key, but not
    the key itself, which would sign in whoever read it."""
    return salted_hmac("accounts.session-reference", session_key).hexdigest()[:24]


def own_session_key(user, reference: str) -> str | None:
    """The key of the user's own unexpired session with this reference."""
    keys = Session.objects.filter(user=user, expire_date__gt=timezone.now()).values_list(
        "session_key", flat=True)
    return next((key for key in keys if constant_time_compare(session_reference(key), reference)), None)


def own_session_row(user, session_key: str) -> "SessionRow":
    return next(row for row in active_sessions(user, current_session_key=None)
                if row.reference == session_reference(session_key))


@dataclass(frozen=True)
class SessionRow:
    reference: str
    started: str
    last_active: str
    expires: str
    ip_address: str
    browser: str
    is_current: bool


def active_sessions(user, *, current_session_key: str | None = None) -> list[SessionRow]:
    """The user's sessions that have not expired, this one first, then the
    most recently used."""
    now = timezone.now()
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows = []
    for session in Session.objects.filter(user=user, expire_date__gt=now).order_by("-expire_date"):
        # Every request renews the session for SESSION_COOKIE_AGE, so the last
        # request was that long before it expires.
        last_active = min(session.expire_date - idle, now)
        rows.append(SessionRow(
            reference=session_reference(session.session_key),
            started=govuk_datetime(session.created_at),
            last_active=govuk_datetime(last_active),
            expires=govuk_datetime(session.expire_date),
            ip_address=session.ip_address or "Not known",
            browser=describe_browser(session.user_agent),
            is_current=session.session_key == current_session_key,
        ))
    rows.sort(key=lambda row: not row.is_current)
    return rows


def own_account(user, *, current_session_key: str | None = None) -> dict:
    """Everything the 'Your account' page shows."""
    device = second_factor.confirmed_totp_device(user)
    sessions = active_sessions(user, current_session_key=current_session_key)
    return {
        "account_user": user,
        "role_labels": user.role_labels,
        "authenticator_set_up": govuk_datetime(device.created_at) if device and device.created_at else "",
        "has_authenticator": device is not None,
        "recovery_codes_left": second_factor.recovery_codes_remaining(user),
        "sessions": sessions,
        "other_sessions": sum(1 for row in sessions if not row.is_current),
        "idle_timeout": idle_timeout_description(),
        "absolute_lifetime": absolute_lifetime_description(),
    }
