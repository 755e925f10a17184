"""Every change to person records. Nothing here runs on its own: each call is
a Prevent coordinator's decision at triage ("this is a new person", "this is
the same person", "this is not the same person").

Each service is one transaction with its audit event inside it. The referral
row is locked first, so two coordinators (or a double click) deciding about the
same referral at once are handled one after the other.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.referrals.models import MatchDecision, Referral
from prevent_hub.referrals.services import normalise_postcode

from .models import Person, PersonName
from .names import fold, referral_names

ALREADY_IDENTIFIED = (
    "This referral is already linked to a person record (%(person)s). Nothing has been changed."
)
CANNOT_REJECT_LINKED = (
    "This referral is already linked to %(person)s, so you cannot say they are not the same person."
)


class AlreadyIdentified(ValidationError):
    """The referral already has a person; the request changed nothing."""


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _sync(referral: Referral, locked: Referral):
    """Keep the caller's object in step with the row."""
    referral.person_id = locked.person_id
    referral.person_confirmed_by_id = locked.person_confirmed_by_id
    referral.person_confirmed_at = locked.person_confirmed_at
    for cached in ("person", "person_confirmed_by"):
        referral._state.fields_cache.pop(cached, None)


def _refuse_if_identified(referral: Referral):
    if referral.person_id is not None:
        raise AlreadyIdentified(ALREADY_IDENTIFIED, code="already_identified",
                                params={"person": referral.person.full_name})


def _decision_record(*, referral, person, answer, acting_user, now) -> bool:
    """Create or change the decision about this candidate; True if it changed."""
    decision = MatchDecision.objects.filter(referral=referral, person=person).first()
    if decision is None:
        MatchDecision.objects.create(referral=referral, person=person, answer=answer,
                                     decided_by=acting_user, decided_at=now)
        return True
    if decision.answer == answer:
        return False
    decision.answer, decision.decided_by, decision.decided_at = answer, acting_user, now
    decision.save(update_fields=["answer", "decided_by", "decided_at"])
    return True


def _link(referral: Referral, person: Person, *, acting_user, now):
    referral.person = person
    referral.person_confirmed_by = acting_user
    referral.person_confirmed_at = now
    referral.save(update_fields=["person", "person_confirmed_by", "person_confirmed_at"])


def _timeline_record(referral: Referral, person: Person, *, acting_user, now):
    """The referral on the person's timeline (channel.chronology), from when it is linked to them."""
    from prevent_hub.channel.chronology import chronology_record
    from prevent_hub.channel.models import ChronologyKind
    from prevent_hub.core.formatting import govuk_date

    chronology_record(
        person_id=person.pk, kind=ChronologyKind.REFERRAL, obj=referral, recorded_by=acting_user,
        occurred_at=now,
        summary=f"Referral {referral.reference} received {govuk_date(referral.received_at)} linked",
    )


def _written(given_name: str, family_name: str) -> tuple[str, str]:
    # "Jon Smyth" and "jon  smyth" are the same name written twice; "John Smith"
    # is another spelling worth keeping, though it has the same keys.
    return fold(given_name), fold(family_name)


def _link_to_exited_cases(referral, person, acting_user):
    """A new referral about someone whose Channel case has exited is linked to that case."""
    from prevent_hub.channel.reviews import referral_after_exit_link

    referral_after_exit_link(referral=referral, person=person, acting_user=acting_user)


@transaction.atomic
def person_create_from_referral(*, referral: Referral, acting_user) -> Person:
    """Record the referral's subject as a new person: the referral's name is
    their main name and each other name it gives becomes an "other name".
    Links the referral to the new person. Refused (AlreadyIdentified) if the
    referral already has a person, so a double submit makes one person only."""
    locked = _locked(referral)
    _refuse_if_identified(locked)
    names = referral_names(locked)
    main = names[0] if names else None
    now = timezone.now()
    person = Person(
        given_name=main.given_name if main else "",
        family_name=main.family_name if main else "",
        date_of_birth=locked.subject_date_of_birth,
        gender=locked.subject_gender,
        address=locked.subject_address,
        postcode=normalise_postcode(locked.subject_postcode),
        created_by=acting_user,
    )
    if not person.full_name:
        person.family_name = "Name not known"
    person.save(force_insert=True)
    PersonName.objects.bulk_create([
        PersonName(
            person=person, kind=PersonName.Kind.MAIN if index == 0 else PersonName.Kind.OTHER,
            given_name=name.given_name, family_name=name.family_name,
            given_key=name.given_key, family_key=name.family_key,
        )
        for index, name in enumerate(names)
    ])
    _link(locked, person, acting_user=acting_user, now=now)
    _sync(referral, locked)
    _timeline_record(locked, person, acting_user=acting_user, now=now)
    filled = [field for field in ("given_name", "family_name", "date_of_birth", "gender", "address",
                                  "postcode") if getattr(person, field)]
    audit_event_record(
        action=AuditAction.CREATE, obj=person, changed_fields=[*filled, "names"],
        details={"from_referral": locked.reference, "names": len(names)}, actor=acting_user,
    )
    audit_event_record(
        action=AuditAction.UPDATE, obj=locked,
        changed_fields=["person", "person_confirmed_by", "person_confirmed_at"],
        details={"person": person.pk, "decision": "new person"}, actor=acting_user,
    )
    _link_to_exited_cases(locked, person, acting_user)
    return person


@transaction.atomic
def match_confirm(*, referral: Referral, person: Person, acting_user) -> Person:
    """The coordinator says the referral is about `person`. Links them,
    records the decision, adds any name the referral gives that the person
    does not have yet as an "other name", and fills the person's date of
    birth and postcode from the referral only where they are blank (a
    coordinator's record is never overwritten by what a referrer wrote).

    Confirming the same person twice changes nothing; confirming when the
    referral is linked to someone else is refused (AlreadyIdentified)."""
    locked = _locked(referral)
    _sync(referral, locked)
    if locked.person_id == person.pk:
        return person
    _refuse_if_identified(locked)
    person = Person.objects.select_for_update().get(pk=person.pk)
    now = timezone.now()
    _decision_record(referral=locked, person=person, answer=MatchDecision.Answer.CONFIRMED,
                     acting_user=acting_user, now=now)
    _link(locked, person, acting_user=acting_user, now=now)
    _sync(referral, locked)
    _timeline_record(locked, person, acting_user=acting_user, now=now)

    known = {_written(name.given_name, name.family_name) for name in person.names.all()}
    new_names = []
    for name in referral_names(locked):
        pair = _written(name.given_name, name.family_name)
        if pair not in known:
            known.add(pair)
            new_names.append(PersonName(
                person=person, kind=PersonName.Kind.OTHER, given_name=name.given_name,
                family_name=name.family_name, given_key=name.given_key, family_key=name.family_key,
            ))
    PersonName.objects.bulk_create(new_names)
    person_changed = ["names"] if new_names else []
    if person.date_of_birth is None and locked.subject_date_of_birth is not None:
        person.date_of_birth = locked.subject_date_of_birth
        person_changed.append("date_of_birth")
    postcode = normalise_postcode(locked.subject_postcode)
    if not person.postcode and postcode:
        person.postcode = postcode
        person_changed.append("postcode")
    if {"date_of_birth", "postcode"} & set(person_changed):
        person.save(update_fields=[field for field in person_changed if field != "names"])

    audit_event_record(
        action=AuditAction.UPDATE, obj=locked,
        changed_fields=["person", "person_confirmed_by", "person_confirmed_at", "match_decisions"],
        details={"person": person.pk, "decision": MatchDecision.Answer.CONFIRMED.value},
        actor=acting_user,
    )
    if person_changed:
        audit_event_record(
            action=AuditAction.UPDATE, obj=person, changed_fields=person_changed,
            details={"from_referral": locked.reference, "names_added": len(new_names)},
            actor=acting_user,
        )
    _link_to_exited_cases(locked, person, acting_user)
    return person


@transaction.atomic
def match_reject(*, referral: Referral, person: Person, acting_user) -> bool:
    """The coordinator says the referral is not about `person`. Records the
    decision (who and when); the candidate stays listed, collapsed, and can
    still be confirmed. Returns False if that was already the decision.
    Refused if the referral is already linked to a person."""
    locked = _locked(referral)
    if locked.person_id is not None:
        raise AlreadyIdentified(CANNOT_REJECT_LINKED, code="already_identified",
                                params={"person": locked.person.full_name})
    changed = _decision_record(referral=locked, person=person, answer=MatchDecision.Answer.REJECTED,
                               acting_user=acting_user, now=timezone.now())
    if changed:
        audit_event_record(
            action=AuditAction.UPDATE, obj=locked, changed_fields=["match_decisions"],
            details={"person": person.pk, "decision": MatchDecision.Answer.REJECTED.value},
            actor=acting_user,
        )
    return changed
