"""Repeat referrals: who already known might this referral, or this person, be?

The search finds candidates and says in words which facts match and which
differ; a Prevent coordinator decides. Nothing is linked or merged here, and
no number, score or ranking is worked out about anyone
(docs/decisions/0010-repeat-referral-matching.md).

**Facts.** What is known about someone is gathered from everywhere it was
given: a referral's own answers; for a person, their record (kept by
coordinators) and every referral linked to them. The facts compared:

- names: any name given (main or other names) against any name of theirs,
  by the keys of core.names (so spellings and scripts find each other);
- date of birth;
- an approximate age, with the date it was given, against a date of birth
  (it fits when the age on that date is within a year of it), or against
  another approximate age (the years of birth they imply are within two);
- postcode, from its own box or written in the address;
- address, reduced to which home it is (core.addresses.address_key);
- school, college or employer, ignoring capitals, spaces and punctuation.

A fact *matches* when the two share a value, and *differs* when both have
values and share none.

**Who is a candidate.** Anyone for whom one of these holds:

1. a similar name and at least one other fact matches;
2. a similar full name (given and family names both) and no fact differs;
3. the same date of birth and the same postcode or address;
4. the same address;
5. the same family name and a date of birth that fits (the same date, or
   an approximate age that fits it).

A similar name is: the same family name key and either the same given name
key or the same first initial; or the given and family names the other way
round.

**Order.** More matching facts first, then by name. Referrals not yet linked
to anyone are found by the same rules and listed apart, newest first.

**Cost.** A fixed number of indexed queries whatever the number of people
known: names by key, people and referrals by date of birth, postcode or
address, then the facts of those found, then what the page shows of the
candidates.
"""

import datetime
import operator
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import Prefetch, Q
from django.utils import timezone

from prevent_hub.access import scope
from prevent_hub.core.addresses import format_postcode
from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.names import GivenName, fold
from prevent_hub.referrals.models import Referral, ReferralName
from prevent_hub.referrals.subject import subject_names

from .models import Person, PersonDistinction, PersonName

__all__ = ["Candidate", "Facts", "candidates_and_pending_for_referral", "candidates_for_referral", "compare",
           "people_facts", "people_like", "person_facts", "referral_facts"]

# Kinds of fact.
NAME = "name"
FAMILY_NAME = "family_name"
DATE_OF_BIRTH = "date_of_birth"
AGE = "age"
AGES = "ages"
POSTCODE = "postcode"
ADDRESS = "address"
SCHOOL = "school_or_employer"

SHORT = {
    NAME: "similar name", FAMILY_NAME: "same family name", DATE_OF_BIRTH: "same date of birth",
    AGE: "age fits the date of birth", AGES: "ages given fit each other", POSTCODE: "same postcode",
    ADDRESS: "same address", SCHOOL: "same school or employer",
}

# How a name matched, strongest first.
SAME_KEYS, OTHER_ORDER, SAME_INITIAL, SAME_FAMILY = 0, 1, 2, 3
SIMILAR = (SAME_KEYS, OTHER_ORDER, SAME_INITIAL)
FULL = (SAME_KEYS, OTHER_ORDER)


@dataclass
class Facts:
    """Everything known about one someone, each fact as written."""

    names: list[GivenName] = field(default_factory=list)
    dates_of_birth: set[datetime.date] = field(default_factory=set)
    ages: set[tuple[int, datetime.date]] = field(default_factory=set)  # (about, given on)
    postcodes: set[str] = field(default_factory=set)
    addresses: dict[str, str] = field(default_factory=dict)  # key: as shown
    schools: dict[str, str] = field(default_factory=dict)  # folded: as written

    def add_name(self, given: str, family: str, given_key: str | None = None, family_key: str | None = None):
        name = (GivenName(given, family) if given_key is None
                else GivenName.keyed(given, family, given_key, family_key))
        if name.full_name and name not in self.names:
            self.names.append(name)

    def add_facts(self, *, date_of_birth=None, age=None, age_given_on=None, postcode="", address_key="",
                  school=""):
        if date_of_birth:
            self.dates_of_birth.add(date_of_birth)
        if age is not None and age_given_on is not None:
            self.ages.add((age, timezone.localtime(age_given_on).date()
                           if isinstance(age_given_on, datetime.datetime) else age_given_on))
        if postcode:
            self.postcodes.add(postcode)
        if address_key:
            self.addresses.setdefault(address_key, address_key.title())
        if fold(school):
            self.schools.setdefault(fold(school), school)

    @property
    def family_keys(self) -> set[str]:
        return {name.family_key for name in self.names if name.family_key}

    def is_empty(self) -> bool:
        return not (self.names or self.dates_of_birth or self.postcodes or self.addresses)


def referral_facts(referral: Referral) -> Facts:
    """What a referral says about its subject."""
    facts = Facts()
    for name in subject_names(referral):
        facts.add_name(name.given_name, name.family_name)
    facts.add_facts(date_of_birth=referral.subject_date_of_birth, age=referral.subject_approximate_age,
                    age_given_on=referral.received_at, postcode=referral.subject_postcode_key,
                    address_key=referral.subject_address_key, school=referral.subject_school_or_employer)
    return facts


# Comparing ---------------------------------------------------------------------------------


def _age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def _about(age: int, day: datetime.date) -> str:
    return f"about {age} on {govuk_date(day)}"


@dataclass
class Comparison:
    """Which facts match and which differ, in words."""

    name_how: int | None = None
    matched: dict[str, str] = field(default_factory=dict)  # kind: in words
    differs: dict[str, str] = field(default_factory=dict)

    @property
    def is_candidate(self) -> bool:
        kinds = set(self.matched)
        others = kinds - {NAME, FAMILY_NAME}
        similar, full = self.name_how in SIMILAR, self.name_how in FULL
        return bool(
            (similar and others)
            or (full and not self.differs)
            or (DATE_OF_BIRTH in kinds and kinds & {POSTCODE, ADDRESS})
            or ADDRESS in kinds
            or (self.name_how is not None and kinds & {DATE_OF_BIRTH, AGE})
        )

    @property
    def short(self) -> list[str]:
        """"similar name", "same address": for a line about a referral."""
        return [SHORT[kind] for kind in self.matched]


def _name_how(ours: GivenName, theirs: GivenName) -> int | None:
    if not ours.family_key:
        return None
    if theirs.family_key == ours.family_key:
        if ours.given_key and theirs.given_key == ours.given_key:
            return SAME_KEYS
        if ours.initial and theirs.initial == ours.initial:
            return SAME_INITIAL
        return SAME_FAMILY
    if ours.given_key and (theirs.family_key, theirs.given_key) == (ours.given_key, ours.family_key):
        return OTHER_ORDER
    return None


NAME_WORDS = {
    SAME_KEYS: "similar name",
    OTHER_ORDER: "similar name, given and family names the other way round",
    SAME_INITIAL: "similar family name and the same first initial",
    SAME_FAMILY: "same family name",
}


def _compare_names(comparison: Comparison, ours: Facts, theirs: Facts):
    best = None
    for mine in ours.names:
        for other in theirs.names:
            how = _name_how(mine, other)
            if how is not None and (best is None or how < best[0]):
                best = (how, mine, other)
    if best is None:
        return
    how, mine, other = best
    comparison.name_how = how
    kind = FAMILY_NAME if how == SAME_FAMILY else NAME
    comparison.matched[kind] = f"{NAME_WORDS[how]}: {mine.full_name} and {other.full_name}"


def _fits(ages, dates_of_birth):
    """(age, given on, date of birth) pairs that fit, and whether any pair was compared."""
    fitting, compared = [], False
    for age, day in sorted(ages):
        for born in sorted(dates_of_birth):
            compared = True
            if abs(_age_on(born, day) - age) <= 1:
                fitting.append((age, day, born))
    return fitting, compared


def _compare_dates(comparison: Comparison, ours: Facts, theirs: Facts, *, here: str, there: str):
    if ours.dates_of_birth and theirs.dates_of_birth:
        same = ours.dates_of_birth & theirs.dates_of_birth
        if same:
            comparison.matched[DATE_OF_BIRTH] = f"same date of birth: {govuk_date(min(same))}"
        else:
            comparison.differs[DATE_OF_BIRTH] = (
                f"date of birth differs: {govuk_date(min(ours.dates_of_birth))} {here}, "
                f"{govuk_date(min(theirs.dates_of_birth))} {there}")
    fitting, compared = [], False
    for ages, dates in ((ours.ages, theirs.dates_of_birth), (theirs.ages, ours.dates_of_birth)):
        found, tried = _fits(ages, dates)
        fitting += found
        compared = compared or tried
    if fitting:
        age, day, born = fitting[0]
        comparison.matched[AGE] = f"date of birth {govuk_date(born)} fits the age given ({_about(age, day)})"
    elif compared and DATE_OF_BIRTH not in comparison.matched:
        age, day = min(ours.ages or theirs.ages)
        born = min(theirs.dates_of_birth if ours.ages else ours.dates_of_birth)
        comparison.differs[AGE] = (f"the age given ({_about(age, day)}) does not fit the date of birth "
                                   f"{govuk_date(born)}")
    if ours.ages and theirs.ages:
        pairs = [(a, b) for a in sorted(ours.ages) for b in sorted(theirs.ages)
                 if abs((a[1].year - a[0]) - (b[1].year - b[0])) <= 2]
        if pairs:
            (age, day), (other_age, other_day) = pairs[0]
            comparison.matched[AGES] = (f"the ages given fit each other: {_about(age, day)} {here}, "
                                        f"{_about(other_age, other_day)} {there}")
        else:
            (age, day), (other_age, other_day) = min(ours.ages), min(theirs.ages)
            comparison.differs[AGES] = (f"the ages given do not fit each other: {_about(age, day)} {here}, "
                                        f"{_about(other_age, other_day)} {there}")


def _compare_values(comparison, kind, ours: dict, theirs: dict, *, label, here, there):
    if not ours or not theirs:
        return
    same = sorted(set(ours) & set(theirs))
    if same:
        comparison.matched[kind] = f"same {label}: {theirs[same[0]]}"
    else:
        comparison.differs[kind] = (f"{label} differs: {next(iter(ours.values()))} {here}, "
                                    f"{next(iter(theirs.values()))} {there}")


def compare(ours: Facts, theirs: Facts, *, here: str = "in this referral", there: str = "on record"
            ) -> Comparison:
    """How `theirs` compares with `ours`, fact by fact, in words."""
    comparison = Comparison()
    _compare_names(comparison, ours, theirs)
    _compare_dates(comparison, ours, theirs, here=here, there=there)
    _compare_values(comparison, POSTCODE, {code: format_postcode(code) for code in ours.postcodes},
                    {code: format_postcode(code) for code in theirs.postcodes},
                    label="postcode", here=here, there=there)
    _compare_values(comparison, ADDRESS, ours.addresses, theirs.addresses, label="address", here=here,
                    there=there)
    _compare_values(comparison, SCHOOL, ours.schools, theirs.schools, label="school or employer",
                    here=here, there=there)
    return comparison


# Finding ------------------------------------------------------------------------------------

REFERRAL_FACT_FIELDS = ("pk", "person_id", "received_at", "subject_date_of_birth", "subject_approximate_age",
                        "subject_postcode_key", "subject_address_key", "subject_school_or_employer")


def _name_condition(facts: Facts) -> Q | None:
    """Names with one of the family keys, or the other way round."""
    family_keys = facts.family_keys
    if not family_keys:
        return None
    condition = Q(family_key__in=family_keys)
    for name in facts.names:
        if name.given_key and name.family_key:
            condition |= Q(family_key=name.given_key, given_key=name.family_key)
    return condition


def _worth_a_look(facts: Facts, name: GivenName, *, born=None, age=None, given_on=None) -> bool:
    """Is a name found by key worth gathering the facts of its someone? A
    similar name always is; the same family name alone only with a date of
    birth or age that could fit (rule 5)."""
    hows = [_name_how(mine, name) for mine in facts.names]
    if any(how in SIMILAR for how in hows):
        return True
    if SAME_FAMILY not in hows:
        return False
    theirs = Facts()
    theirs.add_facts(date_of_birth=born, age=age, age_given_on=given_on)
    comparison = Comparison()
    _compare_dates(comparison, facts, theirs, here="", there="")
    return bool(comparison.matched.keys() & {DATE_OF_BIRTH, AGE})


@dataclass
class _Found:
    people: set[int] = field(default_factory=set)
    referrals: set[int] = field(default_factory=set)  # not linked to anyone


def _find(facts: Facts) -> _Found:
    """Everyone worth comparing: found by a name key, date of birth, postcode or address."""
    found = _Found()
    condition = _name_condition(facts)
    if condition is not None:
        for person_id, *name, born in PersonName.objects.filter(condition).values_list(
                "person_id", "given_name", "family_name", "given_key", "family_key",
                "person__date_of_birth").order_by():
            if _worth_a_look(facts, GivenName.keyed(*name), born=born):
                found.people.add(person_id)
        for referral_id, person_id, *name, born, age, received in ReferralName.objects.filter(
                condition).values_list(
                "referral_id", "referral__person_id", "given_name", "family_name", "given_key", "family_key",
                "referral__subject_date_of_birth", "referral__subject_approximate_age",
                "referral__received_at").order_by():
            if _worth_a_look(facts, GivenName.keyed(*name), born=born, age=age, given_on=received):
                (found.people.add(person_id) if person_id else found.referrals.add(referral_id))
    person_facts, referral_facts_ = [], []
    if facts.dates_of_birth:
        person_facts.append(Q(date_of_birth__in=facts.dates_of_birth))
        referral_facts_.append(Q(subject_date_of_birth__in=facts.dates_of_birth))
    if facts.postcodes:
        person_facts.append(Q(postcode__in=facts.postcodes))
        referral_facts_.append(Q(subject_postcode_key__in=facts.postcodes))
    if facts.addresses:
        person_facts.append(Q(address_key__in=facts.addresses))
        referral_facts_.append(Q(subject_address_key__in=facts.addresses))
    if person_facts:
        found.people.update(Person.objects.filter(reduce(operator.or_, person_facts))
                            .values_list("pk", flat=True).order_by())
        for pk, person_id in Referral.objects.filter(reduce(operator.or_, referral_facts_)).values_list(
                "pk", "person_id").order_by():
            (found.people.add(person_id) if person_id else found.referrals.add(pk))
    return found


def _gather(user, *, people: set[int], referrals: set[int], exclude_referral: int | None):
    """The facts of each person (their record, names and the referrals
    linked to them that `user` may see) and of each referral not yet linked."""
    by_person: dict[int, Facts] = {}
    rows = scope(user, Person.objects.all()).filter(pk__in=people, merged_into=None).values_list(
        "pk", "given_name", "family_name", "date_of_birth", "postcode", "address_key",
        "school_or_employer").order_by()
    for pk, given, family, born, postcode, address, school in rows:
        facts = by_person[pk] = Facts()
        facts.add_name(given, family)
        facts.add_facts(date_of_birth=born, postcode=postcode, address_key=address, school=school)
    for person_id, *name in PersonName.objects.filter(person_id__in=by_person).values_list(
            "person_id", "given_name", "family_name", "given_key", "family_key").order_by(
            "person_id", "kind", "pk"):
        by_person[person_id].add_name(*name)

    by_referral: dict[int, Facts] = {}
    owner: dict[int, int | None] = {}
    referral_rows = (scope(user, Referral.objects.all())
                     .filter(Q(person_id__in=by_person) | Q(pk__in=referrals, person__isnull=True))
                     .values_list(*REFERRAL_FACT_FIELDS).order_by())
    if exclude_referral is not None:
        referral_rows = referral_rows.exclude(pk=exclude_referral)
    for pk, person_id, received, born, age, postcode, address, school in referral_rows:
        facts = by_person[person_id] if person_id else by_referral.setdefault(pk, Facts())
        owner[pk] = person_id
        facts.add_facts(date_of_birth=born, age=age, age_given_on=received, postcode=postcode,
                        address_key=address, school=school)
    for referral_id, *name in ReferralName.objects.filter(referral_id__in=owner).values_list(
            "referral_id", "given_name", "family_name", "given_key", "family_key").order_by(
            "referral_id", "kind", "pk"):
        person_id = owner[referral_id]
        (by_person[person_id] if person_id else by_referral[referral_id]).add_name(*name)
    return by_person, by_referral


@dataclass
class Candidate:
    """Someone the referral (or person) might be about: a person record, or a
    referral not yet linked to anyone. `matched` and `differs` say in words
    which facts match and which differ. For a person, `earlier_referrals` are
    those `user` may see, oldest first."""

    comparison: Comparison
    person: Person | None = None
    referral: Referral | None = None
    earlier_referrals: list[Referral] = field(default_factory=list)

    @property
    def matched_on(self) -> list[str]:
        return list(self.comparison.matched.values())

    @property
    def differs(self) -> list[str]:
        return list(self.comparison.differs.values())

    @property
    def facts(self) -> frozenset[str]:
        return frozenset(self.comparison.matched)


def _order(candidate: Candidate):
    person = candidate.person
    return (-len(candidate.comparison.matched), person.family_name.casefold(), person.given_name.casefold(),
            person.pk)


def _candidates(facts: Facts, *, user, exclude_people: set[int], exclude_referral: int | None,
                with_referrals: bool, here: str, there: str) -> tuple[list[Candidate], list[Candidate]]:
    if facts.is_empty():
        return [], []
    found = _find(facts)
    found.people -= exclude_people
    if not with_referrals:
        found.referrals = set()
    by_person, by_referral = _gather(user, people=found.people, referrals=found.referrals,
                                     exclude_referral=exclude_referral)
    people = {pk: compare(facts, theirs, here=here, there=there) for pk, theirs in by_person.items()}
    people = {pk: comparison for pk, comparison in people.items() if comparison.is_candidate}
    pending = {pk: compare(facts, theirs, here=here, there="in that referral")
               for pk, theirs in by_referral.items()}
    pending = {pk: comparison for pk, comparison in pending.items() if comparison.is_candidate}

    person_candidates = []
    if people:
        earlier = (scope(user, Referral.objects.all()).select_related("channel_case")
                   .order_by("received_at", "pk"))
        if exclude_referral is not None:
            earlier = earlier.exclude(pk=exclude_referral)
        person_candidates = sorted((
            Candidate(comparison=people[person.pk], person=person,
                      earlier_referrals=list(person.earlier_referrals))
            for person in Person.objects.filter(pk__in=list(people)).prefetch_related(
                Prefetch("names", queryset=PersonName.objects.order_by("kind", "pk")),
                Prefetch("referrals", queryset=earlier, to_attr="earlier_referrals"),
            )
        ), key=_order)
    referral_candidates = [
        Candidate(comparison=pending[referral.pk], referral=referral)
        for referral in scope(user, Referral.objects.all()).filter(pk__in=list(pending))
        .order_by("-received_at", "-pk")
    ] if pending else []
    return person_candidates, referral_candidates


def candidates_for_referral(referral: Referral, *, user) -> list[Candidate]:
    """The people `referral` might be about, by the rules above, more
    matching facts first. Not the person it is already linked to."""
    return candidates_and_pending_for_referral(referral, user=user)[0]


def candidates_and_pending_for_referral(referral: Referral, *, user
                                        ) -> tuple[list[Candidate], list[Candidate]]:
    """(people, referrals not yet linked to anyone) that `referral` might be
    about, by the rules above."""
    return _candidates(
        referral_facts(referral), user=user,
        exclude_people={referral.person_id} if referral.person_id else set(),
        exclude_referral=referral.pk, with_referrals=True, here="in this referral", there="on record",
    )


def people_facts(people, *, user) -> dict[int, Facts]:
    """What is known about each of `people`: their record, their names and
    the referrals linked to them that `user` may see. A fixed number of
    queries however many people."""
    by_person, _ = _gather(user, people={person.pk for person in people}, referrals=set(),
                           exclude_referral=None)
    return {person.pk: by_person.get(person.pk, Facts()) for person in people}


def person_facts(person: Person, *, user) -> Facts:
    return people_facts([person], user=user)[person.pk]


def _distinct_from(person: Person) -> set[int]:
    pairs = PersonDistinction.objects.filter(Q(person=person) | Q(other=person)).values_list("person_id",
                                                                                              "other_id")
    return {pk for pair in pairs for pk in pair} - {person.pk}


def people_like(person: Person, *, user) -> tuple[list[Candidate], list[Candidate]]:
    """(other person records, referrals not yet linked to anyone) that may be
    about the same person as `person`, by the same rules. Records said to be
    not the same person are left out."""
    return _candidates(
        person_facts(person, user=user), user=user,
        exclude_people={person.pk} | _distinct_from(person), exclude_referral=None, with_referrals=True,
        here="on this record", there="on the other record",
    )
