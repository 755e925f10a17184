"""A chair arranging the agenda in real Chromium: from the keyboard alone,
moving an item says where it went and leaves focus on the same button so
they can keep moving it; and on a 320 CSS px screen (a phone, or 400 % zoom)
every control of the agenda is on screen without scrolling sideways
(WCAG 1.4.10). Every page passes axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.channel.models import CaseStatus
from prevent_hub.channel.tests.factories_reviews import case_in
from prevent_hub.panels.models import AgendaItem, ItemDecision
from prevent_hub.panels.tests.factories import PanelFactory, PanelMeetingFactory, item_add

from .conftest import axe_violations, checked, signed_in, with_reference_data
from .keyboard import press

pytestmark = pytest.mark.browser

BANNER = ".govuk-notification-banner"


def _agenda_of(chair, count):
    meeting = PanelMeetingFactory(panel=PanelFactory(chair=chair))
    return meeting, [item_add(meeting, case_in(CaseStatus.SUPPORT)) for _ in range(count)]


def _focused(page, name):
    """The focused element is the agenda's button `name`."""
    button = page.get_by_role("table", name="Agenda items in order").get_by_role("button", name=name,
                                                                                 exact=True)
    return button.evaluate("element => element === document.activeElement")


def _position(item):
    return AgendaItem.objects.get(pk=item.pk).position


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_moving_an_item_by_keyboard_says_where_it_went_and_keeps_focus_on_it(page, live_server):
    chair = signed_in(page, live_server, Role.CHANNEL_CHAIR)
    meeting, items = _agenda_of(chair, 5)
    moving = items[0]
    reference = moving.case.reference
    page.goto(reverse("panels:meeting", kwargs={"pk": meeting.pk}))
    checked(page)

    press(page, page.get_by_role("button", name="Down item 1", exact=True))
    expect(page.locator(BANNER)).to_contain_text(f"Item moved: {reference} is now item 2 of 5")
    assert _focused(page, "Down item 2")
    assert _position(moving) == 2
    checked(page)

    # Focus is on the button already: Space presses it again, no Tab needed.
    page.keyboard.press("Space")
    expect(page.locator(BANNER)).to_contain_text(f"Item moved: {reference} is now item 3 of 5")
    assert _focused(page, "Down item 3")
    assert _position(moving) == 3
    checked(page)

    # At the end of the agenda there is no Down button: focus is on Up, to bring it back.
    page.keyboard.press("Enter")
    expect(page.locator(BANNER)).to_contain_text("is now item 4 of 5")
    page.keyboard.press("Enter")
    expect(page.locator(BANNER)).to_contain_text(f"Item moved: {reference} is now item 5 of 5")
    assert _focused(page, "Up item 5")
    page.keyboard.press("Enter")
    expect(page.locator(BANNER)).to_contain_text(f"Item moved: {reference} is now item 4 of 5")
    assert _focused(page, "Up item 4")
    assert _position(moving) == 4
    checked(page)


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_without_javascript_the_move_is_confirmed_and_focus_kept(page_without_js, live_server):
    page = page_without_js
    chair = signed_in(page, live_server, Role.CHANNEL_CHAIR)
    meeting, items = _agenda_of(chair, 3)
    page.goto(reverse("panels:meeting", kwargs={"pk": meeting.pk}))
    # Scripts cannot run on this page, so neither can the Tab helper's check of
    # where focus is: focus goes straight to the button, and Enter presses it.
    page.get_by_role("button", name="Up item 3", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator(BANNER)).to_contain_text(f"Item moved: {items[2].case.reference} is now item 2 of 3")
    expect(page.get_by_role("button", name="Up item 2", exact=True)).to_be_focused()


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_every_control_of_the_agenda_is_on_a_320_px_screen(page, live_server):
    page.set_viewport_size({"width": 320, "height": 640})
    chair = signed_in(page, live_server, Role.CHANNEL_CHAIR)
    meeting, items = _agenda_of(chair, 3)
    items[1].decision = ItemDecision.NOTED
    items[1].save()
    page.goto(reverse("panels:meeting", kwargs={"pk": meeting.pk}))
    page.wait_for_load_state("networkidle")

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    agenda = page.get_by_role("table", name="Agenda items in order")
    controls = agenda.locator("button, a")
    # Record decision ×2, Down, Up and Down, Up, Remove ×2, and the three case links.
    assert controls.count() == 11
    for index in range(controls.count()):
        control = controls.nth(index)
        box = control.bounding_box()
        assert box is not None and box["width"] > 0, control.inner_text()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, (control.inner_text(), box)
    assert axe_violations(page) == []
    checked(page)
