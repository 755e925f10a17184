"""Letters to bookers from the editable templates: the officer sees the
template filled in for the booking, may edit it, and sends it.

Templates use $placeholders (string.Template), never Django template
syntax, so an edited template cannot reach anything but these values."""

import string

from prevent_hub.core.formatting import govuk_date

from .models import AppealOutcome, BookingStatus, DecisionOutcome, LetterKind, LetterTemplate

PLACEHOLDERS = {
    "reference": "The booking's reference (VEN-…)",
    "booker_name": "The booker's name",
    "venue": "The venue",
    "room": "The room",
    "event_date": "The date of the event",
    "times": "The start and end times",
    "title": "The event's title",
    "reasons": "The reasons for the decision",
    "conditions": "The conditions set, one a line",
    "clause": "The clause of the booking conditions relied on (number and heading)",
    "decided_by": "Who made the decision",
    "decided_on": "The date of the decision",
    "appeal_by": "The last day to appeal",
    "appeal_reasons": "The reasons for the appeal decision",
    "appeal_decided_by": "Who decided the appeal",
    "appeal_decided_on": "The date of the appeal decision",
    "end_reason": "The reasons for cancelling",
}


def placeholder_errors(text: str) -> str:
    """A message naming any placeholder that is not one of PLACEHOLDERS
    ("" if there is none)."""
    template = string.Template(text)
    if not template.is_valid():
        return "Write placeholders as $name, and a dollar sign as $$"
    unknown = sorted(set(template.get_identifiers()) - set(PLACEHOLDERS))
    if unknown:
        return "These placeholders are not known: " + ", ".join(f"${name}" for name in unknown)
    return ""


def letter_kind_for(booking) -> str | None:
    """The letter the booking's current state calls for, if any."""
    if booking.status == BookingStatus.CANCELLED:
        return LetterKind.CANCELLATION
    if booking.status == BookingStatus.APPEAL_UPHELD:
        return LetterKind.APPEAL_UPHELD
    if booking.status == BookingStatus.APPEAL_DISMISSED:
        return LetterKind.APPEAL_DISMISSED
    return {DecisionOutcome.APPROVE: LetterKind.APPROVAL,
            DecisionOutcome.APPROVE_WITH_CONDITIONS: LetterKind.APPROVAL_WITH_CONDITIONS,
            DecisionOutcome.REFUSE: LetterKind.REFUSAL}.get(booking.decision_outcome) \
        if booking.status in (BookingStatus.APPROVED, BookingStatus.APPROVED_WITH_CONDITIONS,
                              BookingStatus.REFUSED) else None


def values_for(booking) -> dict[str, str]:
    decision = booking.decisions.order_by("-decided_at", "-pk").select_related("clause", "decided_by").first()
    appeal = booking.appeals.exclude(outcome="").order_by("-decided_at").select_related("decided_by").first()
    values = {
        "reference": booking.reference,
        "booker_name": booking.booker_name,
        "venue": booking.venue.name,
        "room": booking.room.name,
        "event_date": govuk_date(booking.event_date),
        "times": f"{booking.starts_at:%H:%M} to {booking.ends_at:%H:%M}",
        "title": booking.title,
        "end_reason": booking.end_reason,
        "appeal_by": govuk_date(booking.appeal_by) if booking.appeal_by else "",
    }
    if decision is not None:
        values.update({
            "reasons": decision.reasons,
            "conditions": "\n".join(f"{c.number}. {c.text}" for c in decision.conditions.all()),
            "clause": f"{decision.clause.number} ({decision.clause.heading})" if decision.clause else "",
            "decided_by": decision.decided_by.full_name,
            "decided_on": govuk_date(decision.decided_on),
        })
    if appeal is not None:
        values.update({
            "appeal_reasons": appeal.reasons,
            "appeal_decided_by": appeal.decided_by.full_name,
            "appeal_decided_on": govuk_date(appeal.decided_at),
            "appeal_outcome": AppealOutcome(appeal.outcome).label,
        })
    return {name: values.get(name, "") for name in PLACEHOLDERS}


def letter_draft(booking, kind: str) -> tuple[str, str]:
    """The template for `kind` filled in for `booking`: (subject, body)."""
    template = LetterTemplate.objects.get(kind=kind)
    values = values_for(booking)
    return (string.Template(template.subject).safe_substitute(values),
            string.Template(template.body).safe_substitute(values))
