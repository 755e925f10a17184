"""Changing your password while signed in: current password and a second
factor first; this session stays, the others end; audited; an email says so."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from prevent_hub.audit.models import AuditAction, AuditEvent

from .factories import TEST_PASSWORD, UserFactory
from .helpers import code_for, enrol, next_code_for

pytestmark = pytest.mark.django_db
CHANGE = reverse("accounts:password-change")
NEW = "fictional correct horse battery"


@pytest.fixture
def person():
    user = UserFactory(full_name="Sam Changer")
    device, _codes = enrol(user)
    here, elsewhere = Client(), Client()
    sign_in(here, user)
    sign_in(elsewhere, user)
    return user, device, here, elsewhere


def test_changing_your_password_keeps_you_signed_in_here_only(person, django_capture_on_commit_callbacks):
    user, device, here, elsewhere = person
    assert 'href="/staff/account/password/"' in here.get(reverse("accounts:account")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = here.post(CHANGE, {
            "current_password": TEST_PASSWORD, "code": next_code_for(device),
            "new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == reverse("accounts:account")
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert here.get("/staff/").status_code == 200
    assert SESSION_KEY not in elsewhere.session and elsewhere.get("/staff/").status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(user.pk),
                                   details__by_the_user=True)
    assert event.changed_fields == ["password"] and event.details["other_sessions_ended"] == 1
    assert NEW not in str(event.details)
    assert mail.outbox[-1].to == [user.email]
    assert "password of your Prevent Hub account was changed" in mail.outbox[-1].body


@pytest.mark.parametrize(("wrong", "message"), [
    ({"current_password": "not it"}, "Your current password is not right"),
    ({"code": "000000"}, "The security code is not right"),
    ({"current_password": "", "code": ""}, "Enter your current password"),
    ({"new_password2": "something else entirely"}, "match"),
])
def test_nothing_changes_without_the_password_and_the_code(person, wrong, message):
    user, device, here, _elsewhere = person
    data = {"current_password": TEST_PASSWORD, "code": next_code_for(device),
            "new_password1": NEW, "new_password2": NEW, **wrong}
    if wrong.get("code") == "000000" and code_for(device) == "000000":
        data["code"] = "111111"
    response = here.post(CHANGE, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
    assert not mail.outbox
