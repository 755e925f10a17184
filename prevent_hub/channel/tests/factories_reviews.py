"""Test helpers for reviews, exit and transfer (and the URL × role matrix).
Everything here is fictional."""

import datetime

from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.channel.models import CaseRole, CaseStatus, CaseTeamMember, Review, ReviewKind

from .factories import ChannelCaseFactory

TEAM_ROLES = {Role.PANEL_MEMBER: CaseRole.MEMBER, Role.INTERVENTION_PROVIDER: CaseRole.INTERVENTION_PROVIDER}


def case_in(status=CaseStatus.SUPPORT, *, user=None, **fields):
    """A case in `status` (made directly, as if it had got there), visible to
    `user`: panel members and intervention providers are put on its team."""
    today = timezone.localdate()
    if status in (CaseStatus.SUPPORT, CaseStatus.EXITED):
        fields.setdefault("support_started_on", today - datetime.timedelta(days=90))
    if status == CaseStatus.EXITED:
        fields.setdefault("exit_date", today - datetime.timedelta(days=30))
    # Opened by a chair, so the only Prevent coordinators are those a test makes.
    fields.setdefault("opened_by", UserFactory(roles=[Role.CHANNEL_CHAIR]))
    case = ChannelCaseFactory(status=status, **fields)
    case.opened_at = timezone.now() - datetime.timedelta(days=200)
    case.save(update_fields=["opened_at"])
    role = next((TEAM_ROLES[r] for r in (user.roles if user else ()) if r in TEAM_ROLES), None)
    if role:
        CaseTeamMember.objects.create(case=case, user=user, role=role, added_at=timezone.now(),
                                      added_by=case.opened_by)
    return case


def exit_assessment(case, *, assessed_on=None):
    """A completed exit assessment (the VAF at exit), made directly: the
    panel decides exit only on one."""
    from prevent_hub.channel.models import Assessment, AssessmentKind
    from prevent_hub.channel.tests.factories_assessments import draft_assessment

    assessment = draft_assessment(case, case.opened_by, kind=AssessmentKind.EXIT, assessed_on=assessed_on)
    Assessment.objects.filter(pk=assessment.pk).update(completed_at=timezone.now())
    return assessment


def post_exit_review(case, months=6, **fields):
    fields.setdefault("due_date", timezone.localdate() + datetime.timedelta(days=30 * months))
    return Review.objects.create(case=case, kind=ReviewKind.POST_EXIT, months_after_exit=months, **fields)


# URL × role matrix -------------------------------------------------------------


def case_kwargs(user=None) -> dict:
    return {"pk": case_in(CaseStatus.SUPPORT, user=user).pk}


def bundle_kwargs(user=None) -> dict:
    return {"pk": case_in(CaseStatus.SUPPORT, user=user).pk, "format": "html"}
