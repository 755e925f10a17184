"""Every change to person records. Nothing here runs on its own: each call is
a Prevent coordinator's decision ("this is a new person", "this is the same
person", "this is not the same person", "these two records are one person",
"that merge was wrong", "these details were wrong").

Each service is one transaction with its audit event inside it. Rows are
locked first (referral, then people in id order), so two coordinators (or a
double click) deciding about the same records at once are handled one after
the other. What a referral said is never copied onto a person: it stays on the
referral, where it came from (see people.models).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record, audit_events_record_many
from prevent_hub.core.addresses import address_key, format_postcode, normalise_postcode
from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.names import GivenName, split_full_name, tidy
from prevent_hub.referrals.models import Referral
from prevent_hub.referrals.subject import subject_names

from .models import MatchDecision, Person, PersonChange, PersonDistinction, PersonMerge, PersonName
from .selectors import person_other_names
from .signals import person_merge_undone, person_merged, referral_linked

ALREADY_IDENTIFIED = (
    "This referral is already linked to a person record (%(person)s). Nothing has been changed."
)
CANNOT_REJECT_LINKED = (
    "This referral is already linked to %(person)s, so you cannot say they are not the same person."
)
MERGED_RECORD = "%(person)s’s record was merged into another record. Use that record instead."
NAME_NOT_KNOWN = "Name not known"


class AlreadyIdentified(ValidationError):
    """The referral already has a person; the request changed nothing."""


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _locked_people(*people: Person) -> list[Person]:
    """The people's rows, locked in id order (so two merges never deadlock)."""
    rows = {row.pk: row for row in Person.objects.select_for_update().filter(pk__in=[p.pk for p in people])
            .order_by("pk")}
    return [rows[person.pk] for person in people]


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


def _refuse_if_merged(person: Person, field=None):
    if person.merged_into_id is not None:
        message = MERGED_RECORD % {"person": person.full_name}
        raise ValidationError({field: message} if field else message, code="merged")


def _required(reasons: str, message: str) -> str:
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": message}, code="required")
    return reasons


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


def _linked_announce(referral: Referral, person: Person, *, acting_user, now):
    """Channel puts the referral on the person's timeline and links it to any
    exited case of theirs (channel.receivers), in this transaction."""
    referral_linked.send(sender=Person, referral=referral, person=person, acting_user=acting_user,
                         linked_at=now)


def _name_row(person, kind, name: GivenName, *, source_referral=None) -> PersonName:
    return PersonName(person=person, kind=kind, given_name=name.given_name[:100],
                      family_name=name.family_name[:100], given_key=name.given_key,
                      family_key=name.family_key, source_referral=source_referral)


# Identifying the person in a referral ------------------------------------------------------


@transaction.atomic
def person_create_from_referral(*, referral: Referral, acting_user) -> Person:
    """Record the referral's subject as a new person: the referral's main name
    is their name, and its date of birth, gender, address, postcode and school
    or employer start their record. The other names and the approximate age
    stay on the referral, shown on the person's page as what it said. Links
    the referral to the new person. Refused (AlreadyIdentified) if the
    referral already has a person, so a double submit makes one person only."""
    locked = _locked(referral)
    _refuse_if_identified(locked)
    names = subject_names(locked)
    main = names[0] if names else None
    now = timezone.now()
    person = Person(
        given_name=main.given_name[:100] if main else "",
        family_name=main.family_name[:100] if main else "",
        date_of_birth=locked.subject_date_of_birth,
        gender=locked.subject_gender,
        address=locked.subject_address,
        address_key=locked.subject_address_key,
        postcode=locked.subject_postcode_key,
        school_or_employer=locked.subject_school_or_employer,
        created_by=acting_user,
        # Every fact above is the referral's: shown only to those who may see it.
        started_from=locked,
    )
    if not person.full_name:
        person.family_name = NAME_NOT_KNOWN
    person.save(force_insert=True)
    if main is not None:
        _name_row(person, PersonName.Kind.MAIN, main, source_referral=locked).save()
    _link(locked, person, acting_user=acting_user, now=now)
    _sync(referral, locked)
    filled = [field for field in ("given_name", "family_name", "date_of_birth", "gender", "address",
                                  "postcode", "school_or_employer") if getattr(person, field)]
    audit_event_record(
        action=AuditAction.CREATE, obj=person, changed_fields=[*filled, "names"],
        details={"from_referral": locked.reference}, actor=acting_user,
    )
    audit_event_record(
        action=AuditAction.UPDATE, obj=locked,
        changed_fields=["person", "person_confirmed_by", "person_confirmed_at"],
        details={"person": person.pk, "decision": "new person"}, actor=acting_user,
    )
    _linked_announce(locked, person, acting_user=acting_user, now=now)
    return person


@transaction.atomic
def match_confirm(*, referral: Referral, person: Person, acting_user) -> Person:
    """The coordinator says the referral is about `person` (from the
    candidates, or found by searching). Links them and records the decision.
    Nothing the referral says is copied onto the person's record.

    Confirming the same person twice changes nothing; confirming when the
    referral is linked to someone else, or to a record merged into another,
    is refused."""
    locked = _locked(referral)
    _sync(referral, locked)
    if locked.person_id == person.pk:
        return person
    _refuse_if_identified(locked)
    (person,) = _locked_people(person)
    _refuse_if_merged(person)
    now = timezone.now()
    _decision_record(referral=locked, person=person, answer=MatchDecision.Answer.CONFIRMED,
                     acting_user=acting_user, now=now)
    _link(locked, person, acting_user=acting_user, now=now)
    _sync(referral, locked)
    audit_event_record(
        action=AuditAction.UPDATE, obj=locked,
        changed_fields=["person", "person_confirmed_by", "person_confirmed_at", "match_decisions"],
        details={"person": person.pk, "decision": MatchDecision.Answer.CONFIRMED.value},
        actor=acting_user,
    )
    _linked_announce(locked, person, acting_user=acting_user, now=now)
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


# Editing a record --------------------------------------------------------------------------

# The fields a coordinator edits, with the words the history uses.
EDITABLE = {
    "given_name": "First name",
    "family_name": "Last name",
    "other_names": "Other names",
    "date_of_birth": "Date of birth",
    "gender": "Gender",
    "address": "Address",
    "postcode": "Postcode",
    "school_or_employer": "School, college or employer",
}


def _shown(field: str, value) -> str:
    """A value as the history shows it."""
    if field == "date_of_birth":
        return govuk_date(value)
    if field == "postcode":
        return format_postcode(value)
    if field == "other_names":
        return "; ".join(value)
    return value or ""


@transaction.atomic
def person_update(*, person: Person, details: dict, reasons: str, acting_user) -> list[str]:
    """Change a person record's details (EDITABLE; `other_names` is a list
    of full names). Keeps what each changed field was in the record's
    history, with who, when and why. Returns the fields changed (none: nothing
    is written). Refused for a record merged into another."""
    unknown = set(details) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    (locked,) = _locked_people(person)
    _refuse_if_merged(locked)
    reasons = _required(reasons, "Enter why you are changing these details")
    before = {field: getattr(locked, field) for field in EDITABLE if field != "other_names"}
    before["other_names"] = [str(name) for name in person_other_names(locked)]
    after = dict(before)
    for field, value in details.items():
        if field == "other_names":
            value = [tidy(name) for name in value if tidy(name)]
        elif field == "postcode":
            value = normalise_postcode(value)
        elif field != "date_of_birth":
            value = (value or "").strip()
        after[field] = value
    if not (after["given_name"] or after["family_name"]):
        raise ValidationError({"family_name": "Enter a first name or a last name"}, code="required")
    changed = [field for field in EDITABLE if after[field] != before[field]]
    if not changed:
        return []
    for field in changed:
        if field != "other_names":
            setattr(locked, field, after[field])
    # What a coordinator enters is theirs, no longer the referral's copy.
    locked.hand_entered = sorted(set(locked.hand_entered) | (set(changed) - {"other_names"}))
    locked.address_key = address_key(locked.address)
    locked.save()
    if {"given_name", "family_name"} & set(changed):
        PersonName.objects.filter(person=locked, kind=PersonName.Kind.MAIN).delete()
        _name_row(locked, PersonName.Kind.MAIN,
                  GivenName(given_name=locked.given_name, family_name=locked.family_name)).save()
    if "other_names" in changed:
        _other_names_replace(locked, after["other_names"])
    PersonChange.objects.create(
        person=locked, kind=PersonChange.Kind.EDIT, reasons=reasons, changed_by=acting_user,
        changed_at=timezone.now(),
        changes=[{"field": field, "label": EDITABLE[field], "before": _shown(field, before[field]),
                  "after": _shown(field, after[field])} for field in changed],
    )
    audit_event_record(action=AuditAction.UPDATE, obj=locked, changed_fields=changed,
                       details={"change": "details edited"}, actor=acting_user)
    _sync_person(person, locked)
    return changed


def _other_names_replace(person: Person, full_names: list[str]):
    """The record's other names become `full_names`: names kept as they are,
    gone ones deleted, new ones added (one word: a given name with the
    record's family name)."""
    existing = {str(name): name for name in person.names.all() if name.kind == PersonName.Kind.OTHER}
    wanted = []
    for full_name in full_names:
        name = split_full_name(full_name, family_name_if_one_word=person.family_name)
        if name is not None and name.full_name not in wanted:
            wanted.append(name.full_name)
    gone = [row.pk for text, row in existing.items() if text not in wanted]
    PersonName.objects.filter(pk__in=gone).delete()
    PersonName.objects.bulk_create([
        _name_row(person, PersonName.Kind.OTHER,
                  split_full_name(text, family_name_if_one_word=person.family_name))
        for text in wanted if text not in existing
    ])


def _sync_person(person: Person, locked: Person):
    for field in [*(f for f in EDITABLE if f != "other_names"), "address_key", "merged_into_id"]:
        setattr(person, field, getattr(locked, field))
    getattr(person, "_prefetched_objects_cache", {}).pop("names", None)


# Merging two records of one person --------------------------------------------------------

MERGE_FIELDS = ["referrals", "channel_cases", "chronology", "names", "merged_into"]


def _merge_change(text: str) -> dict:
    return {"field": "merge", "label": "Merge", "before": "", "after": text}


def _merge_refusals(kept: Person, merged: Person):
    if kept.pk == merged.pk:
        raise ValidationError({"other": "Choose a different record: a record cannot be merged with itself"},
                              code="same_record")
    _refuse_if_merged(kept, "other")
    _refuse_if_merged(merged, "other")


@transaction.atomic
def person_merge(*, kept: Person, merged: Person, reasons: str, acting_user) -> PersonMerge:
    """`kept` and `merged` are one person. Everything about `merged` moves to
    `kept`: its referrals, Channel cases and timeline, and its names (as
    other names). `kept`'s own details stay as they are. `merged` stays, empty,
    saying where it went. Recorded with who, when and why, and can be undone
    (person_merge_undo)."""
    reasons = _required(reasons, "Enter why these are the same person")
    kept, merged = _locked_people(kept, merged)
    _merge_refusals(kept, merged)
    now = timezone.now()

    referral_ids = sorted(Referral.objects.filter(person=merged).values_list("pk", flat=True))
    Referral.objects.filter(pk__in=referral_ids).update(person=kept)
    # Channel moves its cases and timeline entries (channel.receivers).
    moved = {"cases": [], "chronology": []}
    for _receiver, what in person_merged.send(sender=Person, kept=kept, merged=merged,
                                              acting_user=acting_user):
        moved.update(what or {})
    names = list(PersonName.objects.filter(person=merged).values_list("pk", "kind"))
    PersonName.objects.filter(pk__in=[pk for pk, _ in names]).update(person=kept, kind=PersonName.Kind.OTHER)
    merged.merged_into = kept
    merged.save(update_fields=["merged_into"])

    merge = PersonMerge.objects.create(
        kept=kept, merged=merged, reasons=reasons, merged_by=acting_user, merged_at=now,
        moved={"referrals": referral_ids, **moved, "names": [[pk, kind] for pk, kind in names]},
    )
    counts = {"referrals": len(referral_ids), "cases": len(moved["cases"]),
              "timeline entries": len(moved["chronology"])}
    summary = ", ".join(f"{count} {what}" for what, count in counts.items())
    for person, text in ((kept, f"Record of {merged.full_name} (number {merged.pk}) merged into this "
                                f"one: {summary} moved"),
                         (merged, f"Merged into the record of {kept.full_name} (number {kept.pk})")):
        PersonChange.objects.create(person=person, kind=PersonChange.Kind.MERGE, reasons=reasons,
                                    changed_by=acting_user, changed_at=now,
                                    changes=[_merge_change(text)])
    for person, role in ((kept, "kept"), (merged, "merged")):
        audit_event_record(action=AuditAction.UPDATE, obj=person,
                           changed_fields=MERGE_FIELDS,
                           details={"merge": merge.pk, "role": role, **counts}, actor=acting_user)
    return merge


@transaction.atomic
def person_merge_undo(*, merge: PersonMerge, reasons: str, acting_user) -> PersonMerge:
    """Undo a merge: what it moved goes back to the merged record, which is
    a record of its own again. Anything linked to the kept record since the
    merge stays with it. Refused if already undone."""
    reasons = _required(reasons, "Enter why this merge was wrong")
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError("This merge has already been undone. Nothing has been changed.",
                              code="already_undone")
    kept, merged = _locked_people(merge.kept, merge.merged)
    if kept.merged_into_id is not None:
        # What this merge moved went on with the kept record: undo that first.
        raise ValidationError(
            "%(kept)s’s record has since been merged into another record. Undo that merge first.",
            code="kept_merged_since", params={"kept": kept.full_name})
    now = timezone.now()
    moved = merge.moved
    referral_ids = list(Referral.objects.filter(pk__in=moved.get("referrals", []), person=kept)
                        .values_list("pk", flat=True))
    Referral.objects.filter(pk__in=referral_ids).update(person=merged)
    person_merge_undone.send(sender=Person, kept=kept, merged=merged, moved=moved, acting_user=acting_user)
    for pk, kind in moved.get("names", []):
        PersonName.objects.filter(pk=pk, person=kept).update(person=merged, kind=kind)
    merged.merged_into = None
    merged.save(update_fields=["merged_into"])
    merge.undone_by, merge.undone_at, merge.undo_reasons = acting_user, now, reasons
    merge.save(update_fields=["undone_by", "undone_at", "undo_reasons"])
    for person, text in ((kept, f"Merge of {merged.full_name} (number {merged.pk}) undone"),
                         (merged, f"Merge into {kept.full_name} (number {kept.pk}) undone: a record of "
                                  "its own again")):
        PersonChange.objects.create(person=person, kind=PersonChange.Kind.MERGE_UNDONE, reasons=reasons,
                                    changed_by=acting_user, changed_at=now,
                                    changes=[_merge_change(text)])
    for person, role in ((kept, "kept"), (merged, "merged")):
        audit_event_record(action=AuditAction.UPDATE, obj=person,
                           changed_fields=MERGE_FIELDS,
                           details={"merge": merge.pk, "role": role, "undone": True}, actor=acting_user)
    return merge


@transaction.atomic
def people_not_same(*, person: Person, other: Person, reasons: str = "", acting_user) -> bool:
    """The coordinator says two records are not the same person: neither is
    offered as possibly the other again. Returns False if that was already
    recorded."""
    if person.pk == other.pk:
        raise ValidationError("A record is always the same person as itself.", code="same_record")
    first, second = sorted((person, other), key=lambda each: each.pk)
    first, second = _locked_people(first, second)
    if PersonDistinction.objects.filter(person=first, other=second).exists():
        return False
    now = timezone.now()
    PersonDistinction.objects.create(person=first, other=second, reasons=(reasons or "").strip(),
                                     decided_by=acting_user, decided_at=now)
    for this, that in ((first, second), (second, first)):
        PersonChange.objects.create(
            person=this, kind=PersonChange.Kind.NOT_SAME, reasons=(reasons or "").strip() or "Not given",
            changed_by=acting_user, changed_at=now,
            changes=[{"field": "not_same", "label": "Not the same person", "before": "",
                      "after": f"Not the same person as {that.full_name} (number {that.pk})"}])
        audit_event_record(action=AuditAction.UPDATE, obj=this, changed_fields=["not_the_same_as"],
                           details={"other": that.pk}, actor=acting_user)
    return True


@transaction.atomic
def person_restriction_set(*, person: Person, restricted: bool, reason: str, acting_user) -> Person:
    """Restrict processing of the person's records (they stay readable; every
    change is refused) or lift the restriction, with the reason (a rights
    request's reference and why). Restricting an already restricted record,
    or lifting one that is not, changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason"}, code="required")
    if len(reason) > 2000:
        raise ValidationError({"reason": "The reason must be 2,000 characters or fewer"})
    (locked,) = _locked_people(person)
    if restricted == (locked.restricted_at is not None):
        return locked
    locked.restricted_at = timezone.now() if restricted else None
    locked.restriction_reason = reason if restricted else ""
    locked.save(update_fields=["restricted_at", "restriction_reason"])
    audit_event_record(action=AuditAction.UPDATE, obj=locked,
                       changed_fields=["restricted_at", "restriction_reason"],
                       details={"change": "processing restricted" if restricted else "restriction lifted"},
                       actor=acting_user)
    person.restricted_at, person.restriction_reason = locked.restricted_at, locked.restriction_reason
    return locked


# Referrals imported from the council's earlier records -------------------------------------


def people_create_for_imported(*, referrals: list[Referral], acting_user, details: dict | None = None
                               ) -> list[Person]:
    """A new person record for each imported referral (legacy_import),
    started from it as `person_create_from_referral` would, and linked to it
    so its Channel case, if any, has someone to be about.

    Never matched or merged with anyone: an import cannot decide who someone
    is. The link is left unconfirmed (no `person_confirmed_by`), which the
    identify page and the person's page say, and a coordinator finds whether
    the record is someone already known there (people_like: records that may
    be the same person, merged by a named coordinator). In the caller's
    transaction; one audit event per person and per referral linked."""
    people = []
    for referral in referrals:
        person = Person(
            given_name=tidy(referral.subject_given_name)[:100],
            family_name=tidy(referral.subject_family_name)[:100],
            date_of_birth=referral.subject_date_of_birth, gender=referral.subject_gender,
            created_by=acting_user, started_from=referral)
        if not person.full_name:
            person.family_name = NAME_NOT_KNOWN
        people.append(person)
    with transaction.atomic():
        people = Person.objects.bulk_create(people, batch_size=1000)
        names = []
        for person, referral in zip(people, referrals, strict=True):
            main = subject_names(referral)
            if main:
                names.append(_name_row(person, PersonName.Kind.MAIN, main[0], source_referral=referral))
            referral.person = person
        PersonName.objects.bulk_create(names, batch_size=1000)
        # Each referral to the person started from it: one UPDATE per batch.
        ids = [referral.pk for referral in referrals]
        for start in range(0, len(ids), 1000):
            Referral.objects.filter(pk__in=ids[start:start + 1000]).update(person=Subquery(
                Person.objects.filter(started_from=OuterRef("pk")).values("pk")[:1]))
        audit_events_record_many(
            [{"action": AuditAction.CREATE, "obj": person,
              "changed_fields": [field for field in ("given_name", "family_name", "date_of_birth", "gender")
                                 if getattr(person, field)] + ["names"],
              "details": {**(details or {}), "from_referral": referral.reference, "imported": True}}
             for person, referral in zip(people, referrals, strict=True)]
            + [{"action": AuditAction.UPDATE, "obj": referral, "changed_fields": ["person"],
                "details": {**(details or {}), "person": referral.person_id,
                            "decision": "new person, imported: not yet confirmed"}}
               for referral in referrals], actor=acting_user)
    return people
