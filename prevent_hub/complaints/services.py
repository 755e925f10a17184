"""Every change to complaints. Each function takes keyword-only arguments and
the acting user (None for a complainant, who has no account), checks its
rules (refusing with a ValidationError that says why), writes in one
transaction with its audit event inside it (references and field names
only, never what anyone typed), and queues email after commit.

How a complaint moves:

    received → (triage) investigating → responded
    received → (triage: another organisation's) passed on, with consent
    received → (triage: policy, or another's without consent) signposted
    received | investigating → withdrawn

Deadlines are working days from receipt (COMPLAINT_ACKNOWLEDGE_WORKING_DAYS,
COMPLAINT_RESPOND_WORKING_DAYS); an extension moves the response date and
sends a holding letter.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.channel.models import ChannelCase
from prevent_hub.core.demo import demo_loading
from prevent_hub.core.uploads import attachment_check, display_name
from prevent_hub.core.working_days import WorkingCalendar
from prevent_hub.referrals.models import Referral
from prevent_hub.retention.models import RecordType
from prevent_hub.retention.selectors import retain_until

from .letters import letter_draft, placeholder_errors, with_escalation
from .models import (
    Category,
    Complaint,
    ComplaintDocument,
    ComplaintPoint,
    Consent,
    ContactPreference,
    Extension,
    Finding,
    InvestigationNote,
    Letter,
    LetterKind,
    LetterTemplate,
    OrganisationKind,
    Recipient,
    Relationship,
    Scope,
    Sharing,
    Source,
    Status,
    overall_outcome,
)
from .selectors import involved_users

TEXT_MAX = 10000
# Who may be given a complaint to investigate.
INVESTIGATOR_ROLES = (Role.INVESTIGATING_OFFICER, Role.COMPLAINTS_OFFICER)

# The complainant's answers: the fields the public form and the staff form
# both fill, with the message when a required one is missing.
ANSWER_FIELDS = (
    "complainant_name", "relationship", "relationship_other", "affected_person_name",
    "contact_preference", "email", "phone", "address", "adjustments", "what_happened", "happened_on",
    "happened_when", "organisation_kind", "organisation_name", "outcome_wanted", "organisation_consent",
    "stacu_consent",
)
REQUIRED = {
    "complainant_name": "Enter your full name",
    "relationship": "Select how you are connected to the person affected",
    "contact_preference": "Select how you would like us to contact you",
    "what_happened": "Enter what happened",
    "organisation_kind": "Select which organisation was involved",
    "outcome_wanted": "Enter what you would like to happen",
}
CHOICES = {
    "relationship": Relationship,
    "contact_preference": ContactPreference,
    "organisation_kind": OrganisationKind,
    "organisation_consent": Consent,
    "stacu_consent": Consent,
}
LIMITS = {
    "complainant_name": 200, "relationship_other": 200, "affected_person_name": 200, "phone": 40,
    "address": 500, "adjustments": 2000, "what_happened": TEXT_MAX, "happened_when": 200,
    "organisation_name": 200, "outcome_wanted": 5000,
}


def reference_for(complaint) -> str:
    """CMP-<year received>-<number>, numbered from the row's own id."""
    return f"CMP-{complaint.received_on:%Y}-{complaint.pk:06d}"


def deadlines(received_on: datetime.date, *, calendar: WorkingCalendar | None = None):
    """(acknowledge by, respond by) for a complaint received on `received_on`."""
    calendar = calendar or WorkingCalendar.load()
    return (calendar.add_working_days(received_on, settings.COMPLAINT_ACKNOWLEDGE_WORKING_DAYS),
            calendar.add_working_days(received_on, settings.COMPLAINT_RESPOND_WORKING_DAYS))


def _text(value) -> str:
    return str(value or "").strip()


def _locked(complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _audit(complaint, *, action=AuditAction.UPDATE, changed_fields=(), acting_user=None, obj=None,
           **details):
    audit_event_record(action=action, obj=obj or complaint, actor=acting_user,
                       changed_fields=list(changed_fields),
                       details={"complaint": complaint.reference, **details})


def _refuse_unless(complaint, statuses, message):
    if complaint.status not in statuses:
        raise ValidationError(f"{message} (this complaint is {complaint.get_status_display().lower()})",
                              code="status")


def _close(complaint, status, today):
    complaint.status, complaint.closed_on = status, today
    complaint.retain_until, complaint.retention_policy = retain_until(RecordType.COMPLAINT, today)


CLOSE_FIELDS = ["status", "closed_on", "retain_until", "retention_policy"]


# The complaint as made ---------------------------------------------------------------


def answer_errors(answers: dict, *, today: datetime.date) -> dict[str, str]:
    """A message per answer that is missing or wrong ({} when all are fine)."""
    errors = {}
    for name, message in REQUIRED.items():
        if not _text(answers.get(name)):
            errors[name] = message
    for name, choices in CHOICES.items():
        value = answers.get(name)
        if name not in errors and value not in (None, "") and value not in choices.values:
            errors[name] = "Select one of the options"
    for name, limit in LIMITS.items():
        if name not in errors and len(_text(answers.get(name))) > limit:
            errors[name] = f"This must be {limit:,} characters or fewer"
    if answers.get("relationship") == Relationship.OTHER and not _text(answers.get("relationship_other")):
        errors["relationship_other"] = "Enter how you are connected to the person affected"
    preference = answers.get("contact_preference")
    email = _text(answers.get("email"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Enter an email address in the correct format, like name@example.com"
        if len(email) > 254:
            errors["email"] = "The email address must be 254 characters or fewer"
    if preference == ContactPreference.EMAIL and not email:
        errors["email"] = "Enter your email address, so that we can email you"
    if preference == ContactPreference.PHONE and not _text(answers.get("phone")):
        errors["phone"] = "Enter your telephone number, so that we can call you"
    if preference == ContactPreference.POST and not _text(answers.get("address")):
        errors["address"] = "Enter your postal address, so that we can write to you"
    happened_on = answers.get("happened_on")
    if happened_on is not None and not isinstance(happened_on, datetime.date):
        errors["happened_on"] = "Enter the date as a real date, for example 27 3 2026"
    elif happened_on is not None and happened_on > today:
        errors["happened_on"] = "The date it happened must be today or in the past"
    elif happened_on is None and not _text(answers.get("happened_when")):
        errors["happened_on"] = "Enter when it happened, or tell us roughly when"
    return errors


def complaint_submit(*, answers: dict, submission_key: str | None = None, acting_user=None,
                     source: str = Source.ONLINE, received_on: datetime.date | None = None) -> Complaint:
    """Record a complaint: sent online by the complainant (`acting_user`
    None) or recorded by a complaints officer from a letter, email or call
    (`source`, and the day it arrived). The same answers submitted twice
    (`submission_key`) give the same complaint. An online complaint with an
    email address is acknowledged by email straight away, naming the dates."""
    now = timezone.now()
    today = timezone.localdate()
    received_on = received_on or today
    errors = answer_errors(answers, today=today)
    if source not in Source.values:
        errors["source"] = "Select how the complaint was received"
    if received_on > today:
        errors["received_on"] = "The date it was received must be today or in the past"
    elif received_on < today - datetime.timedelta(days=366):
        errors["received_on"] = "The date it was received must be within the last year"
    if errors:
        raise ValidationError(errors, code="invalid")
    if submission_key:
        existing = Complaint.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    acknowledge_by, respond_by = deadlines(received_on)
    values = {name: _text(answers.get(name)) for name in ANSWER_FIELDS if name != "happened_on"}
    for name in ("organisation_consent", "stacu_consent"):
        values[name] = values[name] or Consent.NOT_ASKED
        values[f"{name}_on"] = received_on if values[name] == Consent.GIVEN else None
    try:
        with transaction.atomic():
            complaint = Complaint.objects.create(
                **values, happened_on=answers.get("happened_on"), source=source, received_at=now,
                received_on=received_on, recorded_by=acting_user, submission_key=submission_key or None,
                acknowledge_by=acknowledge_by, respond_by=respond_by)
            complaint.reference = reference_for(complaint)
            complaint.save(update_fields=["reference"])
            _audit(complaint, action=AuditAction.CREATE, acting_user=acting_user,
                   changed_fields=[name for name in ANSWER_FIELDS if answers.get(name) not in (None, "")],
                   source=source)
            if complaint.email and source == Source.ONLINE and not demo_loading():
                from .tasks import complaint_acknowledgement_send

                complaint_id = complaint.pk
                transaction.on_commit(
                    lambda: complaint_acknowledgement_send.enqueue(complaint_id=complaint_id))
    except IntegrityError:
        if submission_key:
            existing = Complaint.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return existing
        raise
    return complaint


def acknowledgement_record_sent(*, complaint_id: int) -> Letter | None:
    """The acknowledgement email to an online complainant, as sent by the
    background task: kept as a letter, and the complaint acknowledged today
    (unless an officer acknowledged it already)."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().filter(pk=complaint_id).first()
        if complaint is None or not complaint.email or complaint.acknowledged_on is not None:
            return None
        subject, body = letter_draft(complaint, LetterKind.ACKNOWLEDGEMENT)
        letter = Letter.objects.create(complaint=complaint, kind=LetterKind.ACKNOWLEDGEMENT, subject=subject,
                                       body=body, emailed=True, sent_at=timezone.now())
        complaint.acknowledged_on = timezone.localdate()
        complaint.save(update_fields=["acknowledged_on"])
        _audit(complaint, action=AuditAction.CREATE, obj=letter, changed_fields=["acknowledged_on"],
               kind=letter.kind)
    return letter


# Triage -------------------------------------------------------------------------------


def complaint_triage(*, complaint: Complaint, scope: str, category: str, reasons: str,
                     acting_user) -> Complaint:
    """Say what the complaint is about. About how we applied the duty: it is
    investigated. About another organisation: it waits to be passed on (with
    consent) or signposted. About policy: it waits to be signposted. The
    reasons are required except for a complaint we investigate."""
    reasons = _text(reasons)
    errors = {}
    if scope not in Scope.values:
        errors["scope"] = "Select what the complaint is about"
    if category not in Category.values:
        errors["category"] = "Select which part of the work it is about"
    if scope in (Scope.BY_OTHER, Scope.POLICY) and not reasons:
        errors["reasons"] = ("Enter why it is about another organisation" if scope == Scope.BY_OTHER
                             else "Enter why it is about Prevent policy rather than how the duty was applied")
    elif len(reasons) > 5000:
        errors["reasons"] = "The reasons must be 5,000 characters or fewer"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _locked(complaint)
        if locked.status == Status.INVESTIGATING and scope != Scope.BY_US and locked.points.exists():
            raise ValidationError("This complaint has points under investigation: it can no longer be "
                                  "moved out of scope", code="status")
        _refuse_unless(locked, (Status.RECEIVED, Status.INVESTIGATING),
                       "Only a complaint not yet closed can be triaged")
        locked.scope, locked.category, locked.scope_reasons = scope, category, reasons
        locked.triaged_at, locked.triaged_by = timezone.now(), acting_user
        locked.owner = locked.owner or acting_user
        locked.status = Status.INVESTIGATING if scope == Scope.BY_US else Status.RECEIVED
        locked.save(update_fields=["scope", "category", "scope_reasons", "triaged_at", "triaged_by", "owner",
                                   "status"])
        _audit(locked, acting_user=acting_user, changed_fields=["scope", "category", "scope_reasons",
                                                                "status"], scope=scope, category=category)
    return locked


def _record_for(reference: str):
    """(referral, case) a reference names: PRV-… or CH-…, or (None, None)."""
    text = "".join(_text(reference).split()).upper()
    if text.startswith("CH-"):
        case = ChannelCase.objects.filter(reference=text).select_related("referral").first()
        return (case.referral if case else None), case
    if text.startswith("PRV-"):
        return Referral.objects.filter(reference=text).first(), None
    return None, None


def complaint_link(*, complaint: Complaint, reference: str, acting_user) -> Complaint:
    """Say which referral (PRV-…) or Channel case (CH-…) the complaint
    concerns. Only the link is kept: it lets nobody see the record who could
    not already. Refused if the investigating officer was involved in it."""
    referral, case = _record_for(reference)
    if referral is None and case is None:
        raise ValidationError({"reference": "Enter the reference of a referral (PRV-…) or Channel case "
                                            "(CH-…) that exists"}, code="invalid")
    with transaction.atomic():
        locked = _locked(complaint)
        _refuse_unless(locked, (Status.RECEIVED, Status.INVESTIGATING),
                       "Only a complaint not yet closed can be linked to a record")
        locked.referral, locked.case = referral, case
        locked.concerns_reference = (case or referral).reference
        if locked.investigator_id and locked.investigator_id in involved_users(locked):
            raise ValidationError({"reference": (
                f"{locked.investigator.full_name}, the investigating officer, was involved in "
                f"{locked.concerns_reference}: give the complaint to someone else to investigate first")},
                code="not_independent")
        locked.save(update_fields=["referral", "case", "concerns_reference"])
        _audit(locked, acting_user=acting_user, changed_fields=["referral", "case"],
               concerns=locked.concerns_reference)
    return locked


def complaint_unlink(*, complaint: Complaint, acting_user) -> Complaint:
    with transaction.atomic():
        locked = _locked(complaint)
        _refuse_unless(locked, (Status.RECEIVED, Status.INVESTIGATING),
                       "Only a complaint not yet closed can be unlinked")
        was = locked.concerns_reference
        locked.referral, locked.case, locked.concerns_reference = None, None, ""
        locked.save(update_fields=["referral", "case", "concerns_reference"])
        _audit(locked, acting_user=acting_user, changed_fields=["referral", "case"], was=was)
    return locked


def consent_record(*, complaint: Complaint, recipient: str, consent: str, given_on: datetime.date | None,
                   acting_user) -> Complaint:
    """Record the complainant's answer, given later (by telephone, letter or
    email), to sharing with the organisation or with StaCU."""
    errors = {}
    if recipient not in Recipient.values:
        errors["recipient"] = "Select who the consent is about"
    if consent not in (Consent.GIVEN, Consent.REFUSED):
        errors["consent"] = "Select whether the complainant agreed"
    if consent == Consent.GIVEN:
        if given_on is None:
            errors["given_on"] = "Enter the date the complainant agreed"
        elif given_on > timezone.localdate():
            errors["given_on"] = "The date they agreed must be today or in the past"
        elif given_on < complaint.received_on:
            errors["given_on"] = "The date they agreed must be on or after the day the complaint arrived"
    if errors:
        raise ValidationError(errors, code="invalid")
    field = f"{recipient}_consent" if recipient == Recipient.STACU else "organisation_consent"
    with transaction.atomic():
        locked = _locked(complaint)
        if locked.sharings.filter(recipient=recipient).exists():
            raise ValidationError("The complaint has already been shared: consent cannot be changed now",
                                  code="shared")
        setattr(locked, field, consent)
        setattr(locked, f"{field}_on", given_on if consent == Consent.GIVEN else None)
        locked.save(update_fields=[field, f"{field}_on"])
        _audit(locked, acting_user=acting_user, changed_fields=[field, f"{field}_on"], consent=consent)
    return locked


def _letter_errors(subject: str, body: str) -> dict:
    errors = {}
    if not _text(subject):
        errors["subject"] = "Enter the letter's subject"
    elif len(_text(subject)) > 200:
        errors["subject"] = "The subject must be 200 characters or fewer"
    if not _text(body):
        errors["body"] = "Enter the letter"
    elif len(_text(body)) > 20000:
        errors["body"] = "The letter must be 20,000 characters or fewer"
    return errors


def _letter_send(complaint, kind, subject, body, acting_user) -> Letter:
    """Keep the letter as sent and email it if the complainant asked for
    email (otherwise the officer prints and posts it). Inside the caller's
    transaction."""
    emailed = complaint.contact_preference == ContactPreference.EMAIL and bool(complaint.email)
    letter = Letter.objects.create(complaint=complaint, kind=kind, subject=_text(subject),
                                   body=with_escalation(kind, _text(body)), emailed=emailed,
                                   sent_at=timezone.now(), sent_by=acting_user)
    _audit(complaint, action=AuditAction.CREATE, obj=letter, acting_user=acting_user,
           changed_fields=["subject", "body"], kind=kind, emailed=emailed)
    if emailed and not demo_loading():
        from .tasks import complaint_letter_send

        letter_id = letter.pk
        transaction.on_commit(lambda: complaint_letter_send.enqueue(letter_id=letter_id))
    return letter


def complaint_acknowledge(*, complaint: Complaint, subject: str, body: str, acting_user) -> Letter:
    """Acknowledge a complaint with a letter (one received by post or
    telephone, or online without an email address)."""
    errors = _letter_errors(subject, body)
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _locked(complaint)
        if locked.acknowledged_on is not None:
            raise ValidationError("This complaint has already been acknowledged", code="status")
        letter = _letter_send(locked, LetterKind.ACKNOWLEDGEMENT, subject, body, acting_user)
        locked.acknowledged_on = timezone.localdate()
        locked.save(update_fields=["acknowledged_on"])
    return letter


def _acknowledged_by_closing(complaint, today):
    """A letter that closes the complaint answers it, so acknowledges it too."""
    if complaint.acknowledged_on is None:
        complaint.acknowledged_on = today
        return ["acknowledged_on"]
    return []


def complaint_pass_on(*, complaint: Complaint, recipient_name: str, method: str, shared_on: datetime.date,
                      subject: str, body: str, acting_user) -> Sharing:
    """Pass a complaint about another organisation to it, only with the
    complainant's consent, recording when, to whom and how; the complainant
    is told by letter and the complaint is closed for the council."""
    today = timezone.localdate()
    errors = (_sharing_errors(recipient_name, method, shared_on, complaint, today)
              | _letter_errors(subject, body))
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _locked(complaint)
        _refuse_unless(locked, (Status.RECEIVED,), "Only a complaint awaiting triage can be passed on")
        if locked.scope != Scope.BY_OTHER:
            raise ValidationError("Only a complaint about how another organisation applied the duty can be "
                                  "passed on: triage it as that first", code="scope")
        sharing = _share(locked, Recipient.ORGANISATION, recipient_name, method, shared_on, acting_user)
        _letter_send(locked, LetterKind.PASSED_ON, subject, body, acting_user)
        changed = _acknowledged_by_closing(locked, today)
        _close(locked, Status.PASSED_ON, today)
        locked.responded_on = today
        locked.save(update_fields=[*CLOSE_FIELDS, "responded_on", *changed])
        _audit(locked, acting_user=acting_user, changed_fields=[*CLOSE_FIELDS, "responded_on", *changed])
    return sharing


def complaint_share_with_stacu(*, complaint: Complaint, method: str, shared_on: datetime.date,
                               acting_user) -> Sharing:
    """Send the complaint to StaCU, only with the complainant's consent."""
    today = timezone.localdate()
    errors = _sharing_errors("StaCU", method, shared_on, complaint, today)
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _locked(complaint)
        return _share(locked, Recipient.STACU, "Prevent Standards and Compliance Unit (StaCU)", method,
                      shared_on, acting_user)


def _sharing_errors(recipient_name, method, shared_on, complaint, today) -> dict:
    errors = {}
    if not _text(recipient_name):
        errors["recipient_name"] = "Enter who the complaint was passed to"
    elif len(_text(recipient_name)) > 200:
        errors["recipient_name"] = "This must be 200 characters or fewer"
    if not _text(method):
        errors["method"] = "Enter how it was sent (for example, secure email to the headteacher)"
    elif len(_text(method)) > 500:
        errors["method"] = "This must be 500 characters or fewer"
    if shared_on is None:
        errors["shared_on"] = "Enter the date it was sent"
    elif shared_on > today:
        errors["shared_on"] = "The date it was sent must be today or in the past"
    elif shared_on < complaint.received_on:
        errors["shared_on"] = "The date it was sent must be on or after the day the complaint arrived"
    return errors


def _share(locked, recipient, recipient_name, method, shared_on, acting_user) -> Sharing:
    consent, given_on = ((locked.organisation_consent, locked.organisation_consent_on)
                         if recipient == Recipient.ORGANISATION
                         else (locked.stacu_consent, locked.stacu_consent_on))
    who = "the organisation" if recipient == Recipient.ORGANISATION else "StaCU"
    if consent != Consent.GIVEN:
        raise ValidationError(f"The complainant has not agreed to the complaint being shared with {who}: "
                              "record their consent first", code="no_consent")
    if shared_on < given_on:
        raise ValidationError({"shared_on": "The date it was sent must be on or after the day the "
                                            "complainant agreed"}, code="invalid")
    if locked.sharings.filter(recipient=recipient).exists():
        raise ValidationError(f"The complaint has already been shared with {who}", code="shared")
    sharing = Sharing.objects.create(complaint=locked, recipient=recipient,
                                     recipient_name=_text(recipient_name), method=_text(method),
                                     shared_on=shared_on, shared_at=timezone.now(), shared_by=acting_user)
    _audit(locked, action=AuditAction.CREATE, obj=sharing, acting_user=acting_user,
           changed_fields=["recipient", "recipient_name", "method", "shared_on"], recipient=recipient,
           consent_given_on=given_on.isoformat())
    return sharing


def complaint_signpost(*, complaint: Complaint, subject: str, body: str, acting_user) -> Letter:
    """Close a complaint the council cannot investigate (about policy, or
    about another organisation without consent to pass it on), telling the
    complainant where they can take it."""
    errors = _letter_errors(subject, body)
    if errors:
        raise ValidationError(errors, code="invalid")
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked(complaint)
        _refuse_unless(locked, (Status.RECEIVED,), "Only a complaint awaiting triage can be signposted")
        if locked.scope not in (Scope.POLICY, Scope.BY_OTHER):
            raise ValidationError("Only a complaint about policy or about another organisation can be "
                                  "signposted: triage it first", code="scope")
        letter = _letter_send(locked, LetterKind.SIGNPOSTED, subject, body, acting_user)
        changed = _acknowledged_by_closing(locked, today)
        _close(locked, Status.SIGNPOSTED, today)
        locked.responded_on = today
        locked.save(update_fields=[*CLOSE_FIELDS, "responded_on", *changed])
        _audit(locked, acting_user=acting_user, changed_fields=[*CLOSE_FIELDS, "responded_on", *changed])
    return letter


def complaint_withdraw(*, complaint: Complaint, reasons: str, acting_user) -> Complaint:
    """The complainant withdrew the complaint (they told us how and why)."""
    reasons = _text(reasons)
    if not reasons:
        raise ValidationError({"reasons": "Enter how and why the complainant withdrew it"}, code="invalid")
    if len(reasons) > 5000:
        raise ValidationError({"reasons": "The reasons must be 5,000 characters or fewer"}, code="invalid")
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked(complaint)
        _refuse_unless(locked, (Status.RECEIVED, Status.INVESTIGATING),
                       "Only an open complaint can be withdrawn")
        _close(locked, Status.WITHDRAWN, today)
        locked.close_reasons = reasons
        locked.save(update_fields=[*CLOSE_FIELDS, "close_reasons"])
        _audit(locked, acting_user=acting_user, changed_fields=[*CLOSE_FIELDS, "close_reasons"])
    return locked


# Deadlines -----------------------------------------------------------------------------


def complaint_extend(*, complaint: Complaint, new_date: datetime.date | None, reason: str, subject: str,
                     body: str, acting_user) -> Extension:
    """Give more time to respond, with a reason, and send the holding letter
    that tells the complainant why and by when."""
    reason = _text(reason)
    today = timezone.localdate()
    errors = _letter_errors(subject, body)
    if not reason:
        errors["reason"] = "Enter why more time is needed"
    elif len(reason) > 5000:
        errors["reason"] = "The reason must be 5,000 characters or fewer"
    if new_date is None:
        errors["new_date"] = "Enter the new date for the response"
    elif new_date <= max(complaint.response_due, today):
        errors["new_date"] = "The new date must be after the current date for the response, and in the future"
    elif not WorkingCalendar.load().is_working_day(new_date):
        errors["new_date"] = "The new date must be a working day (not a weekend or bank holiday)"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _locked(complaint)
        _refuse_unless(locked, (Status.RECEIVED, Status.INVESTIGATING),
                       "Only an open complaint can be extended")
        extension = Extension.objects.create(complaint=locked, previous_date=locked.response_due,
                                             new_date=new_date, reason=reason, extended_at=timezone.now(),
                                             extended_by=acting_user)
        locked.extended_to = new_date
        locked.save(update_fields=["extended_to"])
        _audit(locked, action=AuditAction.CREATE, obj=extension, acting_user=acting_user,
               changed_fields=["new_date", "reason"], extended_to=new_date.isoformat())
        _letter_send(locked, LetterKind.HOLDING, subject, body, acting_user)
    return extension


# Investigation ---------------------------------------------------------------------------


def investigator_assign(*, complaint: Complaint, investigator, acting_user) -> Complaint:
    """Give the complaint to an investigating officer: someone with that
    role (or a complaints officer), active, and not involved in the
    decisions the complaint is about (as far as the product knows them)."""
    if investigator is None or not investigator.is_active or not investigator.has_role(*INVESTIGATOR_ROLES):
        raise ValidationError({"investigator": "Select an investigating officer or complaints officer"},
                              code="invalid")
    with transaction.atomic():
        locked = _locked(complaint)
        _refuse_unless(locked, (Status.INVESTIGATING,),
                       "Only a complaint being investigated can be given an investigating officer")
        if investigator.pk in involved_users(locked):
            raise ValidationError({"investigator": (
                f"{investigator.full_name} was involved in {locked.concerns_reference}, which the "
                "complaint is about: choose someone who was not")}, code="not_independent")
        locked.investigator, locked.investigator_assigned_at = investigator, timezone.now()
        locked.save(update_fields=["investigator", "investigator_assigned_at"])
        _audit(locked, acting_user=acting_user, changed_fields=["investigator"])
    if not demo_loading() and investigator != acting_user:
        from .tasks import investigator_assigned_send

        complaint_id = locked.pk
        transaction.on_commit(lambda: investigator_assigned_send.enqueue(complaint_id=complaint_id))
    return locked


def _refuse_unless_investigating(locked):
    _refuse_unless(locked, (Status.INVESTIGATING,), "Only a complaint being investigated can be changed")


def note_add(*, complaint: Complaint, text: str, acting_user) -> InvestigationNote:
    """A note in the investigation. Notes are never edited: a correction is
    a further note."""
    text = _text(text)
    if not text:
        raise ValidationError({"text": "Enter the note"}, code="invalid")
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": f"The note must be {TEXT_MAX:,} characters or fewer"}, code="invalid")
    with transaction.atomic():
        locked = _locked(complaint)
        _refuse_unless_investigating(locked)
        note = InvestigationNote.objects.create(complaint=locked, text=text, written_at=timezone.now(),
                                                written_by=acting_user)
        _audit(locked, action=AuditAction.CREATE, obj=note, acting_user=acting_user, changed_fields=["text"])
    return note


def document_add(*, complaint: Complaint, upload, description: str, acting_user) -> ComplaintDocument:
    """Keep a document with the investigation (checked by its content, not
    its name, as every upload is)."""
    description = _text(description)
    errors = {}
    content_type = ""
    if upload is None:
        errors["file"] = "Select a file"
    else:
        try:
            content_type = attachment_check(upload)
        except ValidationError as error:
            errors["file"] = error.messages[0]
    if not description:
        errors["description"] = "Enter what the document is"
    elif len(description) > 500:
        errors["description"] = "The description must be 500 characters or fewer"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _locked(complaint)
        _refuse_unless_investigating(locked)
        document = ComplaintDocument(complaint=locked, description=description,
                                     original_name=display_name(upload.name),
                                     content_type=content_type, size=upload.size,
                                     added_at=timezone.now(), added_by=acting_user)
        document.file.save("document", upload, save=False)
        try:
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
        _audit(locked, action=AuditAction.CREATE, obj=document, acting_user=acting_user,
               changed_fields=["file", "description"])
    return document


def point_add(*, complaint: Complaint, summary: str, acting_user) -> ComplaintPoint:
    """A point of complaint to be found on, in the officer's summary."""
    summary = _text(summary)
    if not summary:
        raise ValidationError({"summary": "Enter the point of complaint"}, code="invalid")
    if len(summary) > 2000:
        raise ValidationError({"summary": "The point must be 2,000 characters or fewer"}, code="invalid")
    with transaction.atomic():
        locked = _locked(complaint)
        _refuse_unless_investigating(locked)
        number = (locked.points.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        point = ComplaintPoint.objects.create(complaint=locked, number=number, summary=summary,
                                              added_at=timezone.now(), added_by=acting_user)
        _audit(locked, action=AuditAction.CREATE, obj=point, acting_user=acting_user,
               changed_fields=["summary"], point=number)
    return point


def finding_record(*, point: ComplaintPoint, finding: str, reasons: str, acting_user) -> ComplaintPoint:
    """The investigating officer's finding on one point, with reasons. Only
    the complaint's investigating officer records findings, and only while
    they are independent of what is complained about."""
    reasons = _text(reasons)
    errors = {}
    if finding not in Finding.values:
        errors["finding"] = "Select upheld, partly upheld or not upheld"
    if not reasons:
        errors["reasons"] = "Enter the reasons for the finding"
    elif len(reasons) > TEXT_MAX:
        errors["reasons"] = f"The reasons must be {TEXT_MAX:,} characters or fewer"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _locked(point.complaint)
        _refuse_unless_investigating(locked)
        if locked.investigator_id != getattr(acting_user, "pk", None):
            raise ValidationError("Only the complaint's investigating officer records findings",
                                  code="not_investigator")
        if acting_user.pk in involved_users(locked):
            raise ValidationError(f"You were involved in {locked.concerns_reference}, which the complaint is "
                                  "about: the complaint needs another investigating officer",
                                  code="not_independent")
        point = ComplaintPoint.objects.select_for_update().get(pk=point.pk)
        point.finding, point.reasons = finding, reasons
        point.found_at, point.found_by = timezone.now(), acting_user
        point.save(update_fields=["finding", "reasons", "found_at", "found_by"])
        _audit(locked, obj=point, acting_user=acting_user, changed_fields=["finding", "reasons"],
               point=point.number, finding=finding)
    return point


def conclusions_record(*, complaint: Complaint, remedy: str, lessons_learnt: str, acting_user) -> Complaint:
    """What the council will do to put things right, and what it has learnt."""
    remedy, lessons_learnt = _text(remedy), _text(lessons_learnt)
    errors = {}
    for name, value in (("remedy", remedy), ("lessons_learnt", lessons_learnt)):
        if len(value) > TEXT_MAX:
            errors[name] = f"This must be {TEXT_MAX:,} characters or fewer"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _locked(complaint)
        _refuse_unless_investigating(locked)
        changed = [name for name, value in (("remedy", remedy), ("lessons_learnt", lessons_learnt))
                   if getattr(locked, name) != value]
        locked.remedy, locked.lessons_learnt = remedy, lessons_learnt
        locked.save(update_fields=["remedy", "lessons_learnt"])
        if changed:
            _audit(locked, acting_user=acting_user, changed_fields=changed)
    return locked


def response_refusal(complaint: Complaint) -> str:
    """Why the response cannot be sent yet ("" when it can)."""
    if complaint.status != Status.INVESTIGATING:
        return "Only a complaint being investigated gets a response"
    if complaint.investigator_id is None:
        return "Give the complaint to an investigating officer first"
    findings = [point.finding for point in complaint.points.all()]
    if not findings:
        return "Add the points of complaint and the findings on them first"
    if "" in findings:
        return "Every point of complaint needs a finding first"
    return ""


def response_send(*, complaint: Complaint, subject: str, body: str, acting_user) -> Letter:
    """Send the response (always with how to escalate), recording the overall
    outcome from the findings, and close the complaint."""
    errors = _letter_errors(subject, body)
    if errors:
        raise ValidationError(errors, code="invalid")
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked(complaint)
        refusal = response_refusal(locked)
        if refusal:
            raise ValidationError(refusal, code="status")
        locked.outcome = overall_outcome([point.finding for point in locked.points.all()])
        letter = _letter_send(locked, LetterKind.RESPONSE, subject, body, acting_user)
        changed = _acknowledged_by_closing(locked, today)
        _close(locked, Status.RESPONDED, today)
        locked.responded_on = today
        locked.save(update_fields=[*CLOSE_FIELDS, "outcome", "responded_on", *changed])
        _audit(locked, acting_user=acting_user, changed_fields=[*CLOSE_FIELDS, "outcome", "responded_on",
                                                                *changed], outcome=locked.outcome)
    return letter


def response_draft(complaint: Complaint, kind: str, *, officer) -> tuple[str, str]:
    """The letter for `kind` as the template words it for this complaint
    (the officer edits it before sending)."""
    return letter_draft(complaint, kind, officer=officer)


# Letter wording --------------------------------------------------------------------------


def letter_template_update(*, template: LetterTemplate, subject: str, body: str,
                           acting_user) -> LetterTemplate:
    errors = _letter_errors(subject, body)
    for name, text in (("subject", subject), ("body", body)):
        if name not in errors:
            problem = placeholder_errors(text)
            if problem:
                errors[name] = problem
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = LetterTemplate.objects.select_for_update().get(pk=template.pk)
        changed = [name for name, value in (("subject", _text(subject)), ("body", _text(body)))
                   if getattr(locked, name) != value]
        locked.subject, locked.body = _text(subject), _text(body)
        locked.updated_at, locked.updated_by = timezone.now(), acting_user
        locked.save(update_fields=["subject", "body", "updated_at", "updated_by"])
        if changed:
            audit_event_record(action=AuditAction.UPDATE, obj=locked, actor=acting_user,
                               changed_fields=changed, details={"kind": locked.kind})
    return locked

