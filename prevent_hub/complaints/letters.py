"""Letters to complainants from the editable templates: the officer sees the
template filled in for the complaint, may edit it, and sends it.

Templates use $placeholders (string.Template), never Django template
syntax, so an edited template cannot reach anything but these values.

Every response (and every letter closing a complaint) ends with how to
escalate, written by the product from the contact directory: StaCU for how
the Prevent duty was applied, the Local Government and Social Care
Ombudsman for the council's own handling. No template edit can drop it."""

import string

from django.conf import settings

from prevent_hub.core.formatting import govuk_date
from prevent_hub.directory.models import Contact

from .models import Finding, LetterKind, LetterTemplate, overall_outcome

PLACEHOLDERS = {
    "reference": "The complaint's reference (CMP-…)",
    "complainant_name": "The complainant's name",
    "received_on": "The date the complaint was received",
    "acknowledge_by": "The date it is to be acknowledged by",
    "respond_by": "The date a response is due (the extended date, if extended)",
    "extended_to": "The new date for the response, after an extension",
    "extension_reason": "Why more time is needed (the latest extension)",
    "organisation": "The organisation the complaint is about",
    "passed_to": "Who the complaint was passed to",
    "scope_reasons": "Why the complaint is out of scope, or was passed on",
    "findings": "Each point of complaint with its finding and reasons",
    "outcome": "The overall outcome (upheld, partly upheld, not upheld)",
    "remedy": "What the council will do to put things right",
    "lessons_learnt": "What the council has learnt and will change",
    "officer": "The name of the officer sending the letter",
}

# Letters that close the complaint for the council, and so say how to take
# it further.
ESCALATION_REQUIRED = (LetterKind.RESPONSE, LetterKind.SIGNPOSTED, LetterKind.PASSED_ON)
ESCALATION_HEADING = "If you are not happy with this response"

# Used only if the contact directory has lost the entry (it ships with both).
_FALLBACK = {
    "stacu": ("Prevent Standards and Compliance Unit (StaCU)",
              "https://www.gov.uk/guidance/make-a-complaint-about-prevent"),
    "lgsco": ("Local Government and Social Care Ombudsman", "https://www.lgo.org.uk/"),
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


def _contact_lines(key: str) -> str:
    contact = Contact.objects.filter(key=key, is_active=True).first()
    if contact is None:
        name, web = _FALLBACK[key]
        return f"{name}: {web}"
    parts = [contact.name]
    if contact.web_address:
        parts.append(f"website: {contact.web_address}")
    if contact.phone:
        parts.append(f"telephone: {contact.phone}")
    if contact.email:
        parts.append(f"email: {contact.email}")
    return ", ".join(parts[:1]) + (" (" + "; ".join(parts[1:]) + ")" if parts[1:] else "")


def escalation_text() -> str:
    """How to take the complaint further, as the end of a letter."""
    return (
        f"{ESCALATION_HEADING}\n\n"
        "If you are unhappy with how the Prevent duty was applied, you can complain to the Home Office's "
        f"Prevent Standards and Compliance Unit: {_contact_lines('stacu')}.\n\n"
        "If you are unhappy with how the council has handled your complaint, you can ask the Local "
        "Government and Social Care Ombudsman to look at it. The Ombudsman's service is free: "
        f"{_contact_lines('lgsco')}."
    )


def with_escalation(kind: str, body: str) -> str:
    """`body` ending with how to escalate, for the letters that need it
    (added once, whatever the officer wrote). The whole text is looked for,
    not its heading: an officer who kept the heading but cut the StaCU or
    Ombudsman details still sends them."""
    text = escalation_text() if kind in ESCALATION_REQUIRED else ""
    if not text or text in body:
        return body
    return body.rstrip() + "\n\n" + text


def findings_text(complaint) -> str:
    lines = []
    for point in complaint.points.all():
        finding = Finding(point.finding).label if point.finding else "No finding yet"
        lines.append(f"{point.number}. {point.summary}\n   Finding: {finding}. {point.reasons}".rstrip())
    return "\n\n".join(lines)


def _outcome_found(complaint) -> str:
    """The overall outcome the findings give, before the response records
    it ("" while a point has no finding)."""
    findings = [point.finding for point in complaint.points.all()]
    return overall_outcome(findings) if findings and "" not in findings else ""


def values_for(complaint, *, officer=None) -> dict[str, str]:
    extension = complaint.extensions.order_by("-extended_at", "-pk").first()
    sharing = complaint.sharings.filter(recipient="organisation").first()
    outcome = complaint.outcome or _outcome_found(complaint)
    values = {
        "reference": complaint.reference,
        "complainant_name": complaint.complainant_name,
        "received_on": govuk_date(complaint.received_on),
        "acknowledge_by": govuk_date(complaint.acknowledge_by),
        "respond_by": govuk_date(complaint.response_due),
        "extended_to": govuk_date(complaint.extended_to),
        "extension_reason": extension.reason if extension else "",
        "organisation": complaint.organisation_name or complaint.get_organisation_kind_display(),
        "passed_to": sharing.recipient_name if sharing else "",
        "scope_reasons": complaint.scope_reasons,
        "findings": findings_text(complaint),
        "outcome": Finding(outcome).label.lower() if outcome else "",
        "remedy": complaint.remedy,
        "lessons_learnt": complaint.lessons_learnt,
        # A letter the background task sends (the online acknowledgement) is
        # signed by the council.
        "officer": getattr(officer, "full_name", "") or settings.COUNCIL_NAME,
    }
    return {name: values.get(name, "") for name in PLACEHOLDERS}


def letter_draft(complaint, kind: str, *, officer=None, values=None) -> tuple[str, str]:
    """The template for `kind` filled in for `complaint`: (subject, body),
    the body ending with how to escalate where the letter needs it.
    `values` fills placeholders the complaint does not hold yet: the holding
    letter is written before the extension it announces is saved, the
    passed-on letter before the sharing it reports."""
    template = LetterTemplate.objects.get(kind=kind)
    values = {**values_for(complaint, officer=officer), **(values or {})}
    body = string.Template(template.body).safe_substitute(values)
    return string.Template(template.subject).safe_substitute(values), with_escalation(kind, body)
