"""Password reset by email, and the set-your-password email for new accounts."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from prevent_hub.accounts.emails import send_set_password_email
from prevent_hub.accounts.models import Session
from prevent_hub.accounts.services import user_create
from prevent_hub.audit.models import AuditAction, AuditEvent

from .factories import TEST_PASSWORD, OrganisationFactory, UserFactory

RESET = reverse("accounts:password-reset")
DONE = reverse("accounts:password-reset-done")
COMPLETE = reverse("accounts:password-reset-complete")
NEW_PASSWORD = "plum orchard lantern"


@pytest.fixture
def user(db):
    return UserFactory(email="sam@test.shireford.example", full_name="Sam Test-Officer")


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def ask(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET, {"email": email})
    return ask


def link_in(message) -> str:
    return re.search(r"https?://testserver(/password-reset/[^/\s]+/[^/\s]+/)", message.body).group(1)


def choose(client, link, password=NEW_PASSWORD, confirm=None):
    form_url = client.get(link)["Location"]
    assert form_url.endswith("/set-password/"), "the token leaves the address bar at once"
    return client.post(form_url, {"new_password1": password, "new_password2": confirm or password})


def test_a_reset_link_is_emailed_and_works_once(client, user, ask, settings):
    # Signed in somewhere else (before asking: signing in makes older links stop
    # working); that session ends with the change.
    elsewhere = Client()
    sign_in(elsewhere, user)

    response = ask("SAM@test.shireford.example")
    assert response.status_code == 302 and response["Location"] == DONE
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@test.shireford.example"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "Reset your Prevent Hub password"
    assert not getattr(message, "alternatives", None), "plain text only"
    assert "works once and stops working after 60 minutes" in message.body
    link = link_in(message)
    page = Client().get(link, follow=True).content.decode()
    assert "Choose a new password" in page and "Welcome to" not in page

    response = choose(client, link)
    assert response.status_code == 302 and response["Location"] == COMPLETE
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert "Your password has been changed" in client.get(COMPLETE).content.decode()
    assert not Session.objects.filter(user=user).exists()
    assert elsewhere.get("/staff/")["Location"].startswith(reverse("accounts:sign-in"))
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, changed_fields=["password"])
    assert event.object_id == str(user.pk) and event.actor_id == user.pk
    assert event.details["sessions_ended"] == 1

    # The same link again: refused.
    page = Client().get(link)
    assert page.status_code == 200
    assert "This link does not work" in page.content.decode()


def test_the_page_says_the_same_whatever_the_address(client, user, ask):
    known = ask("sam@test.shireford.example")
    unknown = ask("nobody@test.shireford.example")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == DONE
    assert len(mail.outbox) == 1
    done = client.get(DONE).content.decode()
    assert "If that email address has an account" in done


def test_deactivated_accounts_get_no_email_and_old_links_stop_working(client, user, ask):
    ask(user.email)
    link = link_in(mail.outbox[0])
    user.is_active = False
    user.save()
    assert ask(user.email)["Location"] == DONE
    assert len(mail.outbox) == 1
    assert "This link does not work" in client.get(link).content.decode()


def test_links_expire(client, user, settings, monkeypatch):
    from prevent_hub.accounts.tasks import password_link

    made_at = timezone.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: made_at.replace(tzinfo=None))
    old = password_link(user, "http://testserver/").removeprefix("http://testserver")
    monkeypatch.undo()
    assert "This link does not work" in client.get(old).content.decode()

    fresh = password_link(user, "http://testserver/").removeprefix("http://testserver")
    assert client.get(fresh).status_code == 302


def test_links_expire_when_the_timeout_is_shortened(client, user, settings):
    from prevent_hub.accounts.tasks import password_link

    link = password_link(user, "http://testserver/").removeprefix("http://testserver")
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert "This link does not work" in client.get(link).content.decode()


def test_the_new_password_must_meet_the_rules(client, user, ask):
    ask(user.email)
    link = link_in(mail.outbox[0])
    form_url = client.get(link)["Location"]
    cases = [
        ({"new_password1": "", "new_password2": ""}, "Enter a new password"),
        ({"new_password1": "too short", "new_password2": "too short"},
         "Password must be 12 characters or more"),
        ({"new_password1": "password1234", "new_password2": "password1234"},
         "Password is too easy to guess. Try 3 random words instead"),
        ({"new_password1": NEW_PASSWORD, "new_password2": "something else entirely"},
         "The passwords do not match"),
    ]
    for data, message in cases:
        response = client.post(form_url, data)
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html, message
        assert "<title>Error:" in html
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
    # The link still works after mistakes.
    assert client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})[
        "Location"] == COMPLETE


def test_resetting_the_password_lifts_a_lockout(client, user, ask):
    for _ in range(5):
        client.post(reverse("accounts:sign-in"), {"username": user.email, "password": "wrong wrong"})
    assert AccessAttempt.objects.exists()
    ask(user.email)
    choose(client, link_in(mail.outbox[0]))
    response = client.post(reverse("accounts:sign-in"), {"username": user.email, "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_new_accounts_are_invited_to_set_a_password(db, django_capture_on_commit_callbacks):
    admin = UserFactory()
    request = RequestFactory().post("/staff/administration/users/new", HTTP_HOST="testserver")
    with django_capture_on_commit_callbacks(execute=True):
        new = user_create(acting_user=admin, email="new.person@test.shireford.example",
                          full_name="New Person", organisation=OrganisationFactory())
        send_set_password_email(new, request)
    assert not new.has_usable_password()
    message = mail.outbox[0]
    assert message.to == ["new.person@test.shireford.example"]
    assert message.subject == "Set your password for Prevent Hub"
    assert "An account has been created for you" in message.body
    client = Client()
    # The page speaks to someone new, not to someone who forgot their password.
    page = client.get(link_in(message), follow=True).content.decode()
    assert "<h1 class=\"govuk-heading-l\">Set your password</h1>" in page
    assert "Welcome to Prevent Hub" in page and "Choose a new password" not in page
    client = Client()
    assert choose(client, link_in(message))["Location"] == COMPLETE
    new.refresh_from_db()
    assert new.check_password(NEW_PASSWORD)
    # Then the first sign-in sets up the authenticator.
    client.post(reverse("accounts:sign-in"), {"username": new.email, "password": NEW_PASSWORD})
    assert client.get("/staff/")["Location"].startswith(reverse("accounts:second-factor-setup"))


def test_an_invitation_whose_link_expired_can_be_replaced_from_the_reset_page(db, ask):
    new = UserFactory(password=None)
    new.set_unusable_password()
    new.save()
    ask(new.email)
    assert len(mail.outbox) == 1


def test_no_invitation_for_a_deactivated_account(db, django_capture_on_commit_callbacks):
    gone = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        send_set_password_email(gone, RequestFactory().get("/"))
    assert mail.outbox == []


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Enter your email address"),
    ("not an address", "Enter an email address in the correct format, like name@example.com"),
])
def test_the_reset_form_explains_what_is_wrong(client, db, typed, message):
    response = client.post(RESET, {"email": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "govuk-error-summary" in html
    assert mail.outbox == []
