"""The case overview, its sub-navigation and the lifecycle decision pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel import lifecycle
from prevent_hub.channel.models import (
    CaseStatus,
    CaseTransition,
    ChannelCase,
    Consent,
    ConsentAnswer,
    ConsentGiver,
    ConsentMethod,
)

from .factories import ChannelCaseFactory, InformationRequestFactory, team_member_add

pytestmark = pytest.mark.django_db


def _detail(case):
    return reverse("channel:case-detail", kwargs={"pk": case.pk})


def _decision(case, slug):
    return reverse("channel:case-decision", kwargs={"pk": case.pk, "decision": slug})


def test_the_overview_shows_key_facts_next_steps_and_history(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory(status=CaseStatus.AWAITING_PANEL)
    CaseTransition.objects.create(case=case, from_status=CaseStatus.SCREENING,
                                  to_status=CaseStatus.AWAITING_PANEL, occurred_at=timezone.now(),
                                  by=client.user, reasons="Screening finished (fictional)")
    InformationRequestFactory(case=case, due_date=timezone.localdate() - timezone.timedelta(days=1))
    html = client.get(_detail(case)).content.decode()
    assert 'govuk-tag--yellow">Awaiting panel decision<' in html
    assert "Not asked" in html  # consent
    assert "1 overdue" in html
    for slug in ("return-to-screening", "close"):
        assert _decision(case, slug) in html
    # Adoption is the panel's decision, at a meeting: the case page does not offer it.
    for slug in ("send-to-panel", "adopt", "not-adopted"):
        assert _decision(case, slug) not in html
    assert "The panel decides whether to adopt the case" in html
    assert "Screening finished (fictional)" in html
    assert client.user.full_name in html
    # The sub-navigation lists the sections the coordinator may open.
    for name in ("case-timeline", "case-information-requests", "case-notes", "case-team"):
        assert reverse(f"channel:{name}", kwargs={"pk": case.pk}) in html
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="channel.channelcase",
                                     object_id=str(case.pk)).exists()


def test_consent_status_is_read_from_the_consent_records(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory(status=CaseStatus.CONSENT_GIVEN)
    Consent.objects.create(case=case, giver=ConsentGiver.PERSON, giver_name="Testina Example",
                           asked_by=client.user, method=ConsentMethod.IN_PERSON,
                           asked_on=timezone.localdate(),
                           answer=ConsentAnswer.GIVEN, answered_on=timezone.localdate(),
                           recorded_by=client.user, recorded_at=timezone.now())
    html = client.get(_detail(case)).content.decode()
    assert ">Given<" in "".join(part.strip() for part in html.splitlines())


def test_an_intervention_provider_sees_only_the_overview_parts_they_need(staff_client):
    client = staff_client(Role.INTERVENTION_PROVIDER)
    case = ChannelCaseFactory(status=CaseStatus.SUPPORT)
    team_member_add(case, client.user)
    CaseTransition.objects.create(case=case, from_status=CaseStatus.CONSENT_GIVEN,
                                  to_status=CaseStatus.SUPPORT, occurred_at=timezone.now(),
                                  by=case.opened_by, reasons="Secret panel reasons")
    html = client.get(_detail(case)).content.decode()
    assert case.person.full_name in html
    assert "Consent given" in html
    assert case.referral.reference not in html
    assert "Secret panel reasons" not in html
    assert "Status history" not in html
    for name in ("case-timeline", "case-information-requests", "case-team"):
        assert reverse(f"channel:{name}", kwargs={"pk": case.pk}) not in html
    assert reverse("channel:case-notes", kwargs={"pk": case.pk}) in html
    assert "What can happen next" not in html


@pytest.mark.parametrize("name", ["case-timeline", "case-information-requests", "case-team",
                                  "case-information-request-add", "case-document-add"])
def test_an_intervention_provider_on_the_team_is_refused_the_other_sections(staff_client, name):
    client = staff_client(Role.INTERVENTION_PROVIDER)
    case = ChannelCaseFactory()
    team_member_add(case, client.user)
    assert client.get(reverse(f"channel:{name}", kwargs={"pk": case.pk})).status_code == 403


def test_sending_a_case_to_the_panel_through_its_page(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    page = client.get(_decision(case, "send-to-panel"))
    assert "Why is the case ready for the panel?" in page.content.decode()
    response = client.post(_decision(case, "send-to-panel"), {"reasons": "Screening complete (fictional)"})
    assert response.status_code == 302 and response["Location"] == _detail(case)
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_PANEL
    html = client.get(_detail(case)).content.decode()
    assert "The case is now ‘Awaiting panel decision’" in html


def test_a_decision_with_errors_keeps_what_was_typed(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory(status=CaseStatus.SUPPORT)
    response = client.post(_decision(case, "close"), {"reason": "", "details": "Typed reasons (fictional)"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Select why the case is closing" in html
    assert "Typed reasons (fictional)" in html
    assert ChannelCase.objects.get(pk=case.pk).status == CaseStatus.SUPPORT


@pytest.mark.parametrize("role", [Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR])
@pytest.mark.parametrize("slug", ["adopt", "not-adopted"])
def test_no_one_records_adoption_from_the_case_page(staff_client, role, slug):
    client = staff_client(role)
    case = ChannelCaseFactory(status=CaseStatus.AWAITING_PANEL)
    today = timezone.localdate()
    assert client.get(_decision(case, slug)).status_code == 404
    response = client.post(_decision(case, slug), {
        "adopted_on-day": today.day, "adopted_on-month": today.month, "adopted_on-year": today.year,
        "outcome": "signposted", "signposted_to": "Fictional service", "health_social_care_considered": "on",
        "health_social_care_notes": "Fictional", "reasons": "Panel agreed (fictional)"})
    assert response.status_code == 404
    assert ChannelCase.objects.get(pk=case.pk).status == CaseStatus.AWAITING_PANEL


def test_an_illegal_move_shows_the_refusal_in_the_error_summary(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory(status=CaseStatus.SCREENING)
    message = lifecycle.refusal_message(CaseStatus.SCREENING, CaseStatus.CONSENT_SOUGHT)
    assert message in client.get(_decision(case, "seek-consent")).content.decode()
    response = client.post(_decision(case, "seek-consent"), {"reasons": "Fictional"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and message in html
    assert ChannelCase.objects.get(pk=case.pk).status == CaseStatus.SCREENING


def test_closing_through_the_page_offers_only_fitting_reasons(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory(status=CaseStatus.SUPPORT)
    html = client.get(_decision(case, "close")).content.decode()
    assert 'value="other"' in html and 'value="transferred"' in html
    assert 'value="not_adopted"' not in html
    response = client.post(_decision(case, "close"), {"reason": "other", "details": ""})
    assert "Enter the reasons for closing the case" in response.content.decode()
    response = client.post(_decision(case, "close"),
                           {"reason": "other", "details": "Moved abroad (fictional)"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_an_unknown_decision_is_not_found(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    assert client.get(_decision(case, "teleport")).status_code == 404


def test_police_and_panel_members_cannot_take_decisions(staff_client):
    for role in (Role.POLICE_PRACTITIONER, Role.PANEL_MEMBER):
        client = staff_client(role)
        case = ChannelCaseFactory()
        team_member_add(case, client.user)
        assert client.post(_decision(case, "send-to-panel"), {"reasons": "x"}).status_code == 403
        assert ChannelCase.objects.get(pk=case.pk).status == CaseStatus.SCREENING


def _case_page_queries(client, case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(_detail(case)).status_code == 200
    return len(queries)


def test_the_case_page_takes_the_same_queries_however_much_has_happened(staff_client):
    from prevent_hub.accounts.tests.factories import UserFactory
    from prevent_hub.channel.services import case_adopt, case_send_to_panel

    client = staff_client(Role.PREVENT_COORDINATOR)
    quiet = ChannelCaseFactory()
    busy = ChannelCaseFactory()
    coordinator = client.user
    case_send_to_panel(case=busy, reasons="Screening done (fictional)", acting_user=coordinator)
    case_adopt(case=busy, adopted_on=timezone.localdate(), reasons="Agreed (fictional)",
               acting_user=coordinator)
    for _ in range(4):
        team_member_add(busy, UserFactory(roles=[Role.PANEL_MEMBER]))
        InformationRequestFactory(case=busy, due_date=timezone.localdate() - datetime.timedelta(days=3))
    assert _case_page_queries(client, quiet) == _case_page_queries(client, busy)
