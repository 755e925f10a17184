"""Idle timeout, the account page's sessions list, signing out elsewhere, and
deactivated accounts losing their sessions at once."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import sign_in
from prevent_hub.accounts.models import Session
from prevent_hub.accounts.selectors import describe_browser
from prevent_hub.accounts.services import user_deactivate
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.core.formatting import govuk_datetime

from .factories import UserFactory
from .helpers import (
    code_for,
    enrol,
    let_throttling_pass,
    next_code_for,
    sign_in_with_password,
    wrong_code_for,
)

ACCOUNT = reverse("accounts:account")
KEEP_ALIVE = reverse("accounts:keep-alive")
SIGN_OUT_OTHERS = reverse("accounts:account-sign-out-others")
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


@pytest.fixture
def user(db):
    return UserFactory(email="sam@test.shireford.example", full_name="Sam Test-Officer")


def goes_to_sign_in(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("accounts:sign-in"))


# Idle timeout -----------------------------------------------------------------


def test_idle_timeout_is_thirty_minutes_renewed_by_every_request(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_a_session_idle_for_longer_than_the_timeout_no_longer_reaches_the_staff_area(client, user):
    sign_in(client, user)
    assert client.get("/staff/").status_code == 200
    Session.objects.filter(user=user).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert goes_to_sign_in(client.get("/staff/"))


def test_each_request_pushes_the_timeout_back(client, user, settings):
    sign_in(client, user)
    Session.objects.filter(user=user).update(expire_date=timezone.now() + timedelta(seconds=30))
    client.get("/staff/")
    expires = Session.objects.get(user=user).expire_date
    assert expires > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_stay_signed_in_renews_the_session(client, user, settings):
    sign_in(client, user)
    Session.objects.filter(user=user).update(expire_date=timezone.now() + timedelta(seconds=30))
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 200
    assert json.loads(response.content) == {"timeoutSeconds": settings.SESSION_COOKIE_AGE}
    assert Session.objects.get(user=user).expire_date > timezone.now() + timedelta(minutes=29)


def test_keep_alive_is_post_only_with_csrf_and_signed_in_only(user):
    assert goes_to_sign_in(Client().post(KEEP_ALIVE))
    client = Client(enforce_csrf_checks=True)
    sign_in(client, user)
    assert client.get(KEEP_ALIVE).status_code == 405
    assert client.post(KEEP_ALIVE).status_code == 403  # no CSRF token
    page = client.get("/staff/")
    token = BeautifulSoup(page.content, "html.parser").select_one(
        "#app-session-timeout input[name=csrfmiddlewaretoken]")["value"]
    assert client.post(KEEP_ALIVE, headers={"X-CSRFToken": token}).status_code == 200


def test_staff_pages_carry_the_timeout_for_the_warning_dialog(client, user, settings):
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 90
    sign_in(client, user)
    dialog = BeautifulSoup(client.get("/staff/").content, "html.parser").select_one(
        "dialog[data-module=app-session-timeout]")
    assert dialog["data-timeout-seconds"] == "1800"
    assert dialog["data-warning-seconds"] == "90"
    assert dialog["data-keep-alive-url"] == KEEP_ALIVE
    assert dialog["data-timed-out-url"] == reverse("accounts:signed-out") + "?reason=timeout"
    assert dialog["aria-labelledby"] == "app-session-timeout-heading"
    assert dialog.find(id="app-session-timeout-heading").get_text() == "You will be signed out soon"
    assert dialog.select_one("[aria-live=polite]") is not None
    assert not dialog.has_attr("open")
    assert [b.get_text(strip=True) for b in dialog.find_all("button")] == ["Stay signed in", "Sign out"]


def test_warning_defaults_to_two_minutes(client, user):
    sign_in(client, user)
    dialog = BeautifulSoup(client.get("/staff/").content, "html.parser").select_one("dialog")
    assert dialog["data-warning-seconds"] == "120"


@pytest.mark.parametrize(("path", "signed_in", "rendered"), [
    ("/staff/", True, True),
    ("/staff/", False, False),
    ("/", True, False),  # public pages: signed in or not, no dialog
    ("/", False, False),
])
def test_the_dialog_is_only_for_signed_in_users_on_staff_pages(user, path, signed_in, rendered):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get(path)
    request.user = user if signed_in else AnonymousUser()
    html = render_to_string("accounts/_session_timeout.html", request=request)
    assert ("<dialog" in html) is rendered


def test_signed_in_public_pages_carry_no_dialog(client, user):
    sign_in(client, user)
    assert "app-session-timeout" not in client.get("/").content.decode()


def test_signed_out_page_explains_a_timeout(client, db):
    html = client.get(reverse("accounts:signed-out") + "?reason=timeout").content.decode()
    assert "You have been signed out" in html
    assert "had not done anything for 30 minutes" in html
    assert "Nothing you saved has been lost" in html
    plain = client.get(reverse("accounts:signed-out")).content.decode()
    assert "You have signed out" in plain and "30 minutes" not in plain


# Deactivation -------------------------------------------------------------------


def test_deactivating_an_account_ends_its_session_at_once(client, user):
    admin = UserFactory()
    sign_in(client, user)
    assert client.get("/staff/").status_code == 200
    user_deactivate(acting_user=admin, user=user, reason="Left the council")
    assert goes_to_sign_in(client.get("/staff/"))
    assert not Session.objects.filter(user=user).exists()


# Account page and sessions ----------------------------------------------------------


def test_account_page_shows_who_you_are_and_the_timeout(staff_client):
    client = staff_client("prevent_coordinator", full_name="Alex Test", job_title="Prevent lead")
    html = client.get(ACCOUNT).content.decode()
    user = client.user
    for text in ["Alex Test", user.email, user.organisation.name, "Prevent coordinator", "Prevent lead",
                 "we sign you out after 30 minutes without activity", "This session",
                 "Get new recovery codes", "Sign out"]:
        assert text in html, text


def test_sign_in_records_where_the_session_started(client, user):
    device, _codes = enrol(user)
    sign_in_with_password(client, user, REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT=FIREFOX)
    client.post(reverse("accounts:second-factor"), {"code": next_code_for(device)})
    session = Session.objects.get(user=user)
    assert session.ip_address == "192.0.2.10"
    assert session.user_agent == FIREFOX
    created = session.created_at
    client.get("/staff/")  # later requests keep the start
    session.refresh_from_db()
    assert session.created_at == created
    assert session.ip_address == "192.0.2.10"

    html = client.get(ACCOUNT).content.decode()
    assert "Firefox on Windows" in html
    assert "192.0.2.10" in html
    assert govuk_datetime(created) in html


def test_sign_out_of_all_other_sessions_keeps_this_one(user):
    here, laptop, phone = Client(), Client(), Client()
    for client in (here, laptop, phone):
        sign_in(client, user)
    stranger = UserFactory()
    elsewhere = Client()
    sign_in(elsewhere, stranger)
    assert Session.objects.filter(user=user).count() == 3

    page = here.get(ACCOUNT).content.decode()
    assert "Sign out of all other sessions" in page
    assert page.count("govuk-table__row") == 4  # heading and three sessions

    here_device = TOTPDevice.objects.get(user=user)
    refused = here.post(SIGN_OUT_OTHERS, {"code": wrong_code_for(here_device)})
    assert "govuk-error-summary" in refused.content.decode()
    assert laptop.get("/staff/").status_code == 200  # nothing ended without the code
    let_throttling_pass(user)
    response = here.post(SIGN_OUT_OTHERS, {"code": code_for(here_device)})
    assert response.status_code == 302 and response["Location"] == ACCOUNT
    assert "You have signed out of 2 other sessions" in here.get(ACCOUNT).content.decode()
    assert here.get("/staff/").status_code == 200
    assert goes_to_sign_in(laptop.get("/staff/"))
    assert goes_to_sign_in(phone.get("/staff/"))
    assert elsewhere.get("/staff/").status_code == 200  # someone else's is untouched
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(user.pk), changed_fields=["sessions"],
        details__sessions_ended=2,
    ).exists()
    assert "You are not signed in anywhere else" in here.get(ACCOUNT).content.decode()


def test_sign_out_of_other_sessions_asks_for_a_code_first(staff_client):
    page = staff_client().get(SIGN_OUT_OTHERS)
    assert page.status_code == 200
    form = BeautifulSoup(page.content, "html.parser").select_one(f"form[action='{SIGN_OUT_OTHERS}']")
    assert form["method"] == "post"
    assert form.select_one("input[name=code][autocomplete=one-time-code]") is not None


@pytest.mark.parametrize(("agent", "described"), [
    (FIREFOX, "Firefox on Windows"),
    (SAFARI_IPHONE, "Safari on iOS"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Microsoft Edge on macOS"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36", "Chrome on Linux"),
    ("", "Unknown browser"),
    ("curl/8.0", "Unknown browser"),
])
def test_browsers_are_described_plainly(agent, described):
    assert describe_browser(agent) == described
