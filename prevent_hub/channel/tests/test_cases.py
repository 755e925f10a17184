import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import CaseRole, CaseStatus, CaseTeamMember, ChannelCase
from prevent_hub.channel.services import case_open_from_referral
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.tests.factories import ReferralFactory

from .factories import ChannelCaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR], full_name="Casey Coordinator")


# Opening a case ------------------------------------------------------------------


def test_opening_a_case_makes_a_reference_from_its_id_and_audits_it(coordinator):
    person = PersonFactory(given_name="Testina", family_name="Example")
    referral = ReferralFactory(person=person)
    case = case_open_from_referral(referral=referral, acting_user=coordinator)
    case.refresh_from_db()
    assert case.reference == f"CH-{case.opened_at:%Y}-{case.pk:06d}"
    assert case.person == person and case.referral == referral
    assert case.status == CaseStatus.SCREENING
    assert case.opened_by == coordinator
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="channel.channelcase")
    assert event.object_id == str(case.pk)
    assert event.actor == coordinator
    assert event.details == {"reference": case.reference, "referral": referral.reference}
    assert "Testina" not in str(event.details)


def test_a_case_needs_an_identified_person(coordinator):
    referral = ReferralFactory(person=None)
    with pytest.raises(ValidationError) as raised:
        case_open_from_referral(referral=referral, acting_user=coordinator)
    assert raised.value.message_dict == {"person": ["Identify the person before opening a Channel case"]}
    assert not ChannelCase.objects.exists()


def test_one_referral_opens_one_case(coordinator):
    referral = ReferralFactory(person=PersonFactory())
    case_open_from_referral(referral=referral, acting_user=coordinator)
    with pytest.raises(ValidationError, match="already open"):
        case_open_from_referral(referral=referral, acting_user=coordinator)
    assert ChannelCase.objects.count() == 1


def test_the_case_rolls_back_with_the_callers_transaction(coordinator):
    referral = ReferralFactory(person=PersonFactory())
    with pytest.raises(RuntimeError), transaction.atomic():
        case_open_from_referral(referral=referral, acting_user=coordinator)
        raise RuntimeError("the gateway outcome failed to save")
    assert not ChannelCase.objects.exists()
    assert not AuditEvent.objects.filter(object_type="channel.channelcase").exists()


# Pages -----------------------------------------------------------------------------


def test_the_case_page_shows_the_case_and_links_to_the_referral_and_person(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory(person=PersonFactory(given_name="Testina", family_name="Example"))
    response = client.get(reverse("channel:case-detail", kwargs={"pk": case.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert case.reference in html
    assert "Testina Example" in html
    assert "Screening and information gathering" in html
    assert reverse("triage:referral", kwargs={"reference": case.referral.reference}) in html
    assert reverse("people:detail", kwargs={"pk": case.person.pk}) in html
    assert case.opened_by.full_name in html
    assert "Who has accessed this record" in html
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="channel.channelcase")
    assert event.object_id == str(case.pk)


def test_a_channel_chair_sees_the_case_but_not_a_link_to_the_referral(staff_client):
    client = staff_client(Role.CHANNEL_CHAIR)
    case = ChannelCaseFactory()
    html = client.get(reverse("channel:case-detail", kwargs={"pk": case.pk})).content.decode()
    assert case.referral.reference in html
    assert reverse("triage:referral", kwargs={"reference": case.referral.reference}) not in html


def test_a_case_that_does_not_exist_is_not_found(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    assert client.get(reverse("channel:case-detail", kwargs={"pk": 999})).status_code == 404


def test_roles_without_cases_are_refused(staff_client):
    client = staff_client(Role.AUDITOR)
    case = ChannelCaseFactory()
    assert client.get(reverse("channel:case-detail", kwargs={"pk": case.pk})).status_code == 403
    assert client.get(reverse("channel:case-list")).status_code == 403


@pytest.mark.parametrize("role", [Role.PANEL_MEMBER, Role.INTERVENTION_PROVIDER])
def test_team_roles_see_a_case_only_while_on_its_team(staff_client, role):
    client = staff_client(role)
    case = ChannelCaseFactory()
    detail = reverse("channel:case-detail", kwargs={"pk": case.pk})
    assert client.get(detail).status_code == 404
    assert case.reference not in client.get(reverse("channel:case-list")).content.decode()
    membership = CaseTeamMember.objects.create(
        case=case, user=client.user, role=CaseRole.MEMBER, added_at=timezone.now(), added_by=case.opened_by)
    assert client.get(detail).status_code == 200
    assert case.reference in client.get(reverse("channel:case-list")).content.decode()
    CaseTeamMember.objects.filter(pk=membership.pk).update(removed_at=timezone.now())
    assert client.get(detail).status_code == 404


def test_the_list_shows_cases_newest_first_and_is_audited(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    older = ChannelCaseFactory(person=PersonFactory(given_name="Olderina", family_name="Example"))
    newer = ChannelCaseFactory(person=PersonFactory(given_name="Newerina", family_name="Example"))
    ChannelCase.objects.filter(pk=older.pk).update(opened_at=newer.opened_at.replace(year=2025))
    html = client.get(reverse("channel:case-list")).content.decode()
    assert html.index(newer.reference) < html.index(older.reference)
    assert "Olderina Example" in html and "Newerina Example" in html
    event = AuditEvent.objects.get(action=AuditAction.SEARCH, object_type="channel.channelcase")
    assert event.details == {"list": "cases", "filters": {}, "page": 1}


def test_the_empty_list_says_how_cases_arrive(staff_client):
    html = staff_client(Role.CHANNEL_CHAIR).get(reverse("channel:case-list")).content.decode()
    assert "There are no Channel cases yet" in html


def test_the_list_takes_the_same_queries_however_many_cases(staff_client, django_assert_num_queries):
    client = staff_client(Role.PREVENT_COORDINATOR)
    ChannelCaseFactory.create_batch(2)
    client.get(reverse("channel:case-list"))  # warm the session

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("channel:case-list")).status_code == 200
        return len(queries)

    few = count()
    ChannelCaseFactory.create_batch(20)
    assert count() == few
