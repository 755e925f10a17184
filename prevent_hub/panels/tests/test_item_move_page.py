"""Moving an agenda item from the meeting page: the page says where the item
went and puts focus back on the same button, without JavaScript
(tests/browser/test_panel_agenda_arranging.py drives it in a browser)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.channel.models import CaseStatus
from prevent_hub.channel.tests.factories_reviews import case_in
from prevent_hub.panels.tests.factories import PanelFactory, PanelMeetingFactory, item_add

pytestmark = pytest.mark.django_db


def _move(client, item, direction):
    url = reverse("panels:item-move", kwargs={"pk": item.meeting_id, "item_pk": item.pk})
    response = client.post(url, {"direction": direction}, follow=True)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html5lib")


def _autofocused(page):
    return [button.get_text(" ", strip=True) for button in page.select("button[autofocus]")]


def test_the_moved_item_keeps_focus_on_its_button_and_the_page_says_where_it_is(staff_client):
    client = staff_client(Role.CHANNEL_CHAIR)
    meeting = PanelMeetingFactory(panel=PanelFactory(chair=client.user))
    items = [item_add(meeting, case_in(CaseStatus.SUPPORT)) for _ in range(3)]
    reference = items[0].case.reference

    page = _move(client, items[0], "down")
    banner = page.select_one(".govuk-notification-banner--success").get_text(" ", strip=True)
    assert f"Item moved: {reference} is now item 2 of 3" in banner
    assert _autofocused(page) == ["Down item 2"]

    # At the bottom there is no Down button: focus is on Up.
    page = _move(client, items[0], "down")
    assert f"Item moved: {reference} is now item 3 of 3" in page.get_text()
    assert _autofocused(page) == ["Up item 3"]

    # A stale page's Down on the last item moves nothing, and says so.
    page = _move(client, items[0], "down")
    assert f"{reference} is already item 3 of 3" in page.get_text()


def test_only_a_move_puts_focus_anywhere(staff_client):
    client = staff_client(Role.CHANNEL_CHAIR)
    meeting = PanelMeetingFactory(panel=PanelFactory(chair=client.user))
    items = [item_add(meeting, case_in(CaseStatus.SUPPORT)) for _ in range(2)]
    url = reverse("panels:meeting", kwargs={"pk": meeting.pk})
    moved = items[0].pk
    for query in ("", f"?moved={moved}", f"?moved={moved}&direction=sideways", "?moved=x&direction=up"):
        page = BeautifulSoup(client.get(url + query).content, "html5lib")
        assert _autofocused(page) == [], query
