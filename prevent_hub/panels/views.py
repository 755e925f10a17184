"""Panel pages: panels and standing members, meetings, the agenda, people
invited for an item, attendance, decisions, minutes, the agenda pack (print
page and PDF). Views parse, call a service or selector, render. Every page
showing case data is audited; every change is audited in its service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prevent_hub.access import Action, can, check, requires, scope
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.audit.shows import shows, shows_many, shows_nothing_personal
from prevent_hub.channel.models import ChannelCase
from prevent_hub.channel.selectors import areas_active
from prevent_hub.channel.services import case_area_set
from prevent_hub.core.csv import csv_response
from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.pdf import pdf_response
from prevent_hub.govuk.forms import add_service_errors, form_submitted

from . import agenda, confirmations, decisions, exports, forms, minutes, pack, pdf, selectors, services
from .models import ItemDecision, MeetingStatus, Panel


def _crumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")},
             {"text": "Panel meetings", "href": reverse("panels:home")}]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _meeting(request, pk, action=Action.PANEL_VIEW):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if meeting is None:
        raise Http404("No such meeting")
    check(request, Action.PANEL_VIEW, meeting)
    if action != Action.PANEL_VIEW:
        check(request, action, meeting)
    return meeting


def _item(meeting, item_pk, user):
    item = next(iter(selectors.meeting_items(meeting=meeting, user=user, pk=item_pk)), None)
    if item is None or not item.visible:
        raise Http404("No such item")
    item.meeting = meeting
    return item


def _href(name, meeting, **kwargs):
    return reverse(f"panels:{name}", kwargs={"pk": meeting.pk, **kwargs})


def _meeting_title(meeting):
    return f"{meeting.panel.name}, {govuk_date(meeting.date)}"


# Home, panels ---------------------------------------------------------------------------


@requires(Action.PANEL_VIEW)
@require_GET
@shows_many("panels.panelmeeting", part="panel meetings")
def home(request):
    upcoming, past = selectors.meetings_listed(user=request.user)
    return render(request, "panels/home.html", {
        "upcoming": upcoming, "past": past[:50], "panels": selectors.panels_all(),
        "may_manage": can(request.user, Action.PANEL_MANAGE), "breadcrumbs": _crumbs(),
    })


@requires(Action.PANEL_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("an empty form for a new panel")
def panel_create(request):
    form = forms.PanelForm(request.POST or None, chairs=selectors.chair_candidates())

    def save(data):
        return services.panel_create(**data, acting_user=request.user)

    panel = form_submitted(request, form, save)
    if panel:
        messages.success(request, f"{panel.name} has been set up")
        return redirect("panels:panel", panel_pk=panel.pk)
    return render(request, "panels/form.html", {
        "form": form, "title": "Set up a panel", "button": "Set up the panel",
        "cancel": reverse("panels:home"), "breadcrumbs": _crumbs()})


def _panel(panel_pk):
    panel = Panel.objects.select_related("chair", "area").filter(pk=panel_pk).first()
    if panel is None:
        raise Http404("No such panel")
    return panel


@requires(Action.PANEL_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("panels.panel", part="panel and its members", kwarg="panel_pk")
def panel_detail(request, panel_pk):
    panel = _panel(panel_pk)
    form = forms.MemberForm(request.POST or None, candidates=selectors.member_candidates())

    def save(data):
        return services.panel_member_add(panel=panel, user=data["user"], acting_user=request.user)

    if member := form_submitted(request, form, save):
        messages.success(request, f"{member.user.full_name} is now a standing member")
        return redirect("panels:panel", panel_pk=panel.pk)
    return render(request, "panels/panel.html", {
        "panel": panel, "members": selectors.panel_members_current(panel=panel), "form": form,
        "deputy_chairs": panel.deputy_chairs.order_by("full_name"),
        "breadcrumbs": _crumbs()})


@requires(Action.PANEL_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("panels.panel", part="panel details form", kwarg="panel_pk")
def panel_edit(request, panel_pk):
    panel = _panel(panel_pk)
    form = forms.PanelEditForm(request.POST or None, chairs=selectors.chair_candidates(), initial={
        "name": panel.name, "area": panel.area.name, "chair": panel.chair_id,
        "deputy_chairs": list(panel.deputy_chairs.values_list("pk", flat=True)),
        "is_active": "yes" if panel.is_active else "no"})

    def save(data):
        return services.panel_update(panel=panel, **data, acting_user=request.user)

    if changed := form_submitted(request, form, save):
        messages.success(request, f"{changed.name} has been saved"
                         + ("" if changed.is_active else ": it is deactivated"))
        return redirect("panels:panel", panel_pk=panel.pk)
    return render(request, "panels/form.html", {
        "form": form, "title": "Change the panel's details", "button": "Save",
        "page_title": f"Change the panel's details: {panel.name}", "caption": panel.name,
        "cancel": reverse("panels:panel", kwargs={"panel_pk": panel.pk}),
        "breadcrumbs": _crumbs((panel.name, reverse("panels:panel", kwargs={"panel_pk": panel.pk})))})


@requires(Action.PANEL_MANAGE)
@require_POST
@shows("panels.panel", part="remove member confirmation", kwarg="panel_pk")
def panel_member_remove(request, panel_pk, member_pk):
    panel = _panel(panel_pk)
    member = selectors.panel_members_current(panel=panel).filter(pk=member_pk).first()
    if member is None:
        raise Http404("No such member")
    services.panel_member_remove(member=member, acting_user=request.user)
    messages.success(request, f"{member.user.full_name} is no longer a standing member")
    return redirect("panels:panel", panel_pk=panel.pk)


# Meetings ---------------------------------------------------------------------------


@requires(Action.PANEL_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("an empty form for a new meeting")
def meeting_schedule(request):
    panels = Panel.objects.filter(is_active=True)
    initial = {"panel": panels.first()} if panels.count() == 1 else {}
    form = forms.MeetingForm(request.POST or None, panels=panels, initial=initial)
    warning = ""

    def save(data):
        nonlocal warning
        # A weekend or bank holiday is asked about, not refused: nothing is saved until confirmed.
        if warning := confirmations.day_to_confirm(form, data["date"]):
            return None
        return services.meeting_schedule(**data, acting_user=request.user)

    meeting = form_submitted(request, form, save)
    if meeting:
        messages.success(request, "The meeting has been scheduled. Build its agenda from the cases next")
        return redirect("panels:meeting", pk=meeting.pk)
    return render(request, "panels/form.html", {
        "form": form, "title": "Schedule a panel meeting", "button": "Schedule the meeting",
        "page_title": "Check the date: Schedule a panel meeting" if warning else "",
        "warning_text": warning,
        "cancel": reverse("panels:home"), "breadcrumbs": _crumbs(),
        "empty": None if panels.exists() else "Set up a panel first."})


@requires(Action.PANEL_VIEW)
@require_GET
@shows("panels.panelmeeting", part="meeting and agenda")
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    items = selectors.meeting_items(meeting=meeting, user=request.user)
    may_manage = can(request.user, Action.PANEL_MANAGE, meeting)
    audit_read(action=AuditAction.VIEW, obj=meeting, details={"page": "meeting"})
    closed = meeting.status == MeetingStatus.CANCELLED or meeting.minutes.is_approved
    return render(request, "panels/meeting.html", {
        "meeting": meeting, "items": items, "may_manage": may_manage and not closed,
        "focus": _move_focus(request.GET, items),
        "attendance": selectors.attendance_recorded(meeting=meeting,
                                                    visible_case_ids=selectors.visible_case_ids_of(items)),
        "title": _meeting_title(meeting),
        "add_form": forms.AddCaseForm(), "withheld": sum(not item.visible for item in items),
        "breadcrumbs": _crumbs(),
    })


@requires(Action.PANEL_MANAGE)
@require_POST
@shows("panels.panelmeeting", part="build agenda confirmation")
def agenda_build(request, pk):
    meeting = _meeting(request, pk, Action.PANEL_MANAGE)
    try:
        added = agenda.agenda_build(meeting=meeting, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{len(added)} case{'s' if len(added) != 1 else ''} added to the agenda"
                         if added else "No more cases need this meeting: the agenda is up to date")
    return redirect("panels:meeting", pk=meeting.pk)


@requires(Action.PANEL_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("panels.panelmeeting", part="add a case to the agenda form")
def agenda_add(request, pk):
    meeting = _meeting(request, pk, Action.PANEL_MANAGE)
    form = forms.AddCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reference = form.cleaned_data["reference"].strip().upper()
        case = scope(request.user, ChannelCase.objects.filter(reference=reference)).first()
        try:
            if case is None:
                raise ValidationError({"reference": f"There is no Channel case {reference}"})
            item = agenda.agenda_item_add(meeting=meeting, case=case, acting_user=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "case" in error.error_dict:
                error = ValidationError({"reference": error.error_dict["case"]})
            add_service_errors(form, error)
        else:
            messages.success(request, f"Case {case.reference} is item {item.position}")
            return redirect("panels:meeting", pk=meeting.pk)
    return render(request, "panels/form.html", {
        "form": form, "title": "Add a case to the agenda", "button": "Add to the agenda",
        "cancel": _href("meeting", meeting), "caption": _meeting_title(meeting),
        "breadcrumbs": _crumbs((_meeting_title(meeting), _href("meeting", meeting)))})


def _move_focus(query, items) -> dict | None:
    """After item_move: the moved item's button to put focus on, so a
    keyboard user can go on moving it. That is the button they pressed, or,
    once the item reaches the end of the agenda and that button is gone, the
    other one. The template marks it `autofocus`; assets/js/refocus.js makes
    sure GOV.UK's success banner does not take focus from it."""
    direction = query.get("direction")
    index = next((index for index, item in enumerate(items) if str(item.pk) == query.get("moved")), None)
    if index is None or direction not in ("up", "down") or len(items) < 2:
        return None
    if direction == "up" and index == 0:
        direction = "down"
    elif direction == "down" and index == len(items) - 1:
        direction = "up"
    return {"item": items[index].pk, "direction": direction}


@requires(Action.PANEL_MANAGE)
@require_POST
@shows("panels.agendaitem", part="move item", kwarg="item_pk")
def item_move(request, pk, item_pk):
    meeting = _meeting(request, pk, Action.PANEL_MANAGE)
    item = _item(meeting, item_pk, request.user)
    direction = request.POST.get("direction", "")
    try:
        moved = agenda.agenda_item_move(item=item, direction=direction, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_href("meeting", meeting) + "#agenda")
    where = f"item {moved.position} of {meeting.items.count()}"
    messages.success(request, f"Item moved: {item.case.reference} is now {where}"
                     if moved.position != item.position else f"{item.case.reference} is already {where}")
    # Back to the same button of the moved item (meeting_detail), to keep moving it.
    return redirect(_href("meeting", meeting) + "?" + urlencode({"moved": item.pk, "direction": direction}))


@requires(Action.PANEL_MANAGE)
@require_POST
@shows("panels.agendaitem", part="remove item confirmation", kwarg="item_pk")
def item_remove(request, pk, item_pk):
    meeting = _meeting(request, pk, Action.PANEL_MANAGE)
    item = _item(meeting, item_pk, request.user)
    try:
        agenda.agenda_item_remove(item=item, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Case {item.case.reference} has been taken off the agenda")
    return redirect(_href("meeting", meeting) + "#agenda")


@requires(Action.PANEL_MANAGE)
@require_POST
@shows("panels.panelmeeting", part="meeting notice")
def meeting_notice(request, pk):
    meeting = _meeting(request, pk, Action.PANEL_MANAGE)
    if meeting.status != MeetingStatus.SCHEDULED or meeting.minutes.is_approved:
        messages.error(request, "Notices go out only for a scheduled meeting")
        return redirect("panels:meeting", pk=meeting.pk)
    empty = not meeting.items.exists()
    if empty and not confirmations.empty_agenda_confirmed(request.POST):
        return render(request, "panels/form.html", {
            "form": confirmations.EmptyAgendaForm(), "title": "Send the notice with an empty agenda?",
            "warning_text": confirmations.EMPTY_AGENDA, "caption": _meeting_title(meeting),
            "intro": "Build the agenda from the cases first, or send the notice now so that people have "
                     "the date. You can send it again once cases are on the agenda.",
            "button": "Send the notice anyway", "cancel": _href("meeting", meeting),
            "breadcrumbs": _crumbs((_meeting_title(meeting), _href("meeting", meeting)))})
    # Sending is a background task: a panel's worth of emails should not hold up the page.
    from .tasks import meeting_notice_send_task

    count = len(services.notice_recipients(meeting))
    meeting_notice_send_task.enqueue(meeting_id=meeting.pk)
    people = f"{count} {'person' if count == 1 else 'people'}"
    messages.success(request, f"The notice is being emailed to {people}. It says the agenda is empty"
                     if empty else f"The notice and agenda are being emailed to {people}")
    return redirect("panels:meeting", pk=meeting.pk)


@requires(Action.PANEL_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("panels.panelmeeting", part="cancel meeting form")
def meeting_cancel(request, pk):
    meeting = _meeting(request, pk, Action.PANEL_MANAGE)
    form = forms.ReasonsForm(request.POST or None)

    def save(data):
        return services.meeting_cancel(meeting=meeting, reasons=data["reasons"], acting_user=request.user)

    if cancelled := form_submitted(request, form, save):
        told = (": everyone who got its notice has been emailed, with a calendar cancellation"
                if cancelled.notice_sent_at else "")
        messages.success(request, f"The meeting has been cancelled{told}")
        return redirect("panels:meeting", pk=meeting.pk)
    return render(request, "panels/form.html", {
        "form": form, "title": "Cancel the meeting", "button": "Cancel the meeting", "warning": True,
        "cancel": _href("meeting", meeting), "caption": _meeting_title(meeting),
        "breadcrumbs": _crumbs((_meeting_title(meeting), _href("meeting", meeting)))})


# Items -----------------------------------------------------------------------------


def _decision_form(request, item):
    choices = [(choice.value, choice.label) for choice in decisions.decisions_for(item)]
    return forms.DecisionForm(request.POST if request.method == "POST" else None, choices=choices,
                              owners=selectors.action_owner_candidates(), case=item.case,
                              initial={"health_social_care_considered": False})


def _item_title(meeting, item, what: str = "") -> str:
    """An item page's title names the case and the meeting, so a tab or a
    history entry says which it is: "CH-2026-000123 — Northshire Channel
    panel, 3 December 2026"."""
    title = f"{item.case.reference} — {_meeting_title(meeting)}"
    return f"{what}: {title}" if what else title


@requires(Action.PANEL_VIEW)
@require_GET
@shows("panels.agendaitem", part="agenda item", kwarg="item_pk")
def item_detail(request, pk, item_pk):
    meeting = _meeting(request, pk)
    item = next(iter(selectors.meeting_items(meeting=meeting, user=request.user, detail=True, pk=item_pk)),
                None)
    if item is None or not item.visible:
        raise Http404("No such item")
    item.meeting = meeting
    briefing = pack.item_briefing(item, pack.Reader.of(request.user))
    audit_read(action=AuditAction.VIEW, obj=item.case, details={"panel_item": item.pk, **briefing["shown"]})
    may_manage = (can(request.user, Action.PANEL_MANAGE, meeting)
                  and meeting.status != MeetingStatus.CANCELLED and not meeting.minutes.is_approved)
    return render(request, "panels/item.html", {
        "meeting": meeting, "item": item, "may_manage": may_manage, "title": _item_title(meeting, item),
        "police_present": decisions.police_present_for(item), "area": decisions.area_for(item).name,
        "invitees": item.invitees.all(), "actions": item.actions.all(), "briefing": briefing,
        "breadcrumbs": _crumbs((_meeting_title(meeting), _href("meeting", meeting))),
    })


@requires(Action.PANEL_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("panels.agendaitem", part="decision form", kwarg="item_pk")
def item_decide(request, pk, item_pk):
    meeting = _meeting(request, pk, Action.PANEL_MANAGE)
    item = _item(meeting, item_pk, request.user)
    form = _decision_form(request, item)

    def save(data):
        if unanswered := form.team_questions_unanswered():
            form.ask_team_questions(unanswered)
            return None
        return decisions.item_decide(
            item=item, decision=data["decision"], decision_method=data["decision_method"],
            reasons=data["reasons"], votes_for=data["votes_for"], votes_against=data["votes_against"],
            abstentions=data["abstentions"], actions=form.actions(), acting_user=request.user,
            outcome=data["outcome"], signposted_to=data["signposted_to"],
            health_social_care_considered=data["health_social_care_considered"] or None,
            health_social_care_notes=data["health_social_care_notes"], reassess_on=data["reassess_on"])

    if decided := form_submitted(request, form, save):
        messages.success(request, f"Decision recorded on item {item.position}: "
                                  f"{ItemDecision(decided.decision).label}")
        return redirect(_href("meeting", meeting) + "#agenda")
    audit_read(action=AuditAction.VIEW, obj=item.case, details={"panel_item": item.pk})
    return render(request, "panels/decide.html", {
        "meeting": meeting, "item": item, "form": form,
        "title": _item_title(meeting, item, f"Decision on item {item.position}"),
        "police_present": decisions.police_present_for(item), "area": decisions.area_for(item).name,
        "decided": bool(item.decision),
        "breadcrumbs": _crumbs((_meeting_title(meeting), _href("meeting", meeting)),
                               (f"Item {item.position}", _href("item", meeting, item_pk=item.pk))),
    })


@requires(Action.PANEL_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("panels.agendaitem", part="invitation form", kwarg="item_pk")
def item_invite(request, pk, item_pk):
    meeting = _meeting(request, pk, Action.PANEL_MANAGE)
    item = _item(meeting, item_pk, request.user)
    form = forms.InviteeForm(request.POST or None, candidates=selectors.member_candidates())

    def save(data):
        return services.item_invitee_add(item=item, **data, acting_user=request.user)

    invitee = form_submitted(request, form, save)
    if invitee:
        messages.success(request, f"{invitee.name} is invited for item {item.position}")
        return redirect("panels:item", pk=meeting.pk, item_pk=item.pk)
    return render(request, "panels/form.html", {
        "form": form, "title": f"Invite someone for item {item.position}", "button": "Invite",
        "page_title": _item_title(meeting, item, f"Invite someone for item {item.position}"),
        "caption": _meeting_title(meeting), "cancel": _href("item", meeting, item_pk=item.pk),
        "intro": "They are invited for this item only: with an account and the panel member role they "
                 "can read this case until two weeks after the meeting, and nothing else on the agenda.",
        "breadcrumbs": _crumbs((_meeting_title(meeting), _href("meeting", meeting)))})


@requires(Action.PANEL_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("panels.agendaitem", part="area form", kwarg="item_pk")
def item_area(request, pk, item_pk):
    meeting = _meeting(request, pk, Action.PANEL_MANAGE)
    item = _item(meeting, item_pk, request.user)
    form = forms.AreaForm(request.POST or None, areas=areas_active(),
                          empty_label=f"Not recorded (the panel's: {meeting.panel.area})",
                          initial={"area": item.case.area_id})
    if request.method == "POST" and form.is_valid():
        case_area_set(case=item.case, area=form.cleaned_data["area"], acting_user=request.user)
        messages.success(request, f"The area for case {item.case.reference} has been recorded")
        return redirect("panels:item", pk=meeting.pk, item_pk=item.pk)
    return render(request, "panels/form.html", {
        "form": form, "title": "The area the person lives in", "button": "Save",
        "page_title": _item_title(meeting, item, f"The area of the person on item {item.position}"),
        "caption": f"Item {item.position}, case {item.case.reference}",
        "cancel": _href("item", meeting, item_pk=item.pk),
        "intro": "A police representative for this area must be present when the panel discusses the person.",
        "breadcrumbs": _crumbs((_meeting_title(meeting), _href("meeting", meeting)))})


# Attendance ------------------------------------------------------------------------


@requires(Action.PANEL_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("panels.panelmeeting", part="attendance")
def attendance(request, pk):
    meeting = _meeting(request, pk, Action.PANEL_MANAGE)
    expected = selectors.expected_attendees(meeting=meeting)
    items = selectors.meeting_items(meeting=meeting, user=request.user)
    recorded = selectors.attendance_recorded(meeting=meeting,
                                             visible_case_ids=selectors.visible_case_ids_of(items))
    # The expected people's whole-meeting rows: what the ticks show.
    ticked = [row for row in recorded["present"] + recorded["apologies"] if row.user_id and not row.item_id]
    sent = request.POST.get("form") if request.method == "POST" else None
    form = forms.AttendanceForm(
        request.POST if sent == "present" else None, expected=expected,
        present_ids=[row.user_id for row in ticked if not row.apologies],
        apologies_ids=[row.user_id for row in ticked if row.apologies])
    other = forms.OtherAttendeeForm(request.POST if sent == "other" else None, areas=areas_active(),
                                    items=items, apologies=recorded["apologies"])
    if sent == "present" and form.is_valid():
        try:
            services.attendance_ticks_save(
                meeting=meeting, expected=expected, present={int(pk) for pk in form.cleaned_data["present"]},
                apologies={int(pk) for pk in form.cleaned_data["apologies"]}, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Attendance has been saved")
            return redirect("panels:attendance", pk=meeting.pk)
    if sent == "other" and other.is_valid():
        data = other.cleaned_data
        item = next((item for item in items if str(item.pk) == data["item"]), None)
        deputy_for = next((row for row in recorded["apologies"] if str(row.pk) == data["deputy_for"]), None)
        try:
            row = services.attendance_record(
                meeting=meeting, name=data["name"], organisation_name=data["organisation_name"],
                organisation_type=data["organisation_type"], police_area=data["police_area"], item=item,
                deputy_for=deputy_for, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(other, error)
        else:
            messages.success(request, f"{row.name} has been recorded as present")
            return redirect("panels:attendance", pk=meeting.pk)
    return render(request, "panels/attendance.html", {
        "meeting": meeting, "form": form, "other": other, "attendance": recorded,
        "title": "Attendance", "page_title": f"Attendance: {_meeting_title(meeting)}",
        "breadcrumbs": _crumbs((_meeting_title(meeting), _href("meeting", meeting)))})


@requires(Action.PANEL_MANAGE)
@require_POST
@shows("panels.panelmeeting", part="remove attendance confirmation")
def attendance_remove(request, pk, attendance_pk):
    meeting = _meeting(request, pk, Action.PANEL_MANAGE)
    row = selectors.meeting_attendance(meeting=meeting).filter(pk=attendance_pk).first()
    if row is None:
        raise Http404("No such attendance")
    try:
        services.attendance_remove(attendance=row, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{row.name} has been taken off the attendance")
    return redirect("panels:attendance", pk=meeting.pk)


# Agenda pack and minutes ----------------------------------------------------------------


def _audit_pack(document, action, name):
    """One event for the pack, naming each case it showed and the records of
    that case's briefing (as agenda_build's one event names every item): an
    event per case would make the pack's writes grow with the agenda."""
    shown = [entry for entry in document["items"] if entry["visible"]]
    audit_read(action=action, obj=document["meeting"], details={
        "document": name, "items_shown": len(shown),
        "cases": [entry["briefing"]["shown"] for entry in shown]})


@requires(Action.PANEL_VIEW)
@require_GET
@shows("panels.panelmeeting", part="agenda pack")
def agenda_pack(request, pk):
    meeting = _meeting(request, pk)
    document = pack.agenda_pack(meeting=meeting, user=request.user)
    _audit_pack(document, AuditAction.VIEW, "agenda pack")
    return render(request, "panels/agenda_pack.html", {**document, "breadcrumbs": _crumbs(
        (_meeting_title(meeting), _href("meeting", meeting)))})


@requires(Action.PANEL_VIEW)
@require_GET
@shows("panels.panelmeeting", part="agenda pack PDF")
def agenda_pack_pdf(request, pk):
    meeting = _meeting(request, pk)
    document = pack.agenda_pack(meeting=meeting, user=request.user)
    content = pdf.agenda_pack_pdf(document)
    _audit_pack(document, AuditAction.DOWNLOAD, "agenda pack PDF")
    return pdf_response(content, f"agenda-pack-{meeting.date:%Y-%m-%d}-{meeting.pk}.pdf")


@requires(Action.PANEL_VIEW)
@require_GET
@shows("panels.panelmeeting", part="meeting actions CSV")
def meeting_actions_csv(request, pk):
    """The panel's actions on the items the reader may see, as a spreadsheet."""
    meeting = _meeting(request, pk)
    links = exports.meeting_actions(meeting=meeting, user=request.user, today=timezone.localdate())
    # One event naming each case and action in the file, as the pack's does.
    audit_read(action=AuditAction.EXPORT, obj=meeting, details={
        "document": "meeting actions CSV", "format": "csv", "rows": len(links),
        "cases": sorted({link.item.case.reference for link in links}),
        "plan_actions": [link.action_id for link in links]})
    return csv_response(exports.HEADER, exports.action_rows(links),
                        filename=exports.actions_filename(meeting))


@requires(Action.PANEL_VIEW)
@require_GET
@shows("panels.panelmeeting", part="minutes")
def minutes_view(request, pk):
    meeting = _meeting(request, pk)
    document = pack.minutes_document(meeting=meeting, user=request.user)
    audit_read(action=AuditAction.VIEW, obj=meeting.minutes, details={"meeting": meeting.pk})
    may_manage = can(request.user, Action.PANEL_MANAGE, meeting) and meeting.status != MeetingStatus.CANCELLED
    return render(request, "panels/minutes.html", {
        **document, "may_edit": may_manage and not meeting.minutes.is_approved,
        "may_add_addendum": may_manage and meeting.minutes.is_approved,
        "may_approve": (can(request.user, Action.PANEL_MINUTES_APPROVE, meeting)
                        and not meeting.minutes.is_approved and meeting.status != MeetingStatus.CANCELLED),
        "breadcrumbs": _crumbs((_meeting_title(meeting), _href("meeting", meeting)))})


@requires(Action.PANEL_VIEW)
@require_GET
@shows("panels.panelmeeting", part="minutes PDF")
def minutes_pdf(request, pk):
    meeting = _meeting(request, pk)
    document = pack.minutes_document(meeting=meeting, user=request.user)
    content = pdf.minutes_pdf(document)
    audit_read(action=AuditAction.DOWNLOAD, obj=meeting.minutes, details={
        "meeting": meeting.pk, "document": "minutes PDF", "status": meeting.minutes.status})
    return pdf_response(content, f"minutes-{meeting.date:%Y-%m-%d}-{meeting.pk}.pdf")


@requires(Action.PANEL_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("panels.panelmeeting", part="minutes notes form")
def minutes_notes(request, pk):
    meeting = _meeting(request, pk, Action.PANEL_MANAGE)
    form = forms.NotesForm(request.POST or None, initial={"general_notes": meeting.minutes.general_notes})

    def save(data):
        return minutes.minutes_notes_save(meeting=meeting, general_notes=data["general_notes"],
                                          acting_user=request.user)

    if form_submitted(request, form, save):
        messages.success(request, "The general notes have been saved")
        return redirect("panels:minutes", pk=meeting.pk)
    return render(request, "panels/form.html", {
        "form": form, "title": "General notes", "button": "Save", "caption": _meeting_title(meeting),
        "cancel": _href("minutes", meeting),
        "breadcrumbs": _crumbs((_meeting_title(meeting), _href("meeting", meeting)))})


@requires(Action.PANEL_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("panels.agendaitem", part="item minute form", kwarg="item_pk")
def item_minute(request, pk, item_pk):
    meeting = _meeting(request, pk, Action.PANEL_MANAGE)
    item = _item(meeting, item_pk, request.user)
    form = forms.MinuteForm(request.POST or None, initial={"minute": item.minute})

    def save(data):
        return minutes.item_minute_save(item=item, minute=data["minute"], acting_user=request.user)

    if form_submitted(request, form, save):
        messages.success(request, f"The minute for item {item.position} has been saved")
        return redirect(_href("minutes", meeting) + f"#item-{item.position}")
    return render(request, "panels/form.html", {
        "form": form, "title": f"Minute for item {item.position}", "button": "Save the minute",
        "page_title": _item_title(meeting, item, f"Minute for item {item.position}"),
        "caption": f"{_meeting_title(meeting)}: case {item.case.reference}",
        "cancel": _href("minutes", meeting),
        "breadcrumbs": _crumbs((_meeting_title(meeting), _href("meeting", meeting)))})


@requires(Action.PANEL_MINUTES_APPROVE)
@require_http_methods(["GET", "POST"])
@shows("panels.panelmeeting", part="approve minutes form")
def minutes_approve(request, pk):
    meeting = _meeting(request, pk, Action.PANEL_MINUTES_APPROVE)
    form = forms.ConfirmForm(request.POST or None)

    def save(data):
        return minutes.minutes_approve(meeting=meeting, acting_user=request.user)

    if form_submitted(request, form, save):
        messages.success(request, "The minutes are approved and locked")
        return redirect("panels:minutes", pk=meeting.pk)
    return render(request, "panels/form.html", {
        "form": form, "title": "Approve the minutes", "button": "Approve the minutes",
        "caption": _meeting_title(meeting), "cancel": _href("minutes", meeting),
        "intro": "Once approved, the minutes cannot be changed. Later corrections are added as addenda.",
        "breadcrumbs": _crumbs((_meeting_title(meeting), _href("meeting", meeting)))})


@requires(Action.PANEL_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("panels.panelmeeting", part="minutes addendum form")
def minutes_addendum(request, pk):
    meeting = _meeting(request, pk, Action.PANEL_MANAGE)
    items = [item for item in selectors.meeting_items(meeting=meeting, user=request.user) if item.visible]
    form = forms.AddendumForm(request.POST or None, items=items)

    def save(data):
        item = next((item for item in items if str(item.pk) == data["item"]), None)
        return minutes.minutes_addendum_add(meeting=meeting, text=data["text"], item=item,
                                            acting_user=request.user)

    if form_submitted(request, form, save):
        messages.success(request, "The correction has been added to the minutes")
        return redirect("panels:minutes", pk=meeting.pk)
    return render(request, "panels/form.html", {
        "form": form, "title": "Add a correction to the minutes", "button": "Add the correction",
        "caption": _meeting_title(meeting), "cancel": _href("minutes", meeting),
        "breadcrumbs": _crumbs((_meeting_title(meeting), _href("meeting", meeting)))})
