"""Each panel page's title (what a browser tab, the history and a screen
reader's first words say) names the meeting, by panel and date, and an
item's pages the case, never just "Item 1"."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.channel.models import CaseStatus
from prevent_hub.channel.tests.factories_reviews import case_in
from prevent_hub.panels.tests.factories import PanelFactory, PanelMeetingFactory, item_add

pytestmark = pytest.mark.django_db


def _title(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html5lib").title.get_text(strip=True)


def test_meeting_pages_are_titled_by_panel_and_date_and_item_pages_by_case(staff_client):
    client = staff_client(Role.CHANNEL_CHAIR)
    meeting = PanelMeetingFactory(panel=PanelFactory(name="Fictional North Channel Panel", chair=client.user),
                                  date=datetime.date(2027, 3, 10))
    item = item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    meeting_name = "Fictional North Channel Panel, 10 March 2027"
    kwargs = {"pk": meeting.pk}
    expected = {
        reverse("panels:meeting", kwargs=kwargs): meeting_name,
        reverse("panels:attendance", kwargs=kwargs): f"Attendance: {meeting_name}",
        reverse("panels:agenda-pack", kwargs=kwargs): f"Agenda pack: {meeting_name}",
        reverse("panels:minutes", kwargs=kwargs): f"Minutes: {meeting_name}",
        reverse("panels:item", kwargs={**kwargs, "item_pk": item.pk}):
            f"{item.case.reference} — {meeting_name}",
    }
    for url, start in expected.items():
        title = _title(client, url)
        assert title.startswith(start + " –"), (url, title)
        assert "Item 1" not in title
