"""The Channel demo data: a case in every state, each consistent with the lifecycle."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from prevent_hub.accounts.models import User
from prevent_hub.channel import lifecycle, trays
from prevent_hub.channel.models import (
    CaseStatus,
    CaseTransition,
    ChannelCase,
    ChronologyEntry,
    ConsentGiver,
    Review,
    ReviewKind,
)

# The demo's stories (legacy_import's demo adds years of imported cases for the statistics).
STORIES = ChannelCase.objects.filter(referral__imported_at__isnull=True)


@pytest.fixture
def demo(settings, db):
    settings.DEMO_MODE = True
    call_command("load_demo_data")


def test_there_is_a_case_in_every_state(demo):
    statuses = set(STORIES.values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)


def test_every_case_got_where_it_is_by_allowed_moves_each_on_the_timeline(demo):
    for case in STORIES.all():
        status = CaseStatus.SCREENING
        moves = list(CaseTransition.objects.filter(case=case).order_by("occurred_at", "pk"))
        for move in moves:
            assert move.from_status == status and lifecycle.is_allowed(status, move.to_status)
            assert move.occurred_at >= case.opened_at
            status = move.to_status
        assert status == case.status, case.reference
        entries = ChronologyEntry.objects.filter(case=case, object_type="channel.casetransition")
        assert entries.count() == len(moves)


def test_the_story_details_hold_together(demo):
    today = timezone.localdate()
    closed = STORIES.get(status=CaseStatus.CLOSED)
    assert closed.closure_reason and closed.closure_details
    assert all(r.completed_on for r in Review.objects.filter(case=closed, kind=ReviewKind.POST_EXIT))
    not_adopted = STORIES.get(status=CaseStatus.NOT_ADOPTED)
    assert not_adopted.health_social_care_considered is True and not_adopted.not_adopted_outcome
    refused = STORIES.get(status=CaseStatus.CONSENT_REFUSED)
    assert refused.reassessment_date and refused.reassessment_date <= today
    exited = STORIES.get(status=CaseStatus.EXITED)
    months = sorted(Review.objects.filter(case=exited, kind=ReviewKind.POST_EXIT)
                    .values_list("months_after_exit", flat=True))
    assert months == [6, 12]
    child_consent = STORIES.get(status=CaseStatus.CONSENT_SOUGHT).consents.get()
    assert child_consent.giver == ConsentGiver.PARENT_OR_GUARDIAN and not child_consent.answer
    for case in STORIES.filter(status__in=[CaseStatus.SUPPORT, CaseStatus.EXITED]):
        assert case.consents.filter(answer="given", withdrawn_on__isnull=True).exists()
        assert case.sessions.exists() and case.support_plan


def test_the_dashboard_and_the_mentors_tasks_have_work_in_them(demo):
    today = timezone.localdate()
    coordinator = User.objects.get(email="coordinator@demo.shireford.example")
    sections = {s.key: s for s in trays.dashboard_sections(user=coordinator, today=today)}
    assert sections["information-requests"].overdue_count >= 1
    assert sections["consent-unanswered"].count == 1
    assert sections["consent-reassessment"].count == 1
    assert sections["post-exit-reviews"].overdue_count == 1
    assert sections["stalled-support"].count == 1
    mentor = User.objects.get(email="mentor@demo.shireford.example")
    actions = trays.my_tasks(user=mentor, today=today)[0]
    assert actions.count >= 1
