"""Background jobs for referral imports. Arguments are ids: nothing personal
waits in the task queue. The hourly clean-up registers when this module is
imported, which is how the scheduler (reading each app's `tasks`) finds it."""

import datetime

from django.tasks import task

from prevent_hub.core.scheduler import schedule


@task()
def referral_import_check(*, referral_import_id: int) -> str:
    """Check an uploaded file and keep its report."""
    from . import imports
    from .models import ImportStatus, ReferralImport

    referral_import = ReferralImport.objects.filter(pk=referral_import_id,
                                                    status=ImportStatus.CHECKING).first()
    if referral_import is None:
        return "gone"
    imports.referral_import_check(referral_import=referral_import)
    return referral_import.status


@task()
def referral_import_run(*, referral_import_id: int, acting_user_id: int | None) -> str:
    """Import a checked file (checking it again first)."""
    from django.contrib.auth import get_user_model

    from . import imports
    from .models import ImportStatus, ReferralImport

    referral_import = ReferralImport.objects.filter(pk=referral_import_id,
                                                    status=ImportStatus.IMPORTING).first()
    if referral_import is None:
        return "gone"
    acting_user = get_user_model().objects.filter(pk=acting_user_id).first() if acting_user_id else None
    imports.referral_import_run(referral_import=referral_import, acting_user=acting_user)
    return referral_import.status


@task()
def referral_import_files_expire() -> int:
    """Hourly: delete the files of imports checked but not imported within a day."""
    from . import imports

    return imports.referral_import_files_expire()


schedule(referral_import_files_expire, every=datetime.timedelta(hours=1))
