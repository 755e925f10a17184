"""Background jobs for the core: housekeeping of the rate-limit counts."""

import datetime

from django.tasks import task

from .ratelimit import ratelimit_counts_purge
from .scheduler import schedule


@task()
def ratelimit_counts_purge_task() -> int:
    """Delete rate-limit counts of hours that have ended. Returns how many went."""
    return ratelimit_counts_purge()


schedule(ratelimit_counts_purge_task, every=datetime.timedelta(hours=1))
