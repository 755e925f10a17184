"""Transferring a case to another council's Channel panel when the person
moves: the transfer record, closing the case here with reason "transferred",
and the export bundle the permitted user downloads and sends securely.

The bundle is built from the records themselves (never from the timeline's
one-line summaries alone), so the receiving panel gets what was recorded:
assessments carry the wording of the framework version they were written
against.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.core.addresses import format_postcode
from prevent_hub.core.formatting import govuk_date, govuk_datetime

from . import lifecycle
from .chronology import chronology_record
from .models import (
    Assessment,
    CaseStatus,
    ChannelCase,
    ChronologyKind,
    ClosureReason,
    SupportPlan,
    Transfer,
)
from .services import case_transition

BUNDLE_VERSION = 1


def transfer_for(case: ChannelCase) -> Transfer | None:
    return Transfer.objects.filter(case=case).select_related("sent_by").first()


def case_transfer(*, case: ChannelCase, receiving_council: str, receiving_contact: str,
                  moved_on: datetime.date | None, reasons: str, acting_user) -> Transfer:
    """Record that `case` is transferred to `receiving_council` and close it
    here with reason "transferred" (from any open status)."""
    errors = {}
    receiving_council = (receiving_council or "").strip()
    receiving_contact = (receiving_contact or "").strip()
    reasons = (reasons or "").strip()
    if not receiving_council:
        errors["receiving_council"] = "Enter the council the case is transferred to"
    if not receiving_contact:
        errors["receiving_contact"] = "Enter who the case is sent to at the receiving council"
    if not reasons:
        errors["reasons"] = "Enter the reasons for the transfer"
    if moved_on and moved_on > timezone.localdate():
        errors["moved_on"] = "The date the person moved must be today or in the past"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = ChannelCase.objects.select_for_update().get(pk=case.pk)
        if Transfer.objects.filter(case=locked).exists():
            raise ValidationError("This case has already been transferred", code="already_transferred")
        if locked.status not in lifecycle.OPEN_STATUSES:
            raise ValidationError({"status": "This case is closed, so it cannot be transferred"},
                                  code="closed")
        transfer = Transfer.objects.create(
            case=locked, receiving_council=receiving_council, receiving_contact=receiving_contact,
            moved_on=moved_on, reasons=reasons, sent_at=timezone.now(), sent_by=acting_user,
        )
        audit_event_record(action=AuditAction.CREATE, obj=transfer,
                           changed_fields=["receiving_council", "receiving_contact", "moved_on", "reasons"],
                           details={"case": locked.reference}, actor=acting_user)
        audit_event_record(action=AuditAction.EXPORT, obj=locked, changed_fields=[],
                           details={"transfer_to": receiving_council, "bundle": "case transfer"},
                           actor=acting_user)
        chronology_record(case=locked, person_id=locked.person_id, kind=ChronologyKind.TRANSFER, obj=transfer,
                          summary=f"Transfer to {receiving_council} recorded", recorded_by=acting_user)
        case_transition(case=locked, to_status=CaseStatus.CLOSED, reasons=reasons, acting_user=acting_user,
                        changes={"closure_reason": ClosureReason.TRANSFERRED},
                        summary=f"Case closed: transferred to {receiving_council}")
    case.refresh_from_db()
    return transfer


# The bundle --------------------------------------------------------------------


def _name(user):
    return user.full_name if user is not None else ""


def _iso(value):
    return value.isoformat() if value else None


def transfer_bundle(*, case: ChannelCase) -> dict:
    """Everything recorded about `case`, for the receiving panel. The caller
    has checked the user may transfer the case and audits the export."""
    case = (ChannelCase.objects.select_related("person", "referral", "opened_by").get(pk=case.pk))
    person = case.person
    transfer = transfer_for(case)
    assessments = (Assessment.objects.filter(case=case).select_related("framework", "created_by")
                   .prefetch_related("factors__factor__dimension", "judgements__dimension",
                                     "judgements__author"))
    plan = SupportPlan.objects.filter(case=case).first()
    return {
        "bundle_version": BUNDLE_VERSION,
        "produced_at": timezone.now().isoformat(),
        "case": {
            "reference": case.reference,
            "status": case.get_status_display(),
            "opened_at": _iso(case.opened_at),
            "opened_by": _name(case.opened_by),
            "adopted_on": _iso(case.adopted_on),
            "not_adopted_outcome": case.get_not_adopted_outcome_display(),
            "health_social_care_considered": case.health_social_care_considered,
            "health_social_care_notes": case.health_social_care_notes,
            "reassessment_date": _iso(case.reassessment_date),
            "support_started_on": _iso(case.support_started_on),
            "next_review_date": _iso(case.next_review_date),
            "exit_date": _iso(case.exit_date),
            "exit_reasons": case.exit_reasons,
            "closed_at": _iso(case.closed_at),
            "closure_reason": case.get_closure_reason_display(),
            "closure_details": case.closure_details,
        },
        "transfer": None if transfer is None else {
            "receiving_council": transfer.receiving_council,
            "receiving_contact": transfer.receiving_contact,
            "moved_on": _iso(transfer.moved_on),
            "reasons": transfer.reasons,
            "recorded_at": _iso(transfer.sent_at),
            "recorded_by": _name(transfer.sent_by),
        },
        "person": {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "other_names": [f"{name.given_name} {name.family_name}".strip()
                            for name in person.names.filter(kind="other")],
            "date_of_birth": _iso(person.date_of_birth),
            "gender": getattr(person, "gender", ""),
            "address": getattr(person, "address", ""),
            "postcode": format_postcode(getattr(person, "postcode", "")),
        },
        "referrals": [_referral(each) for each in person.referrals.order_by("received_at", "pk")],
        "transitions": [
            {"from": t.get_from_status_display(), "to": t.get_to_status_display(),
             "occurred_at": _iso(t.occurred_at), "by": _name(t.by), "reasons": t.reasons}
            for t in case.transitions.select_related("by")
        ],
        "consent": [
            {"giver": c.get_giver_display(), "giver_name": c.giver_name,
             "giver_relationship": c.giver_relationship, "asked_by": _name(c.asked_by),
             "method": c.get_method_display(), "asked_on": _iso(c.asked_on),
             "answer": c.get_answer_display(), "answered_on": _iso(c.answered_on),
             "capacity_notes": c.capacity_notes, "child_views": c.child_views, "notes": c.notes,
             "withdrawn_on": _iso(c.withdrawn_on), "withdrawal_notes": c.withdrawal_notes}
            for c in case.consents.select_related("asked_by")
        ],
        "assessments": [_assessment(each) for each in assessments],
        "support_plan": None if plan is None else {
            "consent_how": plan.consent_how, "consent_when": plan.consent_when,
            "consent_by_whom": plan.consent_by_whom, "nature_of_support": plan.nature_of_support,
            "how_and_when_provided": plan.how_and_when_provided,
            "providers": [
                {"organisation": p.organisation.name, "support_type": p.support_type,
                 "home_office_approved": p.home_office_approved}
                for p in plan.providers.select_related("organisation")
            ],
            "updated_at": _iso(plan.updated_at),
        },
        "actions": [
            {"description": a.description, "owner": _name(a.owner), "due_date": _iso(a.due_date),
             "done_on": _iso(a.done_on)}
            for a in case.plan_actions.select_related("owner")
        ],
        "sessions": [
            {"held_on": _iso(s.held_on), "status": s.get_status_display(), "notes": s.notes,
             "provider": s.provider.organisation.name if s.provider else ""}
            for s in case.sessions.select_related("provider__organisation")
        ],
        "reviews": [
            {"kind": r.get_kind_display(), "months_after_exit": r.months_after_exit,
             "due_date": _iso(r.due_date), "completed_on": _iso(r.completed_on), "outcome": r.outcome,
             "recorded_by": _name(r.recorded_by)}
            for r in case.reviews.select_related("recorded_by")
        ],
        "notes": [
            {"id": n.pk, "text": n.text, "addendum_to": n.addendum_to_id, "written_by": _name(n.written_by),
             "written_at": _iso(n.written_at)}
            for n in case.notes.select_related("written_by")
        ],
        "documents": [
            {"name": d.original_name, "description": d.description, "uploaded_at": _iso(d.uploaded_at)}
            for d in case.documents.all()
        ],
        "team": [
            {"name": m.user.full_name, "organisation": m.user.organisation.name,
             "role": m.get_role_display(), "added_at": _iso(m.added_at), "removed_at": _iso(m.removed_at)}
            for m in case.team.select_related("user__organisation")
        ],
        "chronology": [
            {"occurred_at": _iso(e.occurred_at), "kind": e.get_kind_display(), "summary": e.summary}
            for e in case.chronology.all()
        ],
    }


REFERRAL_LEFT_OUT = frozenset({"id", "submission_key"})


def _referral(referral) -> dict:
    """What the referral says and what was decided (its own fields; links to
    staff accounts are left out)."""
    data = {}
    for field in referral._meta.concrete_fields:
        if field.is_relation or field.name in REFERRAL_LEFT_OUT:
            continue
        value = getattr(referral, field.name)
        if field.choices and value:
            value = getattr(referral, f"get_{field.name}_display")()
        data[field.name] = _iso(value) if isinstance(value, datetime.date) else value
    return data


def _assessment(assessment) -> dict:
    return {
        "kind": assessment.get_kind_display(),
        "assessed_on": _iso(assessment.assessed_on),
        "framework_version": assessment.framework.version,
        "written_by": _name(assessment.created_by),
        "completed_at": _iso(assessment.completed_at),
        "factors": [
            {"dimension": f.factor.dimension.name, "factor": f.factor.wording, "not_known": f.not_known,
             "evidence": f.evidence, "source": f.source}
            for f in sorted(assessment.factors.all(),
                            key=lambda f: (f.factor.dimension.position, f.factor.position))
        ],
        "judgements": [
            {"dimension": j.dimension.name, "judgement": j.judgement, "author": _name(j.author),
             "written_at": _iso(j.written_at)}
            for j in sorted(assessment.judgements.all(), key=lambda j: j.dimension.position)
        ],
    }


# The readable (print to PDF) page -------------------------------------------------

SECTION_TITLES = {
    "case": "The case", "transfer": "Transfer", "person": "The person", "referrals": "Referrals",
    "transitions": "Decisions and status changes", "consent": "Consent",
    "assessments": "Vulnerability Assessment Framework assessments", "support_plan": "Support plan",
    "actions": "Actions", "sessions": "Support sessions", "reviews": "Reviews", "notes": "Notes",
    "documents": "Documents (not included: ask for copies)", "team": "Team",
    "chronology": "Timeline",
}


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _display(value) -> str:
    if value is None or value == "":
        return "Not recorded"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list):
        return "; ".join(_display(each) for each in value) or "None"
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if "T" in value:
                return govuk_datetime(datetime.datetime.fromisoformat(value))
            return govuk_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _rows(data: dict, *, skip=()) -> list[dict]:
    return [{"key": {"text": _label(key)}, "value": {"text": _display(value)}}
            for key, value in data.items() if key not in skip and not isinstance(value, list | dict)
            or (isinstance(value, list) and value and not isinstance(value[0], dict) and key not in skip)]


def bundle_sections(bundle: dict) -> list[dict]:
    """The bundle as titled sections of GOV.UK summary lists: each a list of
    "cards" (one per record), each with rows, and nested lists (an
    assessment's factors and judgements) as sub-cards."""
    sections = []
    for key, title in SECTION_TITLES.items():
        value = bundle.get(key)
        records = value if isinstance(value, list) else ([] if value is None else [value])
        cards = []
        for record in records:
            nested = [
                {"title": _label(name), "cards": [{"rows": _rows(item)} for item in items]}
                for name, items in record.items()
                if isinstance(items, list) and items and isinstance(items[0], dict)
            ]
            cards.append({"rows": _rows(record), "nested": nested})
        sections.append({"title": title, "cards": cards})
    return sections
