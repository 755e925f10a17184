"""Deleting records whose retention date has passed, with everything that
hangs off them, leaving a tombstone each (records.models.Tombstone).

What is due on `as_of` (run "as if" on that day):

- a referral with retain_until before it and no Channel case (a referral
  that went to Channel has no date of its own: it goes with its case);
- a Channel case with retain_until before it, with its referral;
- an unsubmitted referral draft whose expiry has passed;
- a data protection rights request (with its subject access bundle) whose
  retain_until, set when it was completed, is before it;
- a venue booking (with its speakers, checks and evidence, escalations,
  decisions, appeals, changes, letters and files) whose retain_until, two
  years from the event by default, is before it;
- a complaint (with its points, notes, documents, sharing, extensions,
  letters and reminders) whose retain_until, six years from closure by
  default, is before it;
- a learner's training record (the learner, with their completions, the
  reminders sent about them and their evidence files) whose retain_until,
  six years from leaving their organisation by default, is
  before it;
- a person, once the run has deleted their last referral and case
  (policy person_without_records, deleted with them).

A record under an active legal hold is reported as held and kept; so is a
learner linked to an open subject access request (the request is answered
first: what the requester asked to see is not deleted under them).

Each record is deleted in its own transaction (the rows in the order their
PROTECT foreign keys need, then its tombstone): a failure leaves that record
whole and the run goes on. Files are removed from storage only after the
transaction commits, so a rollback never loses a file.
"""

import datetime
import logging
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from prevent_hub.channel.models import (
    CaseDocument,
    ChannelCase,
    ChronologyEntry,
    Note,
    SupportSession,
    Transfer,
)
from prevent_hub.complaints.models import Complaint, ComplaintDocument
from prevent_hub.panels.models import AgendaItem, ItemAction, OutsideMeetingDecision
from prevent_hub.people.models import Person, PersonChange, PersonDistinction, PersonMerge, PersonName
from prevent_hub.referrals.models import Referral, ReferralAttachment, ReferralDraft
from prevent_hub.retention.models import RecordType, RetentionPolicy
from prevent_hub.retention.selectors import policy_in_force
from prevent_hub.rights.models import RightsRequest
from prevent_hub.training.models import Completion, Learner
from prevent_hub.venues.models import CheckEvidence, PromotionFile, VenueBooking

from .models import LegalHold, Outcome, RetentionRun, Tombstone
from .selectors import HeldSets, held_sets, holds_active, learners_requested, person_reference

logger = logging.getLogger(__name__)

REFERRAL = "referrals.referral"
CASE = "channel.channelcase"
DRAFT = "referrals.referraldraft"
RIGHTS = "rights.rightsrequest"
PERSON = "people.person"
VENUE_BOOKING = "venues.venuebooking"
COMPLAINT = "complaints.complaint"
LEARNER = "training.learner"


@dataclass
class Due:
    """One record a run found past its retention date."""

    record_type: str
    object_type: str
    object_id: str
    reference: str
    policy_id: int | None
    retain_until: datetime.date | None
    hold: LegalHold | None = None
    # The open subject access request that keeps a learner, if one does.
    held_for_request: str = ""
    person_id: int | None = None
    # For a case: its referral, deleted with it.
    referral_id: int | None = None
    referral_reference: str = ""
    outcome: str = ""
    error: str = ""

    @property
    def is_held(self) -> bool:
        return self.hold is not None or bool(self.held_for_request)

    def row(self, policies: dict[int, RetentionPolicy]) -> dict:
        policy = policies.get(self.policy_id)
        return {
            "record_type": self.record_type,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "reference": self.reference,
            "with_referral": self.referral_reference,
            "policy_id": self.policy_id,
            "policy": policy.get_record_type_display() if policy else "",
            "period": policy.period_text if policy else "",
            "retain_until": self.retain_until.isoformat() if self.retain_until else "",
            "outcome": self.outcome,
            "hold_id": self.hold.pk if self.hold else None,
            "hold_kind": (self.hold.get_kind_display() if self.hold
                          else f"Open subject access request {self.held_for_request}"
                          if self.held_for_request else ""),
            # A request keeps its records until it is answered, not to a date.
            "hold_ends_on": self.hold.ends_on.isoformat() if self.hold else "",
            "error": self.error,
        }


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# What is due ------------------------------------------------------------------------


def cases_due(as_of: datetime.date):
    """Uses the case_by_retain_until index."""
    return (ChannelCase.objects.filter(retain_until__lt=as_of).order_by()
            .values_list("pk", "reference", "retain_until", "retention_policy_id", "person_id",
                         "referral_id", "referral__reference"))


def referrals_due(as_of: datetime.date):
    """Uses the referral_by_retain_until index; a referral with a case goes
    with its case."""
    return (Referral.objects.filter(retain_until__lt=as_of, channel_case__isnull=True).order_by()
            .values_list("pk", "reference", "retain_until", "retention_policy_id", "person_id"))


def drafts_due(as_of: datetime.date):
    """Drafts that expired before the start of `as_of` (expires_at is indexed)."""
    return ReferralDraft.objects.filter(expires_at__lt=_start_of(as_of)).order_by().values_list(
        "pk", "expires_at")


def rights_requests_due(as_of: datetime.date):
    """Uses the rights_request_by_retention index."""
    return (RightsRequest.objects.filter(retain_until__lt=as_of).order_by()
            .values_list("pk", "reference", "retain_until", "retention_policy_id"))


def venue_bookings_due(as_of: datetime.date):
    """Uses the booking_by_retain_until index."""
    return (VenueBooking.objects.filter(retain_until__lt=as_of).order_by()
            .values_list("pk", "reference", "retain_until", "retention_policy_id"))


def complaints_due(as_of: datetime.date):
    """Uses the complaint_by_retain_until index."""
    return (Complaint.objects.filter(retain_until__lt=as_of).order_by()
            .values_list("pk", "reference", "retain_until", "retention_policy_id"))


def learners_due(as_of: datetime.date):
    """Uses the learner_by_retain_until index."""
    return (Learner.objects.filter(retain_until__lt=as_of).order_by()
            .values_list("pk", "reference", "retain_until", "retention_policy_id"))


def records_due(as_of: datetime.date, holds: HeldSets | None = None) -> list[Due]:
    """Every referral, case and draft due on `as_of`, each with the hold that
    keeps it, if any. People are worked out from these (people_due)."""
    holds = holds or held_sets(as_of)
    due = []
    for pk, reference, until, policy_id, person_id, referral_id, referral_reference in cases_due(as_of):
        due.append(Due(record_type="", object_type=CASE, object_id=str(pk), reference=reference,
                       policy_id=policy_id, retain_until=until, person_id=person_id,
                       referral_id=referral_id, referral_reference=referral_reference,
                       hold=holds.for_case(pk, referral_id, person_id)))
    for pk, reference, until, policy_id, person_id in referrals_due(as_of):
        due.append(Due(record_type="", object_type=REFERRAL, object_id=str(pk), reference=reference,
                       policy_id=policy_id, retain_until=until, person_id=person_id,
                       hold=holds.for_referral(pk, person_id)))
    drafts = list(drafts_due(as_of))
    if drafts:
        draft_policy = policy_in_force(RecordType.REFERRAL_DRAFT, as_of)
        for pk, expires_at in drafts:
            due.append(Due(record_type=RecordType.REFERRAL_DRAFT, object_type=DRAFT, object_id=str(pk),
                           reference="", policy_id=draft_policy.pk,
                           retain_until=timezone.localtime(expires_at).date()))
    for pk, reference, until, policy_id in rights_requests_due(as_of):
        due.append(Due(record_type=RecordType.DATA_RIGHTS_REQUEST, object_type=RIGHTS, object_id=str(pk),
                       reference=reference, policy_id=policy_id, retain_until=until))
    for pk, reference, until, policy_id in venue_bookings_due(as_of):
        due.append(Due(record_type=RecordType.VENUE_BOOKING, object_type=VENUE_BOOKING, object_id=str(pk),
                       reference=reference, policy_id=policy_id, retain_until=until))
    for pk, reference, until, policy_id in complaints_due(as_of):
        due.append(Due(record_type=RecordType.COMPLAINT, object_type=COMPLAINT, object_id=str(pk),
                       reference=reference, policy_id=policy_id, retain_until=until))
    learners = list(learners_due(as_of))
    requested = learners_requested(pk for pk, *_ in learners) if learners else {}
    for pk, reference, until, policy_id in learners:
        due.append(Due(record_type=RecordType.TRAINING_RECORD, object_type=LEARNER, object_id=str(pk),
                       reference=reference, policy_id=policy_id, retain_until=until,
                       hold=holds.for_learner(pk), held_for_request=requested.get(pk, "")))
    return due


def people_due(due: list[Due], as_of: datetime.date, holds: HeldSets) -> list[Due]:
    """The people every one of whose referrals and cases is among `due` and
    not held: the run leaves them with no records, so they go too."""
    going_referrals, going_cases, touched = set(), set(), set()
    for record in due:
        if record.hold is not None or record.person_id is None:
            continue
        touched.add(record.person_id)
        if record.object_type == CASE:
            going_cases.add(int(record.object_id))
            going_referrals.add(record.referral_id)
        elif record.object_type == REFERRAL:
            going_referrals.add(int(record.object_id))
    if not touched:
        return []
    staying = set()
    touched_list = sorted(touched)
    for start in range(0, len(touched_list), 500):
        chunk = touched_list[start:start + 500]
        for pk, person_id in Referral.objects.filter(person_id__in=chunk).values_list("pk", "person_id"):
            if pk not in going_referrals:
                staying.add(person_id)
        for pk, person_id in ChannelCase.objects.filter(person_id__in=chunk).values_list("pk", "person_id"):
            if pk not in going_cases:
                staying.add(person_id)
    policy = policy_in_force(RecordType.PERSON_WITHOUT_RECORDS, as_of)
    return [Due(record_type=RecordType.PERSON_WITHOUT_RECORDS, object_type=PERSON, object_id=str(pk),
                reference=person_reference(pk), policy_id=policy.pk, retain_until=as_of, person_id=pk,
                hold=holds.for_person(pk))
            for pk in touched_list if pk not in staying]


def _record_types(due: list[Due]) -> None:
    """The record type each referral and case's policy is for."""
    ids = {record.policy_id for record in due if record.policy_id}
    types = dict(RetentionPolicy.objects.filter(pk__in=ids).values_list("pk", "record_type"))
    for record in due:
        if not record.record_type:
            record.record_type = types.get(record.policy_id, "")


# Deleting one record ---------------------------------------------------------------------


def _files_delete_after_commit(names: list[str]) -> None:
    names = [name for name in names if name]
    if not names:
        return

    def delete():
        for name in names:
            try:
                default_storage.delete(name)
            # Not only OSError: object storage fails with its client's own
            # errors (botocore), and one unreachable file must not stop the run.
            except Exception:
                logger.exception("Could not delete a stored file after retention")

    transaction.on_commit(delete)


def _referral_rows_delete(referral_id: int) -> None:
    """A referral and everything hanging off it (names, attachments and their
    files, match decisions, ended legal holds: by CASCADE), its line on its
    person's timeline, and the person record's pointers to it as a source."""
    files = list(ReferralAttachment.objects.filter(referral_id=referral_id).values_list("file", flat=True))
    # A referral is on a timeline only once it has a person: looked up
    # through chronology_by_person (object_type and object_id have no index).
    person_id = Referral.objects.filter(pk=referral_id).values_list("person_id", flat=True).first()
    if person_id is not None:
        ChronologyEntry.objects.filter(person_id=person_id, object_type=REFERRAL,
                                       object_id=str(referral_id)).delete()
    # A surviving person keeps their main name and the facts a coordinator
    # took from the referral onto their record, shown from now on only to
    # readers who see every referral (people.Person.started_from_deleted);
    # the other names it gave, search keys included, go with it.
    PersonName.objects.filter(source_referral_id=referral_id, kind=PersonName.Kind.OTHER).delete()
    PersonName.objects.filter(source_referral_id=referral_id).update(source_referral=None)
    Person.objects.filter(started_from_id=referral_id).update(started_from=None, started_from_deleted=True)
    Referral.objects.filter(pk=referral_id).delete()
    _files_delete_after_commit(files)


def _case_rows_delete(case_id: int) -> None:
    """A Channel case and everything hanging off it, the panels' personal
    content about it included (agenda items with their invitees, item
    attendance, actions and addenda; decisions outside meetings). Meetings,
    their general minutes and standing attendance stay."""
    files = list(CaseDocument.objects.filter(case_id=case_id).values_list("file", flat=True))
    ItemAction.objects.filter(Q(item__case_id=case_id) | Q(action__case_id=case_id)).delete()
    AgendaItem.objects.filter(case_id=case_id).delete()
    OutsideMeetingDecision.objects.filter(case_id=case_id).delete()
    Transfer.objects.filter(case_id=case_id).delete()
    # Notes are never deleted one by one (Note.delete refuses); retention
    # deletes them as rows, corrections first.
    Note.objects.filter(case_id=case_id).update(addendum_to=None)
    SupportSession.objects.filter(case_id=case_id).delete()
    ChannelCase.objects.filter(pk=case_id).delete()
    _files_delete_after_commit(files)


def _venue_booking_rows_delete(booking_id: int) -> None:
    """A venue booking and everything about it (CASCADE), and its files:
    flyers and the officer's evidence."""
    files = [*PromotionFile.objects.filter(booking_id=booking_id).values_list("file", flat=True),
             *CheckEvidence.objects.filter(check_line__booking_id=booking_id).values_list("file", flat=True)]
    VenueBooking.objects.filter(pk=booking_id).delete()
    _files_delete_after_commit(files)


def _complaint_rows_delete(complaint_id: int) -> None:
    """A complaint and everything about it (CASCADE), and its documents'
    files. Investigation notes, never deleted one by one, go as rows."""
    files = list(ComplaintDocument.objects.filter(complaint_id=complaint_id).values_list("file", flat=True))
    Complaint.objects.filter(pk=complaint_id).delete()
    _files_delete_after_commit(files)


def _learner_rows_delete(learner_id: int) -> None:
    """A learner and their training record: completions with the reminders
    sent about them, links to answered subject access requests and ended
    holds (CASCADE), and the completions' evidence files."""
    files = list(Completion.objects.filter(learner_id=learner_id).exclude(evidence="")
                 .values_list("evidence", flat=True))
    Learner.objects.filter(pk=learner_id).delete()
    _files_delete_after_commit(files)


def _person_rows_delete(person_id: int) -> None:
    """A person with no referral or case left, the records merged into them,
    their names, changes, merges, distinctions, match decisions, timeline."""
    ids, frontier = {person_id}, {person_id}
    while frontier:
        frontier = set(Person.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    if Referral.objects.filter(person_id__in=ids).exists() or ChannelCase.objects.filter(
            person_id__in=ids).exists():
        raise RecordStillInUse("The person still has a referral or case")
    _histories_elsewhere_scrub(ids)
    PersonMerge.objects.filter(Q(kept_id__in=ids) | Q(merged_id__in=ids)).delete()
    Person.objects.filter(pk__in=ids).update(merged_into=None, started_from=None)
    Person.objects.filter(pk__in=ids).delete()


DELETED_PERSON = "a person record since deleted"


def _histories_elsewhere_scrub(ids: set[int]) -> None:
    """Other people's histories name the people going ("Not the same person
    as <name> (number N)", merges and their undoing): the names go, the
    numbers stay, so the other record's history still reads."""
    merges = PersonMerge.objects.filter(Q(kept_id__in=ids) | Q(merged_id__in=ids))
    distinctions = PersonDistinction.objects.filter(Q(person_id__in=ids) | Q(other_id__in=ids))
    others = ({pk for pair in merges.values_list("kept_id", "merged_id") for pk in pair}
              | {pk for pair in distinctions.values_list("person_id", "other_id") for pk in pair}) - ids
    if not others:
        return
    names = sorted({f"{given} {family}".strip() for given, family in
                    Person.objects.filter(pk__in=ids).values_list("given_name", "family_name")}
                   - {""}, key=len, reverse=True)
    kinds = [PersonChange.Kind.MERGE, PersonChange.Kind.MERGE_UNDONE, PersonChange.Kind.NOT_SAME]
    for change in PersonChange.objects.filter(person_id__in=others, kind__in=kinds):
        scrubbed = []
        for line in change.changes:
            line = dict(line)
            for key in ("before", "after"):
                for name in names:
                    line[key] = str(line.get(key, "")).replace(name, DELETED_PERSON)
            scrubbed.append(line)
        if scrubbed != change.changes:
            change.changes = scrubbed
            change.save(update_fields=["changes"])


class RecordStillInUse(Exception):
    pass


def _still_due(record: Due, as_of: datetime.date) -> bool:
    """Inside the record's transaction, with its row locked: still past its
    date (a case reopened since the list was made is not)."""
    if record.object_type == CASE:
        return ChannelCase.objects.select_for_update().filter(pk=record.object_id,
                                                              retain_until__lt=as_of).exists()
    if record.object_type == REFERRAL:
        # Locked first, its case looked for apart: PostgreSQL refuses FOR
        # UPDATE with the outer join that "has no Channel case" makes.
        locked = Referral.objects.select_for_update().filter(pk=record.object_id,
                                                             retain_until__lt=as_of).exists()
        return locked and not ChannelCase.objects.filter(referral_id=record.object_id).exists()
    if record.object_type == DRAFT:
        return ReferralDraft.objects.filter(pk=record.object_id, expires_at__lt=_start_of(as_of)).exists()
    if record.object_type == RIGHTS:
        return RightsRequest.objects.select_for_update().filter(pk=record.object_id,
                                                                retain_until__lt=as_of).exists()
    if record.object_type == VENUE_BOOKING:
        return VenueBooking.objects.select_for_update().filter(pk=record.object_id,
                                                               retain_until__lt=as_of).exists()
    if record.object_type == COMPLAINT:
        return Complaint.objects.select_for_update().filter(pk=record.object_id,
                                                            retain_until__lt=as_of).exists()
    if record.object_type == LEARNER:
        # A completion recorded since the list was made moves the date on.
        return Learner.objects.select_for_update().filter(pk=record.object_id,
                                                          retain_until__lt=as_of).exists()
    return Person.objects.filter(pk=record.object_id).exists()


def _still_exists(record: Due) -> bool:
    model = {CASE: ChannelCase, REFERRAL: Referral, PERSON: Person}[record.object_type]
    return model.objects.select_for_update().filter(pk=record.object_id).exists()


def person_records(person_id: int, holds: HeldSets) -> list[Due]:
    """Everything about one person, for an accepted erasure request: each
    Channel case (with its referral), each referral without a case, then the
    person, each with the hold that keeps it, if any."""
    records = []
    cases = ChannelCase.objects.filter(person_id=person_id).order_by("pk").values_list(
        "pk", "reference", "retain_until", "retention_policy_id", "referral_id", "referral__reference")
    for pk, reference, until, policy_id, referral_id, referral_reference in cases:
        records.append(Due(record_type="", object_type=CASE, object_id=str(pk), reference=reference,
                           policy_id=policy_id, retain_until=until, person_id=person_id,
                           referral_id=referral_id, referral_reference=referral_reference,
                           hold=holds.for_case(pk, referral_id, person_id)))
    referrals = (Referral.objects.filter(person_id=person_id, channel_case__isnull=True).order_by("pk")
                 .values_list("pk", "reference", "retain_until", "retention_policy_id"))
    for pk, reference, until, policy_id in referrals:
        records.append(Due(record_type="", object_type=REFERRAL, object_id=str(pk), reference=reference,
                           policy_id=policy_id, retain_until=until, person_id=person_id,
                           hold=holds.for_referral(pk, person_id)))
    records.append(Due(record_type="", object_type=PERSON, object_id=str(person_id),
                       reference=person_reference(person_id), policy_id=None, retain_until=None,
                       person_id=person_id, hold=holds.for_person(person_id)))
    return records


def _held_now(record: Due, as_of: datetime.date) -> LegalHold | None:
    """A hold placed since the run listed what was due still counts."""
    active = holds_active(as_of)
    if record.object_type == CASE:
        query = Q(case_id=record.object_id) | Q(referral_id=record.referral_id)
    elif record.object_type == REFERRAL:
        query = Q(referral_id=record.object_id)
    elif record.object_type == PERSON:
        query = Q(person_id=record.object_id)
    elif record.object_type == LEARNER:
        return active.filter(learner_id=record.object_id).order_by("-ends_on").first()
    else:
        return None
    if record.person_id:
        query |= Q(person_id=record.person_id)
    return active.filter(query).order_by("-ends_on").first()


def record_delete(record: Due, *, run: RetentionRun, as_of: datetime.date, erasure: bool = False) -> str:
    """Delete one due record in its own transaction and leave its tombstone.
    Returns the outcome. For an accepted erasure request the record is due
    whatever its retention date (it must still exist)."""
    today = timezone.localdate()
    with transaction.atomic():
        if erasure:
            if not _still_exists(record):
                return ""
        elif not _still_due(record, as_of):
            return ""
        hold = _held_now(record, as_of)
        if hold is not None:
            record.hold = hold
            return Outcome.HELD
        if record.object_type == LEARNER:
            # A request opened since the list was made still keeps them.
            record.held_for_request = learners_requested([int(record.object_id)]).get(
                int(record.object_id), "")
            if record.held_for_request:
                return Outcome.HELD
        stones = [Tombstone(run=run, record_type=record.record_type, object_type=record.object_type,
                            former_id=record.object_id, reference=record.reference,
                            policy_id=record.policy_id, retain_until=record.retain_until, deleted_on=today)]
        if record.object_type == CASE:
            _case_rows_delete(int(record.object_id))
            _referral_rows_delete(record.referral_id)
            stones.append(Tombstone(run=run, record_type=record.record_type, object_type=REFERRAL,
                                    former_id=str(record.referral_id), reference=record.referral_reference,
                                    policy_id=record.policy_id, retain_until=record.retain_until,
                                    deleted_on=today))
        elif record.object_type == REFERRAL:
            _referral_rows_delete(int(record.object_id))
        elif record.object_type == DRAFT:
            files = list(ReferralAttachment.objects.filter(draft_id=record.object_id)
                         .values_list("file", flat=True))
            ReferralDraft.objects.filter(pk=record.object_id).delete()
            _files_delete_after_commit(files)
        elif record.object_type == PERSON:
            _person_rows_delete(int(record.object_id))
        elif record.object_type == RIGHTS:
            # Its subject access bundle and redactions go with it (CASCADE).
            RightsRequest.objects.filter(pk=record.object_id).delete()
        elif record.object_type == VENUE_BOOKING:
            _venue_booking_rows_delete(int(record.object_id))
        elif record.object_type == COMPLAINT:
            _complaint_rows_delete(int(record.object_id))
        elif record.object_type == LEARNER:
            _learner_rows_delete(int(record.object_id))
        Tombstone.objects.bulk_create(stones)
    return Outcome.DELETED


def database_compact() -> None:
    """After a real run on SQLite: move the write-ahead log (which still holds
    the deleted pages) into the database file and empty it. secure_delete
    (settings) has already zeroed the deleted rows in the pages themselves.
    On PostgreSQL, (auto)vacuum does the equivalent: docs/retention.md."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
