"""Channel panel meetings for partner systems: when and where each meeting
is, who attended, and what the panel decided on each case and which actions
it set. Scoped by the same access rules as the meeting pages.

An item whose case the account may not see (a panel member invited for one
item sees only that case) is left out, with the people who attended for it:
`withheld_items` says how many items were left out. Item minutes, notes and
anything about the person are not included.
"""

import datetime
from typing import Annotated

from django.db.models import Prefetch
from django.http import Http404
from ninja import Path, Query, Router
from pydantic import BaseModel, Field, PlainSerializer, WithJsonSchema

from prevent_hub.access import Action, can
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read, audit_view
from prevent_hub.panels.models import (
    AgendaItem,
    AgendaReason,
    Attendance,
    DecisionMethod,
    ItemAction,
    ItemDecision,
    MeetingStatus,
    MinutesStatus,
    PanelMeeting,
)
from prevent_hub.panels.selectors import attendance_for_reader, meetings_visible, visible_case_ids

from ..auth import requires
from ..models import ApiScope
from .listing import MAX_LIMIT, MAX_OFFSET, id_in_range, refuse_unknown_parameters, refused_look_up_record

router = Router(tags=["Panel meetings"])


# A wall-clock time in the UK, as the meeting notice gives it. Not a JSON
# Schema "time", which needs an offset from UTC.
LocalTime = Annotated[
    datetime.time,
    PlainSerializer(lambda value: value.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
                    "description": "HH:MM, UK time.", "examples": ["10:00"]}),
]


class PanelOut(BaseModel):
    id: int
    name: str
    area: str = Field(description="The area the panel serves.")


class AttendeeOut(BaseModel):
    name: str
    organisation: str
    organisation_type: OrganisationType
    police_area: str | None = Field(
        description="For a police representative: the area they represent. Null for everyone else.")
    item_position: int | None = Field(
        description="Present for this item only (someone invited for one case); null for the whole meeting.")
    case_reference: str | None = Field(
        description="For someone present for one item: the reference of that item's case; null otherwise.")
    apologies: bool = Field(description="True: expected, sent apologies and was not present.")
    deputy_for: str | None = Field(
        description="The name of the person (who sent apologies) they came in place of; null if nobody.")


class PanelActionOut(BaseModel):
    description: str
    owner: str = Field(description="The name of the person who is to do it.")
    due_date: datetime.date
    done_on: datetime.date | None = Field(description="Null until the action is done.")


class AgendaItemOut(BaseModel):
    position: int = Field(description="The item's number on the agenda.")
    case_id: int
    case_reference: str
    reason: AgendaReason = Field(description="Why the case is on the agenda.")
    decision: ItemDecision | None = Field(description="Null until the panel decides.")
    decision_method: DecisionMethod | None = Field(description="How the panel decided; null until then.")
    votes_for: int | None = Field(description="Null unless the votes were counted.")
    votes_against: int | None = Field(description="Null unless the votes were counted.")
    abstentions: int | None = Field(description="Null unless given.")
    reasons: str = Field(description="The panel's reasons for its decision; empty until it decides.")
    decided_at: datetime.datetime | None
    actions: list[PanelActionOut] = Field(description="Actions the panel set on the case, in the order set.")


class PanelMeetingOut(BaseModel):
    """A panel meeting, its attendance and the items the account may see."""

    id: int
    panel: PanelOut
    date: datetime.date
    start_time: LocalTime
    location: str | None = Field(description="Where the meeting is held; null if not given.")
    online_link: str | None = Field(description="The link to join online; null if not given.")
    status: MeetingStatus
    minutes_status: MinutesStatus = Field(description="Approved minutes are final.")
    attendees: list[AttendeeOut] = Field(
        description="Who was recorded as present, by organisation (not those present only for a withheld "
                    "item).")
    items: list[AgendaItemOut] = Field(description="The agenda, in order, without withheld items.")
    withheld_items: int = Field(
        description="How many items are left out because the account may not see their case.")


class PanelMeetingListOut(BaseModel):
    count: int = Field(description="How many meetings the account may see in all.")
    limit: int
    offset: int
    results: list[PanelMeetingOut] = Field(description="Newest first: by date, then start time.")


def _meetings(user):
    """The meetings `user` may see, newest first, with everything the answer
    needs in a fixed number of queries however many meetings and items."""
    return (
        meetings_visible(user=user)
        .prefetch_related(
            Prefetch("items", queryset=AgendaItem.objects.select_related("case").order_by("position", "pk")),
            Prefetch("items__actions", queryset=ItemAction.objects.select_related("action__owner")
                     .order_by("pk")),
            Prefetch("attendance", queryset=Attendance.objects.select_related("item__case", "police_area",
                                                                              "deputy_for")),
        )
        .order_by("-date", "-start_time", "-pk")
    )


def _visible(user, meetings) -> set[int]:
    """The case ids among these meetings' items that `user` may see (one query)."""
    return visible_case_ids(user=user, case_ids={item.case_id for meeting in meetings
                                                 for item in meeting.items.all()})


def _item_out(item) -> AgendaItemOut:
    return AgendaItemOut(
        position=item.position, case_id=item.case_id, case_reference=item.case.reference,
        reason=item.reason, decision=item.decision or None, decision_method=item.decision_method or None,
        votes_for=item.votes_for, votes_against=item.votes_against, abstentions=item.abstentions,
        reasons=item.reasons, decided_at=item.decided_at,
        actions=[
            PanelActionOut(description=link.action.description, owner=link.action.owner.full_name,
                           due_date=link.action.due_date, done_on=link.action.done_on)
            for link in item.actions.all()
        ],
    )


def _out(meeting, visible: set[int]) -> PanelMeetingOut:
    items = list(meeting.items.all())
    shown = [item for item in items if item.case_id in visible]
    return PanelMeetingOut(
        id=meeting.pk,
        panel=PanelOut(id=meeting.panel_id, name=meeting.panel.name, area=meeting.panel.area.name),
        date=meeting.date, start_time=meeting.start_time,
        location=meeting.location or None, online_link=meeting.online_link or None,
        status=meeting.status, minutes_status=meeting.minutes.status,
        attendees=[
            AttendeeOut(
                name=row.name, organisation=row.organisation_name, organisation_type=row.organisation_type,
                police_area=row.police_area.name if row.police_area_id else None,
                item_position=row.item.position if row.item_id else None,
                case_reference=row.item.case.reference if row.item_id else None,
                apologies=row.apologies, deputy_for=row.deputy_for.name if row.deputy_for_id else None,
            )
            for row in attendance_for_reader(meeting.attendance.all(), visible_case_ids=visible)
        ],
        items=[_item_out(item) for item in shown],
        withheld_items=len(items) - len(shown),
    )


@router.get("", response={200: PanelMeetingListOut}, url_name="panel-meeting-list",
            summary="List panel meetings")
@requires(ApiScope.PANELS_READ, Action.PANEL_VIEW)
def panel_meeting_list(
    request,
    limit: int = Query(25, ge=1, le=MAX_LIMIT,
                       description=f"How many meetings to return (1 to {MAX_LIMIT})."),
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="How many meetings to skip."),
):
    """The panel meetings the token's account may see, newest first, a page
    at a time (police and panel members: the meetings they are invited to),
    each with its attendance and the decisions and actions on the items the
    account may see."""
    refuse_unknown_parameters(request)
    meetings = _meetings(request.user)
    count = meetings.count()
    page = list(meetings[offset:offset + limit]) if offset < count else []
    visible = _visible(request.user, page)
    audit_read(action=AuditAction.SEARCH, object_type="panels.panelmeeting",
               details={"list": "panel meetings", "via": "api", "limit": limit, "offset": offset})
    return PanelMeetingListOut(count=count, limit=limit, offset=offset,
                               results=[_out(meeting, visible) for meeting in page])


@router.get("/{int:meeting_id}", response={200: PanelMeetingOut}, url_name="panel-meeting-detail",
            summary="Read a panel meeting")
@requires(ApiScope.PANELS_READ, Action.PANEL_VIEW)
def panel_meeting_detail(request, meeting_id: int = Path(..., description="The meeting's id.", examples=[1])):
    """A meeting's date, place, status and attendance, and for each item the
    account may see: the case, why it was on the agenda, the decision, how it
    was reached and the actions set."""
    meeting = (_meetings(request.user).filter(pk=meeting_id).first()
               if id_in_range(meeting_id) else None)
    if meeting is None or not can(request.user, Action.PANEL_VIEW, meeting):
        refused_look_up_record(PanelMeeting, meeting_id, Action.PANEL_VIEW)
        raise Http404("No such panel meeting")
    audit_view(meeting)
    return _out(meeting, _visible(request.user, [meeting]))

