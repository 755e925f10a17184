"""What the panel reads about each case on the item page and in the agenda
pack (print page and PDF): the referral and the concern, the latest
completed assessment's judgements, the support plan so far and the last
review; who sees what; the audit trail; a fixed number of queries however
long a case's history. Everyone here is fictional."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel import assessments as vaf
from prevent_hub.channel.models import (
    AssessmentKind,
    CaseStatus,
    DimensionJudgement,
    FactorEvidence,
    Review,
    ReviewKind,
    SessionStatus,
    SupportSession,
)
from prevent_hub.channel.tests.factories import area_named
from prevent_hub.channel.tests.factories_assessments import draft_assessment
from prevent_hub.channel.tests.factories_consent_support import action_for, plan_for, provider_for
from prevent_hub.channel.tests.factories_reviews import case_in
from prevent_hub.panels.models import ItemInvitee
from prevent_hub.panels.tests.factories import PanelMeetingFactory, item_add, member_add

from .helpers import days

pytestmark = pytest.mark.django_db

LONG_CONCERN = ("Fictional concern sentence for a test. " * 40).strip()


def _history(case, n, *, owner):
    """`n` completed assessments, actions, sessions (delivered and missed) and reviews."""
    writer = case.opened_by
    dimensions = list(vaf.vaf_framework_current().dimensions.prefetch_related("factors"))
    for index in range(n):
        # Made directly, as if completed: the services are tested with the assessments.
        assessment = draft_assessment(case, writer, kind=AssessmentKind.REVIEW,
                                      assessed_on=days(-100 + index))
        for dimension in dimensions:
            FactorEvidence.objects.create(assessment=assessment, factor=dimension.factors.all()[0],
                                          evidence=f"Secret-evidence-{index}", source="Fictional school")
            DimensionJudgement.objects.create(assessment=assessment, dimension=dimension, author=writer,
                                              judgement=f"Judgement number {index} ({dimension.key})",
                                              written_at=timezone.now())
        assessment.completed_at = timezone.now()
        assessment.save(update_fields=["completed_at"])
    plan = plan_for(case)
    provider = provider_for(plan, organisation=OrganisationFactory(name="Fictional Mentoring Ltd",
                                                                   type=OrganisationType.INTERVENTION_PROVIDER),
                            home_office_approved=True)
    for index in range(n):
        action = action_for(case, owner=owner, description=f"Fictional action {index}", due_in_days=index)
        if index % 2:
            action.done_on = days(-1)
            action.save(update_fields=["done_on"])
        SupportSession.objects.create(
            case=case, provider=provider, held_on=days(-50 + index),
            status=SessionStatus.DELIVERED if index % 2 == 0 else SessionStatus.MISSED,
            recorded_by=writer, recorded_at=timezone.now())
        Review.objects.create(case=case, kind=ReviewKind.PANEL_REVIEW, due_date=days(-60 + index),
                              completed_on=days(-60 + index), outcome=f"Review outcome {index}")


@pytest.fixture
def meeting():
    return PanelMeetingFactory(date=days(2))


@pytest.fixture
def owner():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR], full_name="Olive Owner")


@pytest.fixture
def briefed(meeting, owner):
    case = case_in(CaseStatus.SUPPORT)
    case.referral.concern_description = LONG_CONCERN
    case.referral.concern_prompts = ["online_activity"]
    case.referral.save()
    _history(case, 3, owner=owner)
    return item_add(meeting, case)


def _item_url(item):
    return reverse("panels:item", kwargs={"pk": item.meeting_id, "item_pk": item.pk})


def test_the_item_page_briefs_the_panel_on_the_case(staff_client, briefed):
    client = staff_client(Role.CHANNEL_CHAIR)
    body = client.get(_item_url(briefed)).content.decode()
    case = briefed.case
    # The referral: reference, when, who referred (sector and organisation, no name), the concern, shortened.
    assert case.referral.reference in body
    assert "Designated safeguarding lead, Shireford Test Academy" in body
    assert case.referral.referrer_name not in body and case.referral.referrer_email not in body
    assert "Online activity" in body
    assert LONG_CONCERN[:300] in body and LONG_CONCERN not in body
    assert "Shortened here" in body
    # The latest completed assessment: each dimension's judgement, its author; no evidence, no score.
    assert "Judgement number 2 (engagement)" in body and "Judgement number 1" not in body
    assert "Secret-evidence" not in body
    latest = case.assessments.order_by("-assessed_on").first()
    assert reverse("channel:assessment-detail", kwargs={"pk": case.pk, "assessment_id": latest.pk}) in body
    # The plan: providers, every action with owner, due and done, session counts; the last review.
    assert "Fictional Mentoring Ltd: Mentoring (Home Office-approved Intervention Provider)" in body
    assert "Fictional action 0 — Olive Owner" in body and "Fictional action 1 — Olive Owner" in body
    assert "2 held, 1 missed" in body
    assert "Review outcome 2" in body and "Review outcome 1" not in body


def test_the_item_page_is_titled_by_case_and_meeting(staff_client, briefed, meeting):
    client = staff_client(Role.CHANNEL_CHAIR)
    meeting.panel.chair = client.user
    meeting.panel.save()
    expected = f"{briefed.case.reference} — {meeting.panel.name}, "
    pages = {
        "item": _item_url(briefed),
        "decide": reverse("panels:item-decide", kwargs={"pk": meeting.pk, "item_pk": briefed.pk}),
        "invite": reverse("panels:item-invite", kwargs={"pk": meeting.pk, "item_pk": briefed.pk}),
        "minute": reverse("panels:item-minute", kwargs={"pk": meeting.pk, "item_pk": briefed.pk}),
        "area": reverse("panels:item-area", kwargs={"pk": meeting.pk, "item_pk": briefed.pk}),
    }
    for name, url in pages.items():
        body = client.get(url).content.decode()
        title = body.split("<title>")[1].split("</title>")[0]
        assert expected in title, (name, title)
        assert "Item 1 –" not in title


def test_an_invited_panel_member_sees_their_item_and_not_the_other(staff_client, meeting, briefed):
    other = item_add(meeting, case_in(CaseStatus.SUPPORT))
    client = staff_client(Role.PANEL_MEMBER)
    ItemInvitee.objects.create(item=briefed, user=client.user, name=client.user.full_name,
                               organisation_name="Fictional Trust", invited_at=timezone.now(),
                               invited_by=meeting.panel.chair)
    body = client.get(_item_url(briefed)).content.decode()
    assert "Judgement number 2 (engagement)" in body and briefed.case.referral.reference in body
    assert client.get(_item_url(other)).status_code == 404
    pack = client.get(reverse("panels:agenda-pack", kwargs={"pk": meeting.pk})).content.decode()
    assert briefed.case.referral.reference in pack
    assert other.case.referral.reference not in pack and other.case.reference not in pack


def test_an_intervention_provider_gets_no_pack_or_item(staff_client, meeting, briefed):
    client = staff_client(Role.INTERVENTION_PROVIDER)
    assert client.get(_item_url(briefed)).status_code == 403
    assert client.get(reverse("panels:agenda-pack", kwargs={"pk": meeting.pk})).status_code == 403


def test_a_reader_who_may_not_read_the_record_gets_no_referral_or_assessment(briefed, owner):
    """The rules applied to a reader without CASE_CHRONOLOGY (as on the case
    pages, where such a reader sees neither) and without SUPPORT_ACTIONS_ALL."""
    from prevent_hub.panels.pack import Reader, item_briefing
    from prevent_hub.panels.selectors import meeting_items

    item = meeting_items(meeting=briefed.meeting, user=owner, detail=True)[0]
    briefing = item_briefing(item, Reader(user=owner, reads_record=False, sees_all_actions=False))
    assert briefing["referral"] is None and briefing["assessment"] is None
    assert "referral" not in briefing["shown"] and "assessment" not in briefing["shown"]
    assert {action["description"] for action in briefing["plan"]["actions"]} == {
        f"Fictional action {index}" for index in range(3)}  # the owner's own
    stranger = UserFactory(roles=[Role.PANEL_MEMBER])
    theirs = item_briefing(item, Reader(user=stranger, reads_record=False, sees_all_actions=False))
    assert theirs["plan"]["actions"] == [] and theirs["plan"]["only_own_actions"]


def test_item_page_and_pack_reads_name_what_they_showed(staff_client, meeting, briefed):
    client = staff_client(Role.CHANNEL_CHAIR)
    client.get(_item_url(briefed))
    case = briefed.case
    event = AuditEvent.objects.get(actor=client.user, action=AuditAction.VIEW,
                                   object_type="channel.channelcase", object_id=str(case.pk))
    latest = case.assessments.order_by("-assessed_on").first()
    assert event.details["referral"] == case.referral.reference
    assert event.details["assessment"] == latest.pk
    assert event.details["support_plan"] == case.support_plan.pk
    assert sorted(event.details["plan_actions"]) == sorted(case.plan_actions.values_list("pk", flat=True))
    assert event.details["review"] == case.reviews.order_by("-completed_on").first().pk
    for name, action in (("panels:agenda-pack", AuditAction.VIEW),
                         ("panels:agenda-pack-pdf", AuditAction.DOWNLOAD)):
        client.get(reverse(name, kwargs={"pk": meeting.pk}))
        event = AuditEvent.objects.get(actor=client.user, action=action, object_type="panels.panelmeeting",
                                       object_id=str(meeting.pk))
        assert event.details["items_shown"] == 1
        [shown] = event.details["cases"]
        assert shown["case"] == case.reference and shown["referral"] == case.referral.reference
        assert shown["assessment"] == latest.pk and shown["support_plan"] == case.support_plan.pk


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["panels:item", "panels:agenda-pack", "panels:agenda-pack-pdf"])
def test_the_item_page_and_pack_take_a_fixed_number_of_queries(staff_client, owner, page,
                                                                django_assert_num_queries):
    client = staff_client(Role.PANEL_MEMBER)
    urls = []
    # More history and more items, each case in an area of its own.
    for history, count in ((1, 2), (20, 5)):
        meeting = PanelMeetingFactory(date=days(1))
        member_add(meeting.panel, client.user)
        cases = [case_in(CaseStatus.SUPPORT, area=area_named(f"Fictional Area {history}-{n}"))
                 for n in range(count)]
        for case in cases:
            _history(case, history, owner=owner)
        items = [item_add(meeting, case) for case in cases]
        urls.append(reverse(page, kwargs={"pk": meeting.pk, **({"item_pk": items[0].pk}
                                                               if page == "panels:item" else {})}))
    short_history = _queries(client, urls[0])
    with django_assert_num_queries(short_history):
        client.get(urls[1])


def test_the_concern_is_shortened_at_a_word():
    from prevent_hub.panels.pack import shorten

    text, cut = shorten("word " * 400, limit=50)
    assert cut and text.endswith("word…") and len(text) <= 51
    assert shorten("Short.\n\n\n\nStill short.") == ("Short.\n\nStill short.", False)


def test_a_case_with_nothing_yet_says_so(staff_client, meeting):
    item = item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    client = staff_client(Role.CHANNEL_CHAIR)
    body = client.get(_item_url(item)).content.decode()
    assert "No assessment of this case has been completed yet." in body
    assert "No support plan yet" in body and "No review has been completed yet." in body
    assert datetime.date.today().year  # the page rendered
