"""Background jobs for panels. Arguments are ids: nothing personal waits in
the task queue."""

import datetime

from django.tasks import task

from prevent_hub.core.scheduler import schedule


@task()
def meeting_notice_send_task(meeting_id: int) -> int:
    """Email one meeting's notice and agenda (queued by "send the notice")."""
    from .models import PanelMeeting
    from .services import meeting_notice_send

    return meeting_notice_send(meeting=PanelMeeting.objects.get(pk=meeting_id))


@task()
def meeting_notices_send_due_task() -> int:
    """Daily: send the notice of each meeting within PANEL_NOTICE_DAYS that
    has not had one (see panels.services.meeting_notices_send_due)."""
    from .services import meeting_notices_send_due

    return meeting_notices_send_due()


schedule(meeting_notices_send_due_task, every=datetime.timedelta(days=1))
