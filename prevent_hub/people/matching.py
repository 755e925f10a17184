"""Repeat referrals: which people already known might a new referral be about?

The search only finds candidates and says which facts match; a Prevent
coordinator decides. Nothing is merged or linked here, and no number, score or
ranking is worked out about anyone (docs/decisions/0010-repeat-referral-matching.md).

The rules (shown to coordinators as "How we look for earlier referrals"):

- Facts compared: a similar name, the date of birth, the postcode.
  * Similar name: any name the referral gives (its main name or an other name)
    against any name the person has been recorded under, with the same
    phonetic key for the family name and either the same phonetic key for the
    given name or the same first letter of the given name. A name with given
    and family names the other way round counts too.
  * Date of birth: the same date. When the referral gives only an approximate
    age, a date of birth in the year that age implies, or the year either side.
  * Postcode: the same postcode, ignoring spaces and capitals.
- A person is a candidate when at least two of those facts match, or when the
  referral gives neither a date of birth nor a postcode and the full name is
  similar (family and given name keys both the same).
- The person the referral is already linked to is not a candidate.
- Order: people with more matching facts first, then by family name and given
  name. The facts themselves are what the coordinator sees.

Cost: a fixed number of indexed queries whatever the number of people known
(PersonName by keys, Person by date of birth and postcode, then the candidates
with their names and earlier referrals in three queries).
"""

import datetime
import operator
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import Prefetch, Q
from django.utils import timezone

from prevent_hub.access import scope
from prevent_hub.core.formatting import govuk_date
from prevent_hub.referrals.models import Referral
from prevent_hub.referrals.services import normalise_postcode

from .models import Person, PersonName
from .names import GivenName, initial, name_key, referral_names

__all__ = ["Candidate", "candidates_for_referral", "name_key"]

NAME = "name"
DATE_OF_BIRTH = "date_of_birth"
POSTCODE = "postcode"

# How a name matched, strongest first.
SAME_KEYS = 0
OTHER_ORDER = 1
SAME_INITIAL = 2


@dataclass
class Candidate:
    """A person the referral might be about, with the facts that matched (in
    words, for the coordinator to judge) and their earlier referrals, oldest
    first. `facts` holds which of name, date of birth and postcode matched."""

    person: Person
    matched_on: list[str]
    facts: frozenset[str]
    earlier_referrals: list[Referral] = field(default_factory=list)


@dataclass
class _Found:
    names: list[tuple[int, str]] = field(default_factory=list)  # (how, reason)
    full_name: bool = False


def _name_reason(how: int, referral_name: GivenName, given: str, family: str) -> str:
    theirs = f"{given} {family}".strip()
    if how == SAME_KEYS:
        return f"similar name: {referral_name.full_name} ~ {theirs}"
    if how == OTHER_ORDER:
        return (f"similar name, given and family names the other way round: "
                f"{referral_name.full_name} ~ {theirs}")
    return f"similar family name and same first initial: {referral_name.full_name} ~ {theirs}"


def _name_matches(names: list[GivenName], *, exclude_person_id) -> dict[int, _Found]:
    """Query 1: every recorded name with one of the referral's family keys (or,
    for names the other way round, its given and family keys swapped)."""
    keyed = [(name, name.given_key, name.family_key, initial(name.given_name)) for name in names]
    keyed = [entry for entry in keyed if entry[2]]
    if not keyed:
        return {}
    condition = Q(family_key__in={family_key for _, _, family_key, _ in keyed})
    for _, given_key, family_key, _ in keyed:
        if given_key:
            condition |= Q(family_key=given_key, given_key=family_key)
    rows = PersonName.objects.filter(condition)
    if exclude_person_id is not None:
        rows = rows.exclude(person_id=exclude_person_id)
    found: dict[int, _Found] = {}
    for person_id, given, family, given_key, family_key in rows.values_list(
        "person_id", "given_name", "family_name", "given_key", "family_key"
    ).order_by():
        for name, referral_given_key, referral_family_key, referral_initial in keyed:
            if family_key == referral_family_key:
                if referral_given_key and given_key == referral_given_key:
                    how = SAME_KEYS
                elif referral_initial and initial(given) == referral_initial:
                    how = SAME_INITIAL
                else:
                    continue
            elif referral_given_key and (family_key, given_key) == (referral_given_key,
                                                                     referral_family_key):
                how = OTHER_ORDER
            else:
                continue
            entry = found.setdefault(person_id, _Found())
            reason = _name_reason(how, name, given, family)
            if (how, reason) not in entry.names:
                entry.names.append((how, reason))
            entry.full_name = entry.full_name or how in (SAME_KEYS, OTHER_ORDER)
    return found


def _implied_birth_year(referral: Referral) -> int | None:
    if referral.subject_approximate_age is None:
        return None
    received = referral.received_at or timezone.now()
    return timezone.localtime(received).year - referral.subject_approximate_age


def candidates_for_referral(referral: Referral, *, user) -> list[Candidate]:
    """The people `referral` might be about, by the rules above, in a stable
    order, each with the facts that matched and their earlier referrals (the
    ones `user` may see), oldest first."""
    names = referral_names(referral)
    date_of_birth: datetime.date | None = referral.subject_date_of_birth
    birth_year = None if date_of_birth else _implied_birth_year(referral)
    postcode = normalise_postcode(referral.subject_postcode or "")
    linked = referral.person_id

    by_name = _name_matches(names, exclude_person_id=linked)

    # Query 2: the facts of everyone who matched by name, or shares the date
    # of birth or the postcode.
    conditions = [Q(pk__in=list(by_name))] if by_name else []
    if date_of_birth:
        conditions.append(Q(date_of_birth=date_of_birth))
    if postcode:
        conditions.append(Q(postcode=postcode))
    if not conditions:
        return []
    people = scope(user, Person.objects.all()).filter(reduce(operator.or_, conditions))
    if linked is not None:
        people = people.exclude(pk=linked)

    name_alone_is_enough = not date_of_birth and not postcode
    matched: dict[int, tuple[frozenset[str], list[str]]] = {}
    for person_id, person_date_of_birth, person_postcode in people.values_list(
        "pk", "date_of_birth", "postcode"
    ).order_by():
        facts, reasons = set(), []
        found = by_name.get(person_id)
        if found:
            facts.add(NAME)
            reasons.extend(reason for _, reason in sorted(found.names))
        if date_of_birth and person_date_of_birth == date_of_birth:
            facts.add(DATE_OF_BIRTH)
            reasons.append("same date of birth")
        elif birth_year and person_date_of_birth and abs(person_date_of_birth.year - birth_year) <= 1:
            facts.add(DATE_OF_BIRTH)
            reasons.append(
                f"date of birth ({govuk_date(person_date_of_birth)}) fits the age given "
                f"(about {referral.subject_approximate_age})"
            )
        if postcode and person_postcode == postcode:
            facts.add(POSTCODE)
            reasons.append("same postcode")
        if len(facts) >= 2 or (name_alone_is_enough and found and found.full_name):
            matched[person_id] = (frozenset(facts), reasons)
    if not matched:
        return []

    # Queries 3-5: the candidates, their names, and their earlier referrals.
    earlier = (
        scope(user, Referral.objects.all())
        .exclude(pk=referral.pk)
        .select_related("channel_case")
        .order_by("received_at", "pk")
    )
    candidates = [
        Candidate(person=person, matched_on=matched[person.pk][1], facts=matched[person.pk][0],
                  earlier_referrals=list(person.earlier_referrals))
        for person in Person.objects.filter(pk__in=list(matched)).prefetch_related(
            Prefetch("names", queryset=PersonName.objects.order_by("kind", "pk")),
            Prefetch("referrals", queryset=earlier, to_attr="earlier_referrals"),
        )
    ]
    candidates.sort(key=lambda candidate: (
        -len(candidate.facts), candidate.person.family_name.casefold(),
        candidate.person.given_name.casefold(), candidate.person.pk,
    ))
    return candidates
