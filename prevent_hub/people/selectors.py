"""Reading person records, always through the access rules."""

import copy
import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from prevent_hub.access import scope
from prevent_hub.core.addresses import normalise_postcode
from prevent_hub.core.names import NameQuery
from prevent_hub.referrals.models import Referral, ReferralName

from .models import MatchDecision, Person, PersonChange, PersonMerge, PersonName


def person_get(*, user, pk) -> Person | None:
    """The person if `user` may see them, else None (so a person someone may
    not see looks the same as one who does not exist), as `user` may see them
    (person_as_seen). A record merged into another is returned too, so its page
    can say where it went."""
    person = (
        scope(user, Person.objects.all())
        .filter(pk=pk)
        .select_related("merged_into", "started_from")
        .prefetch_related("names__source_referral")
        .first()
    )
    return person_as_seen(person, user=user) if person is not None else None


# Facts a record copies from the referral it was started from.
COPIED_FACTS = ("given_name", "family_name", "date_of_birth", "gender", "address", "postcode",
                "school_or_employer")


def person_as_seen(person: Person, *, user) -> Person:
    """`person`, or an unsaveable copy of it without what came from referrals
    `user` may not see (its name then reads "Name not shared with you"). A
    fact copied from a referral is shown to those who may see that referral,
    or one of the person's Channel cases (whose teams work with the person's
    identity); facts entered by hand to everyone who may see the person.
    Police see a person only through a shared referral, so this is how a
    record started from an unshared one stays unshared."""
    if not scope(user, Referral.objects.all()).query.where:
        return person  # sees every referral: nothing to hide, and no query
    sources = {person.started_from_id} | {
        name.source_referral_id for name in person.names.all() if name.source_referral_id}
    sources.discard(None)
    if not sources and not person.started_from_deleted:
        return person
    visible = set(scope(user, Referral.objects.filter(pk__in=sources)).values_list("pk", flat=True))
    hidden = sources - visible
    if not (hidden or person.started_from_deleted) or scope(user, person.channel_cases.all()).exists():
        return person
    seen = copy.copy(person)
    seen.seen_by_one_reader = True
    seen.hidden_sources = frozenset(hidden)
    if person.started_from_id in hidden or person.started_from_deleted:
        withheld = set(COPIED_FACTS) - set(person.hand_entered)
        for field in withheld:
            setattr(seen, field, None if field == "date_of_birth" else "")
        seen.name_withheld = {"given_name", "family_name"} <= withheld
    return seen


def person_other_names(person: Person) -> list[PersonName]:
    """The record's other names, each spelling once (as the reader may see
    them, for a record from person_as_seen)."""
    hidden = getattr(person, "hidden_sources", frozenset())
    seen, names = set(), []
    for name in person.names.all():
        if (name.kind == PersonName.Kind.OTHER and name.source_referral_id not in hidden
                and str(name).casefold() not in seen):
            seen.add(str(name).casefold())
            names.append(name)
    return names


def person_referrals(*, user, person: Person) -> list[Referral]:
    """Every referral about the person that `user` may see, oldest first,
    with the names each gives."""
    return list(
        scope(user, Referral.objects.all())
        .filter(person=person)
        .select_related("channel_case")
        .prefetch_related(Prefetch("names", queryset=ReferralName.objects.order_by("kind", "pk")))
        .order_by("received_at", "pk")
    )


# Channel builds on people: its cases are reached through their relation to
# the person (ChannelCase.person, related name "channel_cases"), not by
# importing Channel.


def _channel_cases():
    return Person._meta.get_field("channel_cases").related_model.objects


def person_channel_cases(*, user, person: Person) -> list:
    return list(
        scope(user, _channel_cases().filter(person=person))
        .select_related("referral")
        .order_by("opened_at", "pk")
    )


def person_history(*, person: Person) -> list[PersonChange]:
    """Every change to the record, newest first."""
    return list(person.changes.select_related("changed_by").order_by("-changed_at", "-pk"))


def person_merges(*, person: Person) -> list[PersonMerge]:
    """Merges into this record and of this record into another, newest first."""
    return list(
        PersonMerge.objects.filter(Q(kept=person) | Q(merged=person))
        .select_related("kept", "merged", "merged_by", "undone_by")
        .order_by("-merged_at", "-pk")
    )


def merge_get(*, user, pk) -> PersonMerge | None:
    """The merge, if `user` may see both records."""
    merge = PersonMerge.objects.select_related("kept", "merged", "merged_by").filter(pk=pk).first()
    if merge is None:
        return None
    visible = set(scope(user, Person.objects.filter(pk__in=[merge.kept_id, merge.merged_id]))
                  .values_list("pk", flat=True))
    return merge if visible == {merge.kept_id, merge.merged_id} else None


def match_decisions_for(*, referral: Referral) -> dict[int, MatchDecision]:
    """The coordinators' answers about this referral's candidates, by person id.
    Shown only on the identify page, to people who may match (coordinators)."""
    return {
        decision.person_id: decision
        for decision in MatchDecision.objects.filter(referral=referral).select_related("decided_by")
    }


# Search -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeopleSearch:
    """What to look for. Every criterion given must match."""

    name: str = ""
    date_of_birth: datetime.date | None = None
    postcode: str = ""
    reference: str = ""

    def for_audit(self) -> dict:
        """Which criteria were used (never what was typed: names and dates of
        birth do not go into the audit trail)."""
        return {criterion: True for criterion in ("name", "date_of_birth", "postcode", "reference")
                if getattr(self, criterion)}


def postcode_condition(field: str, postcode: str) -> Q:
    """A whole postcode, or an outward code ("SF4" finds SF4 7QT). The start
    of a postcode is looked up as a range (from "SF4" up to "SF5"), which
    both databases answer from the index; LIKE 'SF4%' would read every row."""
    if len(postcode) >= 5:
        return Q(**{field: postcode})
    after = postcode[:-1] + chr(ord(postcode[-1]) + 1)
    return Q(**{f"{field}__gte": postcode, f"{field}__lt": after})


# More people than this matching a search is no help to anyone reading the
# results; the page asks for more to go on instead.
SEARCH_LIMIT = 5_000


class SearchTooBroad(Exception):
    """More than SEARCH_LIMIT people match; nothing is listed."""


def _ids(*querysets) -> set[int]:
    found: set[int] = set()
    for queryset in querysets:
        found.update(queryset.order_by().values_list("person_id" if queryset.model is not Person else "pk",
                                                     flat=True))
    found.discard(None)
    return found


def people_search(*, user, search: PeopleSearch) -> QuerySet[Person]:
    """The people `user` may see that match every criterion, by name. A
    person matches on their record or on any referral about them that
    `user` may see (never on one they may not).

    Each criterion is answered on its own from an index (the people it
    finds by their record, and by their referrals), the answers are
    intersected, and the people are then read by primary key: an OR across
    tables in one query would make both databases read every person.
    Raises SearchTooBroad when more than SEARCH_LIMIT people match."""
    people = scope(user, Person.objects.filter(merged_into=None))
    referrals = scope(user, Referral.objects.filter(person__isnull=False))
    # A record matches on its own facts only where they are the reader's to
    # see (person_as_seen): never on what it copied from a referral they may not.
    records, names = _records_searchable_by(user)
    matches: list[set[int]] = []
    if search.name.strip():
        query = NameQuery.parse(search.name)
        if query is None:
            return people.none()
        matches.append(_ids(names.filter(query.condition()),
                            referrals.filter(query.condition("names__"))))
    if search.date_of_birth:
        matches.append(_ids(records.filter(date_of_birth=search.date_of_birth),
                            referrals.filter(subject_date_of_birth=search.date_of_birth)))
    postcode = normalise_postcode(search.postcode)
    if postcode:
        matches.append(_ids(records.filter(postcode_condition("postcode", postcode)),
                            referrals.filter(postcode_condition("subject_postcode_key", postcode))))
    reference = search.reference.strip().upper()
    if reference:
        matches.append(_ids(referrals.filter(reference=reference),
                            scope(user, _channel_cases().filter(reference=reference))))
    if not matches:
        return people.none()
    ids = set.intersection(*matches)
    if len(ids) > SEARCH_LIMIT:
        raise SearchTooBroad(len(ids))
    return (people.filter(pk__in=sorted(ids))
            .prefetch_related(Prefetch("names", queryset=PersonName.objects.order_by("kind", "pk")))
            .order_by("family_name", "given_name", "pk"))


def _records_searchable_by(user):
    """(people, their names) whose own facts `user` may search on: everything
    for those who see every referral; otherwise records started from a
    referral they may see (or by hand), or of a person whose Channel case they
    may see, and names copied from such referrals or entered by hand."""
    every_referral = scope(user, Referral.objects.all())
    if not every_referral.query.where:
        return Person.objects.all(), PersonName.objects.all()
    seen_referrals = every_referral.values("pk")
    seen_cases = scope(user, _channel_cases().all()).values("person_id")
    records = Person.objects.filter(
        Q(started_from__isnull=True) | Q(started_from__in=seen_referrals) | Q(pk__in=seen_cases))
    names = PersonName.objects.filter(
        Q(source_referral__isnull=True) | Q(source_referral__in=seen_referrals) | Q(person__in=seen_cases))
    return records, names


def referral_counts(*, user, people: list[Person]) -> dict[int, int]:
    """How many referrals about each person `user` may see."""
    counts: dict[int, int] = {}
    visible = scope(user, Referral.objects.filter(person__in=people))
    for person_id in visible.values_list("person_id", flat=True):
        counts[person_id] = counts.get(person_id, 0) + 1
    return counts
