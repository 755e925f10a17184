"""Channel case pages: a minimal list and case page. Case management
(screening, panel, consent, support, exit) builds on these."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET

from prevent_hub.access import Action, can, check, requires
from prevent_hub.administration.pagination import pagination_params
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read, audit_view
from prevent_hub.core.formatting import govuk_datetime

from .. import selectors

CASES_PER_PAGE = 25


def _breadcrumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")}]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


@requires(Action.CASE_VIEW)
@require_GET
def case_list(request):
    page = Paginator(selectors.cases_visible(user=request.user), CASES_PER_PAGE).get_page(
        request.GET.get("page"))
    audit_read(action=AuditAction.SEARCH, object_type="channel.channelcase",
               details={"list": "cases", "page": page.number})
    return render(request, "channel/case_list.html", {
        "page": page,
        "pagination": pagination_params(request, page),
        "breadcrumbs": _breadcrumbs(),
    })


@requires(Action.CASE_VIEW)
@require_GET
def case_detail(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise Http404("No such case")
    check(request, Action.CASE_VIEW, case)
    audit_view(case)
    return render(request, "channel/case_detail.html", {
        "case": case,
        "summary": _summary(request, case),
        "breadcrumbs": _breadcrumbs(("Channel cases", reverse("channel:case-list"))),
    })


def _summary(request, case):
    user = request.user
    person_href = (reverse("people:detail", kwargs={"pk": case.person_id})
                   if can(user, Action.PERSON_VIEW) else "")
    referral_href = (reverse("triage:referral", kwargs={"reference": case.referral.reference})
                     if can(user, Action.REFERRAL_VIEW, case.referral) else "")
    rows = [
        ("Case reference", {"text": case.reference}),
        ("Status", {"text": case.get_status_display()}),
        ("Person", _value(case.person.full_name, person_href)),
        ("Referral", _value(case.referral.reference, referral_href)),
        ("Opened", {"text": govuk_datetime(case.opened_at)}),
        ("Opened by", {"text": case.opened_by.full_name}),
    ]
    return {"rows": [{"key": {"text": key}, "value": value} for key, value in rows]}


def _value(text, href):
    if not href:
        return {"text": text}
    return {"html": format_html('<a class="govuk-link" href="{}">{}</a>', href, text)}


urlpatterns = [
    path("", case_list, name="case-list"),
    path("<int:pk>/", case_detail, name="case-detail"),
]
