"""The agenda pack and the minutes as documents: the same content for the
print page and the PDF, built for one reader, who sees only the items
(cases) they may see. Withheld items show their number and nothing else.

Each item the reader may see carries a briefing (`item_briefing`): the
referral and the concern, the latest completed assessment's judgements, the
support plan so far and the last review; the item page shows the same
briefing. What goes into it follows the case pages' rules for the reader:
the referral and the assessment only for readers who may read the case's
record (CASE_CHRONOLOGY), every action of the plan only for those who may
see them all (SUPPORT_ACTIONS_ALL), otherwise only the reader's own.
"""

from dataclasses import dataclass

from django.urls import reverse

from prevent_hub.access import Action, can
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.channel.consent import ConsentStatus, age_on, consent_status
from prevent_hub.core.formatting import govuk_date, govuk_datetime, govuk_time
from prevent_hub.referrals.models import ConcernPrompt, ReferralKind

from .minutes import method_text
from .models import AgendaReason, ItemDecision, MinutesStatus
from .selectors import (
    attendance_recorded,
    expected_attendees,
    meeting_items,
    visible_case_ids_of,
)


def _meeting_facts(meeting) -> list[tuple[str, str]]:
    facts = [("Panel", meeting.panel.name), ("Area", meeting.panel.area.name),
             ("Date", govuk_date(meeting.date)), ("Time", govuk_time(meeting.start_time)),
             ("Chair", meeting.panel.chair.full_name)]
    if meeting.location:
        facts.append(("Place", meeting.location))
    if meeting.online_link:
        facts.append(("Online", meeting.online_link))
    return facts


def _case_facts(item, meeting) -> list[tuple[str, str]]:
    case, person = item.case, item.case.person
    facts = [("Case", case.reference), ("Person", person.full_name)]
    if person.date_of_birth:
        facts.append(("Date of birth", f"{govuk_date(person.date_of_birth)} "
                                       f"(age {age_on(person.date_of_birth, meeting.date)})"))
    facts += [("Status", case.get_status_display()),
              ("Why it is on the agenda", AgendaReason(item.reason).label),
              ("Area", (case.area or meeting.panel.area).name),
              ("Opened", govuk_date(case.opened_at)),
              ("Consent", ConsentStatus(consent_status(case)).label)]
    for label, value in (("Adopted", case.adopted_on), ("Support started", case.support_started_on),
                         ("Next review", case.next_review_date), ("Re-assessment", case.reassessment_date),
                         ("Exited", case.exit_date)):
        if value:
            facts.append((label, govuk_date(value)))
    if item.review_id:
        facts.append(("Post-exit review", f"{item.review.months_after_exit} months, due "
                                          f"{govuk_date(item.review.due_date)}"))
    return facts


# What the referral says about the concern is shortened to about this many
# characters in the pack: enough to recall the case, not the whole referral.
CONCERN_SUMMARY_CHARACTERS = 700


@dataclass(frozen=True)
class Reader:
    """What one reader may be shown of a case they may see, by their roles:
    the same rules as the case pages, worked out once for the whole agenda."""

    user: object
    reads_record: bool
    sees_all_actions: bool

    @classmethod
    def of(cls, user) -> "Reader":
        # Without a case these are role checks; for a case the reader may see
        # (the item is visible) they give the same answer as the case pages.
        return cls(user=user, reads_record=can(user, Action.CASE_CHRONOLOGY),
                   sees_all_actions=can(user, Action.SUPPORT_ACTIONS_ALL))


def shorten(text: str, limit: int = CONCERN_SUMMARY_CHARACTERS) -> tuple[str, bool]:
    """`text` with blank lines squeezed, cut at a word boundary near `limit`
    characters; and whether it was cut."""
    lines = [line.strip() for line in (text or "").strip().splitlines()]
    squeezed = "\n".join(line for index, line in enumerate(lines) if line or (index and lines[index - 1]))
    if len(squeezed) <= limit:
        return squeezed, False
    cut = squeezed[:limit]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-\n") + "…", True


def _referred_by(referral) -> str:
    """Who referred, as the panel needs it: sector and organisation, never
    the referrer's name or contact details."""
    if referral.kind == ReferralKind.PUBLIC:
        relationship = referral.referrer_relationship.strip()
        return f"A member of the public ({relationship})" if relationship else "A member of the public"
    organisation = referral.submitted_by.organisation if referral.submitted_by_id else None
    name = referral.referrer_organisation.strip() or (organisation.name if organisation else "")
    sector = OrganisationType(organisation.type).label if organisation and organisation.type else ""
    who = ", ".join(part for part in (referral.referrer_role.strip(), name) if part) or "A practitioner"
    if sector:
        who = f"{who} ({sector})"
    if referral.kind == ReferralKind.PARTNER_API:
        who = f"{who}, through a partner system"
    return who


def _referral(case) -> dict:
    referral = case.referral
    concern, shortened = shorten(referral.concern_description)
    return {
        "reference": referral.reference, "received": govuk_date(referral.received_at),
        "kind": referral.get_kind_display(), "referred_by": _referred_by(referral),
        "involves": [ConcernPrompt(value).label for value in referral.concern_prompts or []
                     if value in ConcernPrompt.values],
        "when": referral.concern_when, "concern": concern, "shortened": shortened,
    }


def _author(judgement) -> str:
    author = judgement.author
    organisation = author.organisation.name if author.organisation_id else ""
    return f"{author.full_name}, {organisation}" if organisation else author.full_name


def _assessment(case) -> dict | None:
    """The latest completed assessment: each dimension's judgement in words,
    with its author and date. Factor evidence stays on the assessment's own
    page, and there is never a score."""
    latest = case.latest_completed_assessment[0] if case.latest_completed_assessment else None
    if latest is None:
        return None
    return {
        "id": latest.pk, "kind": latest.get_kind_display(), "assessed_on": govuk_date(latest.assessed_on),
        "completed": govuk_datetime(latest.completed_at),
        "href": reverse("channel:assessment-detail", kwargs={"pk": case.pk, "assessment_id": latest.pk}),
        "judgements": [{"dimension": judgement.dimension.name, "judgement": judgement.judgement,
                        "author": _author(judgement), "written": govuk_date(judgement.written_at)}
                       for judgement in latest.judgements.all()],
    }


def _provider_line(provider) -> str:
    approved = " (Home Office-approved Intervention Provider)" if provider.home_office_approved else ""
    return f"{provider.organisation.name}: {provider.support_type}{approved}"


def _plan(item, reader: Reader) -> dict:
    case = item.case
    plan = getattr(case, "support_plan", None)
    actions = [action for action in case.plan_actions_all
               if reader.sees_all_actions or action.owner_id == reader.user.pk]
    return {
        "id": plan.pk if plan else None,
        "providers": [_provider_line(provider) for provider in (plan.providers.all() if plan else ())],
        "actions": [{"id": action.pk, "description": action.description, "owner": action.owner.full_name,
                     "due": govuk_date(action.due_date), "done": govuk_date(action.done_on)}
                    for action in actions],
        "only_own_actions": not reader.sees_all_actions,
        "sessions_held": item.sessions_held, "sessions_missed": item.sessions_missed,
    }


def _action_line(action: dict) -> str:
    done = f", done {action['done']}" if action["done"] else ", not done yet"
    return f"{action['description']} — {action['owner']}, due {action['due']}{done}"


def item_briefing(item, reader: Reader) -> dict:
    """What the panel reads about a visible item's case before discussing it,
    and (`shown`) which records that is, for the audit trail. `item` comes
    from meeting_items(detail=True)."""
    case = item.case
    review = case.reviews_done[0] if case.reviews_done else None
    briefing = {
        "referral": _referral(case) if reader.reads_record else None,
        "assessment": _assessment(case) if reader.reads_record else None,
        "reads_record": reader.reads_record,
        "plan": _plan(item, reader),
        "last_review": ({"kind": review.get_kind_display(), "completed": govuk_date(review.completed_on),
                         "outcome": review.outcome} if review else None),
    }
    briefing["plan"]["action_lines"] = [_action_line(action) for action in briefing["plan"]["actions"]]
    shown = {"case": case.reference}
    if briefing["referral"]:
        shown["referral"] = case.referral.reference
    if briefing["assessment"]:
        shown["assessment"] = briefing["assessment"]["id"]
    if briefing["plan"]["id"]:
        shown["support_plan"] = briefing["plan"]["id"]
    if briefing["plan"]["actions"]:
        shown["plan_actions"] = [action["id"] for action in briefing["plan"]["actions"]]
    if review:
        shown["review"] = review.pk
    briefing["shown"] = shown
    return briefing


def _item(item, meeting, *, with_minutes: bool, reader: Reader | None = None) -> dict:
    if not item.visible:
        return {"position": item.position, "visible": False}
    entry = {
        "position": item.position, "visible": True, "item": item,
        "title": f"{item.case.reference}: {AgendaReason(item.reason).label}",
        "facts": _case_facts(item, meeting),
        "invitees": [f"{invitee.name} ({invitee.organisation_name})" for invitee in item.invitees.all()],
    }
    if reader is not None:
        entry["briefing"] = item_briefing(item, reader)
    if with_minutes:
        entry["decision"] = ItemDecision(item.decision).label if item.decision else ""
        entry["method"] = method_text(item)
        entry["minute"] = item.minute
        entry["addenda"] = [(govuk_date(addendum.written_at), addendum.text)
                            for addendum in item.addenda.all()]
    return entry


def agenda_pack(*, meeting, user) -> dict:
    """What `user` may see of the meeting's agenda: the meeting, who is
    expected and who attended, and for each visible case its facts and its
    briefing (item_briefing)."""
    items = meeting_items(meeting=meeting, user=user, detail=True)
    reader = Reader.of(user)
    visible = visible_case_ids_of(items)
    attendance = attendance_recorded(meeting=meeting, visible_case_ids=visible)
    return {
        "meeting": meeting, "title": f"Agenda pack: {meeting.panel.name}, {govuk_date(meeting.date)}",
        "facts": _meeting_facts(meeting),
        "expected": [{"name": person.full_name,
                      "organisation": person.organisation.name if person.organisation_id else ""}
                     for person in expected_attendees(meeting=meeting, visible_case_ids=visible)],
        "attendance": attendance,
        "items": [_item(item, meeting, with_minutes=False, reader=reader) for item in items],
        "withheld": sum(not item.visible for item in items),
    }


def minutes_document(*, meeting, user) -> dict:
    """The minutes as `user` may see them: attendance, general notes, the
    minutes of the items they may see, addenda."""
    items = meeting_items(meeting=meeting, user=user, detail=True)
    minutes = meeting.minutes
    attendance = attendance_recorded(meeting=meeting, visible_case_ids=visible_case_ids_of(items))
    status = ("Approved by " + minutes.approved_by.full_name + " on " + govuk_date(minutes.approved_at)
              if minutes.status == MinutesStatus.APPROVED else "Draft: not yet approved by the chair")
    return {
        "meeting": meeting, "minutes": minutes,
        "title": f"Minutes: {meeting.panel.name}, {govuk_date(meeting.date)}",
        "status": status, "facts": _meeting_facts(meeting), "attendance": attendance,
        "general_notes": minutes.general_notes,
        "general_addenda": [(govuk_date(addendum.written_at), addendum.text)
                            for addendum in minutes.addenda.filter(item__isnull=True)],
        "items": [_item(item, meeting, with_minutes=True) for item in items],
        "withheld": sum(not item.visible for item in items),
    }
