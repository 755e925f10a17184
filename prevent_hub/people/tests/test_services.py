"""Recording a coordinator's decision about who a referral is about."""

import datetime

import pytest

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.people.models import MatchDecision, Person, PersonName
from prevent_hub.people.services import (
    AlreadyIdentified,
    match_confirm,
    match_reject,
    person_create_from_referral,
)
from prevent_hub.referrals.models import ReferralKind
from prevent_hub.referrals.services import referral_submit
from prevent_hub.referrals.tests.factories import ReferralFactory

from .factories import PersonFactory

DOB = datetime.date(2009, 5, 17)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR])


def names_of(person):
    return [(name.kind, name.given_name, name.family_name) for name in person.names.order_by("pk")]


def events_for(obj):
    return list(AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
                .order_by("sequence"))


def test_submitting_a_referral_never_links_or_makes_a_person(coordinator):
    PersonFactory(given_name="Jon", family_name="Smyth", date_of_birth=DOB, postcode="ZZ11ZZ")
    referral, created = referral_submit(
        kind=ReferralKind.PUBLIC, submission_key="test:no-merge",
        details={"referrer_name": "Test Neighbour", "subject_given_name": "Jon",
                 "subject_family_name": "Smyth", "subject_date_of_birth": DOB,
                 "subject_postcode": "ZZ1 1ZZ", "concern_description": "Fictional concern."},
    )
    assert created
    referral.refresh_from_db()
    assert referral.person is None
    assert Person.objects.count() == 1
    assert not MatchDecision.objects.exists()


def test_recording_a_new_person_starts_their_record_from_the_referral_and_links_it(coordinator):
    referral = ReferralFactory(subject_given_name="Jon", subject_family_name="Smyth",
                               subject_other_names="Johnny Smith, Jay", subject_date_of_birth=DOB,
                               subject_postcode="ZZ11ZZ", subject_gender="Male",
                               subject_address="3 Pretend Lane", subject_school_or_employer="Test Academy")
    person = person_create_from_referral(referral=referral, acting_user=coordinator)

    assert (person.full_name, person.date_of_birth, person.postcode, person.gender, person.address,
            person.address_key, person.school_or_employer) == (
        "Jon Smyth", DOB, "ZZ11ZZ", "Male", "3 Pretend Lane", "3 pretend lane", "Test Academy")
    assert person.created_by == coordinator
    # The record's name; the referral's other names stay on the referral, where they came from.
    assert names_of(person) == [("main", "Jon", "Smyth")]
    assert [str(name) for name in referral.names.all()] == ["Jon Smyth", "Johnny Smith", "Jay Smyth"]
    assert person.names.get().family_key == "SMT"
    referral.refresh_from_db()
    assert (referral.person, referral.person_confirmed_by) == (person, coordinator)
    assert referral.person_confirmed_at is not None

    [created] = events_for(person)
    assert created.action == AuditAction.CREATE
    assert "names" in created.changed_fields and "date_of_birth" in created.changed_fields
    assert created.actor == coordinator
    [linked] = [event for event in events_for(referral) if event.action == AuditAction.UPDATE]
    assert linked.changed_fields == ["person", "person_confirmed_at", "person_confirmed_by"]
    assert "Jon" not in str(created.details) + str(linked.details)


def test_recording_a_new_person_twice_makes_one_person(coordinator):
    referral = ReferralFactory()
    first = person_create_from_referral(referral=referral, acting_user=coordinator)
    with pytest.raises(AlreadyIdentified, match="already linked to a person record"):
        person_create_from_referral(referral=ReferralFactory._meta.model.objects.get(pk=referral.pk),
                                    acting_user=coordinator)
    assert list(Person.objects.all()) == [first]


def test_confirming_links_and_records_the_decision_without_copying_the_referral(coordinator):
    person = PersonFactory(given_name="John", family_name="Smith", date_of_birth=None, postcode="")
    referral = ReferralFactory(subject_given_name="Jon", subject_family_name="Smyth",
                               subject_other_names="John Smith", subject_date_of_birth=DOB,
                               subject_postcode="ZZ11ZZ")

    match_confirm(referral=referral, person=person, acting_user=coordinator)

    referral.refresh_from_db()
    person.refresh_from_db()
    assert (referral.person, referral.person_confirmed_by) == (person, coordinator)
    decision = MatchDecision.objects.get()
    assert (decision.referral, decision.person, decision.answer, decision.decided_by) == (
        referral, person, MatchDecision.Answer.CONFIRMED, coordinator)
    # What the referral said stays on the referral: the person's record is the
    # coordinators' (and shows the referral's facts beside it, to those who may see it).
    assert names_of(person) == [("main", "John", "Smith")]
    assert (person.date_of_birth, person.postcode) == (None, "")
    assert events_for(person) == []


def test_confirming_never_overwrites_what_the_person_record_says(coordinator):
    recorded = datetime.date(2009, 6, 1)
    person = PersonFactory(given_name="John", family_name="Smith", date_of_birth=recorded, postcode="ZZ22ZZ")
    referral = ReferralFactory(subject_given_name="John", subject_family_name="Smith",
                               subject_date_of_birth=DOB, subject_postcode="ZZ11ZZ")
    match_confirm(referral=referral, person=person, acting_user=coordinator)
    person.refresh_from_db()
    assert (person.date_of_birth, person.postcode) == (recorded, "ZZ22ZZ")
    assert PersonName.objects.filter(person=person).count() == 1
    assert events_for(person) == []


def test_confirming_twice_changes_nothing(coordinator):
    person = PersonFactory()
    referral = ReferralFactory()
    match_confirm(referral=referral, person=person, acting_user=coordinator)
    count = AuditEvent.objects.count()
    match_confirm(referral=referral, person=person, acting_user=UserFactory(roles=[Role.PREVENT_COORDINATOR]))
    referral.refresh_from_db()
    assert referral.person_confirmed_by == coordinator
    assert MatchDecision.objects.count() == 1
    assert AuditEvent.objects.count() == count


def test_confirming_another_person_when_already_linked_is_refused(coordinator):
    first, second = PersonFactory(), PersonFactory()
    referral = ReferralFactory()
    match_confirm(referral=referral, person=first, acting_user=coordinator)
    with pytest.raises(AlreadyIdentified, match=first.full_name):
        match_confirm(referral=referral, person=second, acting_user=coordinator)
    referral.refresh_from_db()
    assert referral.person == first
    assert not MatchDecision.objects.filter(person=second).exists()


def test_rejecting_records_who_and_can_be_changed_to_a_confirmation(coordinator):
    person = PersonFactory()
    referral = ReferralFactory()
    assert match_reject(referral=referral, person=person, acting_user=coordinator) is True
    assert match_reject(referral=referral, person=person, acting_user=coordinator) is False
    decision = MatchDecision.objects.get()
    assert (decision.answer, decision.decided_by) == (MatchDecision.Answer.REJECTED, coordinator)
    referral.refresh_from_db()
    assert referral.person is None
    rejections = [event for event in events_for(referral) if event.changed_fields == ["match_decisions"]]
    assert len(rejections) == 1

    match_confirm(referral=referral, person=person, acting_user=coordinator)
    decision.refresh_from_db()
    assert decision.answer == MatchDecision.Answer.CONFIRMED
    assert MatchDecision.objects.count() == 1


def test_rejecting_once_linked_is_refused(coordinator):
    person, other = PersonFactory(), PersonFactory()
    referral = ReferralFactory()
    match_confirm(referral=referral, person=person, acting_user=coordinator)
    with pytest.raises(AlreadyIdentified):
        match_reject(referral=referral, person=other, acting_user=coordinator)
    assert not MatchDecision.objects.filter(person=other).exists()
