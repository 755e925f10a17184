"""Every form says where it posts, and never to a #fragment: a form that
posts "to this page" keeps the fragment the page was reached by (the skip
link's #main-content, a Change link's #field), and the browser then scrolls
there instead of the error summary taking focus after a failed submit."""

import re
from pathlib import Path

from django.test import Client

PACKAGE = Path(__file__).resolve().parent.parent / "prevent_hub"
FORM = re.compile(r"<form\b[^>]*>", re.S)
ACTION = re.compile(r'\baction="([^"]*)"')


def forms_without_a_plain_action(text: str) -> list[str]:
    found = []
    for tag in FORM.findall(text):
        action = ACTION.search(tag)
        if action is None or "#" in action.group(1) or not action.group(1).strip():
            found.append(" ".join(tag.split()))
    return found


def test_every_template_form_posts_to_an_explicit_address_without_a_fragment():
    templates = sorted(PACKAGE.rglob("*.html"))
    assert len(templates) > 50
    found = [f"{path.relative_to(PACKAGE)}: {tag}" for path in templates
             for tag in forms_without_a_plain_action(path.read_text())]
    assert found == [], "\n".join(found)


def test_the_scan_finds_forms_that_would_keep_a_fragment():
    assert forms_without_a_plain_action('<form method="post">') == ['<form method="post">']
    assert forms_without_a_plain_action('<form action="#main" method="post">')
    assert forms_without_a_plain_action('<form action="/x/?a=1" method="post">') == []


def test_a_rendered_form_posts_to_its_own_address_with_its_query(db):
    page = Client().get("/sign-in/?next=/staff/").content.decode()
    actions = [ACTION.search(tag).group(1) for tag in FORM.findall(page)]
    assert actions and all("#" not in action for action in actions)
    assert "/sign-in/?next=/staff/" in actions


def test_a_venue_booking_question_reached_from_a_change_link_posts_to_its_page(db):
    """Check your answers links to "<page>?from=check#id_<field>": the form
    posts to the page's own address, and "from" travels in a hidden field."""
    from prevent_hub.venues.tests.factories import officer, request_answers, request_fill, venue_with_room

    client = Client()
    room = venue_with_room(acting_user=officer())[1]
    request_fill(client, {"venue-and-room": request_answers(room)["venue-and-room"]})
    page = client.get("/venue-hire/request/date-and-time/?from=check").content.decode()
    actions = [ACTION.search(tag).group(1) for tag in FORM.findall(page)]
    assert "/venue-hire/request/date-and-time/" in actions
    assert all("#" not in action for action in actions)
    assert '<input type="hidden" name="from" value="check">' in page


# Venues: administration, calendars and dashboard


def test_venue_pages_post_and_filter_to_their_own_addresses(staff_client):
    from prevent_hub.access.roles import Role
    from prevent_hub.venues.tests.factories import matrix_venue

    client = staff_client(Role.VENUE_BOOKING_OFFICER)
    venue = matrix_venue(acting_user=client.user)[0]
    for path in ("/staff/venues/?status=awaiting", "/staff/venues/conditions/new/",
                 f"/staff/venues/venues/{venue.pk}/opening-hours/",
                 f"/staff/venues/venues/{venue.pk}/calendar/"):
        page = client.get(path).content.decode()
        actions = [ACTION.search(tag).group(1) for tag in FORM.findall(page)]
        assert actions and all(action and "#" not in action for action in actions), path
