"""Test helpers for the work trays and the cases API. Everything is fictional."""

from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.channel.models import CaseRole, CaseTeamMember

from .factories import ChannelCaseFactory

TEAM_ROLES = {Role.PANEL_MEMBER: CaseRole.MEMBER, Role.INTERVENTION_PROVIDER: CaseRole.INTERVENTION_PROVIDER}


def case_visible_to(user, **fields):
    """A case `user` may see: panel members and intervention providers are
    put on its team (the other roles see every case, or none)."""
    case = ChannelCaseFactory(**fields)
    role = next((TEAM_ROLES[r] for r in (user.roles if user else ()) if r in TEAM_ROLES), None)
    if role:
        CaseTeamMember.objects.create(case=case, user=user, role=role, added_at=timezone.now(),
                                      added_by=case.opened_by)
    return case
