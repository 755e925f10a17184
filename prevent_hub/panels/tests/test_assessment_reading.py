"""A panel member invited to discuss a case can read its assessments (the
list, one assessment, the comparison) while they may read the case, and
never write one. Everything here is fictional."""

import pytest
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel import assessments as vaf
from prevent_hub.channel.models import Assessment, AssessmentKind, CaseStatus
from prevent_hub.channel.tests.factories_assessments import draft_assessment, fill_assessment
from prevent_hub.channel.tests.factories_reviews import case_in
from prevent_hub.panels.models import ItemInvitee
from prevent_hub.panels.tests.factories import PanelMeetingFactory, item_add

from .helpers import days

pytestmark = pytest.mark.django_db

ACCESS_DAYS = 14


@pytest.fixture(autouse=True)
def access_days(settings):
    settings.PANEL_CASE_ACCESS_DAYS = ACCESS_DAYS


def _completed(case, *, day_offset, evidence):
    writer = case.opened_by
    assessment = draft_assessment(case, writer, kind=AssessmentKind.REVIEW, assessed_on=days(day_offset))
    fill_assessment(assessment, writer, judgement=f"Fictional judgement {evidence}")
    vaf.assessment_complete(assessment=assessment, acting_user=writer)
    return assessment


def _invite(item, user):
    ItemInvitee.objects.create(item=item, user=user, name=user.full_name, organisation_name="Fictional Trust",
                               invited_at=timezone.now(), invited_by=item.meeting.panel.chair)


def _read_urls(case, assessment):
    return {
        "list": reverse("channel:case-assessments", kwargs={"pk": case.pk}),
        "detail": reverse("channel:assessment-detail",
                          kwargs={"pk": case.pk, "assessment_id": assessment.pk}),
        "compare": reverse("channel:assessment-compare", kwargs={"pk": case.pk}),
    }


def _write_urls(case, assessment):
    kwargs = {"pk": case.pk, "assessment_id": assessment.pk}
    return [reverse("channel:assessment-new", kwargs={"pk": case.pk}),
            reverse("channel:assessment-check", kwargs=kwargs),
            reverse("channel:assessment-edit-factors", kwargs={**kwargs, "dimension": "engagement"}),
            reverse("channel:assessment-edit-judgement", kwargs={**kwargs, "dimension": "engagement"})]


@pytest.fixture
def agenda():
    """A meeting in three days with two cases, each with two completed assessments and a draft."""
    meeting = PanelMeetingFactory(date=days(3))
    cases = [case_in(CaseStatus.SUPPORT) for _ in range(2)]
    items, assessments = [], []
    for case in cases:
        items.append(item_add(meeting, case))
        _completed(case, day_offset=-60, evidence="earlier")
        assessments.append(_completed(case, day_offset=-1, evidence="later"))
        draft_assessment(case, case.opened_by)
    return meeting, cases, items, assessments


def test_an_invited_panel_member_reads_the_assessments_of_their_item(staff_client, agenda):
    meeting, (case, other), (item, _), (assessment, other_assessment) = agenda
    client = staff_client(Role.PANEL_MEMBER)
    _invite(item, client.user)
    pages = {name: client.get(url) for name, url in _read_urls(case, assessment).items()}
    assert {name: page.status_code for name, page in pages.items()} == {"list": 200, "detail": 200,
                                                                      "compare": 200}
    assert "Fictional judgement later" in pages["detail"].content.decode()
    assert "Fictional judgement earlier" in pages["compare"].content.decode()
    # They read, but nothing on the pages invites them to write.
    assert "Start an assessment" not in pages["list"].content.decode()
    draft = Assessment.objects.get(case=case, completed_at__isnull=True)
    draft_page = client.get(reverse("channel:assessment-detail",
                                    kwargs={"pk": case.pk, "assessment_id": draft.pk})).content.decode()
    assert "Check and complete the assessment" not in draft_page
    assert "Change the factors" not in draft_page
    # Reads are audited, against the assessment and the case's list.
    mine = AuditEvent.objects.filter(actor=client.user)
    assert mine.filter(action=AuditAction.VIEW, object_type="channel.assessment",
                       object_id=str(assessment.pk)).exists()
    assert mine.filter(action=AuditAction.SEARCH, object_type="channel.assessment",
                       details__case=case.reference).exists()
    # Not the other item's case: it is not theirs to see at all.
    for url in _read_urls(other, other_assessment).values():
        assert client.get(url).status_code == 404


def test_an_invited_panel_member_cannot_write_an_assessment(staff_client, agenda):
    meeting, (case, _), (item, _), _ = agenda
    client = staff_client(Role.PANEL_MEMBER)
    _invite(item, client.user)
    draft = Assessment.objects.get(case=case, completed_at__isnull=True)
    before = Assessment.objects.count()
    for url in _write_urls(case, draft):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"kind": "review", "assessed_on-day": "1", "assessed_on-month": "1",
                                 "assessed_on-year": "2026", "judgement": "Changed"}).status_code == 403, url
    assert Assessment.objects.count() == before
    # Judgements are encrypted: compared as read, not in SQL.
    assert "Changed" not in [each.judgement for each in Assessment.objects.get(pk=draft.pk).judgements.all()]


def test_a_standing_member_reads_every_item_but_only_until_the_window_closes(staff_client, agenda):
    meeting, cases, _, assessments = agenda
    client = staff_client(Role.PANEL_MEMBER)
    from prevent_hub.panels.tests.factories import member_add

    member_add(meeting.panel, client.user)
    for case, assessment in zip(cases, assessments, strict=True):
        for url in _read_urls(case, assessment).values():
            assert client.get(url).status_code == 200
    meeting.date = days(-ACCESS_DAYS - 1)
    meeting.save(update_fields=["date"])
    for case, assessment in zip(cases, assessments, strict=True):
        for url in _read_urls(case, assessment).values():
            assert client.get(url).status_code == 404


def test_a_panel_member_not_invited_sees_no_assessment(staff_client, agenda):
    _, cases, _, assessments = agenda
    client = staff_client(Role.PANEL_MEMBER)
    for url in _read_urls(cases[0], assessments[0]).values():
        assert client.get(url).status_code == 404
