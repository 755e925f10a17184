"""Finding who a new referral (or a person record) might be: the rules, one
by one, and what the coordinator is told about each candidate.

Every name, date, address and postcode here is made up."""

import datetime

import pytest
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.people.matching import (
    candidates_and_pending_for_referral,
    candidates_for_referral,
    people_like,
)
from prevent_hub.people.services import people_not_same, person_merge
from prevent_hub.referrals.tests.factories import PublicReferralFactory, ReferralFactory

from .factories import PersonFactory

date = datetime.date
DOB = date(2009, 5, 17)
OTHER_DOB = date(1990, 1, 2)
RECEIVED = timezone.make_aware(datetime.datetime(2026, 6, 1, 10, 0))

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR])


def referral(**fields):
    defaults = {"subject_given_name": "Jon", "subject_family_name": "Smyth", "subject_other_names": "",
                "subject_date_of_birth": None, "subject_postcode": "", "subject_approximate_age": None,
                "subject_address": "", "subject_school_or_employer": ""}
    return ReferralFactory(**{**defaults, **fields})


def person(**fields):
    defaults = {"date_of_birth": None, "postcode": "", "address": ""}
    return PersonFactory(**{**defaults, **fields})


def found(ref, user):
    return [candidate.person for candidate in candidates_for_referral(ref, user=user)]


class TestWhoIsACandidate:
    def test_similar_name_and_one_other_fact(self, coordinator):
        known = person(given_name="John", family_name="Smith", date_of_birth=DOB, postcode="ZZ11ZZ")
        ref = referral(subject_date_of_birth=DOB, subject_postcode="ZZ99 9ZZ")
        [candidate] = candidates_for_referral(ref, user=coordinator)
        assert candidate.person == known
        assert candidate.matched_on == ["similar name: Jon Smyth and John Smith",
                                        "same date of birth: 17 May 2009"]
        assert candidate.differs == ["postcode differs: ZZ99 9ZZ in this referral, ZZ1 1ZZ on record"]

    def test_similar_full_name_and_nothing_differs(self, coordinator):
        known = person(given_name="John", family_name="Smith")
        person(given_name="Jasper", family_name="Smith")  # same initial only, nothing else: not enough
        assert found(referral(), coordinator) == [known]

    def test_similar_full_name_is_not_enough_when_a_fact_differs(self, coordinator):
        person(given_name="John", family_name="Smith", date_of_birth=OTHER_DOB)
        assert found(referral(subject_date_of_birth=DOB), coordinator) == []

    def test_date_of_birth_and_postcode_without_a_similar_name(self, coordinator):
        known = person(given_name="Petra", family_name="Quill", date_of_birth=DOB, postcode="ZZ11ZZ")
        [candidate] = candidates_for_referral(referral(subject_date_of_birth=DOB, subject_postcode="ZZ1 1ZZ"),
                                              user=coordinator)
        assert candidate.person == known
        assert candidate.matched_on == ["same date of birth: 17 May 2009", "same postcode: ZZ1 1ZZ"]
        assert candidate.differs == []

    def test_the_same_address_alone(self, coordinator):
        known = person(given_name="Petra", family_name="Quill", address="Flat 2, 14 Acacia Road\nShireford")
        ref = referral(subject_given_name="Zed", subject_family_name="Nobody",
                       subject_address="flat 2, 14 acacia rd")
        [candidate] = candidates_for_referral(ref, user=coordinator)
        assert candidate.person == known
        assert candidate.matched_on == ["same address: Flat 2 14 Acacia Road"]

    def test_same_family_name_and_an_age_that_fits_the_date_of_birth(self, coordinator):
        # "Bobby" and "Robert" share no key or initial; the family name and age do the work.
        known = person(given_name="Robert", family_name="Smith", date_of_birth=date(2011, 3, 1))
        ref = referral(subject_given_name="Bobby", subject_approximate_age=15, received_at=RECEIVED)
        [candidate] = candidates_for_referral(ref, user=coordinator)
        assert candidate.person == known
        assert candidate.matched_on == [
            "same family name: Bobby Smyth and Robert Smith",
            "date of birth 1 March 2011 fits the age given (about 15 on 1 June 2026)"]

    def test_an_age_that_does_not_fit_says_so_and_rules_out_the_family_name_alone(self, coordinator):
        person(given_name="Robert", family_name="Smith", date_of_birth=date(1980, 3, 1))
        ref = referral(subject_given_name="Bobby", subject_approximate_age=15, received_at=RECEIVED)
        assert found(ref, coordinator) == []
        # With the same address, they are shown, and the coordinator is told the age does not fit.
        known = person(given_name="Robert", family_name="Smith", date_of_birth=date(1980, 3, 1),
                       address="9 Elm Close")
        ref = referral(subject_given_name="Bobby", subject_approximate_age=15, received_at=RECEIVED,
                       subject_address="9 Elm Close")
        [candidate] = candidates_for_referral(ref, user=coordinator)
        assert candidate.person == known
        assert candidate.differs == ["the age given (about 15 on 1 June 2026) does not fit the date of "
                                     "birth 1 March 1980"]

    def test_one_fact_alone_is_not_enough(self, coordinator):
        person(given_name="John", family_name="Smith", date_of_birth=OTHER_DOB, postcode="ZZ11ZZ")
        person(given_name="Petra", family_name="Quill", date_of_birth=DOB, postcode="ZZ22ZZ")
        person(given_name="Ivo", family_name="Quill", date_of_birth=OTHER_DOB, postcode="ZZ33ZZ")
        assert found(referral(subject_date_of_birth=DOB, subject_postcode="ZZ33ZZ"), coordinator) == []

    def test_same_family_name_and_initial_counts_as_a_similar_name(self, coordinator):
        known = person(given_name="Jasper", family_name="Smith", date_of_birth=DOB)
        [candidate] = candidates_for_referral(referral(subject_given_name="J", subject_date_of_birth=DOB),
                                              user=coordinator)
        assert candidate.person == known
        assert candidate.matched_on[0] == ("similar family name and the same first initial: "
                                           "J Smyth and Jasper Smith")

    def test_different_given_name_and_initial_is_not_a_similar_name(self, coordinator):
        person(given_name="Kit", family_name="Smith", date_of_birth=OTHER_DOB, postcode="ZZ11ZZ")
        assert found(referral(subject_date_of_birth=DOB, subject_postcode="ZZ11ZZ"), coordinator) == []

    def test_names_the_other_way_round(self, coordinator):
        known = person(given_name="Smith", family_name="John", date_of_birth=DOB)
        [candidate] = candidates_for_referral(referral(subject_date_of_birth=DOB), user=coordinator)
        assert candidate.person == known
        assert candidate.matched_on[0].startswith("similar name, given and family names the other way round")


class TestEveryFactCounts:
    def test_the_referrals_other_names_are_searched(self, coordinator):
        known = person(given_name="Mohammed", family_name="Quill", date_of_birth=DOB)
        [candidate] = candidates_for_referral(
            referral(subject_other_names="Muhammad Quil", subject_date_of_birth=DOB), user=coordinator)
        assert candidate.person == known
        assert candidate.matched_on[0] == "similar name: Muhammad Quil and Mohammed Quill"

    def test_the_persons_other_names_are_searched(self, coordinator):
        known = person(given_name="Petra", family_name="Quill", date_of_birth=DOB,
                       other_names=["Jonny Smith"])
        [candidate] = candidates_for_referral(referral(subject_date_of_birth=DOB), user=coordinator)
        assert candidate.person == known
        assert candidate.matched_on[0] == "similar name: Jon Smyth and Jonny Smith"

    def test_what_earlier_referrals_said_about_the_person_counts(self, coordinator):
        # The record has no date of birth or address; an earlier referral linked to them gave both.
        known = person(given_name="Kacper", family_name="Nowak")
        ReferralFactory(person=known, subject_given_name="Kacper", subject_family_name="Nowak",
                        subject_date_of_birth=DOB, subject_address="4 Birch Way", subject_postcode="")
        ref = referral(subject_given_name="Kacpi", subject_family_name="Nowack",
                       subject_address="4 Birch Way")
        [candidate] = candidates_for_referral(ref, user=coordinator)
        assert candidate.person == known
        assert "same address: 4 Birch Way" in candidate.matched_on

    def test_an_approximate_age_is_compared_with_a_date_of_birth_given_later(self, coordinator):
        # A member of the public gave a name, an age and an address; a teacher later gives a date of birth.
        concern = PublicReferralFactory(subject_given_name="Lukasz", subject_family_name="Kowalski",
                                        subject_approximate_age=15, subject_date_of_birth=None,
                                        subject_address="7 Larch Close, Shireford", subject_postcode="",
                                        received_at=RECEIVED)
        known = person(given_name="Lukasz", family_name="Kowalski", address=concern.subject_address)
        concern.person = known
        concern.save(update_fields=["person"])
        ref = referral(subject_given_name="Łukasz", subject_family_name="Kowalski",
                       subject_date_of_birth=date(2011, 2, 3),
                       subject_address="7 Larch Cl.\nShireford\nSF4 7QT",
                       received_at=RECEIVED + datetime.timedelta(days=30))
        [candidate] = candidates_for_referral(ref, user=coordinator)
        assert candidate.person == known
        assert candidate.matched_on == [
            "similar name: Łukasz Kowalski and Lukasz Kowalski",
            "date of birth 3 February 2011 fits the age given (about 15 on 1 June 2026)",
            "same address: 7 Larch Close"]

    def test_a_postcode_written_in_the_address_counts(self, coordinator):
        known = person(given_name="Petra", family_name="Quill", date_of_birth=DOB, postcode="SF47QT")
        ref = referral(subject_given_name="Zed", subject_family_name="Nobody", subject_date_of_birth=DOB,
                       subject_address="Somewhere, Shireford SF4 7QT")
        assert found(ref, coordinator) == [known]

    def test_school_or_employer_is_a_fact(self, coordinator):
        known = person(given_name="John", family_name="Smith", school_or_employer="Shireford Test Academy")
        [candidate] = candidates_for_referral(
            referral(subject_school_or_employer="shireford test academy", subject_postcode="ZZ11ZZ"),
            user=coordinator)
        assert candidate.person == known
        assert "same school or employer: Shireford Test Academy" in candidate.matched_on

    def test_names_in_other_scripts_are_found(self, coordinator):
        known = person(given_name="Dmitry", family_name="Ivanov", date_of_birth=DOB)
        ref = referral(subject_given_name="Дмитрий", subject_family_name="Иванов", subject_date_of_birth=DOB)
        assert found(ref, coordinator) == [known]


class TestWhoIsNotOffered:
    def test_the_person_already_linked(self, coordinator):
        known = person(given_name="John", family_name="Smith", date_of_birth=DOB)
        assert found(referral(subject_date_of_birth=DOB, person=known), coordinator) == []

    def test_a_record_merged_into_another(self, coordinator):
        kept = person(given_name="John", family_name="Smith", date_of_birth=DOB)
        merged = person(given_name="Jon", family_name="Smith", date_of_birth=DOB)
        person_merge(kept=kept, merged=merged, reasons="Fictional", acting_user=coordinator)
        assert found(referral(subject_date_of_birth=DOB), coordinator) == [kept]

    def test_similar_names_with_different_everything_else(self, coordinator):
        # "Łukasz Nowak" and "Lucas Novak" sound alike to some, but not by key, and nothing else matches.
        person(given_name="Lucas", family_name="Novak", date_of_birth=OTHER_DOB, postcode="ZZ11ZZ")
        ref = referral(subject_given_name="Łukasz", subject_family_name="Nowak", subject_date_of_birth=DOB,
                       subject_postcode="ZZ22ZZ")
        assert found(ref, coordinator) == []


class TestReferralsNotYetIdentified:
    def test_are_listed_apart_with_what_matches(self, coordinator):
        waiting = PublicReferralFactory(subject_given_name="Jonny", subject_family_name="Smith",
                                        subject_address="12 Acacia Road, Shireford", subject_postcode="",
                                        received_at=timezone.now() - datetime.timedelta(days=1))
        ref = referral(subject_address="12 Acacia Rd")
        people, pending = candidates_and_pending_for_referral(ref, user=coordinator)
        assert people == []
        [candidate] = pending
        assert candidate.referral == waiting
        assert candidate.comparison.short == ["similar name", "same address"]

    def test_the_referral_itself_and_linked_ones_are_not_listed(self, coordinator):
        ReferralFactory(person=person(), subject_given_name="Jon", subject_family_name="Smyth")
        ref = referral()
        _people, pending = candidates_and_pending_for_referral(ref, user=coordinator)
        assert pending == []


class TestRecordsThatMayBeTheSamePerson:
    def test_are_found_by_the_same_rules(self, coordinator):
        one = person(given_name="John", family_name="Smith", date_of_birth=DOB)
        other = person(given_name="Jon", family_name="Smyth", date_of_birth=DOB)
        person(given_name="Petra", family_name="Quill", date_of_birth=OTHER_DOB)
        alike, _pending = people_like(one, user=coordinator)
        assert [candidate.person for candidate in alike] == [other]
        assert alike[0].matched_on[1] == "same date of birth: 17 May 2009"

    def test_not_the_same_person_is_not_offered_again(self, coordinator):
        one = person(given_name="John", family_name="Smith", date_of_birth=DOB)
        other = person(given_name="Jon", family_name="Smyth", date_of_birth=DOB)
        people_not_same(person=other, other=one, reasons="Twins, fictional", acting_user=coordinator)
        assert people_like(one, user=coordinator)[0] == []
        assert people_like(other, user=coordinator)[0] == []


class TestOrderAndDetail:
    def test_more_matching_facts_first_then_by_name(self, coordinator):
        two_b = person(given_name="Jon", family_name="Smythe", date_of_birth=DOB, postcode="ZZ77ZZ")
        three = person(given_name="John", family_name="Smith", date_of_birth=DOB, postcode="ZZ11ZZ")
        two_a = person(given_name="Petra", family_name="Quill", date_of_birth=DOB, postcode="ZZ11ZZ")
        assert found(referral(subject_date_of_birth=DOB, subject_postcode="ZZ11ZZ"), coordinator) == [
            three, two_a, two_b]

    def test_earlier_referrals_come_with_each_candidate_oldest_first(self, coordinator):
        known = person(given_name="John", family_name="Smith", date_of_birth=DOB)
        now = timezone.now()
        newer = ReferralFactory(person=known, received_at=now - datetime.timedelta(days=3))
        older = ReferralFactory(person=known, received_at=now - datetime.timedelta(days=300))
        [candidate] = candidates_for_referral(referral(subject_date_of_birth=DOB), user=coordinator)
        assert candidate.earlier_referrals == [older, newer]

    def test_nothing_given_finds_nobody_without_asking_the_database(self, coordinator,
                                                                    django_assert_num_queries):
        person(given_name="", family_name="")
        ref = referral(subject_given_name="", subject_family_name="")
        with django_assert_num_queries(0):
            assert found(ref, coordinator) == []


@pytest.mark.parametrize("how_many", [1, 5])
def test_the_number_of_queries_does_not_grow_with_the_candidates(coordinator, how_many,
                                                                 django_assert_num_queries):
    for number in range(how_many):
        known = person(given_name="John", family_name="Smith", date_of_birth=DOB,
                       other_names=[f"Johnny Smyth{number}"])
        ReferralFactory(person=known)
        ReferralFactory(person=known)
    person(given_name="Petra", family_name="Smith", date_of_birth=OTHER_DOB)
    ref = referral(subject_date_of_birth=DOB, subject_postcode="ZZ11ZZ")
    coordinator.has_role(Role.PREVENT_COORDINATOR)  # roles are read once per request, as in a view
    # Names by key (people, referrals), people and referrals by fact, their
    # record, names, referrals and referral names, then the candidates, their
    # names and their earlier referrals.
    with django_assert_num_queries(11):
        candidates = candidates_for_referral(ref, user=coordinator)
        for candidate in candidates:
            [str(name) for name in candidate.person.names.all()]
            [each.reference for each in candidate.earlier_referrals]
    assert len(candidates) == how_many
