"""The nightly retention run. Takes no arguments: nothing personal waits in
the task queue."""

import datetime

from django.tasks import task

from prevent_hub.core.scheduler import schedule


@task()
def retention_apply_task() -> dict:
    """Delete every record past its retention date that no legal hold keeps.
    Returns the run's counts."""
    from .models import RunTrigger
    from .services import retention_run

    run = retention_run(dry_run=False, trigger=RunTrigger.SCHEDULER)
    return {"run": run.pk, **{key: value for key, value in run.counts.items() if key != "by_type"}}


schedule(retention_apply_task, every=datetime.timedelta(days=1))
