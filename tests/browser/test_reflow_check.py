"""The reflow check that assert_accessible runs on every page (WCAG 1.4.10),
tried on pages made to fail and to pass, so it can never pass by not looking;
and the wide-table pattern ({% table_scroll %} and .app-table-scroll) with our
real stylesheet."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.channel.tests.factories import ChannelCaseFactory
from prevent_hub.referrals.tests.factories import ReferralFactory

from .conftest import (
    ReflowFailure,
    assert_accessible,
    assert_reflows,
    checked,
    signed_in,
    with_reference_data,
)

STYLESHEET = Path(settings.BASE_DIR) / "build" / "static" / "css" / "application.css"
WIDE_TABLE_ROWS = "".join(
    f"<tr><td>PRV-2026-{n:05d}</td><td>Received 3 March 2026</td><td>Awaiting triage</td>"
    "<td>Exampleton Academy (demo)</td><td>North Shireford<span class=govuk-visually-hidden>"
    f" for PRV-2026-{n:05d}</span></td></tr>"
    for n in range(3)
)


def _blank_page(browser, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.javascript_enabled = javascript
    return context, page


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def blank_page(request, browser):
    context, page = _blank_page(browser, request.param)
    yield page
    context.close()


@pytest.fixture
def scripted_page(browser):
    """For axe-core, which never finishes where page scripts cannot run."""
    context, page = _blank_page(browser, True)
    yield page
    context.close()


def html(body, *, styled=False):
    stylesheet = f"<style>{STYLESHEET.read_text()}</style>" if styled else ""
    return (f'<!DOCTYPE html><html lang="en"><head><title>Reflow</title>{stylesheet}</head>'
            f'<body class="govuk-template__body"><main>{body}</main></body></html>')


def test_a_page_wider_than_320_px_fails_and_names_what_sticks_out(blank_page):
    blank_page.set_content(html('<h1>Fits</h1><div id="wide" style="width: 500px">Too wide</div>'))
    with pytest.raises(ReflowFailure) as failure:
        assert_reflows(blank_page)
    message = str(failure.value)
    assert "about:blank scrolls sideways at 320 CSS px" in message
    assert 'div#wide "Too wide" reaches 5' in message
    assert "h1" not in message


def test_a_long_unbroken_word_fails(blank_page):
    blank_page.set_content(html(f"<p class=name>{'Wolfeschlegelsteinhausen' * 3}</p>"))
    with pytest.raises(ReflowFailure, match=r'- p\.name "Wolfe'):
        assert_reflows(blank_page)


def test_a_wide_table_fails_on_its_own(blank_page):
    blank_page.set_content(html(f"<table id=queue>{WIDE_TABLE_ROWS}</table>"))
    with pytest.raises(ReflowFailure, match="table#queue"):
        assert_reflows(blank_page)


def test_assert_accessible_runs_the_reflow_check(scripted_page):
    scripted_page.set_content(html('<h1>Fits</h1><div style="width: 500px">Too wide</div>'))
    with pytest.raises(ReflowFailure):
        assert_accessible(scripted_page)


def test_content_in_a_region_that_scrolls_by_itself_does_not_count(blank_page):
    blank_page.set_content(html(
        '<h1>Fits</h1><div style="overflow-x: auto" tabindex="0" role="region" aria-label="Queue">'
        f"<table>{WIDE_TABLE_ROWS}</table></div>"
    ))
    assert_reflows(blank_page)


ESCAPING = ('<div style="overflow-x: auto{}" tabindex="0" role="region" aria-label="Queue">'
            '<div style="width: 600px">Wide <span id="hidden" style="position: absolute; left: 550px">'
            "for PRV-2026-00001</span></div></div>")


def test_an_absolutely_positioned_box_escapes_a_region_that_is_not_positioned(blank_page):
    # As visually hidden text in a table cell does: the page scrolls after all.
    blank_page.set_content(html(ESCAPING.format("")))
    with pytest.raises(ReflowFailure, match=r'- span#hidden "for PRV-2026-00001" reaches'):
        assert_reflows(blank_page)


def test_a_positioned_region_keeps_absolutely_positioned_boxes_in(blank_page):
    blank_page.set_content(html(ESCAPING.format("; position: relative")))
    assert_reflows(blank_page)


def test_the_viewport_is_restored_whether_the_check_passes_or_fails(blank_page):
    blank_page.set_viewport_size({"width": 1024, "height": 700})
    blank_page.set_content(html("<h1>Fits</h1>"))
    assert_reflows(blank_page)
    assert blank_page.viewport_size == {"width": 1024, "height": 700}
    assert blank_page.evaluate("innerWidth") == 1024
    blank_page.set_content(html('<div style="width: 500px">Too wide</div>'))
    with pytest.raises(ReflowFailure):
        assert_reflows(blank_page)
    assert blank_page.viewport_size == {"width": 1024, "height": 700}


def render(source, **context):
    return Template(source).render(Context(context))


def test_the_table_scroll_tag_makes_a_named_focusable_region():
    assert render(
        '{% table_scroll labelledby=id %}<table></table>{% endtable_scroll %}', id="queue-caption"
    ) == ('<div class="app-table-scroll" role="region" aria-labelledby="queue-caption" tabindex="0">'
          "<table></table></div>")
    assert 'aria-label="Cases &amp; reviews"' in render(
        "{% table_scroll label=name %}{% endtable_scroll %}", name="Cases & reviews")


@pytest.mark.parametrize("source", [
    "{% table_scroll %}{% endtable_scroll %}",
    '{% table_scroll "queue" %}{% endtable_scroll %}',
    '{% table_scroll labelledby="a" label="b" %}{% endtable_scroll %}',
    '{% table_scroll id="a" %}{% endtable_scroll %}',
])
def test_the_table_scroll_tag_insists_on_a_name(source):
    with pytest.raises(TemplateSyntaxError, match="exactly one of"):
        Template(source)


def test_a_wide_table_in_the_pattern_scrolls_by_itself_and_passes_axe(scripted_page):
    scripted_page.set_content(html(render(
        '<h1 class="govuk-heading-l">Queue</h1>{% table_scroll labelledby="queue-caption" %}'
        '<table class="govuk-table"><caption class="govuk-table__caption" id="queue-caption">Referrals'
        '</caption><thead class="govuk-table__head"><tr class="govuk-table__row">'
        '{% for h in head %}<th scope="col" class="govuk-table__header">{{ h }}</th>{% endfor %}'
        "</tr></thead><tbody>{{ rows|safe }}</tbody></table>{% endtable_scroll %}",
        head=["Reference", "Received", "Status", "From", "Area"], rows=WIDE_TABLE_ROWS,
    ), styled=True))
    assert_accessible(scripted_page)  # axe's scrollable-region-focusable included
    scripted_page.set_viewport_size({"width": 320, "height": 720})
    region = scripted_page.locator(".app-table-scroll")
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "the table should scroll in its region"
    assert scripted_page.evaluate("document.documentElement.scrollWidth") <= 320


# Real people have names, addresses and email addresses like these; none of
# them may push a page wider than a phone.
LONG_GIVEN_NAME = "Maximilian-Bartholomew"
LONG_FAMILY_NAME = "Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh"
LONG_EMAIL = "maximilian-bartholomew.wolfeschlegelsteinhausenbergerdorff@north-shireford-safeguarding.example"
LONG_ADDRESS = "Flat 12, Wolfeschlegelsteinhausenbergerdorffhouse, Featherstonehaugh-Cholmondeley Road"


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_long_names_email_addresses_and_addresses_wrap_on_staff_pages(page, live_server):
    signed_in(page, live_server, Role.PREVENT_COORDINATOR,
              full_name=f"{LONG_GIVEN_NAME} {LONG_FAMILY_NAME}", email=LONG_EMAIL)
    referral = ReferralFactory(
        subject_given_name=LONG_GIVEN_NAME, subject_family_name=LONG_FAMILY_NAME,
        subject_address=LONG_ADDRESS, referrer_email=LONG_EMAIL,
        referrer_organisation="Wolfeschlegelsteinhausenbergerdorff Community Interest Company")
    case = ChannelCaseFactory(person__given_name=LONG_GIVEN_NAME, person__family_name=LONG_FAMILY_NAME,
                              person__address=LONG_ADDRESS)

    for url, shows in [
        (reverse("staff:home"), LONG_EMAIL),
        (reverse("accounts:account"), LONG_FAMILY_NAME),
        (reverse("triage:queue"), LONG_FAMILY_NAME),
        (reverse("triage:referral", kwargs={"reference": referral.reference}), LONG_ADDRESS),
        (reverse("channel:case-list"), LONG_FAMILY_NAME),
        (reverse("channel:case-detail", kwargs={"pk": case.pk}), LONG_FAMILY_NAME),
        (reverse("channel:case-timeline", kwargs={"pk": case.pk}), LONG_FAMILY_NAME),
        (reverse("channel:person-timeline", kwargs={"pk": case.person.pk}), LONG_FAMILY_NAME),
    ]:
        page.goto(url)
        expect(page.locator("main")).to_contain_text(shows)
        checked(page)
