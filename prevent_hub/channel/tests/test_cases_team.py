"""The case team: who is on it, adding and removing members, and access."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel import services
from prevent_hub.channel.models import CaseRole, CaseTeamMember, ChronologyEntry

from .factories import ChannelCaseFactory

pytestmark = pytest.mark.django_db


def _team(case):
    return reverse("channel:case-team", kwargs={"pk": case.pk})


def test_a_coordinator_adds_a_panel_member_who_then_sees_the_case(staff_client, client):
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    member = UserFactory(roles=[Role.PANEL_MEMBER], full_name="Pat Panelmember")
    response = coordinator.post(_team(case), {"user": member.pk, "role": CaseRole.MEMBER})
    assert response.status_code == 302
    html = coordinator.get(_team(case)).content.decode()
    assert "Pat Panelmember has been added to the case team" in html
    assert member.organisation.name in html and "Panel member" in html
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="channel.caseteammember").exists()
    assert ChronologyEntry.objects.filter(case=case, summary__contains="Pat Panelmember added").exists()


def test_a_member_needs_the_matching_role(staff_client):
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    provider = UserFactory(roles=[Role.INTERVENTION_PROVIDER], full_name="Ivy Provider")
    response = coordinator.post(_team(case), {"user": provider.pk, "role": CaseRole.MEMBER})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ivy Provider does not have the ‘panel member’ role" in html
    assert not CaseTeamMember.objects.exists()


def test_no_one_is_added_twice(django_user_model):
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    case = ChannelCaseFactory()
    member = UserFactory(roles=[Role.PANEL_MEMBER])
    services.case_team_add(case=case, user=member, role=CaseRole.MEMBER, acting_user=coordinator)
    with pytest.raises(ValidationError, match="already on the case team"):
        services.case_team_add(case=case, user=member, role=CaseRole.MEMBER, acting_user=coordinator)


def test_a_removed_member_loses_access_at_once(staff_client):
    member_client = staff_client(Role.PANEL_MEMBER)
    member_user = member_client.user
    case = ChannelCaseFactory()
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    membership = services.case_team_add(case=case, user=member_user, role=CaseRole.MEMBER,
                                        acting_user=coordinator)
    detail = reverse("channel:case-detail", kwargs={"pk": case.pk})
    assert member_client.get(detail).status_code == 200
    services.case_team_remove(member=membership, acting_user=coordinator)
    assert member_client.get(detail).status_code == 404
    assert member_client.get(reverse("channel:case-timeline", kwargs={"pk": case.pk})).status_code == 404
    membership.refresh_from_db()
    assert membership.removed_by == coordinator and membership.removed_at is not None


def test_removing_through_the_page(staff_client):
    coordinator = staff_client(Role.CHANNEL_CHAIR)
    case = ChannelCaseFactory()
    member = UserFactory(roles=[Role.PANEL_MEMBER], full_name="Pat Panelmember")
    membership = services.case_team_add(case=case, user=member, role=CaseRole.MEMBER,
                                        acting_user=coordinator.user)
    url = reverse("channel:case-team-remove", kwargs={"pk": case.pk, "member_pk": membership.pk})
    assert "will no longer be able to see this case" in coordinator.get(url).content.decode()
    assert coordinator.post(url).status_code == 302
    html = coordinator.get(_team(case)).content.decode()
    assert "Former team members (1)" in html
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="channel.caseteammember").exists()


def test_a_panel_member_sees_the_team_but_cannot_change_it(staff_client):
    client = staff_client(Role.PANEL_MEMBER)
    case = ChannelCaseFactory()
    CaseTeamMember.objects.create(case=case, user=client.user, role=CaseRole.MEMBER,
                                  added_at=case.opened_at, added_by=case.opened_by)
    html = client.get(_team(case)).content.decode()
    assert client.user.full_name in html
    assert "Add someone to the team" not in html
    other = UserFactory(roles=[Role.PANEL_MEMBER])
    assert client.post(_team(case), {"user": other.pk, "role": CaseRole.MEMBER}).status_code == 403
    assert CaseTeamMember.objects.count() == 1
