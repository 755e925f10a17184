import pytest

from prevent_hub.access import Action, can, scope
from prevent_hub.access.policy import ANY_SIGNED_IN_USER, ROLE_MATRIX
from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import User
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", Role.values)
def test_each_role_can_exactly_what_the_matrix_says(role):
    user = UserFactory(roles=[role])
    for action in Action:
        expected = action in ANY_SIGNED_IN_USER or role in ROLE_MATRIX[action]
        assert can(user, action) is expected, (role, action)


def test_a_user_with_no_roles_can_only_reach_their_own_account():
    user = UserFactory()
    assert {action for action in Action if can(user, action)} == set(ANY_SIGNED_IN_USER)


def test_deactivated_users_can_do_nothing():
    user = UserFactory(roles=Role.values, is_active=False)
    assert not any(can(user, action) for action in Action)


def test_superuser_flag_grants_nothing():
    user = UserFactory(is_superuser=True, is_staff=True)
    assert not can(user, Action.USERS_MANAGE)
    assert not can(user, Action.DJANGO_ADMIN)


def test_user_scope():
    admin = UserFactory(roles=[Role.SYSTEM_ADMINISTRATOR])
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    everyone = User.objects.all()
    assert set(scope(admin, everyone)) == {admin, coordinator}
    assert list(scope(coordinator, everyone)) == [coordinator]


def test_scope_refuses_models_without_a_rule():
    from prevent_hub.directory.models import Contact

    with pytest.raises(LookupError, match="No access scope"):
        scope(UserFactory(), Contact.objects.all())


@pytest.mark.urls("prevent_hub.access.tests.urls_for_tests")
def test_a_staff_view_that_declares_nothing_is_refused_and_audited(staff_client):
    client = staff_client(*Role.values)
    response = client.get("/staff/undeclared/")
    assert response.status_code == 403
    assert b"should never be seen" not in response.content
    event = AuditEvent.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert event.actor == client.user
    assert event.path == "/staff/undeclared/"
    assert event.details == {"needed": "undeclared", "status": 403}


@pytest.mark.urls("prevent_hub.access.tests.urls_for_tests")
def test_permission_denied_is_audited_with_what_was_needed(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    response = client.get("/staff/auditors-only/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert event.details == {"needed": "audit.search", "status": 403}
    assert event.actor == client.user


@pytest.mark.urls("prevent_hub.access.tests.urls_for_tests")
def test_allowed_role_gets_through(staff_client):
    client = staff_client(Role.AUDITOR)
    assert client.get("/staff/auditors-only/").content == b"audit ok"


@pytest.mark.urls("prevent_hub.access.tests.urls_for_tests")
def test_anonymous_visitors_are_sent_to_sign_in_not_refused(client):
    response = client.get("/staff/undeclared/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    assert not AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).exists()


def test_django_admin_needs_the_system_administrator_role(staff_client):
    assert staff_client(Role.AUDITOR).get("/staff/django-admin/").status_code == 403


def test_django_admin_works_for_a_verified_system_administrator(staff_client):
    client = staff_client(Role.SYSTEM_ADMINISTRATOR)
    response = client.get("/staff/django-admin/")
    assert response.status_code == 200
    assert "Contacts" in response.content.decode()
    assert client.get("/staff/django-admin/directory/contact/").status_code == 200
