"""Test data for VAF assessments (slice C). Everything here is obviously fictional."""

from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.channel import assessments as vaf
from prevent_hub.channel.models import Assessment, AssessmentKind, CaseRole, CaseTeamMember

from .factories import ChannelCaseFactory

TEAM_ROLES = {Role.PANEL_MEMBER: CaseRole.MEMBER, Role.INTERVENTION_PROVIDER: CaseRole.INTERVENTION_PROVIDER}


def put_on_team(case, user):
    """Add `user` to the case's team if their role needs it to see the case."""
    for role, case_role in TEAM_ROLES.items():
        if user.has_role(role):
            CaseTeamMember.objects.create(case=case, user=user, role=case_role, added_at=timezone.now(),
                                          added_by=case.opened_by)
            return


def draft_assessment(case, user, *, kind=AssessmentKind.ADOPTION, assessed_on=None):
    """A draft assessment made directly (no audit event)."""
    return Assessment.objects.create(
        case=case, framework=vaf.vaf_framework_current(), kind=kind,
        assessed_on=assessed_on or timezone.localdate(), created_by=user, created_at=timezone.now(),
    )


def fill_assessment(assessment, user, *, evidence="Fictional evidence for a test.", source="Fictional school",
                    judgement="A fictional judgement written for a test.", not_known_keys=()):
    """Fill every factor and dimension of `assessment` through the services."""
    full = vaf.assessment_get(case=assessment.case, pk=assessment.pk)
    for dimension in full.framework.dimensions.all():
        entries = {}
        for factor in dimension.factors.all():
            if factor.key in not_known_keys:
                entries[factor.pk] = {"not_known": True}
            else:
                entries[factor.pk] = {"evidence": f"{evidence} ({factor.key})", "source": source}
        vaf.assessment_factors_save(assessment=full, dimension=dimension, entries=entries, acting_user=user)
        vaf.assessment_judgement_save(assessment=full, dimension=dimension,
                                      judgement=f"{judgement} ({dimension.key})", acting_user=user)
    return full


# URL x role matrix (tests/test_url_role_matrix.py): a record the user may see.


def case_kwargs(user) -> dict:
    case = ChannelCaseFactory()
    put_on_team(case, user)
    return {"pk": case.pk}


def assessment_kwargs(user) -> dict:
    case = ChannelCaseFactory()
    put_on_team(case, user)
    return {"pk": case.pk, "assessment_id": draft_assessment(case, case.opened_by).pk}


def dimension_kwargs(user) -> dict:
    return {**assessment_kwargs(user), "dimension": "engagement"}
