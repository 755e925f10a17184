"""The "Identify the person" page and the person's record, as coordinators and
others see them."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.administration.tests.helpers import HOSTILE, assert_escaped
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import ChannelCase
from prevent_hub.people.models import MatchDecision, Person
from prevent_hub.referrals.models import GatewayOutcome, ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralFactory

from .factories import PersonFactory

DOB = datetime.date(2009, 5, 17)

pytestmark = pytest.mark.django_db


def identify_url(referral):
    return reverse("people:identify", kwargs={"reference": referral.reference})


def detail_url(person):
    return reverse("people:detail", kwargs={"pk": person.pk})


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html5lib").get_text(" ").split())


def referral_column(response):
    """The references in the person page's referrals table, top to bottom."""
    soup = BeautifulSoup(response.content, "html5lib")
    table = soup.select("table")[0]
    return [row.select("td, th")[0].get_text(strip=True) for row in table.select("tbody tr")]


@pytest.fixture
def coordinator_client(staff_client):
    return staff_client(Role.PREVENT_COORDINATOR, full_name="Cora Coordinator")


@pytest.fixture
def known():
    """A person already known, with one earlier referral that went to Channel."""
    person = PersonFactory(given_name="John", family_name="Smith", date_of_birth=DOB, postcode="ZZ11ZZ",
                           other_names=["Johnny Smithe"])
    earlier = ReferralFactory(
        person=person, received_at=timezone.now() - datetime.timedelta(days=400),
        status=ReferralStatus.DECIDED, gateway_outcome=GatewayOutcome.PROCEED_TO_CHANNEL,
    )
    case = ChannelCase.objects.create(reference="CH-2025-0001", person=person, referral=earlier,
                                      opened_at=timezone.now() - datetime.timedelta(days=390),
                                      opened_by=UserFactory(full_name="Case Opener"))
    return {"person": person, "earlier": earlier, "case": case}


@pytest.fixture
def new_referral():
    return ReferralFactory(subject_given_name="Jon", subject_family_name="Smyth", subject_other_names="",
                           subject_date_of_birth=DOB, subject_postcode="ZZ99ZZ")


class TestIdentify:
    def test_shows_the_candidate_what_matched_and_their_earlier_referral(
            self, coordinator_client, known, new_referral):
        response = coordinator_client.get(identify_url(new_referral))
        assert response.status_code == 200
        text = text_of(response)
        assert "Identify the person" in text
        assert "Jon Smyth" in text  # the referral's subject
        assert "John Smith" in text and "Johnny Smithe" in text
        assert "similar name: Jon Smyth and John Smith" in text
        assert "same date of birth: 17 May 2009" in text
        assert known["earlier"].reference in text
        assert "Proceed to Channel" in text
        assert "CH-2025-0001" in text
        assert "How we look for the same person" in text
        assert "%" not in text and "score" not in text.replace("do not score", "")

    def test_the_search_and_the_view_are_audited_without_names(
            self, coordinator_client, known, new_referral):
        coordinator_client.get(identify_url(new_referral))
        events = AuditEvent.objects.filter(object_type="referrals.referral",
                                           object_id=str(new_referral.pk))
        search = events.get(action=AuditAction.SEARCH)
        assert search.details["candidates"] == 1
        assert "Smith" not in str(search.details) and "Smyth" not in str(search.details)
        assert events.filter(action=AuditAction.VIEW).count() == 1
        assert search.actor == coordinator_client.user

    def test_confirming_links_and_goes_to_the_person(self, coordinator_client, known, new_referral):
        person = known["person"]
        response = coordinator_client.post(identify_url(new_referral),
                                           {"answer": "same", "person": person.pk}, follow=True)
        assert response.redirect_chain[-1][0] == detail_url(person)
        new_referral.refresh_from_db()
        assert new_referral.person == person
        assert f"Referral {new_referral.reference} is now linked to John Smith" in text_of(response)
        assert referral_column(response) == [known["earlier"].reference, new_referral.reference]

    def test_a_second_confirm_changes_nothing(self, coordinator_client, known, new_referral):
        person = known["person"]
        coordinator_client.post(identify_url(new_referral), {"answer": "same", "person": person.pk})
        count = AuditEvent.objects.exclude(action=AuditAction.VIEW).count()
        response = coordinator_client.post(identify_url(new_referral),
                                           {"answer": "same", "person": person.pk})
        assert response.status_code == 302
        assert MatchDecision.objects.count() == 1
        assert AuditEvent.objects.exclude(action=AuditAction.VIEW).count() == count

    def test_rejected_candidates_stay_listed_with_who_decided(self, coordinator_client, known, new_referral):
        person = known["person"]
        response = coordinator_client.post(identify_url(new_referral),
                                           {"answer": "not-same", "person": person.pk}, follow=True)
        text = text_of(response)
        assert "You said John Smith is not the person in referral" in text
        assert "You said these are not the same person" in text
        assert "John Smith: not the same person, decided by Cora Coordinator" in text
        soup = BeautifulSoup(response.content, "html5lib")
        rejected = soup.select_one("details.govuk-details form")
        assert rejected.select_one("button[value=same]") is not None
        assert rejected.select_one("button[value=not-same]") is None
        new_referral.refresh_from_db()
        assert new_referral.person is None

    def test_none_of_these_records_a_new_person_once(self, coordinator_client, known, new_referral):
        response = coordinator_client.post(identify_url(new_referral), {"answer": "new"})
        new_referral.refresh_from_db()
        person = new_referral.person
        assert person is not None and person != known["person"]
        assert response["Location"] == detail_url(person)
        again = coordinator_client.post(identify_url(new_referral), {"answer": "new"}, follow=True)
        assert "already linked to a person record (Jon Smyth)" in text_of(again)
        assert Person.objects.count() == 2

    def test_once_linked_the_page_shows_the_decision(self, coordinator_client, known, new_referral):
        coordinator_client.post(identify_url(new_referral), {"answer": "same", "person": known["person"].pk})
        response = coordinator_client.get(identify_url(new_referral))
        text = text_of(response)
        assert "This referral is linked to John Smith" in text
        assert "Cora Coordinator decided this on" in text
        assert "Same person" not in text
        soup = BeautifulSoup(response.content, "html5lib")
        assert soup.select_one(f"a[href='{detail_url(known['person'])}']") is not None

    def test_nobody_found(self, coordinator_client):
        referral = ReferralFactory(subject_given_name="Unmatched", subject_family_name="Nobody")
        text = text_of(coordinator_client.get(identify_url(referral)))
        assert "We found nobody already known who matches this referral" in text
        assert "None of these" in text

    def test_a_made_up_person_id_is_not_found(self, coordinator_client, new_referral):
        response = coordinator_client.post(identify_url(new_referral), {"answer": "same", "person": 999999})
        assert response.status_code == 404

    def test_an_unknown_reference_is_not_found(self, coordinator_client):
        assert coordinator_client.get(reverse("people:identify", kwargs={"reference": "PRV-1999-000001"})
                                      ).status_code == 404

    @pytest.mark.parametrize("role", [Role.POLICE_PRACTITIONER, Role.PANEL_MEMBER, Role.CHANNEL_CHAIR])
    def test_only_coordinators_may_identify(self, staff_client, role, new_referral):
        new_referral.police_shared_at = timezone.now()
        new_referral.save()
        client = staff_client(role)
        assert client.get(identify_url(new_referral)).status_code == 403
        assert client.post(identify_url(new_referral), {"answer": "new"}).status_code == 403
        new_referral.refresh_from_db()
        assert new_referral.person is None

    def test_names_are_escaped(self, coordinator_client):
        PersonFactory(given_name=HOSTILE, family_name="Quill", date_of_birth=DOB, postcode="ZZ11ZZ")
        referral = ReferralFactory(subject_given_name=HOSTILE, subject_family_name="Quill",
                                   subject_date_of_birth=DOB, subject_postcode="ZZ11ZZ")
        assert_escaped(coordinator_client.get(identify_url(referral)).content.decode())


class TestPersonPage:
    def test_every_referral_oldest_first_with_channel_cases(self, coordinator_client, known):
        person = known["person"]
        newest = ReferralFactory(person=person, received_at=timezone.now())
        middle = ReferralFactory(person=person, received_at=timezone.now() - datetime.timedelta(days=30))
        response = coordinator_client.get(detail_url(person))
        assert response.status_code == 200
        assert referral_column(response) == [known["earlier"].reference, middle.reference, newest.reference]
        soup = BeautifulSoup(response.content, "html5lib")
        assert soup.select_one(f"a[href='{reverse('channel:case-detail', kwargs={'pk': known['case'].pk})}']")
        text = text_of(response)
        assert "Johnny Smithe" in text
        assert "Who has accessed this record" in text

    def test_viewing_is_audited(self, coordinator_client, known):
        coordinator_client.get(detail_url(known["person"]))
        assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="people.person",
                                         object_id=str(known["person"].pk)).count() == 1

    def test_police_see_only_people_with_a_shared_referral(self, staff_client, known):
        police = staff_client(Role.POLICE_PRACTITIONER)
        assert police.get(detail_url(known["person"])).status_code == 404
        shared = ReferralFactory(person=known["person"], police_shared_at=timezone.now())
        response = police.get(detail_url(known["person"]))
        assert response.status_code == 200
        text = text_of(response)
        assert shared.reference in text
        assert known["earlier"].reference not in text  # not shared with police
        assert "Who has accessed this record" not in text

    def test_panel_members_are_refused(self, staff_client, known):
        assert staff_client(Role.PANEL_MEMBER).get(detail_url(known["person"])).status_code == 403

    def test_an_unknown_person_is_not_found(self, coordinator_client):
        assert coordinator_client.get(reverse("people:detail", kwargs={"pk": 999999})).status_code == 404
