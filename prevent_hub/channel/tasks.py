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


@task()
def plan_action_reminders_send_task() -> int:
    """Daily: tell owners of support plan and panel actions that fall due
    today or have become overdue (see channel.support.plan_action_reminders_send)."""
    from .support import plan_action_reminders_send

    return plan_action_reminders_send()


schedule(plan_action_reminders_send_task, every=datetime.timedelta(days=1))
