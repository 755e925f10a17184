"""Periodic background jobs.

django-tasks-db runs tasks but has no clock. Apps register the tasks that
should run every so often in their `tasks` module:

    from prevent_hub.core.scheduler import schedule

    @task()
    def referral_drafts_expire(): ...

    schedule(referral_drafts_expire, every=timedelta(hours=1))

`manage.py run_scheduler` (started by bin/serve beside the task worker)
imports every app's `tasks` module, then once a minute enqueues each task
that is due; the worker runs it. When a task is next due is kept in the
database (core.ScheduledJob) and claimed with one conditional UPDATE, so
running two schedulers, or a scheduler and `run_scheduler --once` from cron,
never enqueues a job twice.
"""

import contextlib
import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import ScheduledJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scheduled:
    name: str
    task: object
    every: datetime.timedelta


_registry: dict[str, Scheduled] = {}


def schedule(task, *, every: datetime.timedelta, name: str | None = None):
    """Run `task` (a django.tasks task taking no arguments) every `every`.
    Returns the task, so it can be used as a decorator's last step."""
    if every <= datetime.timedelta(0):
        raise ValueError("A scheduled task needs a positive interval")
    name = name or task.module_path
    _registry[name] = Scheduled(name=name, task=task, every=every)
    return task


def scheduled() -> list[Scheduled]:
    """Every registered job, after importing each app's tasks module."""
    autodiscover_modules("tasks")
    return sorted(_registry.values(), key=lambda job: job.name)


def _claim(job: Scheduled, now: datetime.datetime) -> bool:
    """Whether this scheduler won the right to enqueue `job` now."""
    # Another scheduler may make the row at the same moment: either row will do.
    with contextlib.suppress(IntegrityError), transaction.atomic():
        ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    # One statement: of two schedulers that both see the job due, one updates
    # the row and the other finds next_run_at already moved on.
    claimed = ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=now + job.every, last_enqueued_at=now,
    )
    return claimed == 1


def scheduled_jobs_enqueue(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every job that is due. Returns the names of those enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in scheduled():
        if not _claim(job, now):
            continue
        try:
            job.task.enqueue()
        except Exception:
            # Leave it for the next run rather than stop the other jobs.
            logger.exception("Could not enqueue scheduled job %s", job.name)
            ScheduledJob.objects.filter(name=job.name).update(next_run_at=now)
            continue
        enqueued.append(job.name)
    return enqueued
