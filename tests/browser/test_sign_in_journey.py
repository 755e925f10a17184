"""Signing in for real in Chromium: password, setting up an authenticator app,
recovery codes, the code at the next sign-in, and the idle-timeout warning.
Every page visited must pass axe-core and raise no console (CSP) errors."""

from base64 import b32decode

import pytest
from django.db.models import F
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from prevent_hub.accounts.tests.factories import TEST_PASSWORD, UserFactory
from prevent_hub.accounts.tests.helpers import enrol, next_code_for

from .conftest import checked


def sign_in_with_password(page, user):
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def session_expiry(page):
    """When the browser's session ends, as the server has it."""
    from django.conf import settings

    from prevent_hub.accounts.models import Session

    key = next(cookie["value"] for cookie in page.context.cookies()
               if cookie["name"] == settings.SESSION_COOKIE_NAME)
    return Session.objects.get(session_key=key).expire_date


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed in from the page."""
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"


@pytest.mark.django_db(transaction=True)
def test_first_sign_in_sets_up_the_authenticator_then_the_next_asks_for_a_code(page, settings):
    # django-otp makes a second try wait after a wrong code; that throttle is
    # tested in accounts/tests, and here would only make the test sleep.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = UserFactory(full_name="Sam Browser-Test")

    page.goto("/staff/")
    assert page.url.endswith(reverse("accounts:sign-in") + "?next=/staff/")
    checked(page)
    sign_in_with_password(page, user)

    # Set up: QR code drawn inline, the key to type in behind "I cannot scan".
    page.wait_for_url("**" + reverse("accounts:second-factor-setup") + "*")
    assert page.locator(".app-qr-code svg[role=img]").is_visible()
    checked(page)
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#authenticator-key").inner_text()
    checked(page)
    code_box = page.get_by_label("Enter the 6-digit code from your app")
    assert code_box.get_attribute("autocomplete") == "one-time-code"
    assert code_box.get_attribute("inputmode") == "numeric"

    code_box.fill("000000" if app_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error:")
    checked(page)
    page.get_by_label("Enter the 6-digit code from your app").fill(app_code(secret))
    page.get_by_role("button", name="Continue").click()

    # Recovery codes, shown once.
    page.wait_for_url("**" + reverse("accounts:recovery-codes") + "*")
    codes = page.locator(".app-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    checked(page)
    page.get_by_role("button", name="I have saved my recovery codes").click()
    page.wait_for_url("**/staff/")
    assert page.get_by_role("heading", name="Staff home").is_visible()
    checked(page)

    page.goto(reverse("accounts:account"))
    assert page.get_by_text("Sam Browser-Test").first.is_visible()
    checked(page)
    page.get_by_role("button", name="Sign out", exact=True).last.click()
    page.wait_for_load_state("networkidle")
    checked(page)

    # Next sign-in: password, then the code from the app.
    page.goto("/staff/")
    sign_in_with_password(page, user)
    page.wait_for_url("**" + reverse("accounts:second-factor") + "*")
    checked(page)
    # A step's code works once, and only in its own step: as if 30 seconds had
    # gone by since the code used at set-up.
    TOTPDevice.objects.filter(user=user).update(last_t=F("last_t") - 1)
    page.get_by_label("Enter the security code from your authenticator app").fill(app_code(secret))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/")
    assert page.get_by_role("heading", name="Staff home").is_visible()


@pytest.mark.django_db(transaction=True)
def test_a_recovery_code_signs_in_once(page):
    user = UserFactory()
    _device, codes = enrol(user)
    page.goto("/staff/")
    sign_in_with_password(page, user)
    page.get_by_role("link", name="Use a recovery code instead").click()
    page.wait_for_url("**" + reverse("accounts:second-factor-recovery") + "*")
    checked(page)
    page.get_by_label("Enter a recovery code").fill(f"{codes[0][:4]}-{codes[0][4:]}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/")
    assert page.get_by_text("You have 9 recovery codes left").is_visible()
    checked(page)


def sign_in_fully(page, user, device):
    page.goto("/staff/")
    sign_in_with_password(page, user)
    page.wait_for_url("**" + reverse("accounts:second-factor") + "*")
    page.get_by_label("Enter the security code from your authenticator app").fill(
        next_code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/")


@pytest.mark.django_db(transaction=True)
def test_the_timeout_warning_appears_and_stay_signed_in_keeps_the_session(page, settings):
    user = UserFactory()
    device, _codes = enrol(user)
    sign_in_fully(page, user, device)

    # From here on, a 12-second idle timeout with the warning 9 seconds before.
    settings.SESSION_COOKIE_AGE = 12
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 9
    page.goto("/staff/")
    dialog = page.locator("dialog#app-session-timeout")
    assert not dialog.is_visible()
    dialog.wait_for(state="visible", timeout=6_000)
    assert page.get_by_role("dialog", name="You will be signed out soon").is_visible()
    assert page.evaluate("document.getElementById('app-session-timeout').contains(document.activeElement)")
    assert "we will sign you out in" in dialog.inner_text()
    assert dialog.locator("[aria-live=polite]").count() == 1
    checked(page)

    expires = session_expiry(page)
    page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden", timeout=3_000)
    # The session was renewed on the server (its expiry moved on), so the
    # page still opens signed in.
    assert session_expiry(page) > expires
    page.reload()
    assert page.get_by_role("heading", name="Staff home").is_visible()


@pytest.mark.django_db(transaction=True)
def test_escape_also_keeps_the_session(page, settings):
    user = UserFactory()
    device, _codes = enrol(user)
    sign_in_fully(page, user, device)
    settings.SESSION_COOKIE_AGE = 10
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 8
    page.goto("/staff/")
    dialog = page.locator("dialog#app-session-timeout")
    dialog.wait_for(state="visible", timeout=6_000)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden", timeout=3_000)
    assert page.url.endswith("/staff/")


@pytest.mark.django_db(transaction=True)
def test_at_the_timeout_you_are_signed_out_and_told_why(page, settings):
    user = UserFactory()
    device, _codes = enrol(user)
    sign_in_fully(page, user, device)
    settings.SESSION_COOKIE_AGE = 5
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 4
    page.goto("/staff/")
    page.wait_for_url("**" + reverse("accounts:signed-out") + "?reason=timeout", timeout=10_000)
    assert page.get_by_role("heading", name="You have been signed out").is_visible()
    assert page.get_by_text("Nothing you saved has been lost").is_visible()
    checked(page)
    page.goto("/staff/")
    assert reverse("accounts:sign-in") in page.url


@pytest.mark.django_db(transaction=True)
def test_after_the_skip_link_a_failed_submit_still_focuses_the_error_summary(page, live_server):
    """Forms post to an explicit address, so a page reached through the skip
    link (#main-content) does not come back at that fragment after a failed
    submit: the error summary takes focus, as GOV.UK's pattern intends."""
    page.goto(live_server.url + reverse("accounts:sign-in") + "?next=/staff/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")  # the skip link
    page.wait_for_url("**#main-content")
    assert page.url.endswith("#main-content")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "#" not in page.url
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    assert "Enter your email address" in summary.inner_text()
    checked(page)
