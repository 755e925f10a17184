"""Reads for records management: legal holds (what other apps may ask:
`is_held`, `holds_on`), retention runs and their reports.

Holds and runs hold no names; a hold's reason is typed by staff, so lists of
holds are scoped through `access` like any other personal data."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from prevent_hub.access import scope
from prevent_hub.channel.models import ChannelCase
from prevent_hub.people.models import Person
from prevent_hub.referrals.models import Referral
from prevent_hub.rights.models import OPEN_STATUSES, LearnerLink
from prevent_hub.training.models import Learner

from .models import LegalHold, RetentionRun


def _today() -> datetime.date:
    return timezone.localdate()


def holds_active(on: datetime.date | None = None):
    """Holds in force on `on` (today): not lifted, end date not passed."""
    on = on or _today()
    return LegalHold.objects.filter(lifted_at__isnull=True, ends_on__gte=on)


def _hold_filter(record) -> Q:
    """Holds that apply to `record` (a Referral, ChannelCase, Person or Learner)."""
    if isinstance(record, Person):
        return Q(person_id=record.pk)
    if isinstance(record, Learner):
        return Q(learner_id=record.pk)
    if isinstance(record, ChannelCase):
        return Q(case_id=record.pk) | Q(referral_id=record.referral_id) | Q(person_id=record.person_id)
    if isinstance(record, Referral):
        query = Q(referral_id=record.pk)
        case_id = ChannelCase.objects.filter(referral_id=record.pk).values_list("pk", flat=True).first()
        if case_id:
            query |= Q(case_id=case_id)
        if record.person_id:
            query |= Q(person_id=record.person_id)
        return query
    raise TypeError(f"No legal hold applies to {type(record).__name__}")


def holds_on(record, *, on: datetime.date | None = None) -> list[LegalHold]:
    """The active holds that stop `record` being deleted: on it, on its case
    or referral (which go together), or on its person."""
    return list(holds_active(on).filter(_hold_filter(record)).order_by("ends_on", "pk"))


def is_held(record, *, on: datetime.date | None = None) -> bool:
    return holds_active(on).filter(_hold_filter(record)).exists()


@dataclass
class HeldSets:
    """Every active hold on a day, by what it is placed on, for a run to
    check thousands of records against without a query each."""

    referrals: dict[int, LegalHold] = field(default_factory=dict)
    cases: dict[int, LegalHold] = field(default_factory=dict)
    people: dict[int, LegalHold] = field(default_factory=dict)
    learners: dict[int, LegalHold] = field(default_factory=dict)

    def for_referral(self, referral_id, person_id, case_id=None) -> LegalHold | None:
        return (self.referrals.get(referral_id) or (case_id and self.cases.get(case_id))
                or (person_id and self.people.get(person_id)) or None)

    def for_case(self, case_id, referral_id, person_id) -> LegalHold | None:
        return self.for_referral(referral_id, person_id, case_id)

    def for_person(self, person_id) -> LegalHold | None:
        return self.people.get(person_id)

    def for_learner(self, learner_id) -> LegalHold | None:
        return self.learners.get(learner_id)


def held_sets(on: datetime.date) -> HeldSets:
    sets = HeldSets()
    # The hold that ends last is the one to report.
    for hold in holds_active(on).order_by("ends_on", "pk"):
        if hold.referral_id:
            sets.referrals[hold.referral_id] = hold
        elif hold.case_id:
            sets.cases[hold.case_id] = hold
        elif hold.learner_id:
            sets.learners[hold.learner_id] = hold
        else:
            sets.people[hold.person_id] = hold
    return sets


# Pages ------------------------------------------------------------------------------


def holds_listed(*, user, today: datetime.date | None = None) -> tuple[list[LegalHold], list[LegalHold]]:
    """(active, ended) holds the user may see: active first by end date,
    ended latest first."""
    today = today or _today()
    holds = list(scope(user, LegalHold.objects.select_related("placed_by", "lifted_by"))[:1000])
    active = sorted((hold for hold in holds if hold.is_active(today)),
                    key=lambda hold: (hold.ends_on, hold.pk))
    ended = [hold for hold in holds if not hold.is_active(today)]
    return active, ended


def hold_get(*, user, pk: int) -> LegalHold | None:
    return scope(user, LegalHold.objects.select_related("placed_by", "lifted_by")).filter(pk=pk).first()


def runs_listed(*, user):
    return scope(user, RetentionRun.objects.select_related("run_by")).defer("report")[:200]


def run_get(*, user, pk: int) -> RetentionRun | None:
    return scope(user, RetentionRun.objects.select_related("run_by")).filter(pk=pk).first()


@dataclass(frozen=True)
class Found:
    """A record a hold can be placed on, found by its reference."""

    referral: Referral | None = None
    case: ChannelCase | None = None
    person: Person | None = None
    learner: Learner | None = None

    @property
    def reference(self) -> str:
        if self.person is not None:
            return person_reference(self.person.pk)
        return (self.case or self.referral or self.learner).reference


def person_reference(person_id) -> str:
    return f"Person {person_id}"


def record_find(reference: str) -> Found | None:
    """The referral (PRV-…), Channel case (CH-…), learner (LRN-…) or person
    (their id, or "Person <id>") a reference names, or None. Finds by
    identifier only and returns nothing personal; the caller must be allowed
    to manage holds."""
    text = " ".join(reference.split()).strip()
    upper = text.upper()
    if upper.startswith("CH-"):
        case = ChannelCase.objects.filter(reference=upper).only("pk", "reference", "referral_id",
                                                               "person_id").first()
        return Found(case=case) if case else None
    if upper.startswith("PRV-"):
        referral = Referral.objects.filter(reference=upper).only("pk", "reference", "person_id").first()
        return Found(referral=referral) if referral else None
    if upper.startswith("LRN-"):
        learner = Learner.objects.filter(reference=upper).only("pk", "reference").first()
        return Found(learner=learner) if learner else None
    number = upper.removeprefix("PERSON").strip()
    if number.isdigit() and len(number) <= 18:
        person = Person.objects.filter(pk=int(number), merged_into__isnull=True).only("pk").first()
        return Found(person=person) if person else None
    return None




def learners_requested(learner_ids) -> dict[int, str]:
    """Of `learner_ids`, those linked to an open subject access request, each
    with the request's reference: retention keeps them until it is answered
    (deleting what a requester has asked to see would defeat the request)."""
    found = {}
    ids = sorted(set(learner_ids))
    for start in range(0, len(ids), 500):
        links = (LearnerLink.objects.filter(learner_id__in=ids[start:start + 500],
                                            request__status__in=OPEN_STATUSES)
                 .order_by("request__due_on", "pk").values_list("learner_id", "request__reference"))
        for learner_id, reference in links:
            found.setdefault(learner_id, reference)
    return found
