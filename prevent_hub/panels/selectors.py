"""Reading panels and meetings, always scoped through `access`.

Items of a meeting carry `visible`: whether the reader may see the case (a
panel member invited for one item sees only that item's case). Pages show a
withheld item as its number only.
"""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from prevent_hub.access import scope
from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import OrganisationType, User
from prevent_hub.channel.models import (
    Assessment,
    ChannelCase,
    DimensionJudgement,
    PlanAction,
    Review,
    SessionStatus,
    SupportProvider,
    SupportSession,
)

from .models import (
    AgendaItem,
    Attendance,
    ItemAction,
    ItemInvitee,
    MeetingStatus,
    OutsideMeetingDecision,
    Panel,
    PanelMeeting,
)
from .services import MEMBER_ROLES


def meetings_visible(*, user):
    return scope(user, PanelMeeting.objects.select_related("panel__area", "minutes"))


def meetings_listed(*, user):
    """Upcoming meetings (soonest first) and past or cancelled ones (latest first), with item counts."""
    today = timezone.localdate()
    meetings = meetings_visible(user=user).annotate(item_count=Count("items"))
    upcoming = (meetings.filter(date__gte=today, status=MeetingStatus.SCHEDULED)
                .order_by("date", "start_time", "pk"))
    past = meetings.exclude(pk__in=upcoming.values("pk")).order_by("-date", "-start_time", "-pk")
    return upcoming, past


def meeting_get(*, user, pk: int) -> PanelMeeting | None:
    return meetings_visible(user=user).select_related("panel__chair").filter(pk=pk).first()


def visible_case_ids(*, user, case_ids) -> set[int]:
    return set(scope(user, ChannelCase.objects.filter(pk__in=list(case_ids))).values_list("pk", flat=True))


def _sessions_counted(status):
    """How many sessions of the item's case have `status`, as a subquery (no
    join, so the other prefetches and counts are not multiplied)."""
    counted = (SupportSession.objects.filter(case=OuterRef("case_id"), status=status).order_by()
               .values("case").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def meeting_items(*, meeting, user, detail: bool = False, pk: int | None = None) -> list[AgendaItem]:
    """The agenda in order, each item marked `visible` for `user`. With
    `detail`, what the item page, the agenda pack and the minutes show (the
    referral, the latest completed assessment, the support plan with its
    providers, actions and session counts, the last review, who is invited,
    the panel's actions) is loaded in a fixed number of queries however long
    the agenda and however long each case's history. With `pk`, only that
    item."""
    items = AgendaItem.objects.filter(meeting=meeting).select_related("case__person", "case__area", "review",
                                                                       "decided_by")
    if pk is not None:
        items = items.filter(pk=pk)
    if detail:
        latest_completed = (
            Assessment.objects.filter(completed_at__isnull=False).select_related("created_by")
            .prefetch_related(Prefetch("judgements", queryset=DimensionJudgement.objects
                                       .select_related("dimension", "author__organisation")
                                       .order_by("dimension__position", "pk")))
            .order_by("-assessed_on", "-completed_at", "-pk"))[:1]
        items = items.select_related(
            "case__referral__submitted_by__organisation", "case__support_plan",
        ).annotate(
            sessions_held=_sessions_counted(SessionStatus.DELIVERED),
            sessions_missed=_sessions_counted(SessionStatus.MISSED),
        ).prefetch_related(
            "case__consents",
            Prefetch("case__plan_actions", to_attr="plan_actions_all",
                     queryset=PlanAction.objects.select_related("owner").order_by("due_date", "pk")),
            Prefetch("case__reviews", to_attr="reviews_done",
                     queryset=Review.objects.filter(completed_on__isnull=False)
                     .order_by("-completed_on", "-pk")[:1]),
            Prefetch("case__assessments", to_attr="latest_completed_assessment", queryset=latest_completed),
            Prefetch("case__support_plan__providers",
                     queryset=SupportProvider.objects.select_related("organisation").order_by("pk")),
            Prefetch("invitees", queryset=ItemInvitee.objects.order_by("pk")),
            Prefetch("actions", queryset=ItemAction.objects.select_related("action__owner")),
            "addenda",
        )
    items = list(items.order_by("position", "pk"))
    visible = visible_case_ids(user=user, case_ids={item.case_id for item in items})
    for item in items:
        item.visible = item.case_id in visible
    return items


def meeting_attendance(*, meeting):
    return Attendance.objects.filter(meeting=meeting).select_related(
        "item__case", "police_area", "deputy_for")


def attendance_line(row: Attendance) -> str:
    """What the attendance says of someone after their name: organisation,
    the area a police representative covers, the case they came for (by its
    reference: "item 3" means nothing once the agenda moves) and whom they
    deputised for."""
    line = f"{row.organisation_name} ({OrganisationType(row.organisation_type).label})"
    if row.police_area_id and not row.apologies:
        line += f", police for {row.police_area.name}"
    if row.item_id:
        line += f", for {row.item.case.reference} (item {row.item.position})"
    if row.deputy_for_id:
        line += f", deputising for {row.deputy_for.name}"
    return line


def attendance_for_reader(rows, *, visible_case_ids) -> list:
    """Who attended or sent apologies, as a reader may see it: people who
    came only for an item whose case the reader may not see are left out,
    since who came for it says something about that case. The one rule for
    the meeting and attendance pages, the minutes, the pack and the API.
    Each row gets its `line` (attendance_line)."""
    shown = [row for row in rows if row.item_id is None or row.item.case_id in visible_case_ids]
    for row in shown:
        row.line = attendance_line(row)
    return shown


def attendance_recorded(*, meeting, visible_case_ids) -> dict:
    """Who was present and who sent apologies, as a reader may see them
    (attendance_for_reader), for the meeting page, the pack and the minutes."""
    rows = attendance_for_reader(meeting_attendance(meeting=meeting), visible_case_ids=visible_case_ids)
    return {"present": [row for row in rows if not row.apologies],
            "apologies": [row for row in rows if row.apologies]}


def visible_case_ids_of(items) -> set[int]:
    """The cases of `items` (from meeting_items) the reader may see."""
    return {item.case_id for item in items if item.visible}


def expected_attendees(*, meeting, visible_case_ids=None) -> list[User]:
    """The chair, standing members and people with accounts invited for an
    item: the people to tick off on the day. For a reader who may not see
    every case (`visible_case_ids`), people invited only for items they may
    not see are left out, as attendance_for_reader leaves them out."""
    ids = {meeting.panel.chair_id}
    ids |= set(meeting.panel.members.filter(removed_at__isnull=True).values_list("user_id", flat=True))
    invitees = ItemInvitee.objects.filter(item__meeting=meeting, user__isnull=False)
    if visible_case_ids is not None:
        invitees = invitees.filter(item__case_id__in=list(visible_case_ids))
    ids |= set(invitees.values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=ids, is_active=True).select_related("organisation")
                .order_by("organisation__name", "full_name"))


def panels_all():
    return Panel.objects.select_related("chair", "area").annotate(
        member_count=Count("members", filter=Q(members__removed_at__isnull=True))).order_by("name")


def panel_members_current(*, panel):
    return panel.members.filter(removed_at__isnull=True).select_related("user__organisation").order_by(
        "user__organisation__name", "user__full_name")


def member_candidates():
    return (User.objects.filter(is_active=True, role_assignments__role__in=MEMBER_ROLES).distinct()
            .select_related("organisation").order_by("full_name"))


def chair_candidates():
    return (User.objects.filter(is_active=True, role_assignments__role=Role.CHANNEL_CHAIR).distinct()
            .order_by("full_name"))


def action_owner_candidates():
    """Who a panel action can be given to: anyone with a staff role on cases."""
    roles = (Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR, Role.POLICE_PRACTITIONER, Role.PANEL_MEMBER,
             Role.INTERVENTION_PROVIDER)
    return (User.objects.filter(is_active=True, role_assignments__role__in=roles).distinct()
            .select_related("organisation").order_by("full_name"))


# Decisions taken outside a meeting ------------------------------------------------------


def outside_decisions_visible(*, user):
    """Decisions taken outside a meeting about cases `user` may see, each
    with `review_item`: the agenda item that reviews it, if any."""
    cases = scope(user, ChannelCase.objects.all()).values("pk")
    decisions = (OutsideMeetingDecision.objects.filter(case_id__in=cases)
                 .select_related("panel__area", "case", "chair")
                 .prefetch_related(Prefetch("review_items", to_attr="reviews_found",
                                            queryset=AgendaItem.objects.exclude(meeting__status="cancelled")
                                            .select_related("meeting").order_by("meeting__date", "pk")),
                                   "consulted__organisation"))
    return decisions


def outside_decision_get(*, user, pk: int) -> OutsideMeetingDecision | None:
    return outside_decisions_visible(user=user).filter(pk=pk).first()


def panels_chaired(*, user):
    """The active panels `user` chairs or is a deputy chair of."""
    return (Panel.objects.filter(Q(chair=user) | Q(deputy_chairs=user), is_active=True)
            .distinct().order_by("name"))
