"""Session limits and who can end sessions (ASVS V7): the absolute lifetime
from sign-in, "Sign out" on every staff page, ending one of your own sessions
after a code, and a system administrator ending one person's or everyone's."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.views import redirect_to_login
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import sign_in
from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import Session
from prevent_hub.accounts.selectors import session_reference
from prevent_hub.audit.models import AuditAction, AuditEvent

from .factories import UserFactory
from .helpers import code_for, let_throttling_pass, wrong_code_for

ACCOUNT = reverse("accounts:account")
SIGN_IN = reverse("accounts:sign-in")
SIGN_OUT = reverse("accounts:sign-out")


def sign_in_to(path: str) -> str:
    """The sign-in page with `next`, as Django's redirect to sign-in writes it."""
    return redirect_to_login(path, SIGN_IN)["Location"]


def signed_in_hours_ago(user, hours: float):
    Session.objects.filter(user=user).update(created_at=timezone.now() - timedelta(hours=hours))


def sign_outs(user):
    return AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, object_id=str(user.pk)).count()


# Absolute lifetime --------------------------------------------------------------


def test_a_session_lasts_twelve_hours_from_sign_in_by_default(settings):
    assert settings.SESSION_ABSOLUTE_LIFETIME_HOURS == 12


def test_a_busy_session_ends_twelve_hours_after_sign_in_and_sign_in_returns_you(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    user = client.user
    signed_in_hours_ago(user, 11.9)
    assert client.get(ACCOUNT + "?tab=1").status_code == 200  # still within the limit

    signed_in_hours_ago(user, 12.01)
    response = client.get(ACCOUNT + "?tab=1")
    assert response.status_code == 302
    assert response["Location"] == sign_in_to(ACCOUNT + "?tab=1")
    assert not Session.objects.filter(user=user).exists()
    assert sign_outs(user) == 1  # audited as any sign-out is
    page = client.get(response["Location"]).content.decode()
    assert "You have been signed out because you signed in more than 12 hours ago" in page
    assert client.get(ACCOUNT)["Location"].startswith(SIGN_IN)


def test_the_limit_counts_from_sign_in_not_from_the_last_request(staff_client, settings):
    settings.SESSION_ABSOLUTE_LIFETIME_HOURS = 2
    client = staff_client()
    signed_in_hours_ago(client.user, 1.5)
    for _ in range(3):  # each request renews the idle timeout, not the start
        assert client.get(ACCOUNT).status_code == 200
    signed_in_hours_ago(client.user, 2.1)
    assert client.get(ACCOUNT)["Location"] == sign_in_to(ACCOUNT)


def test_a_form_sent_just_after_the_limit_is_saved_then_you_are_signed_out(staff_client):
    client = staff_client(Role.SYSTEM_ADMINISTRATOR)
    person = UserFactory(full_name="Robin Example-Old")
    edit = reverse("administration:user-edit", args=[person.pk])
    signed_in_hours_ago(client.user, 12.1)  # the limit passed while they were typing
    response = client.post(edit, {
        "email": person.email, "full_name": "Robin Example-New", "job_title": "Prevent officer",
        "organisation": person.organisation_id,
    })
    person.refresh_from_db()
    assert person.full_name == "Robin Example-New"  # what they typed is kept
    detail = reverse("administration:user-detail", args=[person.pk])
    assert response["Location"] == sign_in_to(detail)  # and they come back to see it
    assert not Session.objects.filter(user=client.user).exists()
    assert sign_outs(client.user) == 1


def test_a_form_with_mistakes_after_the_limit_is_shown_back_to_correct(staff_client):
    client = staff_client(Role.SYSTEM_ADMINISTRATOR)
    person = UserFactory()
    signed_in_hours_ago(client.user, 12.1)
    response = client.post(reverse("administration:user-edit", args=[person.pk]), {
        "email": "not an email", "full_name": "Robin Typed-This", "organisation": person.organisation_id,
    })
    assert response.status_code == 200
    assert "Robin Typed-This" in response.content.decode()
    assert Session.objects.filter(user=client.user).exists()


def test_long_after_the_limit_a_form_no_longer_gets_through(staff_client):
    client = staff_client(Role.SYSTEM_ADMINISTRATOR)
    person = UserFactory(full_name="Robin Example-Old")
    edit = reverse("administration:user-edit", args=[person.pk])
    signed_in_hours_ago(client.user, 12.6)  # the limit and one idle timeout after it
    response = client.post(edit, {"email": person.email, "full_name": "Robin Example-New",
                                  "organisation": person.organisation_id})
    assert response["Location"] == sign_in_to(edit)
    person.refresh_from_db()
    assert person.full_name == "Robin Example-Old"
    assert sign_outs(client.user) == 1


# Sign out on every staff page ----------------------------------------------------------


def test_every_staff_page_has_sign_out_in_its_navigation(db):
    from tests.test_url_role_matrix import STAFF, has_parameters

    client = Client(enforce_csrf_checks=True)
    user = sign_in(client, UserFactory(roles=Role.values))
    checked = 0
    for route, name, entry in STAFF:
        if has_parameters(route, entry):
            continue
        response = client.get("/" + route)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = BeautifulSoup(response.content, "html.parser")
        nav = html.select_one("nav.govuk-service-navigation__wrapper")
        assert nav is not None, name
        form = nav.select_one(f"form[action='{SIGN_OUT}'][method=post]")
        assert form is not None, f"{name} has no Sign out"
        assert form.select_one("input[name=csrfmiddlewaretoken]")["value"], name
        assert form.find("button", type="submit").get_text(strip=True) == "Sign out", name
        checked += 1
    assert checked > 40
    # The button works: a POST with the page's token ends the session.
    token = form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    assert client.post(SIGN_OUT, {"csrfmiddlewaretoken": token}).status_code == 302
    assert not Session.objects.filter(user=user).exists()


def test_public_pages_have_no_sign_out(client, db):
    assert SIGN_OUT not in client.get("/").content.decode()


# Ending one of your own sessions ------------------------------------------------------


def test_you_can_end_one_other_session_after_a_code(db):
    user = UserFactory()
    here, laptop, phone = Client(), Client(), Client()
    for browser in (here, laptop, phone):
        sign_in(browser, user)
    laptop_key = laptop.session.session_key
    page = here.get(ACCOUNT).content.decode()
    assert laptop_key not in page  # the key signs a browser in: never shown
    url = reverse("accounts:account-session-sign-out", args=[session_reference(laptop_key)])
    assert url in page

    device = TOTPDevice.objects.get(user=user)
    assert "govuk-error-summary" in here.post(url, {"code": wrong_code_for(device)}).content.decode()
    assert laptop.get(ACCOUNT).status_code == 200
    let_throttling_pass(user)
    assert here.post(url, {"code": code_for(device)})["Location"] == ACCOUNT
    assert laptop.get(ACCOUNT)["Location"].startswith(SIGN_IN)
    assert phone.get(ACCOUNT).status_code == 200
    assert here.get(ACCOUNT).status_code == 200
    assert AuditEvent.objects.filter(object_id=str(user.pk), changed_fields=["sessions"],
                                     details__sessions_ended=1).exists()
    assert here.get(url).status_code == 404  # already ended


def test_you_cannot_end_someone_elses_session_by_its_reference(db):
    user, other = UserFactory(), UserFactory()
    mine, theirs = Client(), Client()
    sign_in(mine, user)
    sign_in(theirs, other)
    url = reverse("accounts:account-session-sign-out",
                  args=[session_reference(theirs.session.session_key)])
    device = TOTPDevice.objects.get(user=user)
    assert mine.post(url, {"code": code_for(device)}).status_code == 404
    assert theirs.get(ACCOUNT).status_code == 200


# A system administrator ending sessions ----------------------------------------------


def test_an_administrator_signs_one_person_out_everywhere_leaving_them_active(staff_client):
    admin = staff_client(Role.SYSTEM_ADMINISTRATOR)
    person = UserFactory(full_name="Robin Example")
    laptop, phone, bystander = Client(), Client(), Client()
    sign_in(laptop, person)
    sign_in(phone, person)
    sign_in(bystander, UserFactory())
    detail = reverse("administration:user-detail", args=[person.pk])
    url = reverse("administration:user-sessions-end", args=[person.pk])
    assert url in admin.get(detail).content.decode()
    confirm = admin.get(url).content.decode()
    assert "Robin Example is signed in in 2 places" in confirm

    assert admin.post(url)["Location"] == detail
    done = admin.get(detail).content.decode()
    assert "Robin Example has been signed out everywhere (2 sessions ended)" in done
    assert laptop.get(ACCOUNT)["Location"].startswith(SIGN_IN)
    assert phone.get(ACCOUNT)["Location"].startswith(SIGN_IN)
    assert bystander.get(ACCOUNT).status_code == 200
    person.refresh_from_db()
    assert person.is_active
    event = AuditEvent.objects.get(object_id=str(person.pk), changed_fields=["sessions"])
    assert event.actor_id == admin.user.pk
    assert event.details == {"sessions_ended": 2, "by_administrator": True}


def test_an_administrator_cannot_sign_themselves_out_everywhere_there(staff_client):
    admin = staff_client(Role.SYSTEM_ADMINISTRATOR)
    url = reverse("administration:user-sessions-end", args=[admin.user.pk])
    admin.post(url)
    assert admin.get(ACCOUNT).status_code == 200


def test_an_administrator_signs_everyone_out_but_themselves_with_a_reason(staff_client):
    admin = staff_client(Role.SYSTEM_ADMINISTRATOR)
    others = [Client() for _ in range(3)]
    for browser in others:
        sign_in(browser, UserFactory())
    url = reverse("administration:sessions-end-all")
    assert url in admin.get(reverse("administration:index")).content.decode()
    assert "There are 4 sessions open now" in admin.get(url).content.decode()

    refused = admin.post(url, {"reason": "  "})
    assert "Enter a reason for signing everyone out" in refused.content.decode()
    assert all(browser.get(ACCOUNT).status_code == 200 for browser in others)

    response = admin.post(url, {"reason": "Shared laptop stolen from the Prevent office"})
    assert response["Location"] == reverse("administration:index")
    assert all(browser.get(ACCOUNT)["Location"].startswith(SIGN_IN) for browser in others)
    assert admin.get(ACCOUNT).status_code == 200
    event = AuditEvent.objects.get(object_type="accounts.session", object_id="all")
    assert event.actor_id == admin.user.pk
    assert event.details == {"everyone_signed_out": True, "sessions_ended": 3,
                             "reason": "Shared laptop stolen from the Prevent office"}


@pytest.mark.parametrize("name", ["administration:sessions-end-all", "administration:user-sessions-end"])
def test_only_system_administrators_end_other_peoples_sessions(staff_client, name):
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    kwargs = {"pk": UserFactory().pk} if name.endswith("user-sessions-end") else {}
    assert coordinator.post(reverse(name, kwargs=kwargs), {"reason": "x"}).status_code == 403
