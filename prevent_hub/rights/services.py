"""Every change to a rights request and its bundle. Each function takes
keyword-only arguments and the acting user, locks the request, checks its
rules (refusing with a ValidationError that says why), writes in one
transaction and records its audit event inside it (record ids and
references only: never names or what anyone typed)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.core.dates import add_months
from prevent_hub.core.formatting import govuk_date
from prevent_hub.people.services import person_restriction_set
from prevent_hub.retention.models import RecordType
from prevent_hub.retention.selectors import retain_until

from . import bundle as bundles
from .documents import field_in
from .models import (
    MAX_EXTENSION_MONTHS,
    BundleStatus,
    ComplaintLink,
    Decision,
    IdentityMethod,
    LearnerLink,
    Redaction,
    RedactionReason,
    ReleaseMethod,
    RequestKind,
    RequestStatus,
    RightsRequest,
    SubjectAccessBundle,
    VenueBookingLink,
)
from .signals import rights_request_decided

RESPONSE_MONTHS = 1


def reference_for(request: RightsRequest) -> str:
    """DPR-<year received>-<number>, numbered from the row's own id."""
    return f"DPR-{request.received_on:%Y}-{request.pk:06d}"


def due_on_for(received_on: datetime.date, extension_months: int = 0) -> datetime.date:
    """One calendar month from receipt (31 January → 28 or 29 February),
    plus any extension in whole months."""
    return add_months(received_on, RESPONSE_MONTHS + extension_months)


def _text(value) -> str:
    return (value or "").strip()


def _locked(request: RightsRequest) -> RightsRequest:
    return RightsRequest.objects.select_for_update().get(pk=request.pk)


def _refuse_unless_open(request: RightsRequest):
    if not request.is_open:
        raise ValidationError("This request is completed, so it cannot be changed", code="completed")


def rights_request_log(*, kind: str, requester_name: str, requester_contact: str,
                       requester_relationship: str, relationship_details: str = "",
                       received_on: datetime.date, subject_details: str, request_text: str = "",
                       acting_user) -> RightsRequest:
    """Log a request as it arrived; its deadline is one calendar month from receipt."""
    errors = {}
    if kind not in RequestKind.values:
        errors["kind"] = "Select what kind of request it is"
    if not _text(requester_name):
        errors["requester_name"] = "Enter the name of the person who asked"
    if not _text(requester_contact):
        errors["requester_contact"] = "Enter how to contact the person who asked"
    if not _text(subject_details):
        errors["subject_details"] = "Enter who the request is about, as the requester described them"
    if received_on and received_on > timezone.localdate():
        errors["received_on"] = "The date the request was received must be today or in the past"
    if kind in (RequestKind.RECTIFICATION, RequestKind.ERASURE, RequestKind.RESTRICTION) \
            and not _text(request_text):
        errors["request_text"] = "Enter what they ask to be corrected, erased or restricted"
    if errors:
        raise ValidationError(errors, code="invalid")
    due = due_on_for(received_on)
    with transaction.atomic():
        request = RightsRequest.objects.create(
            kind=kind, requester_name=_text(requester_name), requester_contact=_text(requester_contact),
            requester_relationship=requester_relationship, relationship_details=_text(relationship_details),
            received_on=received_on, subject_details=_text(subject_details), request_text=_text(request_text),
            logged_at=timezone.now(), logged_by=acting_user, original_due_on=due, due_on=due)
        request.reference = reference_for(request)
        request.save(update_fields=["reference"])
        audit_event_record(
            action=AuditAction.CREATE, obj=request, actor=acting_user,
            changed_fields=["kind", "requester_name", "requester_contact", "requester_relationship",
                            "relationship_details", "received_on", "subject_details", "request_text"],
            details={"reference": request.reference, "kind": kind})
    return request


def rights_request_identity_verify(*, request: RightsRequest, method: str, notes: str = "",
                                   acting_user) -> RightsRequest:
    """Record how the requester's identity (and authority, for someone
    asking for another) was verified; work on the request can then start."""
    if method not in IdentityMethod.values:
        raise ValidationError({"identity_method": "Select how identity was verified"}, code="invalid")
    if method == IdentityMethod.OTHER and not _text(notes):
        raise ValidationError({"identity_notes": "Say how identity was verified"}, code="invalid")
    with transaction.atomic():
        locked = _locked(request)
        _refuse_unless_open(locked)
        if locked.identity_verified:
            raise ValidationError("Identity has already been verified for this request", code="verified")
        locked.identity_method = method
        locked.identity_notes = _text(notes)
        locked.identity_verified_at = timezone.now()
        locked.identity_verified_by = acting_user
        locked.status = RequestStatus.IN_PROGRESS
        locked.save()
        audit_event_record(action=AuditAction.UPDATE, obj=locked, actor=acting_user,
                           changed_fields=["identity_method", "identity_notes", "identity_verified_at",
                                           "status"],
                           details={"reference": locked.reference, "step": "identity verified"})
    return locked


def rights_request_person_link(*, request: RightsRequest, person, acting_user) -> RightsRequest:
    """Record which person record the request is about."""
    with transaction.atomic():
        locked = _locked(request)
        _refuse_unless_open(locked)
        bundle = SubjectAccessBundle.objects.filter(request=locked).first()
        if bundle is not None and bundle.is_locked:
            raise ValidationError("The bundle has been approved, so the person cannot be changed",
                                  code="approved")
        locked.person = person
        locked.person_former_id = person.pk
        locked.person_linked_at = timezone.now()
        locked.person_linked_by = acting_user
        locked.save()
        audit_event_record(action=AuditAction.UPDATE, obj=locked, actor=acting_user,
                           changed_fields=["person"],
                           details={"reference": locked.reference, "person": person.pk})
    return locked


def _link_by_hand(*, request: RightsRequest, link_model, field: str, record, noun: str, unlink: bool,
                  acting_user) -> RightsRequest:
    """Record that `record` (a `noun` with no person record behind it, held
    on `link_model`.`field`) names the requester, or with `unlink` that it
    does not after all, so a subject access bundle includes it or leaves it
    out. The audit event names the record by its reference."""
    with transaction.atomic():
        locked = _locked(request)
        _refuse_unless_open(locked)
        if locked.kind != RequestKind.SUBJECT_ACCESS:
            raise ValidationError(f"{noun.capitalize()}s are linked only to a subject access request",
                                  code="kind")
        bundle = SubjectAccessBundle.objects.filter(request=locked).first()
        if bundle is not None and bundle.is_locked:
            raise ValidationError("The bundle has been approved, so what it covers cannot change",
                                  code="approved")
        links = link_model.objects.filter(request=locked, **{field: record})
        if unlink:
            if not links.delete()[0]:
                raise ValidationError(f"That {noun} is not linked to this request", code="not_linked")
        elif links.exists():
            raise ValidationError(f"{noun.capitalize()} {record.reference} is already linked to this request",
                                  code="linked")
        else:
            link_model.objects.create(request=locked, **{field: record}, linked_at=timezone.now(),
                                      linked_by=acting_user)
        key = noun.replace(" ", "_")
        audit_event_record(action=AuditAction.UPDATE, obj=locked, actor=acting_user,
                           changed_fields=[f"{key}s"],
                           details={"reference": locked.reference, key: record.reference,
                                    "step": f"{noun} {'unlinked' if unlink else 'linked'}"})
    return locked


def rights_request_venue_booking_link(*, request: RightsRequest, booking, unlink: bool = False,
                                      acting_user) -> RightsRequest:
    """Record that a venue booking names the requester, as booker or
    speaker (or, with `unlink`, that it does not after all)."""
    return _link_by_hand(request=request, link_model=VenueBookingLink, field="booking", record=booking,
                         noun="venue booking", unlink=unlink, acting_user=acting_user)


def rights_request_complaint_link(*, request: RightsRequest, complaint, unlink: bool = False,
                                  acting_user) -> RightsRequest:
    """Record that a complaint names the requester, as complainant or as the
    person affected (or, with `unlink`, that it does not after all)."""
    return _link_by_hand(request=request, link_model=ComplaintLink, field="complaint", record=complaint,
                         noun="complaint", unlink=unlink, acting_user=acting_user)


def rights_request_learner_link(*, request: RightsRequest, learner, unlink: bool = False,
                                acting_user) -> RightsRequest:
    """Record that a learner's training record is the requester's own (a
    member of staff asking for their data), or with `unlink`, that it is
    not after all. While the request is open, retention keeps the learner."""
    return _link_by_hand(request=request, link_model=LearnerLink, field="learner", record=learner,
                         noun="training record", unlink=unlink, acting_user=acting_user)


def rights_request_extend(*, request: RightsRequest, extension_months: int, reason: str,
                          acting_user) -> RightsRequest:
    """Extend the deadline to `extension_months` (1 or 2) months after the
    first month, with the reason (complex or numerous requests)."""
    if extension_months not in range(1, MAX_EXTENSION_MONTHS + 1):
        raise ValidationError({"extension_months": "Select an extension of one or two months"},
                              code="invalid")
    if not _text(reason):
        raise ValidationError({"reason": "Enter the reason for the extension"}, code="invalid")
    with transaction.atomic():
        locked = _locked(request)
        _refuse_unless_open(locked)
        if extension_months <= locked.extension_months:
            raise ValidationError(
                {"extension_months": f"The deadline is already extended by {locked.extension_months} "
                                     f"month{'s' if locked.extension_months != 1 else ''}: choose a longer "
                                     f"extension"}, code="not_longer")
        locked.extension_months = extension_months
        locked.extension_reason = _text(reason)
        locked.due_on = due_on_for(locked.received_on, extension_months)
        locked.extended_at = timezone.now()
        locked.extended_by = acting_user
        locked.save()
        audit_event_record(action=AuditAction.UPDATE, obj=locked, actor=acting_user,
                           changed_fields=["extension_months", "extension_reason", "due_on"],
                           details={"reference": locked.reference, "extension_months": extension_months})
    return locked


def _complete(locked: RightsRequest, *, decision: str, reasons: str, acting_user):
    """Record the decision, complete the request, set how long it is kept
    and tell the parts of Prevent Hub that carry decisions out."""
    now = timezone.now()
    locked.decision = decision
    locked.decision_reasons = reasons
    locked.decided_at = now
    locked.decided_by = acting_user
    locked.status = RequestStatus.COMPLETED
    locked.completed_at = now
    locked.retain_until, locked.retention_policy = retain_until(RecordType.DATA_RIGHTS_REQUEST,
                                                                timezone.localdate(now))
    effects = _carried_out(locked, acting_user=acting_user)
    responses = rights_request_decided.send(sender=RightsRequest, request=locked, acting_user=acting_user)
    effects += [str(answer) for _, answer in responses if answer]
    locked.effects = "\n".join(effects)
    locked.save()
    audit_event_record(action=AuditAction.UPDATE, obj=locked, actor=acting_user,
                       changed_fields=["decision", "decision_reasons", "status", "retain_until"],
                       details={"reference": locked.reference, "decision": decision})


def _carried_out(locked: RightsRequest, *, acting_user) -> list[str]:
    """What this app does itself for a decision (erasure is carried out by
    records management, through the signal); sentences for the request page."""
    if locked.decision == Decision.REFUSED:
        return []
    if locked.kind == RequestKind.RESTRICTION and locked.decision == Decision.ACCEPTED:
        person_restriction_set(person=locked.person, restricted=True, acting_user=acting_user,
                               reason=f"Restricted at the person's request ({locked.reference}).")
        return ["Processing of the person's records is restricted: they can be read but not changed until "
                "the restriction is lifted on this page."]
    if locked.kind == RequestKind.RECTIFICATION:
        return ["Ask a Prevent coordinator to make the correction on the person record, referral or case "
                "(each keeps the history of its changes), then tell the requester."]
    return []


def restriction_lift(*, request: RightsRequest, reason: str, acting_user) -> RightsRequest:
    """Lift the restriction an accepted restriction request put on the
    person's records (the accuracy is settled, or the person withdraws),
    with the reason; kept on the request's page."""
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": "Enter why the restriction is being lifted"}, code="required")
    if len(reason) > 2000:
        raise ValidationError({"reason": "The reason must be 2,000 characters or fewer"}, code="too_long")
    with transaction.atomic():
        locked = _locked(request)
        if (locked.kind != RequestKind.RESTRICTION or locked.decision != Decision.ACCEPTED
                or locked.person is None or locked.person.restricted_at is None):
            raise ValidationError("There is no restriction from this request to lift", code="not_restricted")
        person_restriction_set(person=locked.person, restricted=False, acting_user=acting_user,
                               reason=f"Restriction lifted ({locked.reference}).")
        lifted = f"Restriction lifted on {govuk_date(timezone.localdate())}: {reason}"
        locked.effects = "\n".join([*locked.effects.splitlines(), lifted])
        locked.save(update_fields=["effects"])
        audit_event_record(action=AuditAction.UPDATE, obj=locked, actor=acting_user,
                           changed_fields=["effects"],
                           details={"reference": locked.reference, "step": "restriction lifted"})
    return locked


def rights_request_decide(*, request: RightsRequest, decision: str, reasons: str,
                          acting_user) -> RightsRequest:
    """Record the decision on a request, with reasons; the request is then
    completed. A subject access request is answered by releasing its bundle,
    so here it can only be refused."""
    if decision not in Decision.values:
        raise ValidationError({"decision": "Select the decision"}, code="invalid")
    if not _text(reasons):
        raise ValidationError({"reasons": "Enter the reasons for the decision"}, code="invalid")
    with transaction.atomic():
        locked = _locked(request)
        _refuse_unless_open(locked)
        if locked.kind == RequestKind.SUBJECT_ACCESS and decision != Decision.REFUSED:
            raise ValidationError({"decision": "A subject access request is answered by releasing its "
                                               "bundle: here it can only be refused"}, code="release")
        if decision != Decision.REFUSED and not locked.identity_verified:
            raise ValidationError("Verify the requester's identity before accepting the request",
                                  code="identity")
        if decision != Decision.REFUSED and locked.person_id is None:
            raise ValidationError("Find the person the request is about before accepting it", code="person")
        _complete(locked, decision=decision, reasons=_text(reasons), acting_user=acting_user)
    return locked


# Subject access bundles -----------------------------------------------------------------


def bundle_exports_audit(*, document: dict, person_id: int | None, details: dict, acting_user=None):
    """The person and each referral, case, venue booking, complaint and
    learner in `document` show in their own access logs as exported in it. Called in
    the transaction that builds the bundle."""
    # A bundle for a booker or complainant alone has no person to log against.
    if person_id is not None:
        audit_event_record(action=AuditAction.EXPORT, object_type="people.person", object_id=person_id,
                           details=details, actor=acting_user)
    for label in ("referrals.referral", "channel.channelcase", "venues.venuebooking", "complaints.complaint",
                  "training.learner"):
        for pk in bundles.record_ids_in(document, label):
            audit_event_record(action=AuditAction.EXPORT, object_type=label, object_id=pk, details=details,
                               actor=acting_user)


def bundle_prepare(*, request: RightsRequest, acting_user) -> SubjectAccessBundle:
    """Find everything held about the request's person and freeze it as the
    bundle (again, before approval: redactions stay on the same fields)."""
    with transaction.atomic():
        locked = _locked(request)
        _refuse_unless_open(locked)
        if locked.kind != RequestKind.SUBJECT_ACCESS:
            raise ValidationError("Only a subject access request has a bundle", code="kind")
        if not locked.identity_verified:
            raise ValidationError("Verify the requester's identity before finding their data",
                                  code="identity")
        booking_ids = list(locked.venue_booking_links.values_list("booking_id", flat=True))
        complaint_ids = list(locked.complaint_links.values_list("complaint_id", flat=True))
        learner_ids = list(locked.learner_links.values_list("learner_id", flat=True))
        if locked.person_id is None and not booking_ids and not complaint_ids and not learner_ids:
            raise ValidationError("Find the person the request is about, or their training record, or the "
                                  "venue bookings or complaints that name them, first", code="person")
        document = bundles.bundle_build(person_id=locked.person_id, venue_booking_ids=booking_ids,
                                        complaint_ids=complaint_ids, learner_ids=learner_ids,
                                        request_reference=locked.reference)
        bundle = SubjectAccessBundle.objects.filter(request=locked).first()
        if bundle is not None and bundle.is_locked:
            raise ValidationError("The bundle has been approved, so it cannot change", code="approved")
        if bundle is None:
            bundle = SubjectAccessBundle.objects.create(request=locked, document=document,
                                                        prepared_at=timezone.now(), prepared_by=acting_user)
            action = AuditAction.CREATE
        else:
            bundle.document = document
            bundle.prepared_at = timezone.now()
            bundle.prepared_by = acting_user
            bundle.save()
            action = AuditAction.UPDATE
        audit_event_record(action=action, obj=bundle, actor=acting_user, changed_fields=["document"],
                           details={"request": locked.reference, "person": locked.person_id})
        bundle_exports_audit(document=document, person_id=locked.person_id, acting_user=acting_user,
                             details={"request": locked.reference, "bundle": "subject access"})
    return bundle


def _locked_bundle(bundle: SubjectAccessBundle) -> SubjectAccessBundle:
    _locked(bundle.request)
    return SubjectAccessBundle.objects.select_related("request").get(pk=bundle.pk)


def _refuse_unless_prepared(bundle: SubjectAccessBundle):
    if bundle.status != BundleStatus.PREPARED:
        raise ValidationError("The bundle has been approved, so nothing in it can change", code="approved")


def redaction_add(*, bundle: SubjectAccessBundle, item_key: str, field_key: str, reason: str,
                  explanation: str, acting_user) -> Redaction:
    """Withhold one field of the bundle, with the reason and an explanation."""
    errors = {}
    if reason not in RedactionReason.values:
        errors["reason"] = "Select the reason for the redaction"
    if not _text(explanation):
        errors["explanation"] = "Explain why this is withheld"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _locked_bundle(bundle)
        _refuse_unless_prepared(locked)
        if field_in(locked.document, item_key, field_key) is None:
            raise ValidationError("There is no such field in the bundle", code="no_field")
        if locked.redactions.filter(item_key=item_key, field_key=field_key, removed_at__isnull=True).exists():
            raise ValidationError("This field is already redacted", code="already")
        redaction = Redaction.objects.create(bundle=locked, item_key=item_key, field_key=field_key,
                                             reason=reason, explanation=_text(explanation),
                                             redacted_at=timezone.now(), redacted_by=acting_user)
        audit_event_record(action=AuditAction.CREATE, obj=redaction, actor=acting_user,
                           changed_fields=["item_key", "field_key", "reason", "explanation"],
                           details={"request": locked.request.reference, "item": item_key,
                                    "field": field_key, "reason": reason})
    return redaction


def redaction_remove(*, redaction: Redaction, acting_user) -> Redaction:
    """Take a redaction off again (before approval); it stays on record."""
    with transaction.atomic():
        locked = _locked_bundle(redaction.bundle)
        _refuse_unless_prepared(locked)
        current = Redaction.objects.select_for_update().get(pk=redaction.pk)
        if current.removed_at is not None:
            raise ValidationError("This redaction has already been removed", code="removed")
        current.removed_at = timezone.now()
        current.removed_by = acting_user
        current.save()
        audit_event_record(action=AuditAction.UPDATE, obj=current, actor=acting_user,
                           changed_fields=["removed_at"],
                           details={"request": locked.request.reference, "item": current.item_key,
                                    "field": current.field_key})
    return current


def bundle_approve(*, bundle: SubjectAccessBundle, acting_user) -> SubjectAccessBundle:
    """A second person approves the bundle as it stands: not whoever
    prepared it nor anyone who redacted it. After approval nothing changes."""
    with transaction.atomic():
        locked = _locked_bundle(bundle)
        _refuse_unless_prepared(locked)
        if locked.prepared_by_id == acting_user.pk:
            raise ValidationError("You prepared this bundle, so someone else must approve it",
                                  code="self_approval")
        if locked.redactions.filter(redacted_by=acting_user).exists():
            raise ValidationError("You made redactions in this bundle, so someone else must approve it",
                                  code="self_approval")
        locked.status = BundleStatus.APPROVED
        locked.approved_at = timezone.now()
        locked.approved_by = acting_user
        locked.save()
        audit_event_record(action=AuditAction.UPDATE, obj=locked, actor=acting_user,
                           changed_fields=["status", "approved_at"],
                           details={"request": locked.request.reference, "step": "approved",
                                    "redactions": locked.redactions.filter(removed_at__isnull=True).count()})
    return locked


def bundle_release(*, bundle: SubjectAccessBundle, released_on: datetime.date, method: str, notes: str = "",
                   acting_user) -> SubjectAccessBundle:
    """Record that the approved bundle was sent, when and how; the request
    is then completed (accepted, or partly accepted if anything is withheld)."""
    errors = {}
    if method not in ReleaseMethod.values:
        errors["method"] = "Select how the bundle was sent"
    elif method == ReleaseMethod.OTHER and not _text(notes):
        errors["notes"] = "Say how the bundle was sent"
    if released_on and released_on > timezone.localdate():
        errors["released_on"] = "The date it was sent must be today or in the past"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _locked_bundle(bundle)
        if locked.status == BundleStatus.RELEASED:
            raise ValidationError("This bundle has already been released", code="released")
        if locked.status != BundleStatus.APPROVED:
            raise ValidationError("The bundle must be approved by a second person before it is released",
                                  code="not_approved")
        if released_on < timezone.localdate(locked.approved_at):
            raise ValidationError({"released_on": "The date it was sent cannot be before it was approved"},
                                  code="invalid")
        locked.status = BundleStatus.RELEASED
        locked.released_at = timezone.now()
        locked.released_by = acting_user
        locked.released_on = released_on
        locked.release_method = method
        locked.release_notes = _text(notes)
        locked.save()
        audit_event_record(action=AuditAction.UPDATE, obj=locked, actor=acting_user,
                           changed_fields=["status", "released_on", "release_method", "release_notes"],
                           details={"request": locked.request.reference, "step": "released"})
        withheld = locked.redactions.filter(removed_at__isnull=True).count()
        request = RightsRequest.objects.get(pk=locked.request_id)
        reasons = (f"Bundle released on {govuk_date(released_on)} ({ReleaseMethod(method).label.lower()})"
                   + (f", with {withheld} redaction{'s' if withheld != 1 else ''}." if withheld else "."))
        _complete(request, decision=Decision.PARTLY_ACCEPTED if withheld else Decision.ACCEPTED,
                  reasons=reasons, acting_user=acting_user)
    return locked
