"""Background jobs for Channel cases. Arguments are ids: nothing personal
waits in the task queue."""

import datetime

from django.tasks import task

from prevent_hub.core.scheduler import schedule


@task()
def review_reminders_send_task() -> int:
    """Daily: remind coordinators of panel and post-exit reviews due soon or
    overdue (see channel.reviews.review_reminders_send). Returns how many."""
    from .reviews import review_reminders_send

    return review_reminders_send()


schedule(review_reminders_send_task, every=datetime.timedelta(days=1))
