"""Plain helpers shared by the panels service tests. Everything here is fictional."""

import datetime
import io

from django.utils import timezone

from prevent_hub.panels.models import DecisionMethod


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def at(day: datetime.date, hour: int = 7) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def decide(item, decision, *, acting_user=None, method=DecisionMethod.CONSENSUS,
           reasons="Fictional reasons agreed by the panel.", **kwargs):
    from prevent_hub.panels.decisions import item_decide

    return item_decide(item=item, decision=decision, decision_method=method, reasons=reasons,
                       acting_user=acting_user or item.meeting.panel.chair, **kwargs)


def pdf_pages(data: bytes) -> list[str]:
    """The text drawn on each page, as a reader copying it would get it
    (pypdf reads the embedded fonts' Unicode maps)."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    """The text of the whole PDF, page after page."""
    return "\n".join(pdf_pages(data))


def decided_at_a_meeting(case, decision, *, review=None, **kwargs):
    """`decision` on `case`, taken at a panel meeting held today with the
    police present: how a test gets a case past a step only the panel takes."""
    from prevent_hub.panels.models import AgendaReason
    from prevent_hub.panels.tests.factories import PanelMeetingFactory, item_add, police_present

    meeting = PanelMeetingFactory(date=timezone.localdate())
    police_present(meeting, area=case.area or meeting.panel.area)
    reason = AgendaReason.POST_EXIT_REVIEW_DUE if review is not None else AgendaReason.ADDED_BY_CHAIR
    return decide(item_add(meeting, case, reason=reason, review=review), decision, **kwargs)
