"""Demo panel and meetings. Every name is invented.

Runs after the Channel demo (INSTALLED_APPS order): a panel for Shireford
chaired by the demo chair, with the demo police officer, panel member and
coordinator as standing members; a meeting today whose agenda is built from
the demo cases that need the panel, with the police and chair recorded as
present so decisions can be tried at once; and next month's meeting.
"""

import datetime

from django.utils import timezone

from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.accounts.models import User
from prevent_hub.audit.context import acting_as

from . import agenda, services


def _user(local):
    return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")


def load():
    chair = _user("chair")
    with acting_as(chair):
        panel = services.panel_create(name="Shireford Channel Panel", area="Shireford", chair=chair,
                                      acting_user=chair)
        for local in ("police", "panel", "coordinator"):
            services.panel_member_add(panel=panel, user=_user(local), acting_user=chair)
        today = timezone.localdate()
        meeting = services.meeting_schedule(
            panel=panel, date=today, start_time=datetime.time(10, 0),
            location="Committee Room 2, Shireford County Hall (demo)",
            online_link="https://meet.shireford.example/channel-panel-demo", acting_user=chair)
        agenda.agenda_build(meeting=meeting, acting_user=chair)
        for local in ("chair", "police"):
            services.attendance_record(meeting=meeting, user=_user(local), acting_user=chair)
        services.meeting_schedule(
            panel=panel, date=today + datetime.timedelta(days=28), start_time=datetime.time(14, 0),
            location="Committee Room 2, Shireford County Hall (demo)", acting_user=chair)
