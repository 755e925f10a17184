"""The panels demo: a meeting today whose agenda came from the demo cases,
ready for a decision, and the demo panel member sees what is on it."""

import pytest
from django.core.management import call_command

from prevent_hub.access import Action, can
from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.accounts.models import User
from prevent_hub.channel.models import CaseStatus
from prevent_hub.panels.decisions import police_present_for
from prevent_hub.panels.models import MeetingStatus, PanelMeeting


@pytest.fixture
def demo(settings, db):
    settings.DEMO_MODE = True
    call_command("load_demo_data")


def test_todays_meeting_has_an_agenda_from_the_cases_and_police_present(demo):
    meeting = PanelMeeting.objects.order_by("date").first()
    items = list(meeting.items.select_related("case"))
    assert meeting.status == MeetingStatus.SCHEDULED
    assert any(item.case.status == CaseStatus.AWAITING_PANEL for item in items)
    assert all(police_present_for(item) for item in items)
    member = User.objects.get(email=f"panel@{DEMO_DOMAIN}")
    assert all(can(member, Action.CASE_VIEW, item.case) for item in items)
