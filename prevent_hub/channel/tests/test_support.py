import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel import consent as consent_rules
from prevent_hub.channel import support
from prevent_hub.channel.models import (
    CaseStatus,
    ChronologyEntry,
    ChronologyKind,
    PlanAction,
    SessionStatus,
    SupportProvider,
    SupportSession,
)
from prevent_hub.core.formatting import govuk_date
from prevent_hub.people.tests.factories import PersonFactory

from .factories import ChannelCaseFactory
from .factories_consent_support import (
    ConsentFactory,
    action_for,
    adult_born,
    case_in_support,
    case_with_consent_given,
    join_team,
    plan_for,
    provider_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR], full_name="Casey Coordinator")


def _date_data(name, value):
    return {f"{name}-day": value.day, f"{name}-month": value.month, f"{name}-year": value.year}


# Starting support needs consent ------------------------------------------------------


def test_support_cannot_start_without_consent(coordinator):
    case = ChannelCaseFactory(status=CaseStatus.CONSENT_SOUGHT,
                              person=PersonFactory(date_of_birth=adult_born()))
    ConsentFactory(case=case)
    with pytest.raises(ValidationError) as raised:
        support.support_start(case=case, started_on=timezone.localdate(), acting_user=coordinator)
    assert raised.value.messages == ["Support cannot start without consent: no answer has been recorded yet"]
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENT_SOUGHT and case.support_started_on is None


def test_support_cannot_start_after_consent_was_withdrawn(coordinator):
    case = case_with_consent_given()
    today = timezone.localdate()
    consent_rules.consent_withdraw(consent=case.consents.get(), withdrawn_on=today,
                                   reassessment_date=today + datetime.timedelta(days=30),
                                   acting_user=coordinator)
    with pytest.raises(ValidationError, match="Support cannot start without consent: consent was withdrawn"):
        support.support_start(case=case, started_on=today, acting_user=coordinator)


def test_support_cannot_start_until_the_plan_says_what_the_law_requires(coordinator):
    case = case_with_consent_given()
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="until the support plan says how consent is to be requested, "
                                              ".* and who provides the support"):
        support.support_start(case=case, started_on=today, acting_user=coordinator)
    plan = plan_for(case)
    with pytest.raises(ValidationError) as raised:
        support.support_start(case=case, started_on=today, acting_user=coordinator)
    assert raised.value.messages == [
        "Support cannot start until the support plan says who provides the support"]
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENT_GIVEN
    provider_for(plan)
    support.support_start(case=case, started_on=today, acting_user=coordinator)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPORT


def test_support_starts_with_consent_and_sets_the_first_review(coordinator):
    case = case_with_consent_given()
    provider_for(plan_for(case))
    today = timezone.localdate()
    support.support_start(case=case, started_on=today, acting_user=coordinator)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPORT
    assert case.support_started_on == today
    interval = getattr(settings, "REVIEW_INTERVAL_DAYS", 28)
    assert case.next_review_date == today + datetime.timedelta(days=interval)
    assert ChronologyEntry.objects.filter(case=case, summary__startswith="Support started on").exists()


def test_withdrawal_moves_the_case_out_of_support(coordinator):
    case = case_in_support()
    today = timezone.localdate()
    consent_rules.consent_withdraw(consent=case.consents.get(), withdrawn_on=today,
                                   reassessment_date=today + datetime.timedelta(days=30),
                                   acting_user=coordinator)
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENT_REFUSED
    assert support.support_stalled_since(case, today=today + datetime.timedelta(weeks=10)) is None


# The stalled-support flag -------------------------------------------------------------


@override_settings(SUPPORT_STALLED_WEEKS=4)
@pytest.mark.parametrize(("days_quiet", "stalled"), [(28, False), (29, True)])
def test_support_is_stalled_after_more_than_n_weeks_without_a_delivered_session(days_quiet, stalled):
    today = datetime.date(2026, 3, 31)
    last = today - datetime.timedelta(days=days_quiet)
    delivered = case_in_support(started_on=datetime.date(2026, 1, 5), last_delivered=last)
    never = case_in_support(started_on=last)  # nothing delivered since support started
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    found = list(support.cases_support_stalled(user=coordinator, today=today))
    assert found == ([delivered, never] if stalled else [])
    for case in (delivered, never):
        assert (support.support_stalled_since(case, today=today) == last) is stalled
    if stalled:
        assert {case.support_quiet_since for case in found} == {last}


def test_stalled_flag_is_only_for_cases_in_support_and_follows_access():
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(weeks=20)
    in_support = case_in_support(started_on=long_ago)
    ChannelCaseFactory(status=CaseStatus.EXITED, support_started_on=long_ago)
    provider = UserFactory(roles=[Role.INTERVENTION_PROVIDER])
    assert list(support.cases_support_stalled(user=provider, today=today)) == []
    join_team(in_support, provider)
    assert list(support.cases_support_stalled(user=provider, today=today)) == [in_support]


def test_a_restart_counts_from_the_new_start():
    today = timezone.localdate()
    case = case_in_support(started_on=today - datetime.timedelta(days=3),
                           last_delivered=today - datetime.timedelta(weeks=30))
    assert support.support_stalled_since(case, today=today) is None


def test_the_support_page_warns_when_support_may_have_stopped(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    today = timezone.localdate()
    last = today - datetime.timedelta(weeks=settings.SUPPORT_STALLED_WEEKS, days=1)
    case = case_in_support(started_on=last - datetime.timedelta(days=30), last_delivered=last)
    html = client.get(reverse("channel:case-support", kwargs={"pk": case.pk})).content.decode()
    assert "Support may have stopped" in html
    assert f"No delivered session since {govuk_date(last)}" in html
    fresh = case_in_support(last_delivered=today)
    html = client.get(reverse("channel:case-support", kwargs={"pk": fresh.pk})).content.decode()
    assert "Support may have stopped" not in html


# Sessions -----------------------------------------------------------------------------


def test_a_delivered_session_moves_the_last_delivered_date_on(coordinator):
    case = case_in_support(started_on=timezone.localdate() - datetime.timedelta(days=20))
    day = timezone.localdate() - datetime.timedelta(days=10)
    support.support_session_record(case=case, held_on=day, status=SessionStatus.MISSED,
                                   acting_user=coordinator)
    case.refresh_from_db()
    assert case.last_session_delivered_on is None
    session = support.support_session_record(case=case, held_on=day, status=SessionStatus.DELIVERED,
                                             notes="Went well.", acting_user=coordinator)
    # An earlier delivered session recorded late does not move it back.
    support.support_session_record(case=case, held_on=day - datetime.timedelta(days=2),
                                   status=SessionStatus.DELIVERED, acting_user=coordinator)
    case.refresh_from_db()
    assert case.last_session_delivered_on == day
    assert AuditEvent.objects.filter(object_type="channel.supportsession", object_id=str(session.pk),
                                     action=AuditAction.CREATE).exists()
    entry = ChronologyEntry.objects.get(case=case, kind=ChronologyKind.SESSION, object_id=str(session.pk))
    assert entry.summary.endswith(": delivered") and "Went well" not in entry.summary


def test_sessions_need_support_to_have_started(coordinator):
    case = case_with_consent_given()
    with pytest.raises(ValidationError, match="once support has started"):
        support.support_session_record(case=case, held_on=timezone.localdate(),
                                       status=SessionStatus.DELIVERED, acting_user=coordinator)


def test_no_session_can_be_recorded_after_consent_was_withdrawn(coordinator):
    today = timezone.localdate()
    case = case_in_support(started_on=today - datetime.timedelta(days=3))
    consent_rules.consent_withdraw(consent=case.consents.get(),
                                   withdrawn_on=today - datetime.timedelta(days=1),
                                   reassessment_date=today + datetime.timedelta(days=60),
                                   acting_user=coordinator)
    with pytest.raises(ValidationError, match="Support stopped on .* when consent was withdrawn"):
        support.support_session_record(case=case, held_on=today, status=SessionStatus.DELIVERED,
                                       acting_user=coordinator)
    assert not SupportSession.objects.filter(case=case).exists()
    # A session held before the withdrawal can still be recorded late.
    support.support_session_record(case=case, held_on=today - datetime.timedelta(days=2),
                                   status=SessionStatus.DELIVERED, acting_user=coordinator)
    assert SupportSession.objects.filter(case=case).count() == 1


def test_no_session_can_be_recorded_after_exit(coordinator):
    today = timezone.localdate()
    case = case_in_support(started_on=today - datetime.timedelta(days=3))
    case.status, case.exit_date = CaseStatus.EXITED, today - datetime.timedelta(days=1)
    case.save()
    with pytest.raises(ValidationError, match="when the case exited"):
        support.support_session_record(case=case, held_on=today, status=SessionStatus.DELIVERED,
                                       acting_user=coordinator)
    support.support_session_record(case=case, held_on=case.exit_date, status=SessionStatus.DELIVERED,
                                   acting_user=coordinator)


def test_an_intervention_provider_on_the_team_records_a_session(staff_client):
    client = staff_client(Role.INTERVENTION_PROVIDER)
    case = case_in_support()
    provider = provider_for(plan_for(case))
    url = reverse("channel:case-session-record", kwargs={"pk": case.pk})
    # Not on the team: the case does not exist for them.
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "delivered", **_date_data("held_on", timezone.localdate())}
                       ).status_code == 404
    assert not SupportSession.objects.exists()

    join_team(case, client.user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "delivered", "provider": provider.pk, "notes": "Fictional notes.",
                                 **_date_data("held_on", timezone.localdate())})
    assert response.status_code == 302
    session = SupportSession.objects.get()
    assert session.recorded_by == client.user and session.provider == provider
    case.refresh_from_db()
    assert case.last_session_delivered_on == timezone.localdate()


def test_a_session_form_keeps_what_was_typed(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = case_in_support()
    response = client.post(reverse("channel:case-session-record", kwargs={"pk": case.pk}),
                           {"notes": "Typed before the error."})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select whether the session was delivered, missed or cancelled" in html
    assert "Typed before the error." in html


# What an intervention provider sees ------------------------------------------------------


def test_an_intervention_provider_sees_the_plan_sessions_and_their_own_actions_only(staff_client):
    client = staff_client(Role.INTERVENTION_PROVIDER)
    case = case_in_support()
    join_team(case, client.user)
    plan_for(case)
    action_for(case, owner=client.user, description="Provider's own fictional action")
    action_for(case, owner=UserFactory(roles=[Role.PREVENT_COORDINATOR]), description="Someone else's action")
    consent = case.consents.get()
    consent.capacity_notes = "Fictional capacity detail"
    consent.save()
    html = client.get(reverse("channel:case-support", kwargs={"pk": case.pk})).content.decode()
    assert "Fictional mentoring for a test." in html
    assert "Provider&#x27;s own fictional action" in html
    assert "Someone else" not in html
    assert "Consent given" in html and "Yes" in html
    assert "Fictional capacity detail" not in html
    assert "Change the support plan" not in html and "Add an action" not in html
    assert "Record a session" in html
    for name in ("channel:case-support-plan", "channel:case-support-action-add", "channel:case-support-start",
                 "channel:case-support-provider-add", "channel:case-consent"):
        assert client.get(reverse(name, kwargs={"pk": case.pk})).status_code == 403, name


# The plan, providers and actions -------------------------------------------------------


def test_a_coordinator_writes_the_plan_adds_a_provider_and_an_action(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = case_with_consent_given()
    url = reverse("channel:case-support-plan", kwargs={"pk": case.pk})
    response = client.post(url, {"consent_how": "Meeting", "nature_of_support": ""})
    assert "Enter the nature of the support" in response.content.decode()
    assert "Meeting" in response.content.decode()
    assert client.post(url, {"consent_how": "Meeting", "nature_of_support": "Mentoring",
                             "how_and_when_provided": "Weekly"}).status_code == 302
    assert AuditEvent.objects.filter(object_type="channel.supportplan", action=AuditAction.CREATE).exists()

    council = OrganisationFactory(type=OrganisationType.LOCAL_AUTHORITY)
    url = reverse("channel:case-support-provider-add", kwargs={"pk": case.pk})
    response = client.post(url, {"organisation": council.pk, "support_type": "Mentoring",
                                 "home_office_approved": "on"})
    assert "Only an intervention provider organisation" in response.content.decode()
    approved = OrganisationFactory(type=OrganisationType.INTERVENTION_PROVIDER, name="Fictional Mentors Ltd")
    assert client.post(url, {"organisation": approved.pk, "support_type": "Mentoring",
                             "home_office_approved": "on"}).status_code == 302
    assert SupportProvider.objects.get().home_office_approved

    owner = UserFactory(roles=[Role.INTERVENTION_PROVIDER], full_name="Ivy Provider")
    url = reverse("channel:case-support-action-add", kwargs={"pk": case.pk})
    posted = {"description": "Arrange first session", "owner": owner.pk,
              **_date_data("due_date", timezone.localdate())}
    asked = client.post(url, posted).content.decode()
    assert "Ivy Provider is not on the case team. Add them as intervention provider?" in asked
    answered = {**posted, "asked_about": owner.pk, "add_owner_to_team": "yes"}
    assert client.post(url, answered).status_code == 302
    action = PlanAction.objects.get()
    assert client.post(reverse("channel:case-support-action-done",
                               kwargs={"pk": case.pk, "action_pk": action.pk}),
                       _date_data("done_on", timezone.localdate())).status_code == 302
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()

    html = client.get(reverse("channel:case-support", kwargs={"pk": case.pk})).content.decode()
    assert "Fictional Mentors Ltd" in html and "Home Office-approved Intervention Provider" in html
    assert "Arrange first session" in html and "Ivy Provider" in html
    assert "Record that support has started" in html


def test_a_provider_with_sessions_stays_on_the_plan(coordinator):
    case = case_in_support()
    provider = provider_for(plan_for(case))
    support.support_session_record(case=case, provider=provider, held_on=timezone.localdate(),
                                   status=SessionStatus.CANCELLED, acting_user=coordinator)
    with pytest.raises(ValidationError, match="stays on the plan"):
        support.support_provider_remove(provider=provider, acting_user=coordinator)
    other = provider_for(provider.plan)
    support.support_provider_remove(provider=other, acting_user=coordinator)
    assert list(SupportProvider.objects.all()) == [provider]


def test_start_support_page_refuses_without_consent(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory(status=CaseStatus.CONSENT_SOUGHT,
                              person=PersonFactory(date_of_birth=adult_born()))
    response = client.post(reverse("channel:case-support-start", kwargs={"pk": case.pk}),
                           _date_data("started_on", timezone.localdate()))
    assert response.status_code == 200
    assert ("Support cannot start without consent: consent has not been asked for yet"
            in response.content.decode())


# Query counts --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PREVENT_COORDINATOR, Role.INTERVENTION_PROVIDER])
def test_the_support_page_makes_the_same_number_of_queries_however_much_is_recorded(staff_client, role):
    client = staff_client(role)
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])

    def make(n):
        case = case_in_support(started_on=timezone.localdate() - datetime.timedelta(days=30))
        join_team(case, client.user)
        plan = plan_for(case)
        for i in range(n):
            provider = provider_for(plan)
            action_for(case, owner=client.user if i % 2 else UserFactory())
            support.support_session_record(case=case, provider=provider, acting_user=coordinator,
                                           held_on=timezone.localdate() - datetime.timedelta(days=i),
                                           status=SessionStatus.DELIVERED)
        return reverse("channel:case-support", kwargs={"pk": case.pk})

    small, large = make(1), make(6)
    client.get(small)  # warm up the session and caches
    counts = []
    for url in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
