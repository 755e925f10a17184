"""Pages for decisions taken outside a meeting: the chair records one from
the case, everyone who manages panels sees them listed with whether the next
meeting has reviewed them. Views parse, call the service or a selector,
render; the service (panels.decisions.outside_decision_record) holds the
rules and writes the audit event."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, check, requires
from prevent_hub.accounts.models import User
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.audit.shows import shows, shows_many
from prevent_hub.channel import selectors as channel_selectors
from prevent_hub.core.formatting import govuk_date
from prevent_hub.govuk.forms import form_submitted

from . import decisions, forms, selectors
from .models import ItemDecision
from .services import MEMBER_ROLES
from .views import _crumbs

LIST_TITLE = "Decisions taken outside a meeting"


def _list_crumb():
    return (LIST_TITLE, reverse("panels:outside-decisions"))


def review_status(decision) -> str:
    """Where the panel's review of `decision` has got to."""
    reviewed = next((item for item in decision.reviews_found if item.decision), None)
    if reviewed:
        return f"Reviewed at the meeting on {govuk_date(reviewed.meeting.date)}"
    listed = next(iter(decision.reviews_found), None)
    if listed:
        return f"On the agenda of the meeting on {govuk_date(listed.meeting.date)}"
    return "Awaiting review at the panel's next meeting"


@requires(Action.PANEL_MANAGE)
@require_GET
@shows_many("panels.outsidemeetingdecision", part="decisions taken outside a meeting")
def outside_decisions(request):
    found = list(selectors.outside_decisions_visible(user=request.user)[:200])
    if found:
        audit_read(action=AuditAction.SEARCH, object_type="panels.outsidemeetingdecision",
                   details={"list": "decisions outside meetings", "count": len(found)})
    rows = [{"decision": decision, "status": review_status(decision)} for decision in found]
    return render(request, "panels/outside_list.html", {
        "title": LIST_TITLE, "rows": rows, "breadcrumbs": _crumbs()})


@requires(Action.PANEL_MANAGE)
@require_GET
@shows("panels.outsidemeetingdecision", part="decision taken outside a meeting")
def outside_decision_detail(request, pk):
    decision = selectors.outside_decision_get(user=request.user, pk=pk)
    if decision is None:
        raise Http404("No such decision")
    return render(request, "panels/outside_detail.html", {
        "title": f"{decision.get_kind_display()}: {decision.case.reference}", "decision": decision,
        "status": review_status(decision), "breadcrumbs": _crumbs(_list_crumb())})


@requires(Action.PANEL_DECIDE_OUTSIDE_MEETING)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="form for a decision taken outside a meeting", kwarg="case_pk")
def outside_decision_new(request, case_pk):
    case = channel_selectors.case_get(user=request.user, pk=case_pk)
    if case is None:
        raise Http404("No such case")
    check(request, Action.CASE_VIEW, case)
    panels = selectors.panels_chaired(user=request.user)
    choices = [(choice.value, choice.label) for choice in decisions.decisions_outside_meetings(case)]
    consultees = (User.objects.filter(is_active=True, role_assignments__role__in=MEMBER_ROLES).distinct()
                  .exclude(pk=request.user.pk).select_related("organisation").order_by("full_name"))
    form = forms.OutsideDecisionForm(request.POST or None, panels=panels, decisions=choices,
                                     consultees=consultees)

    def save(data):
        return decisions.outside_decision_record(
            panel=data["panel"], case=case, kind=data["kind"], decision=data["decision"],
            decided_on=data["decided_on"], consulted=list(data["consulted"]),
            why_not_at_meeting=data["why_not_at_meeting"], reasons=data["reasons"],
            outcome=data["outcome"], signposted_to=data["signposted_to"],
            health_social_care_considered=data["health_social_care_considered"] or None,
            health_social_care_notes=data["health_social_care_notes"], reassess_on=data["reassess_on"],
            acting_user=request.user)

    recorded = form_submitted(request, form, save) if choices and panels else None
    if recorded:
        messages.success(request, f"Decision recorded: {ItemDecision(recorded.decision).label}. It will be "
                                  f"on the agenda of the next {recorded.panel.name} meeting for review.")
        return redirect("panels:outside-decision", pk=recorded.pk)
    case_href = reverse("channel:case-detail", kwargs={"pk": case.pk})
    return render(request, "panels/outside_form.html", {
        "title": "Record a decision taken outside a meeting", "case": case, "form": form,
        "choices": choices, "panels": panels, "cancel": case_href,
        "breadcrumbs": _crumbs(_list_crumb())})


urlpatterns = [
    path("outside-meetings/", outside_decisions, name="outside-decisions"),
    path("outside-meetings/<int:pk>/", outside_decision_detail, name="outside-decision"),
    path("outside-meetings/cases/<int:case_pk>/new/", outside_decision_new, name="outside-decision-new"),
]
