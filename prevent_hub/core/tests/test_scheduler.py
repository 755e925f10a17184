"""The scheduler of periodic background jobs."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.tasks import task
from django.utils import timezone

from prevent_hub.core import scheduler
from prevent_hub.core.models import ScheduledJob
from prevent_hub.core.tasks import ratelimit_counts_purge_task

pytestmark = pytest.mark.django_db

RUNS = []


@task()
def note_a_run():
    RUNS.append(timezone.now())


@pytest.fixture
def every_hour():
    RUNS.clear()
    scheduler.schedule(note_a_run, every=datetime.timedelta(hours=1))
    yield note_a_run.module_path
    scheduler._registry.pop(note_a_run.module_path, None)


def test_a_job_runs_when_first_seen_then_once_per_interval(every_hour):
    start = timezone.now()
    assert every_hour in scheduler.scheduled_jobs_enqueue(now=start)
    assert every_hour not in scheduler.scheduled_jobs_enqueue(now=start + datetime.timedelta(minutes=59))
    assert every_hour in scheduler.scheduled_jobs_enqueue(now=start + datetime.timedelta(minutes=60))
    assert len(RUNS) == 2


def test_two_schedulers_never_both_enqueue_a_due_job(every_hour):
    now = timezone.now()
    job = scheduler._registry[every_hour]
    assert [scheduler._claim(job, now), scheduler._claim(job, now)] == [True, False]
    assert ScheduledJob.objects.get(name=every_hour).next_run_at == now + datetime.timedelta(hours=1)


class Unavailable:
    module_path = "tests.unavailable"

    def enqueue(self):
        raise RuntimeError("queue unavailable")


def test_a_job_that_cannot_be_enqueued_is_tried_again():
    scheduler.schedule(Unavailable(), every=datetime.timedelta(hours=1))
    try:
        now = timezone.now()
        assert "tests.unavailable" not in scheduler.scheduled_jobs_enqueue(now=now)
        assert ScheduledJob.objects.get(name="tests.unavailable").next_run_at == now
    finally:
        scheduler._registry.pop("tests.unavailable")


def test_intervals_must_be_positive():
    with pytest.raises(ValueError, match="positive interval"):
        scheduler.schedule(note_a_run, every=datetime.timedelta(0))


def test_the_apps_register_their_housekeeping():
    names = {job.name for job in scheduler.scheduled()}
    assert ratelimit_counts_purge_task.module_path in names
    assert "prevent_hub.referrals.tasks.referral_drafts_expire_task" in names


def test_run_scheduler_once_enqueues_what_is_due(every_hour):
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert f"Enqueued {every_hour}" in out.getvalue()
    call_command("run_scheduler", "--once", stdout=out)
    assert len(RUNS) == 1
