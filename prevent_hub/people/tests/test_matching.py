"""Finding people a new referral might be about: the rules, one by one.

Every name, date and postcode here is made up."""

import datetime

import pytest
from django.utils import timezone

from prevent_hub.accounts.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.people.matching import candidates_for_referral, name_key
from prevent_hub.people.names import fold, other_names, referral_names
from prevent_hub.referrals.tests.factories import ReferralFactory

from .factories import PersonFactory

date = datetime.date
DOB = date(2009, 5, 17)
OTHER_DOB = date(1990, 1, 2)


@pytest.mark.parametrize(("one", "other"), [
    ("Mohammed", "Muhammad"),
    ("Mohammed", "Mohamed"),
    ("Smith", "Smyth"),
    ("Jon", "John"),
    ("Catherine", "Kathryn"),
    ("O'Neil", "ONeill"),
    ("Stephen", "Steven"),
    ("Zoë", "Zoe"),
    ("Müller", "Muller"),
    ("MacDonald", "Mcdonald"),
    ("smith-jones", "Smith Jones"),
])
def test_spellings_that_share_a_key(one, other):
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(("one", "other"), [
    ("Smith", "Jones"),
    ("Sean", "Shaun"),  # documented: not found by the key
    ("Thompson", "Thomson"),
    ("Aisha", "Ayesha"),
])
def test_spellings_that_do_not_share_a_key(one, other):
    assert name_key(one) != name_key(other)


def test_name_keys_fold_accents_case_and_punctuation():
    assert fold("  O'Néill-Smith ") == "oneillsmith"
    assert name_key("") == ""
    assert name_key("'-") == ""
    # A script with no ASCII form keys to its own letters: an exact match only.
    assert name_key("Иван") == "иван"
    assert name_key("Иван") != name_key("Петр")


def test_other_names_are_split_into_names():
    names = other_names("Jon Smyth, Johnny\nJ. P. Smith; Jay aka Jaybird Smyth", family_name="Smith")
    assert [(name.given_name, name.family_name) for name in names] == [
        ("Jon", "Smyth"), ("Johnny", "Smith"), ("J. P.", "Smith"), ("Jay", "Smith"),
        ("Jaybird", "Smyth"),
    ]


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=[Role.PREVENT_COORDINATOR])


def referral(**fields):
    defaults = {"subject_given_name": "Jon", "subject_family_name": "Smyth", "subject_other_names": "",
                "subject_date_of_birth": None, "subject_postcode": "", "subject_approximate_age": None}
    return ReferralFactory(**{**defaults, **fields})


def found(ref, user):
    return [candidate.person for candidate in candidates_for_referral(ref, user=user)]


@pytest.mark.django_db
class TestRules:
    def test_similar_name_and_date_of_birth(self, coordinator):
        person = PersonFactory(given_name="John", family_name="Smith", date_of_birth=DOB, postcode="ZZ11ZZ")
        ref = referral(subject_date_of_birth=DOB, subject_postcode="ZZ99 9ZZ")
        [candidate] = candidates_for_referral(ref, user=coordinator)
        assert candidate.person == person
        assert candidate.matched_on == ["similar name: Jon Smyth ~ John Smith", "same date of birth"]

    def test_similar_name_and_postcode(self, coordinator):
        person = PersonFactory(given_name="John", family_name="Smith", date_of_birth=OTHER_DOB,
                               postcode="ZZ11ZZ")
        ref = referral(subject_date_of_birth=DOB, subject_postcode="zz1 1zz")
        [candidate] = candidates_for_referral(ref, user=coordinator)
        assert candidate.person == person
        assert candidate.matched_on == ["similar name: Jon Smyth ~ John Smith", "same postcode"]

    def test_date_of_birth_and_postcode_without_a_similar_name(self, coordinator):
        person = PersonFactory(given_name="Petra", family_name="Quill", date_of_birth=DOB, postcode="ZZ11ZZ")
        ref = referral(subject_date_of_birth=DOB, subject_postcode="ZZ1 1ZZ")
        [candidate] = candidates_for_referral(ref, user=coordinator)
        assert candidate.person == person
        assert candidate.matched_on == ["same date of birth", "same postcode"]

    def test_one_fact_alone_is_not_enough(self, coordinator):
        PersonFactory(given_name="John", family_name="Smith", date_of_birth=OTHER_DOB, postcode="ZZ11ZZ")
        PersonFactory(given_name="Petra", family_name="Quill", date_of_birth=DOB, postcode="ZZ22ZZ")
        PersonFactory(given_name="Ivo", family_name="Quill", date_of_birth=OTHER_DOB, postcode="ZZ33ZZ")
        ref = referral(subject_date_of_birth=DOB, subject_postcode="ZZ33ZZ")
        assert found(ref, coordinator) == []

    def test_similar_full_name_alone_when_no_date_of_birth_or_postcode_given(self, coordinator):
        person = PersonFactory(given_name="John", family_name="Smith")
        PersonFactory(given_name="Jasper", family_name="Smith")  # same initial only: not enough alone
        ref = referral()
        assert found(ref, coordinator) == [person]

    def test_same_family_name_and_initial_counts_as_a_similar_name(self, coordinator):
        person = PersonFactory(given_name="Jasper", family_name="Smith", date_of_birth=DOB)
        ref = referral(subject_given_name="J", subject_date_of_birth=DOB)
        [candidate] = candidates_for_referral(ref, user=coordinator)
        assert candidate.person == person
        assert candidate.matched_on[0] == "similar family name and same first initial: J Smyth ~ Jasper Smith"

    def test_different_given_name_and_initial_is_not_a_similar_name(self, coordinator):
        PersonFactory(given_name="Kit", family_name="Smith", date_of_birth=DOB, postcode="ZZ11ZZ")
        ref = referral(subject_date_of_birth=DOB, subject_postcode="ZZ88ZZ")
        assert found(ref, coordinator) == []

    def test_names_the_other_way_round(self, coordinator):
        person = PersonFactory(given_name="Smith", family_name="John", date_of_birth=DOB)
        ref = referral(subject_date_of_birth=DOB)
        [candidate] = candidates_for_referral(ref, user=coordinator)
        assert candidate.person == person
        assert candidate.matched_on[0].startswith("similar name, given and family names the other way round")

    def test_the_referrals_other_names_are_searched(self, coordinator):
        person = PersonFactory(given_name="Mohammed", family_name="Quill", date_of_birth=DOB)
        ref = referral(subject_other_names="Muhammad Quil", subject_date_of_birth=DOB)
        [candidate] = candidates_for_referral(ref, user=coordinator)
        assert candidate.person == person
        assert candidate.matched_on[0] == "similar name: Muhammad Quil ~ Mohammed Quill"

    def test_the_persons_other_names_are_searched(self, coordinator):
        person = PersonFactory(given_name="Petra", family_name="Quill", date_of_birth=DOB,
                               other_names=["Jonny Smith"])
        ref = referral(subject_date_of_birth=DOB)
        [candidate] = candidates_for_referral(ref, user=coordinator)
        assert candidate.person == person
        assert candidate.matched_on[0] == "similar name: Jon Smyth ~ Jonny Smith"

    def test_accents_do_not_hide_a_match(self, coordinator):
        person = PersonFactory(given_name="Zoë", family_name="Brontë", postcode="ZZ11ZZ")
        ref = referral(subject_given_name="Zoe", subject_family_name="Bronte", subject_postcode="ZZ1 1ZZ")
        assert found(ref, coordinator) == [person]

    def test_postcode_spacing_and_capitals_do_not_hide_a_match(self, coordinator):
        person = PersonFactory(given_name="Petra", family_name="Quill", date_of_birth=DOB, postcode="ZZ11ZZ")
        ref = ReferralFactory(subject_given_name="Zed", subject_family_name="Nobody",
                              subject_date_of_birth=DOB, subject_postcode=" zz1  1zz ")
        assert found(ref, coordinator) == [person]

    def test_approximate_age_matches_a_birth_year_within_one_year(self, coordinator):
        received = timezone.make_aware(datetime.datetime(2026, 6, 1, 10, 0))
        born_2011 = PersonFactory(given_name="John", family_name="Smith", date_of_birth=date(2011, 3, 1),
                                  postcode="ZZ11ZZ")
        born_2010 = PersonFactory(given_name="Jon", family_name="Smith", date_of_birth=date(2010, 12, 31),
                                  postcode="ZZ22ZZ")
        PersonFactory(given_name="Jonathan", family_name="Smith", date_of_birth=date(2008, 12, 31),
                      postcode="ZZ33ZZ")
        # Age 15 in 2026 implies 2011; 2010 to 2012 fit. Only a similar name + that year.
        ref = referral(subject_given_name="J", subject_approximate_age=15, received_at=received,
                       subject_postcode="")
        # No date of birth or postcode, but "J" is an initial, not a full name:
        # so only name + birth year makes a candidate.
        candidates = candidates_for_referral(ref, user=coordinator)
        assert [candidate.person for candidate in candidates] == [born_2011, born_2010]  # by name
        assert "fits the age given (about 15)" in candidates[0].matched_on[1]

    def test_approximate_age_with_postcode(self, coordinator):
        received = timezone.make_aware(datetime.datetime(2026, 6, 1, 10, 0))
        person = PersonFactory(given_name="Petra", family_name="Quill", date_of_birth=date(2012, 7, 1),
                               postcode="ZZ11ZZ")
        PersonFactory(given_name="Ivo", family_name="Quill", date_of_birth=date(2000, 7, 1),
                      postcode="ZZ11ZZ")
        ref = referral(subject_approximate_age=15, received_at=received, subject_postcode="ZZ11ZZ")
        assert found(ref, coordinator) == [person]

    def test_the_person_already_linked_is_not_a_candidate(self, coordinator):
        person = PersonFactory(given_name="John", family_name="Smith", date_of_birth=DOB)
        ref = referral(subject_date_of_birth=DOB, person=person)
        assert found(ref, coordinator) == []

    def test_more_matching_facts_first_then_by_name(self, coordinator):
        two_b = PersonFactory(given_name="Jon", family_name="Smythe", date_of_birth=DOB, postcode="ZZ77ZZ")
        three = PersonFactory(given_name="John", family_name="Smith", date_of_birth=DOB, postcode="ZZ11ZZ")
        two_a = PersonFactory(given_name="Petra", family_name="Quill", date_of_birth=DOB, postcode="ZZ11ZZ")
        ref = referral(subject_date_of_birth=DOB, subject_postcode="ZZ11ZZ")
        assert found(ref, coordinator) == [three, two_a, two_b]

    def test_earlier_referrals_come_with_each_candidate_oldest_first(self, coordinator):
        person = PersonFactory(given_name="John", family_name="Smith", date_of_birth=DOB)
        now = timezone.now()
        newer = ReferralFactory(person=person, received_at=now - datetime.timedelta(days=3))
        older = ReferralFactory(person=person, received_at=now - datetime.timedelta(days=300))
        ref = referral(subject_date_of_birth=DOB)
        [candidate] = candidates_for_referral(ref, user=coordinator)
        assert candidate.earlier_referrals == [older, newer]

    def test_nothing_given_finds_nobody(self, coordinator, django_assert_num_queries):
        PersonFactory(given_name="", family_name="")
        ref = referral(subject_given_name="", subject_family_name="")
        with django_assert_num_queries(0):
            assert found(ref, coordinator) == []


@pytest.mark.django_db
@pytest.mark.parametrize("how_many", [1, 5])
def test_the_number_of_queries_does_not_grow_with_the_candidates(coordinator, how_many,
                                                                 django_assert_num_queries):
    for number in range(how_many):
        person = PersonFactory(given_name="John", family_name="Smith", date_of_birth=DOB,
                               other_names=[f"Johnny Smyth{number}"])
        ReferralFactory(person=person)
        ReferralFactory(person=person)
    PersonFactory(given_name="Petra", family_name="Smith", date_of_birth=OTHER_DOB)
    ref = referral(subject_date_of_birth=DOB, subject_postcode="ZZ11ZZ")
    coordinator.has_role(Role.PREVENT_COORDINATOR)  # roles are read once per request, as in a view
    # Names by key, facts, the people, their names, their earlier referrals.
    with django_assert_num_queries(5):
        candidates = candidates_for_referral(ref, user=coordinator)
        for candidate in candidates:
            [str(name) for name in candidate.person.names.all()]
            [referral.reference for referral in candidate.earlier_referrals]
    assert len(candidates) == how_many


@pytest.mark.django_db
def test_names_a_referral_gives_are_deduplicated():
    ref = referral(subject_other_names="Jon Smyth\nJon Smyth, Jonny")
    assert [name.full_name for name in referral_names(ref)] == ["Jon Smyth", "Jonny Smyth"]
