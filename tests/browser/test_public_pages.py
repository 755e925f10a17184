"""Every public page and the sign-in page in real Chromium: zero axe-core
violations (WCAG 2.2 AA tags), no console errors (so no CSP violations), a
working skip link, and everything readable with JavaScript off."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from prevent_hub.public.urls import PAGES

from .conftest import assert_accessible

PUBLIC_PATHS = [reverse(f"public:{name}") for _route, name, _template in PAGES]
# Venue hire's pages that need no booking or draft (the booking conditions,
# reference data, are in test_venue_booking_request).
VENUE_HIRE_PATHS = [reverse(f"venue-hire:{name}")
                    for name in ("request-start", "lost-link", "lost-link-sent")]
PAGES_TO_CHECK = [*PUBLIC_PATHS, *VENUE_HIRE_PATHS, reverse("accounts:sign-in")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", PAGES_TO_CHECK)
def test_page_has_no_accessibility_violations(page, path):
    response = page.goto(path)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), (
        "GOV.UK Frontend's inline script did not run: is the CSP nonce missing?"
    )
    assert_accessible(page)
    assert page.console_errors == [], page.console_errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", PAGES_TO_CHECK)
def test_page_works_without_javascript(page_without_js, path):
    response = page_without_js.goto(path)
    assert response.status == 200
    assert page_without_js.locator("main h1").count() == 1
    assert page_without_js.locator("main h1").is_visible()
    # Navigation stays usable: every nav link is visible without the menu script.
    for link in page_without_js.locator(".govuk-service-navigation__link").all():
        assert link.is_visible()


@pytest.mark.django_db(transaction=True)
def test_keyboard_user_reaches_main_content_through_the_skip_link(page):
    page.goto(reverse("public:get-help"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    # The next Tab lands inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')")


@pytest.mark.django_db(transaction=True)
def test_error_summary_link_moves_focus_to_the_field(page):
    page.goto(reverse("accounts:sign-in"))
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    # Waits for the page the button leads to (is_visible() would not, and
    # raced the navigation under load).
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # the error summary takes focus when the page loads
    expect(page).to_have_title(re.compile(r"^Error:"))
    summary.locator("a").first.click()
    expect(page.locator("#id_username")).to_be_focused()
    assert_accessible(page)
