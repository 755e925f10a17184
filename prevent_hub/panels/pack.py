"""The agenda pack and the minutes as documents: the same content for the
print page and the PDF, built for one reader, who sees only the items
(cases) they may see. Withheld items show their number and nothing else.
"""

from prevent_hub.accounts.models import OrganisationType
from prevent_hub.channel.consent import ConsentStatus, age_on, consent_status
from prevent_hub.core.formatting import govuk_date, govuk_time

from .minutes import method_text
from .models import AgendaReason, ItemDecision, MinutesStatus
from .selectors import attendance_for_reader, meeting_attendance, meeting_items, visible_case_ids_of


def _meeting_facts(meeting) -> list[tuple[str, str]]:
    facts = [("Panel", meeting.panel.name), ("Area", meeting.panel.area),
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
              ("Area", case.area or meeting.panel.area),
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


def _item(item, meeting, *, with_minutes: bool) -> dict:
    if not item.visible:
        return {"position": item.position, "visible": False}
    entry = {
        "position": item.position, "visible": True, "item": item,
        "title": f"{item.case.reference}: {AgendaReason(item.reason).label}",
        "facts": _case_facts(item, meeting),
        "invitees": [f"{invitee.name} ({invitee.organisation_name})" for invitee in item.invitees.all()],
        "open_actions": [f"{action.description} — {action.owner.full_name}, due {govuk_date(action.due_date)}"
                         for action in item.case.open_actions],
        "last_review": (f"{govuk_date(item.case.panel_reviews_done[0].completed_on)}: "
                        f"{item.case.panel_reviews_done[0].outcome}") if item.case.panel_reviews_done else "",
    }
    if with_minutes:
        entry["decision"] = ItemDecision(item.decision).label if item.decision else ""
        entry["method"] = method_text(item)
        entry["minute"] = item.minute
        entry["addenda"] = [(govuk_date(addendum.written_at), addendum.text)
                            for addendum in item.addenda.all()]
    return entry


def agenda_pack(*, meeting, user) -> dict:
    """What `user` may see of the meeting's agenda, with each visible case's
    facts (status, dates, consent, open actions, last review)."""
    items = meeting_items(meeting=meeting, user=user, detail=True)
    return {
        "meeting": meeting, "title": f"Agenda pack: {meeting.panel.name}, {govuk_date(meeting.date)}",
        "facts": _meeting_facts(meeting),
        "items": [_item(item, meeting, with_minutes=False) for item in items],
        "withheld": sum(not item.visible for item in items),
    }


def minutes_document(*, meeting, user) -> dict:
    """The minutes as `user` may see them: attendance, general notes, the
    minutes of the items they may see, addenda."""
    items = meeting_items(meeting=meeting, user=user, detail=True)
    minutes = meeting.minutes
    attendance = [
        {"name": row.name, "organisation": row.organisation_name,
         "organisation_type": OrganisationType(row.organisation_type).label,
         "police_area": row.police_area, "item": row.item.position if row.item_id else None}
        for row in attendance_for_reader(meeting_attendance(meeting=meeting),
                                         visible_case_ids=visible_case_ids_of(items))
    ]
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
