"""The auditor's screens: search the trail, export a search as CSV, and who
has accessed a record. Every search, page of results and export is itself
written to the trail (with its filters, never its results)."""

import json

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.http import urlencode

from prevent_hub.access import Action, can, requires
from prevent_hub.core.csv import csv_response

from . import selectors
from .forms import AuditSearchForm
from .models import AuditAction, AuditEvent
from .services import audit_read, audit_refusal
from .shows import shows_many
from .tables import table_html

AUDIT_EVENT_TYPE = AuditEvent._meta.label_lower
ACTION_LABELS = dict(AuditAction.choices)

EXPORT_HEADER = (
    "Sequence", "When (UK time)", "Who", "Organisation", "Action", "Record type", "Record ID",
    "Fields changed", "Details", "IP address", "Request ID", "Path", "Browser",
)


@requires(Action.AUDIT_SEARCH)
@shows_many("audit.auditevent", part="audit trail search")
def search(request):
    form = AuditSearchForm(
        request.GET or None, user=request.user,
        record_types=selectors.audit_record_types(user=request.user),
    )
    page = None
    if form.is_valid():
        page_number = _page_number(request)
        _record_search({**form.audit_details(), **({"page": page_number} if page_number > 1 else {})})
        page = selectors.audit_events_page(
            selectors.audit_events_search(user=request.user, filters=form.filters()),
            page_number=page_number,
        )
    query = form.query_string() if page else ""
    table = _events_table(page.events, caption="Audit events, newest first") if page else None
    return render(request, "audit/search.html", {
        "breadcrumbs": [{"text": "Home", "href": reverse("staff:home")}],
        "form": form,
        "page": page,
        "count_text": _count_text(page) if page else "",
        "table": table,
        "table_html": table_html(table) if table else "",
        "pagination": _pagination(page, reverse("audit:search"), query) if page else None,
        "export_url": (f"{reverse('audit:export')}?{query}"
                       if page and page.count and can(request.user, Action.AUDIT_EXPORT) else ""),
    })


@requires(Action.AUDIT_EXPORT)
@shows_many("audit.auditevent", part="audit trail export")
def export(request):
    form = AuditSearchForm(
        request.GET, user=request.user, record_types=selectors.audit_record_types(user=request.user),
    )
    if not form.is_valid():
        # Back to the search, which shows what is wrong with the filters.
        return redirect(f"{reverse('audit:search')}?{request.GET.urlencode()}")
    audit_read(action=AuditAction.EXPORT, object_type=AUDIT_EVENT_TYPE,
               details=form.audit_details())
    rows = (_export_row(row) for row in selectors.audit_events_export(
        user=request.user, filters=form.filters()))
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return csv_response(EXPORT_HEADER, rows, filename=f"audit-events-{stamp}.csv")


@requires(Action.RECORD_ACCESS_LOG)
@shows_many("audit.auditevent", part="who has accessed a record")
def record_access(request, object_type, object_id):
    try:
        record = selectors.record_for_access_log(
            user=request.user, object_type=object_type, object_id=object_id)
    except selectors.RecordNotFound:
        # A record that does not exist or that this user may not see: a
        # refused look-up like any other (the page shows many events, so
        # the page audit does not write it). Kept short, as the trail's columns are.
        audit_refusal(status=404, object_type=object_type[:60], object_id=object_id[:64])
        raise Http404("No such record") from None
    label = f"{record._meta.label_lower}:{record.pk}"
    page_number = _page_number(request)
    _record_search({"record": label, **({"page": page_number} if page_number > 1 else {})})
    page = selectors.audit_events_page(selectors.record_access_events(record=record),
                                       page_number=page_number)
    here = reverse("audit:record-access", kwargs={"object_type": record._meta.label_lower,
                                                  "object_id": record.pk})
    table = _access_table(page.events)
    return render(request, "audit/record_access.html", {
        "record": record,
        "record_type": str(record._meta.verbose_name).capitalize(),
        "page": page,
        "count_text": _count_text(page),
        "table": table,
        "table_html": table_html(table),
        "pagination": _pagination(page, here, ""),
    })


def _record_search(details):
    audit_read(action=AuditAction.SEARCH, object_type=AUDIT_EVENT_TYPE, details=details)


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _count_text(page) -> str:
    if page.more_than_cap:
        return f"More than {selectors.COUNT_CAP:,} events"
    return "1 event" if page.count == 1 else f"{page.count:,} events"


def _when(value) -> str:
    return dateformat.format(timezone.localtime(value), "j M Y, H:i:s")


def _who(event) -> str:
    return event["actor_email"] or "Nobody signed in"


def _record_cell(event):
    if not event["object_type"]:
        return {"text": "–"}
    text = f"{selectors.record_type_label(event['object_type'])} {event['object_id']}".strip()
    if not event["object_id"]:
        return {"text": text}
    href = reverse("audit:search") + "?" + urlencode(
        {"object_type": event["object_type"], "object_id": event["object_id"]})
    return {"html": format_html(
        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> '
        '(search for this record)</span></a>', href, text)}


def _events_table(events, *, caption):
    return {
        "caption": caption,
        "captionClasses": "govuk-visually-hidden",
        "classes": "govuk-table--small-text-until-tablet",
        "head": [{"text": heading} for heading in (
            "When", "Who", "Organisation", "Action", "Record", "Fields changed", "IP address",
            "Request ID")],
        "rows": [[
            {"text": _when(event["occurred_at"])},
            {"text": _who(event), "classes": "govuk-!-text-break-word"},
            {"text": event["organisation_name"] or "–"},
            {"text": ACTION_LABELS.get(event["action"], event["action"])},
            _record_cell(event),
            {"text": ", ".join(event["changed_fields"] or []) or "–"},
            {"text": event["ip_address"] or "–"},
            {"text": event["request_id"] or "–", "classes": "govuk-!-text-break-word"},
        ] for event in events],
    }


def _access_table(events):
    return {
        "caption": "Who has accessed this record, newest first",
        "captionClasses": "govuk-visually-hidden",
        "head": [{"text": heading} for heading in (
            "Who", "Organisation", "When", "What", "From")],
        "rows": [[
            {"text": _who(event), "classes": "govuk-!-text-break-word"},
            {"text": event["organisation_name"] or "–"},
            {"text": _when(event["occurred_at"])},
            {"text": _what(event)},
            {"text": event["ip_address"] or "–"},
        ] for event in events],
    }


def _what(event) -> str:
    action = ACTION_LABELS.get(event["action"], event["action"])
    if event["changed_fields"]:
        return f"{action}: {', '.join(event['changed_fields'])}"
    return action


def _pagination(page, base, query):
    if page.num_pages <= 1:
        return None

    def href(number):
        params = f"{query}&page={number}" if query else f"page={number}"
        return f"{base}?{params}"

    items, previous = [], 0
    for number in sorted({1, page.number - 1, page.number, page.number + 1, page.num_pages}):
        if not 1 <= number <= page.num_pages:
            continue
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page.number})
        previous = number
    return {
        "previous": {"href": href(page.number - 1)} if page.has_previous else None,
        "next": {"href": href(page.number + 1)} if page.has_next else None,
        "items": items,
    }


def _export_row(row):
    (sequence, occurred_at, email, organisation, action, object_type, object_id, changed,
     details, ip_address, request_id, path, user_agent) = row
    return (
        sequence, occurred_at, email, organisation, ACTION_LABELS.get(action, action), object_type,
        object_id, " ".join(changed or []), json.dumps(details, ensure_ascii=False) if details else "",
        ip_address, request_id, path, user_agent,
    )
