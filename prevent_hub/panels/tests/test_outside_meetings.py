"""One path for the panel's decisions: a decision taken outside a meeting is
the only way round a meeting, it is the chair's (named, with the members
consulted and the reasons), and the next meeting reviews it. Also: a decision
does what it says, and leaves nothing due that cannot happen."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel import trays
from prevent_hub.channel.consent import consent_withdraw
from prevent_hub.channel.models import CaseStatus, ChronologyEntry, Consent, ConsentAnswer, Review, ReviewKind
from prevent_hub.channel.tests.factories import area_named
from prevent_hub.channel.tests.factories_consent_support import ConsentFactory
from prevent_hub.channel.tests.factories_reviews import case_in, exit_assessment
from prevent_hub.core.formatting import govuk_date
from prevent_hub.panels import agenda
from prevent_hub.panels.decisions import decisions_for, outside_decision_record
from prevent_hub.panels.models import (
    AgendaReason,
    ItemDecision,
    OutsideMeetingDecision,
    OutsideMeetingKind,
)
from prevent_hub.panels.tests.factories import (
    PanelFactory,
    PanelMeetingFactory,
    item_add,
    member_add,
    police_present,
)

from .helpers import days, decide

pytestmark = pytest.mark.django_db
D = ItemDecision


@pytest.fixture
def panel():
    panel = PanelFactory(area=area_named("Fictional Shire"))
    panel.chair.full_name = "Cleo Fictional-Chair"
    panel.chair.save()
    return panel


@pytest.fixture
def police():
    return UserFactory(roles=[Role.POLICE_PRACTITIONER], full_name="PC Fictional Officer")


@pytest.fixture
def member():
    return UserFactory(roles=[Role.PANEL_MEMBER], full_name="Morgan Fictional-Member")


def _record(panel, case, consulted, **overrides):
    fields = dict(panel=panel, case=case, kind=OutsideMeetingKind.URGENT_CHAIR, decision=D.ADOPT,
                  decided_on=days(0), consulted=consulted,
                  why_not_at_meeting="Fictional: the next meeting is five weeks away and the school term "
                                     "ends on Friday.",
                  reasons="Fictional: the assessment shows support is needed now.", acting_user=panel.chair)
    fields.update(overrides)
    return outside_decision_record(**fields)


def test_the_chair_adopts_a_case_outside_a_meeting_and_the_next_meeting_reviews_it(panel, police, member):
    case = case_in(CaseStatus.AWAITING_PANEL, area=panel.area)
    record = _record(panel, case, [police, member])
    case.refresh_from_db()
    assert (case.status, case.adopted_on) == (CaseStatus.ADOPTED, days(0))
    assert record.chair == panel.chair and set(record.consulted.all()) == {police, member}
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="panels.outsidemeetingdecision",
                                     object_id=str(record.pk)).exists()
    entry = ChronologyEntry.objects.get(case=case, object_type="panels.outsidemeetingdecision")
    assert "urgent decision of the chair, Cleo Fictional-Chair" in entry.summary
    # The panel's next meeting brings it in for review, whatever the case's area.
    meeting = PanelMeetingFactory(panel=panel, date=days(3))
    [item] = agenda.agenda_build(meeting=meeting, acting_user=panel.chair)
    assert (item.case_id, item.reason, item.outside_decision_id) == (
        case.pk, AgendaReason.OUTSIDE_MEETING_REVIEW, record.pk)
    # Not again on a later meeting's agenda once it is on one.
    later = PanelMeetingFactory(panel=panel, date=days(30))
    assert agenda.agenda_build(meeting=later, acting_user=panel.chair) == []


def test_reviewing_it_at_the_meeting_is_minuted_and_shown(panel, police, member, staff_client):
    case = case_in(CaseStatus.AWAITING_PANEL)
    record = _record(panel, case, [police])
    meeting = PanelMeetingFactory(panel=panel, date=days(0))
    [item] = agenda.agenda_build(meeting=meeting, acting_user=panel.chair)
    police_present(meeting)
    assert [choice for choice in decisions_for(item)] == [D.NOTED]  # the case is adopted: the panel notes it
    item = decide(item, D.NOTED, reasons="Fictional: the panel endorses the chair's decision.")
    assert item.minute.startswith(f"Review of the decision taken outside a meeting on {govuk_date(days(0))} "
                                  "(urgent decision of the chair, Cleo Fictional-Chair): Adopt as a Channel "
                                  "case.")
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    page = coordinator.get(reverse("panels:outside-decision", kwargs={"pk": record.pk})).content.decode()
    assert f"Reviewed at the meeting on {govuk_date(days(0))}" in page
    assert "PC Fictional Officer" in page and "the school term ends on Friday" in page


def test_only_the_panels_chair_takes_it_with_the_police_consulted(panel, police, member):
    case = case_in(CaseStatus.AWAITING_PANEL)
    before = (OutsideMeetingDecision.objects.count(), AuditEvent.objects.count())
    other_chair = UserFactory(roles=[Role.CHANNEL_CHAIR])
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    for who in (other_chair, coordinator):
        with pytest.raises(ValidationError) as error:
            _record(panel, case, [police], acting_user=who)
        assert "Only the chair or a deputy chair" in error.value.message_dict["panel"][0]
    with pytest.raises(ValidationError) as error:
        _record(panel, case, [member])
    assert "Consult a police representative" in error.value.message_dict["consulted"][0]
    with pytest.raises(ValidationError) as error:
        _record(panel, case, [], why_not_at_meeting=" ", reasons="", decided_on=days(1), kind="vote")
    assert set(error.value.message_dict) == {"consulted", "why_not_at_meeting", "reasons", "decided_on",
                                             "kind"}
    # Only what fits the case, and nothing that only notes or needs the panel's actions.
    for decision in (D.EXIT, D.NOTED, D.MORE_INFORMATION, "anything"):
        with pytest.raises(ValidationError) as error:
            _record(panel, case, [police], decision=decision)
        assert "Outside a meeting: ‘adopt as a channel case’, ‘not adopt’" in error.value.message_dict[
            "decision"][0]
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_PANEL
    assert (OutsideMeetingDecision.objects.count(), AuditEvent.objects.count()) == before


def test_exit_outside_a_meeting_also_needs_the_exit_assessment(panel, police):
    case = case_in(CaseStatus.SUPPORT)
    with pytest.raises(ValidationError) as error:
        _record(panel, case, [police], decision=D.EXIT)
    assert "Complete an exit assessment" in error.value.message_dict["decision"][0]
    assert not OutsideMeetingDecision.objects.exists()
    exit_assessment(case)
    _record(panel, case, [police], decision=D.EXIT)
    case.refresh_from_db()
    assert (case.status, case.exit_date) == (CaseStatus.EXITED, days(0))


def test_a_chair_records_one_from_the_case_page(panel, police, member):
    client = Client()
    sign_in(client, panel.chair)
    case = case_in(CaseStatus.AWAITING_PANEL)
    url = reverse("panels:outside-decision-new", kwargs={"case_pk": case.pk})
    assert url in client.get(reverse("channel:case-detail", kwargs={"pk": case.pk})).content.decode()
    form = client.get(url).content.decode()
    assert "PC Fictional Officer" in form and "Adopt as a Channel case" in form
    today = timezone.localdate()
    typed = {"panel": panel.pk, "kind": OutsideMeetingKind.WRITTEN_PROCEDURE, "decision": D.ADOPT,
             "decided_on-day": today.day, "decided_on-month": today.month, "decided_on-year": today.year,
             "consulted": [member.pk], "why_not_at_meeting": "Fictional: typed before the error.",
             "reasons": "<script>alert(1)</script> Fictional reasons."}
    response = client.post(url, typed)
    html = response.content.decode()
    assert response.status_code == 200 and "Consult a police representative" in html
    assert "Fictional: typed before the error." in html and "<script>alert(1)</script>" not in html
    assert not OutsideMeetingDecision.objects.exists()
    response = client.post(url, {**typed, "consulted": [member.pk, police.pk]})
    record = OutsideMeetingDecision.objects.get()
    assert response.status_code == 302 and response.url == reverse("panels:outside-decision",
                                                                   kwargs={"pk": record.pk})
    listing = client.get(reverse("panels:outside-decisions")).content.decode()
    assert case.reference in listing and "Awaiting review at the panel&#x27;s next meeting" in listing
    # A second submit of the same form is refused: the case has moved on.
    again = client.post(url, {**typed, "consulted": [member.pk, police.pk]})
    assert again.status_code == 200 and OutsideMeetingDecision.objects.count() == 1


def test_coordinators_cannot_take_a_decision_outside_a_meeting(staff_client, panel):
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    case = case_in(CaseStatus.AWAITING_PANEL)
    url = reverse("panels:outside-decision-new", kwargs={"case_pk": case.pk})
    assert url not in coordinator.get(reverse("channel:case-detail", kwargs={"pk": case.pk})).content.decode()
    assert coordinator.get(url).status_code == 403
    assert coordinator.post(url, {"decision": D.ADOPT}).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_PANEL


# A decision does what it says ------------------------------------------------------------


def test_a_review_due_item_is_decided_with_what_the_review_found(panel, police):
    meeting = PanelMeetingFactory(panel=panel, date=days(-1))
    case = case_in(CaseStatus.SUPPORT, next_review_date=days(-3))
    due = Review.objects.create(case=case, kind=ReviewKind.PANEL_REVIEW, due_date=days(-3))
    [item] = agenda.agenda_build(meeting=meeting, acting_user=panel.chair)
    assert item.reason == AgendaReason.REVIEW_DUE
    assert D.NOTED not in decisions_for(item)
    police_present(meeting)
    decide(item, D.CONTINUE_SUPPORT)
    due.refresh_from_db()
    case.refresh_from_db()
    assert due.completed_on == meeting.date
    assert case.next_review_date == meeting.date + datetime.timedelta(days=28)
    # Nothing is left due on the coordinator's dashboard.
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    sections = {s.key: s for s in trays.dashboard_sections(user=coordinator, today=days(0))}
    assert case.pk not in sections["panel-reviews"].rows.values_list("pk", flat=True)


def test_a_case_the_chair_adds_comes_for_what_it_needs(panel):
    meeting = PanelMeetingFactory(panel=panel, date=days(2))
    elsewhere = area_named("Fictional Elsewhere")
    waiting = case_in(CaseStatus.AWAITING_PANEL, area=elsewhere)
    refused = case_in(CaseStatus.CONSENT_REFUSED, area=elsewhere, reassessment_date=days(1))
    adopted = case_in(CaseStatus.ADOPTED)
    reasons = [agenda.agenda_item_add(meeting=meeting, case=case, acting_user=panel.chair).reason
               for case in (waiting, refused, adopted)]
    # Cases of another area, or not needing the panel, are simply added.
    assert reasons == [AgendaReason.ADDED_BY_CHAIR] * 3
    own = case_in(CaseStatus.AWAITING_PANEL, area=panel.area)
    assert agenda.agenda_item_add(meeting=meeting, case=own, acting_user=panel.chair).reason == \
        AgendaReason.AWAITING_DECISION


def test_seeking_consent_again_and_withdrawal_leave_nothing_booked(panel, police):
    meeting = PanelMeetingFactory(panel=panel, date=days(0))
    police_present(meeting)
    refused = case_in(CaseStatus.CONSENT_REFUSED, reassessment_date=days(0))
    decide(item_add(meeting, refused, reason=AgendaReason.REASSESSMENT_DUE), D.SEEK_CONSENT_AGAIN)
    refused.refresh_from_db()
    assert (refused.status, refused.reassessment_date, refused.next_review_date) == (
        CaseStatus.CONSENT_SOUGHT, None, None)
    assert not refused.reviews.filter(completed_on__isnull=True).exists()

    supported = case_in(CaseStatus.SUPPORT, next_review_date=days(10))
    Review.objects.create(case=supported, kind=ReviewKind.PANEL_REVIEW, due_date=days(10))
    given = ConsentFactory(case=supported, answer=ConsentAnswer.GIVEN, answered_on=days(-60))
    consent_withdraw(consent=Consent.objects.get(pk=given.pk), withdrawn_on=days(0),
                     reassessment_date=days(90), acting_user=panel.chair)
    supported.refresh_from_db()
    assert (supported.status, supported.next_review_date, supported.reassessment_date) == (
        CaseStatus.CONSENT_REFUSED, None, days(90))
    assert not supported.reviews.filter(completed_on__isnull=True).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_type="channel.review").exists()


def test_written_procedure_records_the_standing_members_consulted(panel, police, member):
    member_add(panel, member)
    case = case_in(CaseStatus.AWAITING_PANEL)
    with pytest.raises(ValidationError) as error:
        _record(panel, case, [None])
    assert error.value.message_dict["consulted"] == ["Select the panel members consulted"]
    record = _record(panel, case, [police, member], kind=OutsideMeetingKind.WRITTEN_PROCEDURE)
    assert record.get_kind_display() == "Written procedure"
