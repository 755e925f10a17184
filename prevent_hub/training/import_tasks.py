"""Background jobs for spreadsheet imports (training.imports). Arguments are
ids: nothing personal waits in the task queue.

The scheduled job registers when this module is imported: training's
`tasks` module imports it, so `run_scheduler` finds it."""

import datetime

from django.tasks import task

from prevent_hub.core.scheduler import schedule


@task()
def training_import_check(*, training_import_id: int) -> str:
    """Check an uploaded file and keep its report."""
    from . import imports
    from .models import ImportStatus, TrainingImport

    training_import = (TrainingImport.objects.filter(pk=training_import_id, status=ImportStatus.CHECKING)
                       .first())
    if training_import is None:
        return "gone"
    imports.training_import_check(training_import=training_import)
    return training_import.status


@task()
def training_import_run(*, training_import_id: int, acting_user_id: int | None) -> str:
    """Import a checked file (checking it again first)."""
    from django.contrib.auth import get_user_model

    from . import imports
    from .models import ImportStatus, TrainingImport

    training_import = TrainingImport.objects.filter(pk=training_import_id,
                                                    status=ImportStatus.IMPORTING).first()
    if training_import is None:
        return "gone"
    acting_user = get_user_model().objects.filter(pk=acting_user_id).first() if acting_user_id else None
    imports.training_import_run(training_import=training_import, acting_user=acting_user)
    return training_import.status


@task()
def training_import_files_expire() -> int:
    """Hourly: delete the files of imports checked but not imported within a day."""
    from . import imports

    return imports.training_import_files_expire()


schedule(training_import_files_expire, every=datetime.timedelta(hours=1))
