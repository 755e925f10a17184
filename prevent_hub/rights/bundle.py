"""Everything Prevent Hub holds about one person, as a structured document:
parts → sections (one per kind of record) → items (one per record) →
fields (label and value).

One table, SOURCES, says which records are read and how each reaches the
person; the reading is driven by it and SEARCHED_MODELS is derived from it,
so the list of what a subject access request searches is exactly what the
code reads (tests/test_subject_access_searches_everything.py holds it to
every model that can hold personal data). Every field of every record is
included except the few in LEFT_OUT (search keys, file paths, hashes),
so a field added to a model later is in the next bundle without a change
here. Each source is one query however many records it finds (its foreign
keys are joined), so a bundle's query count does not grow with its size.

The document is plain JSON (dates as ISO text) so it can be frozen on a
SubjectAccessBundle and rendered, redacted, as a page, a PDF and a file.
Callers check who may build it and audit it: see selectors and services."""

import datetime
import decimal
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from prevent_hub.audit.models import AuditEvent

DOCUMENT_FORMAT = 1

# Fields never copied into a bundle: search keys derived from names and
# addresses, file paths in storage (the file's name is kept), idempotency
# keys and hashes. None of them is information about the person as such.
LEFT_OUT_NAMES = frozenset({"submission_key", "submission_fingerprint", "resume_token_hash", "file",
                            "object_type", "object_id"})
LEFT_OUT_SUFFIXES = ("_key", "_hash")

PERSON = "The person record"
REFERRALS = "Referrals"
CHANNEL = "Channel cases"
PANELS = "Channel panels"
RIGHTS = "Data protection rights requests"
VENUES = "Venue bookings naming the person"
COMPLAINTS = "Complaints"
TRAINING = "Training records"
HOLDS = "Records held from deletion"
AUDIT = "Who has looked at or changed these records"


@dataclass(frozen=True)
class Source:
    """One kind of record in the bundle: `label` is the model
    ("app_label.Model"), `paths` the lookups from it to the person's id (any
    of them matching includes the record), `related` extra joins its display
    needs, `order` its order in the bundle. A source `about` "venue_booking"
    reaches the venue bookings linked to the request instead (bookers and
    speakers have no person record); one `about` "complaint" reaches the
    complaints about the person's referrals and cases, and those linked to
    the request (a complainant has no person record); one `about` "learner"
    reaches the learners linked to the request (staff asking for their own
    training record: learners have no person record either). `also` names
    other kinds a source is reached from, with their paths: a legal hold is
    on a person's records or on a learner."""

    label: str
    part: str
    paths: tuple[str, ...]
    related: tuple[str, ...] = ()
    order: tuple[str, ...] = ("pk",)
    title: str = ""
    about: str = "person"
    also: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def model(self):
        return apps.get_model(self.label)

    @property
    def section_title(self) -> str:
        return self.title or str(self.model._meta.verbose_name_plural).capitalize()

    def queryset(self, ids: dict[str, list[int]]):
        """The records reached from `ids` (kind → ids), or None if no kind
        it is reached from has any."""
        model = self.model
        condition = Q()
        for kind, paths in ((self.about, self.paths), *self.also):
            for path in paths if ids.get(kind) else ():
                condition |= Q(**{f"{path}__in": ids[kind]})
        if not condition:
            return None
        joins = [f.name for f in model._meta.concrete_fields if f.is_relation] + list(self.related)
        # A subquery rather than OR across joins: no duplicate rows, no DISTINCT.
        matching = model._default_manager.filter(condition).values("pk")
        return model._default_manager.filter(pk__in=matching).select_related(*joins).order_by(*self.order)


SOURCES: tuple[Source, ...] = (
    Source("people.Person", PERSON, ("pk", "merged_into"), title="Person records (and records merged in)"),
    Source("people.PersonName", PERSON, ("person",), title="Names"),
    Source("people.PersonChange", PERSON, ("person",), order=("changed_at", "pk"), title="Changes"),
    Source("people.PersonMerge", PERSON, ("kept", "merged"), title="Merges"),
    Source("people.PersonDistinction", PERSON, ("person", "other"),
           title="Records found not to be the same person"),
    Source("people.MatchDecision", PERSON, ("person", "referral__person"), title="Match decisions"),
    Source("referrals.Referral", REFERRALS, ("person",), order=("received_at", "pk")),
    Source("referrals.ReferralName", REFERRALS, ("referral__person",), title="Names in referrals"),
    Source("referrals.ReferralAttachment", REFERRALS, ("referral__person",),
           title="Files attached to referrals (names only: ask for copies)"),
    Source("channel.ChannelCase", CHANNEL, ("person",), order=("opened_at", "pk")),
    Source("channel.CaseTransition", CHANNEL, ("case__person",), order=("occurred_at", "pk"),
           title="Status history"),
    Source("channel.CaseTeamMember", CHANNEL, ("case__person",), related=("user__organisation",),
           title="Case team"),
    Source("channel.Consent", CHANNEL, ("case__person",)),
    Source("channel.Assessment", CHANNEL, ("case__person",), order=("assessed_on", "pk"),
           title="Vulnerability assessments"),
    Source("channel.FactorEvidence", CHANNEL, ("assessment__case__person",),
           related=("factor__dimension",), title="Assessment factors and evidence"),
    Source("channel.DimensionJudgement", CHANNEL, ("assessment__case__person",),
           title="Assessment judgements"),
    Source("channel.SupportPlan", CHANNEL, ("case__person",)),
    Source("channel.SupportProvider", CHANNEL, ("plan__case__person",), title="Support providers"),
    Source("channel.PlanAction", CHANNEL, ("case__person",), title="Support plan actions"),
    Source("channel.SupportSession", CHANNEL, ("case__person",), order=("held_on", "pk"),
           title="Support sessions"),
    Source("channel.Review", CHANNEL, ("case__person",), order=("due_date", "pk")),
    Source("channel.Note", CHANNEL, ("case__person",), order=("written_at", "pk"), title="Case notes"),
    Source("channel.CaseDocument", CHANNEL, ("case__person",),
           title="Case documents (names only: ask for copies)"),
    Source("channel.InformationRequest", CHANNEL, ("case__person",),
           title="Information requested from other organisations"),
    Source("channel.Transfer", CHANNEL, ("case__person",), title="Transfers"),
    Source("channel.ChronologyEntry", CHANNEL, ("person", "case__person"), order=("occurred_at", "pk"),
           title="Chronology"),
    Source("panels.AgendaItem", PANELS, ("case__person",), related=("meeting__panel",),
           order=("meeting__date", "pk"), title="Panel agenda items, decisions and minutes"),
    Source("panels.ItemInvitee", PANELS, ("item__case__person",), title="People invited for these items"),
    Source("panels.ItemAction", PANELS, ("item__case__person",), title="Actions the panel set"),
    Source("panels.MinutesAddendum", PANELS, ("item__case__person",), title="Addenda to the minutes"),
    Source("panels.Attendance", PANELS, ("item__case__person",), title="Attendance for these items"),
    Source("panels.OutsideMeetingDecision", PANELS, ("case__person",),
           title="Panel decisions taken outside a meeting"),
    Source("rights.RightsRequest", RIGHTS, ("person",), order=("received_on", "pk"),
           title="Data protection rights requests"),
    # Read by label (records management builds on this app, so it is not
    # imported): a hold's reason may say something about the person.
    Source("records.LegalHold", HOLDS, ("person", "referral__person", "case__person"),
           also=(("learner", ("learner",)),), order=("placed_at", "pk"),
           title="Legal holds on these records"),
    Source("venues.VenueBooking", VENUES, ("pk",), order=("event_date", "pk"), about="venue_booking",
           title="Venue bookings"),
    Source("venues.Speaker", VENUES, ("booking",), about="venue_booking", title="Speakers"),
    Source("venues.PromotionFile", VENUES, ("booking",), about="venue_booking",
           title="Promotion material (names only: ask for copies)"),
    Source("venues.BookingCheck", VENUES, ("booking",), about="venue_booking", related=("speaker",),
           title="Checks on the booking"),
    Source("venues.CheckEvidence", VENUES, ("check_line__booking",), about="venue_booking",
           title="Evidence kept with the checks (files: names only)"),
    Source("venues.Escalation", VENUES, ("booking",), about="venue_booking",
           title="Escalations to the Prevent lead"),
    Source("venues.BookingDecision", VENUES, ("booking",), about="venue_booking", related=("clause",),
           title="Decisions"),
    Source("venues.DecisionCondition", VENUES, ("decision__booking",), about="venue_booking",
           title="Conditions set"),
    Source("venues.Appeal", VENUES, ("booking",), about="venue_booking", title="Appeals"),
    Source("venues.BookingChange", VENUES, ("booking",), about="venue_booking",
           title="Changes after the request"),
    Source("venues.Letter", VENUES, ("booking",), about="venue_booking", title="Letters to the booker"),
    Source("complaints.Complaint", COMPLAINTS, ("pk",), order=("received_at", "pk"), about="complaint",
           title="Complaints"),
    Source("complaints.ComplaintPoint", COMPLAINTS, ("complaint",), about="complaint",
           title="Points of complaint and findings"),
    Source("complaints.InvestigationNote", COMPLAINTS, ("complaint",), order=("written_at", "pk"),
           about="complaint", title="Investigation notes"),
    Source("complaints.ComplaintDocument", COMPLAINTS, ("complaint",), about="complaint",
           title="Complaint documents (names only: ask for copies)"),
    Source("complaints.Sharing", COMPLAINTS, ("complaint",), about="complaint",
           title="Complaints passed on or shared"),
    Source("complaints.Extension", COMPLAINTS, ("complaint",), about="complaint",
           title="More time to respond"),
    Source("complaints.Letter", COMPLAINTS, ("complaint",), order=("sent_at", "pk"), about="complaint",
           title="Letters to the complainant"),
    Source("training.Learner", TRAINING, ("pk",), about="learner", title="Training records (learners)"),
    Source("training.Completion", TRAINING, ("learner",), order=("completed_on", "pk"), about="learner",
           title="Courses completed (evidence files by name only: ask for copies)"),
    # What a reminder is about is shown as its completion ("course on day").
    Source("training.CompletionReminder", TRAINING, ("completion__learner",), related=("completion__course",),
           order=("sent_at", "pk"), about="learner", title="Reminders sent before a course was due"),
)

# The audit trail is read for every record above: see _audit_section.
AUDIT_SOURCE = "audit.AuditEvent"
SEARCHED_MODELS: tuple[str, ...] = (*(source.label for source in SOURCES), AUDIT_SOURCE)

# Models that hold no information about a person referred, with the reason;
# every other model in these apps must be in SOURCES (the test checks).
NOT_SEARCHED: dict[str, str] = {
    "referrals.ReferralDraft": ("an unsent draft under its writer's account, linked to no person; it "
                                "expires and is deleted (retention)"),
    "channel.Area": "reference data: the areas panels serve",
    "channel.VafFramework": "reference data: the wording of the assessment framework",
    "channel.VafDimension": "reference data: the wording of the assessment framework",
    "channel.VafFactor": "reference data: the wording of the assessment framework",
    "panels.Panel": "a panel's name, area and chair: no person referred",
    "panels.PanelMember": "a panel's standing members (staff): no person referred",
    "panels.PanelMeeting": "a meeting's date and place; its items about the person are searched",
    "panels.Minutes": ("a meeting's minutes as a whole; the minute of each item about the person and "
                       "their addenda are searched"),
    "rights.SubjectAccessBundle": "a copy of what the other records hold, made to answer a request",
    "rights.Redaction": "what was withheld from a bundle, and why",
    "rights.VenueBookingLink": "which venue bookings a request covers; the bookings themselves are searched",
    "rights.ComplaintLink": "which complaints a request covers; the complaints themselves are searched",
    "rights.LearnerLink": ("which learners' training records a request covers; the records themselves are "
                           "searched"),
    "training.Course": "reference data: the courses, their prerequisites and refresh periods",
    "training.TrainingImport": ("a spreadsheet import's report: line numbers and reasons, never the rows; "
                                "the uploaded file is deleted once imported or rejected. Each completion "
                                "imported names its import"),
    "venues.BookingDraft": ("an unsent booking request, reachable only by its writer; it expires and is "
                            "deleted"),
}


def _label(model_field) -> str:
    text = str(model_field.verbose_name)
    return text[:1].upper() + text[1:]


def _display_related(obj) -> str:
    if obj is None:
        return None
    for attribute in ("reference", "full_name", "wording"):
        value = getattr(obj, attribute, None)
        if isinstance(value, str) and value:
            return value
    if obj._meta.label == "panels.AgendaItem":
        return f"Item {obj.position}"
    return str(obj)


def _plain(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _fields_of(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields
            if f.name not in LEFT_OUT_NAMES and not f.name.endswith(LEFT_OUT_SUFFIXES)
            and not isinstance(f, models.FileField) and not f.primary_key]


def _item(source: Source, obj, fields, number: int) -> dict:
    rows = []
    for model_field in fields:
        if model_field.is_relation:
            value = _display_related(getattr(obj, model_field.name))
        else:
            value = getattr(obj, model_field.attname)
            if model_field.choices and value not in (None, ""):
                value = getattr(obj, f"get_{model_field.name}_display")()
        rows.append({"key": model_field.name, "label": _label(model_field), "value": _plain(value)})
    verbose = str(obj._meta.verbose_name)
    reference = getattr(obj, "reference", "")
    title = f"{verbose[:1].upper()}{verbose[1:]} {reference or number}"
    return {"key": f"{obj._meta.label_lower}:{obj.pk}", "title": title, "fields": rows}


@dataclass
class _Found:
    sections: list = field(default_factory=list)
    # label_lower → ids of the records included, for the audit section.
    records: dict = field(default_factory=dict)
    references: dict = field(default_factory=dict)


def _audit_section(found: _Found) -> dict:
    """Every audit event about any record in the bundle: who viewed,
    searched, exported, downloaded, created, changed or deleted it, when."""
    condition = Q()
    for object_type, ids in found.records.items():
        if ids:
            condition |= Q(object_type=object_type, object_id__in=[str(pk) for pk in ids])
    events = (AuditEvent.objects.filter(condition).select_related("actor").order_by("occurred_at", "sequence")
              if condition else AuditEvent.objects.none())
    items = []
    for event in events.iterator(chunk_size=2000):
        record = found.references.get((event.object_type, event.object_id)) or (
            f"{event.object_type} {event.object_id}")
        items.append({"key": f"audit.auditevent:{event.sequence}", "title": f"Audit event {event.sequence}",
                      "fields": [
                          {"key": "occurred_at", "label": "When", "value": _plain(event.occurred_at)},
                          {"key": "action", "label": "What was done", "value": event.get_action_display()},
                          {"key": "record", "label": "Record", "value": record},
                          {"key": "changed_fields", "label": "Fields changed",
                           "value": list(event.changed_fields or [])},
                          {"key": "actor", "label": "By",
                           "value": (event.actor.full_name if event.actor else "") or event.actor_email
                           or "Nobody signed in"},
                          {"key": "organisation", "label": "Organisation", "value": event.organisation_name},
                      ]})
    return {"key": AUDIT_SOURCE.lower(), "part": AUDIT, "title": "Audit events", "items": items}


def person_ids_for(person_id: int) -> list[int]:
    """The person and any records merged into theirs."""
    person = apps.get_model("people.Person")
    return [person_id, *person.objects.filter(merged_into_id=person_id).values_list("pk", flat=True)]


def complaint_ids_for(person_ids: list[int], linked=()) -> list[int]:
    """The complaints about any of the person's referrals or Channel cases,
    and those linked to the request by hand."""
    complaint = apps.get_model("complaints.Complaint")
    about = (complaint.objects.filter(Q(referral__person_id__in=person_ids)
                                      | Q(case__person_id__in=person_ids))
             .values_list("pk", flat=True)) if person_ids else []
    return sorted({*about, *linked})


def bundle_build(*, person_id: int | None, venue_booking_ids=(), complaint_ids=(), learner_ids=(),
                 request_reference: str = "") -> dict:
    """The document for the person `person_id` (see the module's docstring),
    the venue bookings linked to the request, the complaints (about the
    person's records or linked to the request) and the learners linked to
    it. Not scoped and not audited here: the callers are."""
    people = person_ids_for(person_id) if person_id is not None else []
    ids = {"person": people, "venue_booking": list(venue_booking_ids),
           "complaint": complaint_ids_for(people, complaint_ids), "learner": list(learner_ids)}
    found = _Found()
    for source in SOURCES:
        model = source.model
        fields = _fields_of(model)
        items = []
        records = source.queryset(ids)
        for number, obj in enumerate(records if records is not None else (), start=1):
            items.append(_item(source, obj, fields, number))
            found.records.setdefault(model._meta.label_lower, []).append(obj.pk)
            found.references[(model._meta.label_lower, str(obj.pk))] = items[-1]["title"]
        found.sections.append({"key": model._meta.label_lower, "part": source.part,
                               "title": source.section_title, "items": items})
    found.sections.append(_audit_section(found))
    return {
        "format": DOCUMENT_FORMAT,
        "request": request_reference,
        "person_id": person_id,
        "produced_at": _plain(timezone.now()),
        "searched": list(SEARCHED_MODELS),
        "sections": found.sections,
    }


def references_in(document: dict) -> dict[str, list[str]]:
    """The referral and case references in a document."""
    wanted = {"referrals.referral": "referrals", "channel.channelcase": "cases"}
    found = {"referrals": [], "cases": []}
    for section in document["sections"]:
        if section["key"] in wanted:
            for item in section["items"]:
                value = next((f["value"] for f in item["fields"] if f["key"] == "reference"), "")
                found[wanted[section["key"]]].append(value)
    return found


def record_ids_in(document: dict, label_lower: str) -> list[int]:
    """Ids of the records of one kind in a document (from the item keys)."""
    for section in document["sections"]:
        if section["key"] == label_lower:
            return [int(item["key"].split(":", 1)[1]) for item in section["items"]]
    return []
