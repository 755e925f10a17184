"""Information sharing requests: recording, answering, overdue flags, and the
selector the work trays use."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel import info_requests, selectors
from prevent_hub.channel.models import ChronologyEntry, InformationRequest
from prevent_hub.core.working_days import add_working_days

from .factories import ChannelCaseFactory, InformationRequestFactory, team_member_add

pytestmark = pytest.mark.django_db


def _list(case):
    return reverse("channel:case-information-requests", kwargs={"pk": case.pk})


def _date(prefix, day):
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


def test_adding_a_request_to_a_listed_organisation(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    organisation = OrganisationFactory(name="Fictional Academy Trust")
    add = reverse("channel:case-information-request-add", kwargs={"pk": case.pk})
    default_due = add_working_days(timezone.localdate(), 10)
    form_html = client.get(add).content.decode()
    assert f'value="{default_due.day}"' in form_html
    due = timezone.localdate() + datetime.timedelta(days=7)
    response = client.post(add, {"organisation": organisation.pk, "organisation_name": "",
                                 "contact": "safeguarding@example.org",
                                 "question": "Attendance and any concerns (fictional)",
                                 **_date("due_date", due)})
    assert response.status_code == 302
    request = InformationRequest.objects.get()
    assert (request.organisation, request.organisation_name, request.due_date) == (
        organisation, "Fictional Academy Trust", due)
    assert request.requested_by == client.user
    html = client.get(_list(case)).content.decode()
    assert "Fictional Academy Trust" in html and "Waiting" in html
    assert AuditEvent.objects.filter(action=AuditAction.CREATE,
                                     object_type="channel.informationrequest").exists()
    assert ChronologyEntry.objects.filter(case=case, kind="information_request").count() == 1


def test_an_organisation_must_be_chosen_or_named_and_typing_is_kept(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    add = reverse("channel:case-information-request-add", kwargs={"pk": case.pk})
    due = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(add, {"organisation": "", "organisation_name": "", "contact": "",
                                 "question": "Kept question (fictional)", **_date("due_date", due)})
    html = response.content.decode()
    assert "Select the organisation or enter its name" in html
    assert "The date the answer is due must be today or in the future" in html
    assert "Kept question (fictional)" in html
    assert not InformationRequest.objects.exists()


def test_recording_a_response_and_a_decline(staff_client):
    client = staff_client(Role.CHANNEL_CHAIR)
    case = ChannelCaseFactory()
    first = InformationRequestFactory(case=case, organisation_name="Fictional GP Surgery")
    second = InformationRequestFactory(case=case, organisation_name="Fictional Housing")
    today = timezone.localdate()
    url = reverse("channel:case-information-request-answer", kwargs={"pk": case.pk, "request_pk": first.pk})
    response = client.post(url, {"answer": "responded", "response": "", **_date("answered_on", today)})
    assert "Enter the response" in response.content.decode()
    client.post(url, {"answer": "responded", "response": "No contact recorded (fictional)",
                      **_date("answered_on", today)})
    url = reverse("channel:case-information-request-answer", kwargs={"pk": case.pk, "request_pk": second.pk})
    client.post(url, {"answer": "declined", "decline_reason": "No consent to share (fictional)",
                      **_date("answered_on", today)})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.answer, first.response, first.answer_recorded_by) == (
        "responded", "No contact recorded (fictional)", client.user)
    assert (second.answer, second.decline_reason) == ("declined", "No consent to share (fictional)")
    html = client.get(_list(case)).content.decode()
    assert "Responded" in html and "Declined" in html and "No contact recorded (fictional)" in html
    # Once answered, the answer cannot be changed.
    response = client.get(url)
    assert response.status_code == 302


def test_an_answer_is_not_recorded_twice():
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    request = InformationRequestFactory()
    today = timezone.localdate()
    info_requests.information_request_answer(request=request, answer="responded", response="Fictional",
                                             answered_on=today, acting_user=coordinator)
    with pytest.raises(ValidationError, match="already been recorded"):
        info_requests.information_request_answer(request=request, answer="declined", decline_reason="x",
                                                 answered_on=today, acting_user=coordinator)


def test_overdue_requests_are_flagged_on_the_list_and_the_case_page(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    today = timezone.localdate()
    InformationRequestFactory(case=case, organisation_name="Late Fictional Service",
                              due_date=today - datetime.timedelta(days=2))
    InformationRequestFactory(case=case, due_date=today - datetime.timedelta(days=2), answer="responded",
                              response="Fictional", answered_on=today)
    InformationRequestFactory(case=case, due_date=today)
    html = client.get(_list(case)).content.decode()
    assert html.count('govuk-tag--red">Overdue<') == 1
    assert "1 overdue" in html
    overview = client.get(reverse("channel:case-detail", kwargs={"pk": case.pk})).content.decode()
    assert "1 overdue" in overview


def test_information_requests_due_lists_unanswered_requests_the_user_may_see():
    today = timezone.localdate()
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    member = UserFactory(roles=[Role.PANEL_MEMBER])
    provider = UserFactory(roles=[Role.INTERVENTION_PROVIDER])
    mine = ChannelCaseFactory()
    team_member_add(mine, member)
    team_member_add(mine, provider)
    later = InformationRequestFactory(case=mine, due_date=today + datetime.timedelta(days=3))
    sooner = InformationRequestFactory(case=mine, due_date=today - datetime.timedelta(days=1))
    InformationRequestFactory(case=mine, answer="declined", decline_reason="x", answered_on=today)
    elsewhere = InformationRequestFactory()
    assert list(selectors.information_requests_due(user=member, today=today)) == [sooner, later]
    everything = set(selectors.information_requests_due(user=coordinator, today=today))
    assert everything == {sooner, later, elsewhere}
    assert not selectors.information_requests_due(user=provider, today=today).exists()
    assert list(selectors.information_requests_overdue(user=member, today=today)) == [sooner]


def test_panel_members_read_but_do_not_add_requests(staff_client):
    client = staff_client(Role.PANEL_MEMBER)
    case = ChannelCaseFactory()
    team_member_add(case, client.user)
    InformationRequestFactory(case=case, organisation_name="Fictional Probation")
    html = client.get(_list(case)).content.decode()
    assert "Fictional Probation" in html
    assert "Add an information request" not in html and "Record the answer" not in html
    add = reverse("channel:case-information-request-add", kwargs={"pk": case.pk})
    assert client.get(add).status_code == 403
