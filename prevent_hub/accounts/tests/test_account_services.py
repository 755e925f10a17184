import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from prevent_hub.access.roles import Role
from prevent_hub.accounts import services
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_an_administrator_cannot_remove_their_own_administrator_role():
    admin = UserFactory(roles=[Role.SYSTEM_ADMINISTRATOR])
    with pytest.raises(ValueError, match="own system administrator role"):
        services.user_roles_set(acting_user=admin, user=admin, roles=[Role.AUDITOR])
    assert admin.role_assignments.get().role == Role.SYSTEM_ADMINISTRATOR


def test_an_administrator_cannot_reset_their_own_second_factor():
    admin = UserFactory(roles=[Role.SYSTEM_ADMINISTRATOR])
    with pytest.raises(ValueError, match="own second factor"):
        services.user_second_factor_reset(acting_user=admin, user=admin, identity_check="in_person",
                                          identity_check_details="Checked my own pass")


@pytest.mark.parametrize(("check", "details"), [("", "Called back"), ("called_back", "  "),
                                                  ("they sounded right", "Called back")])
def test_a_second_factor_reset_needs_a_record_of_the_identity_check(check, details):
    admin = UserFactory(roles=[Role.SYSTEM_ADMINISTRATOR])
    user = UserFactory()
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    with pytest.raises(ValueError, match="how you confirmed who asked"):
        services.user_second_factor_reset(acting_user=admin, user=user, identity_check=check,
                                          identity_check_details=details)
    assert TOTPDevice.objects.filter(user=user).exists()


def test_role_changes_record_which_roles_not_who_they_are():
    admin = UserFactory(roles=[Role.SYSTEM_ADMINISTRATOR])
    user = UserFactory(roles=[Role.PANEL_MEMBER])
    services.user_roles_set(acting_user=admin, user=user, roles=[Role.PREVENT_COORDINATOR])
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(user.pk))
    assert event.changed_fields == ["roles"]
    assert event.details == {"added": [Role.PREVENT_COORDINATOR], "removed": [Role.PANEL_MEMBER]}
    assert user.roles == {Role.PREVENT_COORDINATOR}
