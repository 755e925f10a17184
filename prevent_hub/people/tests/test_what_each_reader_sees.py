"""A person record shows each reader only what came from records they may see
(issue 13.1). The record below was started from a referral the council never
shared with police; a second referral about the same person was shared. The
police practitioner reaches the person through the shared one and must not
learn what only the unshared one said."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from prevent_hub.access.policy import ROLE_MATRIX, Action
from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.channel.tests.factories import ChannelCaseFactory, team_member_add
from prevent_hub.people.models import NAME_NOT_SHARED
from prevent_hub.people.services import match_confirm, person_create_from_referral, person_update
from prevent_hub.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

UNSHARED_ONLY = ["Hiddenname", "Secretson", "1 Unshared Road", "2 January 2011", "ZZ99 4XY",
                 "Unshared Test School"]


def client_for(*roles):
    user = UserFactory(roles=roles)
    client = Client()
    sign_in(client, user)
    client.user = user
    return client


@pytest.fixture
def person():
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    unshared = ReferralFactory(
        subject_given_name="Hiddenname", subject_family_name="Secretson",
        subject_date_of_birth=datetime.date(2011, 1, 2), subject_address="1 Unshared Road, Exampleton",
        subject_postcode="ZZ994XY", subject_school_or_employer="Unshared Test School")
    person = person_create_from_referral(referral=unshared, acting_user=coordinator)
    shared = ReferralFactory(subject_given_name="Shownname", subject_family_name="Sharedson",
                             police_shared_at=timezone.now(), subject_date_of_birth=None,
                             subject_address="", subject_postcode="", subject_school_or_employer="")
    match_confirm(referral=shared, person=person, acting_user=coordinator)
    person.shared = shared
    person.coordinator = coordinator
    return person


def page_of(client, person):
    response = client.get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_police_see_the_person_only_as_the_shared_referral_tells_it(person):
    police = client_for(Role.POLICE_PRACTITIONER)
    page = page_of(police, person)
    for fact in UNSHARED_ONLY:
        assert fact not in page, fact
    assert NAME_NOT_SHARED in page
    assert person.shared.reference in page and "Sharedson" in page


def test_police_cannot_find_the_person_by_what_only_the_unshared_referral_said(person):
    police = client_for(Role.POLICE_PRACTITIONER)
    by_hidden = police.get(reverse("people:search"), {"name": "Hiddenname Secretson"}).content.decode()
    assert reverse("people:detail", args=[person.pk]) not in by_hidden
    by_dob = police.get(reverse("people:search"), {"date_of_birth-day": "2", "date_of_birth-month": "1",
                                                    "date_of_birth-year": "2011"}).content.decode()
    assert reverse("people:detail", args=[person.pk]) not in by_dob
    by_shared = police.get(reverse("people:search"), {"name": "Shownname Sharedson"}).content.decode()
    assert reverse("people:detail", args=[person.pk]) in by_shared
    for fact in UNSHARED_ONLY:
        assert fact not in by_shared, fact


def test_the_coordinator_sees_everything(person):
    page = page_of(client_for(Role.PREVENT_COORDINATOR), person)
    for fact in UNSHARED_ONLY:
        assert fact in page, fact
    assert NAME_NOT_SHARED not in page


def test_a_fact_entered_by_hand_is_the_coordinators_not_the_referrals(person):
    person_update(person=person, details={"date_of_birth": datetime.date(2011, 1, 3)},
                  reasons="Confirmed by phone with the school (fictional)", acting_user=person.coordinator)
    page = page_of(client_for(Role.POLICE_PRACTITIONER), person)
    assert "3 January 2011" in page
    assert "Secretson" not in page


def test_roles_working_a_channel_case_about_the_person_see_who_it_is_about(person):
    case = ChannelCaseFactory(person=person, referral=person.shared)
    for role in sorted(ROLE_MATRIX[Action.CASE_VIEW]):
        reader = client_for(role)
        if role in (Role.PANEL_MEMBER, Role.INTERVENTION_PROVIDER):
            team_member_add(case, reader.user)
        page = reader.get(reverse("channel:case-detail", args=[case.pk])).content.decode()
        assert "Hiddenname Secretson" in page, role
    # Police now work the case, so the person's page shows them the name too.
    assert "Secretson" in page_of(client_for(Role.POLICE_PRACTITIONER), person)


def test_roles_without_people_pages_are_refused(person):
    for role in sorted(set(Role.values) - ROLE_MATRIX[Action.PERSON_VIEW]):
        response = client_for(role).get(reverse("people:detail", args=[person.pk]))
        assert response.status_code == 403, role
