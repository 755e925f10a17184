"""Work trays: my tasks and the coordinator dashboard."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from prevent_hub.access import Action, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.audit.shows import shows_many
from prevent_hub.core.formatting import govuk_date
from prevent_hub.govuk.pagination import pagination_params

from .. import trays
from ..models import ReviewKind

ROWS_PER_PAGE = 25

# Where each kind of task is done: the case section it belongs to.
SECTION_URLS = {
    "request": "channel:case-information-requests",
    "consent": "channel:case-consent",
    "case": "channel:case-consent",
    "panel-review": "channel:case-reviews",
    "review": "channel:case-reviews",
    "stalled": "channel:case-support",
    "action": "channel:case-support",
}


def _breadcrumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")}]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _case_href(kind, case_id):
    for name in (SECTION_URLS[kind], "channel:case-detail"):
        try:
            return reverse(name, kwargs={"pk": case_id})
        except NoReverseMatch:
            continue
    return ""


def _row(kind, item, today):
    """What one task shows: the case, what is to be done, by when."""
    case = item if kind in ("consent", "case", "panel-review", "stalled") else item.case
    due, what, tag = None, "", ""
    if kind == "request":
        due, what = item.due_date, f"Information request to {item.organisation_name}"
    elif kind == "consent":
        asked = timezone.localtime(case.status_changed_at).date() if case.status_changed_at else None
        what = f"Consent asked for on {govuk_date(asked)}: no answer recorded"
        tag = "Chase"
    elif kind == "case":
        due, what = case.reassessment_date, "Re-assess the refusal of consent"
    elif kind == "panel-review":
        due, what = case.next_review_date, "Panel review"
    elif kind == "review":
        due = item.due_date
        what = (f"Post-exit review, {item.months_after_exit} months after exit"
                if item.kind == ReviewKind.POST_EXIT else "Panel review")
    elif kind == "stalled":
        if case.last_session_delivered_on:
            what = f"Last session delivered on {govuk_date(case.last_session_delivered_on)}"
        else:
            what = f"No session delivered since support started on {govuk_date(case.support_started_on)}"
        tag = "No recent session"
    elif kind == "action":
        due, what = item.due_date, item.description
    overdue = item.is_overdue
    return {
        "reference": case.reference,
        "href": _case_href(kind, case.pk),
        "person": case.person.full_name,
        "what": what,
        "due": govuk_date(due),
        "overdue": overdue,
        "due_today": due == today,
        # Counted as overdue by its section; the tag says how, where there is more to say.
        "tag": tag or ("Overdue" if overdue else ""),
    }


def _present(sections, today):
    for section in sections:
        section.rows_shown = [_row(section.kind, item, today) for item in section.items]
    return sections


@requires(Action.CASE_DASHBOARD)
@require_GET
@shows_many("channel.channelcase", part="coordinator dashboard")
def dashboard(request):
    today = timezone.localdate()
    key = request.GET.get("section")
    if key:
        found = trays.dashboard_sections(user=request.user, today=today, limit=0, only=key)
        return _section_page(request, found, today, list_name="dashboard",
                             back=("Dashboard", reverse("channel:dashboard")))
    sections = _present(trays.dashboard_sections(user=request.user, today=today), today)
    audit_read(action=AuditAction.SEARCH, object_type="channel.channelcase",
               details={"list": "dashboard"})
    return render(request, "channel/trays/dashboard.html", {
        "sections": sections,
        "overdue_total": sum(section.overdue_count for section in sections),
        "due_soon_days": trays.DUE_SOON_DAYS,
        "breadcrumbs": _breadcrumbs(),
    })


def _section_page(request, found, today, *, list_name, back):
    """Every row of one section of a tray, a page at a time."""
    if not found:
        raise Http404("No such section")
    section = found[0]
    page = Paginator(section.listed(), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    audit_read(action=AuditAction.SEARCH, object_type="channel.channelcase",
               details={"list": list_name, "section": section.key, "page": page.number})
    return render(request, "channel/trays/section.html", {
        "section": section,
        "page": page,
        "rows": [_row(section.kind, item, today) for item in page.object_list],
        "pagination": pagination_params(request, page),
        "back": {"text": back[0], "href": back[1]},
        "breadcrumbs": _breadcrumbs(back),
    })


@requires(Action.MY_TASKS)
@require_GET
@shows_many("channel.channelcase", part="my tasks")
def my_tasks(request):
    today = timezone.localdate()
    key = request.GET.get("section")
    if key:
        found = trays.my_tasks(user=request.user, today=today, limit=0, only=key)
        return _section_page(request, found, today, list_name="my tasks",
                             back=("Your tasks", reverse("channel:my-tasks")))
    sections = _present(trays.my_tasks(user=request.user, today=today), today)
    audit_read(action=AuditAction.SEARCH, object_type="channel.channelcase",
               details={"list": "my tasks"})
    return render(request, "channel/trays/my_tasks.html", {
        "sections": sections,
        "overdue_total": sum(section.overdue_count for section in sections),
        "review_days": trays.MY_REVIEWS_DAYS,
        "breadcrumbs": _breadcrumbs(),
    })


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("my-tasks/", my_tasks, name="my-tasks"),
]
