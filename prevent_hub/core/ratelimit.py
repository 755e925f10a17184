"""Per-address limits on public submissions, counted in the database.

django-ratelimit needs a shared cache (memcached or Redis) and `make run` has
neither; the database is already shared by every app server. Each request to
count is one statement:

    INSERT ... ON CONFLICT (key, window) DO UPDATE SET count = count + 1 RETURNING count

which is atomic on PostgreSQL and on SQLite 3.35+, so two servers counting at
once never lose a count. Windows are fixed clock hours; the key is a keyed hash
(HMAC with SECRET_KEY) of the purpose and the client's address, so the table
holds no addresses. A refused request is audited (audit_rate_limited).
`ratelimit_counts_purge` deletes past windows (a scheduled
task, see prevent_hub.core.tasks).

    wait = ratelimit_hit(request, purpose="referral-submit", exempt=staff_is_verified(request.user))
    if wait is not None:
        form.add_error(None, limited_message(wait))
"""

import math
import time

from django.conf import settings
from django.db import connection
from django.utils.crypto import salted_hmac

from prevent_hub.core.network import client_ip, rate_limit_address

from .models import RateLimitCount
from .signals import rate_limited

WINDOW_SECONDS = 3600


def limited_message(wait_minutes: int) -> str:
    minutes = f"{wait_minutes} minute{'s' if wait_minutes != 1 else ''}"
    return (
        f"You have sent a lot of forms from this network in the last hour. Wait {minutes} and try "
        "again. What you typed has been kept."
    )


def _key(purpose: str, address: str) -> str:
    return salted_hmac("prevent_hub.core.ratelimit", f"{purpose}|{address}", algorithm="sha256").hexdigest()


def ratelimit_count(*, purpose: str, address: str | None, now: float | None = None) -> tuple[int, int]:
    """Count one more request for (purpose, address) in the current hour.
    Returns (count so far this hour including this one, seconds until the hour ends)."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    quote = connection.ops.quote_name
    table, key, window_, count_ = (quote(name) for name in (
        RateLimitCount._meta.db_table, "key", "window", "count"))
    with connection.cursor() as cursor:
        cursor.execute(
            # Identifiers are ours, quoted; values are parameters.
            f"INSERT INTO {table} ({key}, {window_}, {count_}) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT ({key}, {window_}) DO UPDATE SET {count_} = {table}.{count_} + 1 "
            f"RETURNING {count_}",
            [_key(purpose, address or "unknown"), window],
        )
        (count,) = cursor.fetchone()
    return count, int((window + 1) * WINDOW_SECONDS - now)


def ratelimit_hit(request, *, purpose: str, limit: int | None = None, now: float | None = None,
                  exempt: bool = False) -> int | None:
    """Count this request against its address's limit for `purpose`.

    Returns None when it is allowed, otherwise the whole minutes to wait (at
    least 1). Callers exempt signed-in staff with a verified second factor
    (accounts.middleware.staff_is_verified): they are accountable already, and
    a council office shares one address.
    """
    if exempt:
        return None
    limit = settings.PUBLIC_SUBMISSIONS_PER_HOUR if limit is None else limit
    count, seconds_left = ratelimit_count(purpose=purpose, address=rate_limit_address(client_ip(request)),
                                          now=now)
    if count <= limit:
        return None
    audit_rate_limited(purpose=purpose)
    return max(1, math.ceil(seconds_left / 60))


def audit_rate_limited(*, purpose: str) -> None:
    """A client refused for reaching a rate limit (status 429). The audit app
    writes it with the flood control of refused look-ups (audit.signals): a
    client sending form after form costs about one event a minute, the rest
    counted in it."""
    rate_limited.send(sender=None, purpose=purpose)


def ratelimit_counts_purge(*, now: float | None = None) -> int:
    """Delete the counts of hours that have ended. Returns how many rows went."""
    now = time.time() if now is None else now
    deleted, _ = RateLimitCount.objects.filter(window__lt=int(now // WINDOW_SECONDS)).delete()
    return deleted


def form_ratelimited(form, request, *, purpose: str, exempt: bool = False) -> bool:
    """Count a public form's submission; when over the limit, put the
    message on the form (what was typed stays) and return True."""
    wait = ratelimit_hit(request, purpose=purpose, exempt=exempt)
    if wait is None:
        return False
    form.add_error(None, limited_message(wait))
    return True
