"""Background jobs for the core: housekeeping of the rate-limit counts, and
keeping the bank holidays ahead of the calendar."""

import datetime

from django.tasks import task

from .bank_holidays import bank_holidays_refresh
from .ratelimit import ratelimit_counts_purge
from .scheduler import schedule


@task()
def ratelimit_counts_purge_task() -> int:
    """Delete rate-limit counts of hours that have ended. Returns how many went."""
    return ratelimit_counts_purge()


schedule(ratelimit_counts_purge_task, every=datetime.timedelta(hours=1))


@task()
def bank_holidays_refresh_task() -> int:
    """Keep the bank holidays three years ahead. Returns how many were added."""
    return len(bank_holidays_refresh())


schedule(bank_holidays_refresh_task, every=datetime.timedelta(days=30))
