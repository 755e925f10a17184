"""The Prevent team's triage: the queue, a referral's page, its attachments,
recording that it was shared with police and recording the gateway outcome.

Views parse, call a selector or service, and render. Every page that shows
personal data writes its audit event; every change goes through a service.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, can, check, requires
from prevent_hub.audit.downloads import audited_download
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read, audit_view
from prevent_hub.audit.shows import shows, shows_many
from prevent_hub.core.csv import csv_response
from prevent_hub.core.formatting import govuk_date, govuk_datetime, govuk_short_date
from prevent_hub.core.pdf import pdf_response
from prevent_hub.core.working_days import WorkingCalendar, local_date, working_days_text
from prevent_hub.govuk.pagination import pagination_params
from prevent_hub.retention.selectors import kept_until_text

from .. import selectors, services
from ..models import GatewayOutcome, ReferralKind, ReferralStatus
from ..pdf import referral_pdf
from ..reporting_forms import QUESTIONS as REPORTING_QUESTIONS
from ..reporting_forms import reporting_details_rows
from ..selectors import QueueFilters, QueueTab
from ..summary import NOT_GIVEN, referral_sections
from ..triage_forms import GatewayOutcomeForm, QueueFilterForm, ShareWithPoliceForm, filters_query

REFERRALS_PER_PAGE = 25
REFERRAL_TYPE = "referrals.referral"

TAB_LABELS = {
    QueueTab.NEW: "New",
    QueueTab.AWAITING: "Awaiting gateway outcome",
    QueueTab.DECIDED: "Decided",
}
TAB_HEADINGS = {
    QueueTab.NEW: "New referrals",
    QueueTab.AWAITING: "Shared with police, awaiting the gateway outcome",
    QueueTab.DECIDED: "Gateway outcome recorded",
}
EMPTY_TAB = {
    QueueTab.NEW: ("There are no new referrals",
                   "New concerns and referrals appear here as soon as they are received."),
    QueueTab.AWAITING: ("No referrals are waiting for a gateway outcome",
                        "Referrals appear here once you record that they were shared with police."),
    QueueTab.DECIDED: ("No gateway outcomes have been recorded yet",
                       "Referrals appear here once their gateway outcome is recorded."),
}
KIND_SHORT = {
    ReferralKind.PRACTITIONER: "Practitioner",
    ReferralKind.PUBLIC: "Public",
    ReferralKind.PARTNER_API: "Partner system",
}
STATUS_TAG = {
    ReferralStatus.NEW: "govuk-tag--blue",
    ReferralStatus.AWAITING_GATEWAY: "govuk-tag--yellow",
    ReferralStatus.DECIDED: "govuk-tag--grey",
}
FILTER_FIELDS = ("q", "date_of_birth-day", "date_of_birth-month", "date_of_birth-year",
                 "overdue", "kind", "outcome", "received_from-day", "received_from-month",
                 "received_from-year", "received_to-day", "received_to-month", "received_to-year")


# Shared pieces -----------------------------------------------------------------


def _breadcrumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")},
             {"text": "Referrals", "href": reverse("triage:queue")}]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _referral_href(referral) -> str:
    return reverse("triage:referral", kwargs={"reference": referral.reference})


class Clock:
    """A referral's working-day clock from receipt, against its status's target."""

    def __init__(self, referral, *, calendar: WorkingCalendar, today: datetime.date):
        received = self.received = local_date(referral.received_at)
        self.calendar = calendar
        self.received_today = received == today
        self.days = calendar.working_days_between(received, today)
        self.target = selectors.clock_targets().get(referral.status)
        self.running = self.target is not None
        self.due = calendar.add_working_days(received, self.target) if self.running else None
        self.overdue = self.running and self.days > self.target

    @property
    def days_text(self) -> str:
        return "Received today" if self.received_today else working_days_text(self.days)

    @property
    def due_text(self) -> str:
        return govuk_short_date(self.due)


def _add_errors(form, error: ValidationError, *, rename=None):
    """A service's ValidationError onto the form: on its field if the form has
    one, otherwise in the error summary."""
    rename = rename or {}
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            field = rename.get(field, field)
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def _error_codes(error: ValidationError) -> set[str]:
    if not hasattr(error, "error_dict"):
        return {item.code for item in error.error_list}
    return {item.code for items in error.error_dict.values() for item in items}


def _triage_referral(request, reference, action=Action.REFERRAL_VIEW):
    """The referral, if the user may see it (404 otherwise) and may take `action` on it."""
    referral = selectors.referral_for_triage(user=request.user, reference=reference)
    if referral is None:
        raise Http404("No such referral")
    check(request, Action.REFERRAL_VIEW, referral)
    if action != Action.REFERRAL_VIEW:
        check(request, action, referral)
    return referral


# Queue -------------------------------------------------------------------------


def _tabs_for(user) -> list[QueueTab]:
    # New referrals have not been shared with police yet, so police
    # practitioners never see them; their queue starts with "awaiting".
    return [tab for tab in QueueTab
            if tab != QueueTab.NEW or can(user, Action.REFERRAL_SHARE_WITH_POLICE)]


def _queue_request(request):
    """(tab, filter form) from the query string."""
    tabs = _tabs_for(request.user)
    requested = request.GET.get("tab", "")
    tab = QueueTab(requested) if requested in tabs else tabs[0]
    filtered = any(name in request.GET for name in FILTER_FIELDS)
    form = QueueFilterForm(request.GET if filtered else None, decided=tab == QueueTab.DECIDED)
    return tab, tabs, form


def _queue_row(referral, *, calendar, today):
    clock = Clock(referral, calendar=calendar, today=today)
    return {
        "reference": referral.reference,
        "href": _referral_href(referral),
        "received": govuk_short_date(referral.received_at),
        "kind": KIND_SHORT.get(referral.kind, referral.kind),
        "about": referral.subject_name,
        "clock": clock,
        "outcome": referral.get_gateway_outcome_display() if referral.gateway_outcome else "",
        "decided_on": govuk_short_date(referral.gateway_decided_on),
    }


@requires(Action.REFERRAL_QUEUE)
@require_GET
@shows_many("referrals.referral", part="triage queue")
def queue(request):
    user = request.user
    tab, tabs, form = _queue_request(request)
    filters = form.filters()
    calendar = WorkingCalendar.load()
    today = timezone.localdate()
    cutoffs = selectors.overdue_cutoffs(calendar=calendar, today=today)
    counts = selectors.triage_queue_counts(user=user, cutoffs=cutoffs)
    referrals = selectors.triage_queue(user=user, tab=tab, filters=filters, cutoffs=cutoffs)
    page = Paginator(referrals, REFERRALS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [_queue_row(referral, calendar=calendar, today=today) for referral in page.object_list]
    audit_read(action=AuditAction.SEARCH, object_type=REFERRAL_TYPE, details={
        "screen": "triage queue", "tab": str(tab), "filters": filters.for_audit(), "page": page.number,
    })
    query = filters_query(tab, filters)
    return render(request, "referrals/triage/queue.html", {
        "tab": tab,
        "tab_heading": TAB_HEADINGS[tab],
        "tabs": [_tab_link(each, counts, current=each == tab) for each in tabs],
        "decided": tab == QueueTab.DECIDED,
        "filter_form": form,
        "form": form,  # for the error summary and the page title
        "filters": filters,
        "page": page,
        "rows": rows,
        "empty_heading": EMPTY_TAB[tab][0],
        "empty_text": EMPTY_TAB[tab][1],
        "pagination": pagination_params(request, page),
        "clear_href": f"{reverse('triage:queue')}?tab={tab}",
        "search_elsewhere": _search_elsewhere(tab, tabs, filters),
        "export_href": (f"{reverse('triage:export')}?{query}"
                        if page.paginator.count and can(user, Action.REFERRAL_EXPORT) else ""),
        "targets": selectors.clock_targets(),
        "breadcrumbs": {"items": [{"text": "Home", "href": reverse("staff:home")}],
                        "classes": "govuk-!-display-none-print"},
    })


def _search_elsewhere(tab, tabs, filters):
    """Links to the other tabs with the same name, reference or date of
    birth: a search looks in one tab only, and the person may be in another."""
    if not (filters.search or filters.date_of_birth):
        return []
    same = QueueFilters(search=filters.search, date_of_birth=filters.date_of_birth)
    return [{"label": TAB_LABELS[each], "href": f"{reverse('triage:queue')}?{filters_query(each, same)}"}
            for each in tabs if each != tab]


def _tab_link(tab, counts, *, current):
    count = counts[str(tab)]
    overdue = counts.get(f"{tab}_overdue", 0)
    return {
        "label": TAB_LABELS[tab],
        "count": count,
        "overdue": overdue,
        "href": f"{reverse('triage:queue')}?tab={tab}",
        "current": current,
    }


# The reporting details go out as their codes (the same codes the legacy
# import and the statistics API use), blank when not yet recorded.
EXPORT_HEADER = ("Reference", "Received", "Kind", "About", "Status", "Working days since received",
                 "Overdue", "Shared with police", "Gateway outcome", "Date of the decision",
                 *(f"{question} (code)" if field != "age_at_referral" else question
                   for field, question in REPORTING_QUESTIONS.items()))


@requires(Action.REFERRAL_EXPORT)
@require_GET
@shows_many("referrals.referral", part="triage queue export")
def export(request):
    user = request.user
    tab, _tabs, form = _queue_request(request)
    if form.is_bound and not form.is_valid():
        # Back to the queue, which shows what is wrong with the filters.
        return redirect(f"{reverse('triage:queue')}?{request.GET.urlencode()}")
    filters = form.filters()
    calendar = WorkingCalendar.load()
    today = timezone.localdate()
    cutoffs = selectors.overdue_cutoffs(calendar=calendar, today=today)
    referrals = selectors.triage_queue(user=user, tab=tab, filters=filters, cutoffs=cutoffs)
    audit_read(action=AuditAction.EXPORT, object_type=REFERRAL_TYPE, details={
        "screen": "triage queue", "tab": str(tab), "filters": filters.for_audit(),
        "rows": referrals.count(), "format": "csv",
    })

    def rows():
        for referral in referrals.iterator(chunk_size=500):
            clock = Clock(referral, calendar=calendar, today=today)
            yield (
                referral.reference, timezone.localtime(referral.received_at), referral.get_kind_display(),
                referral.subject_name, referral.get_status_display(), clock.days,
                ("Yes" if clock.overdue else "No") if clock.running else "",
                timezone.localtime(referral.police_shared_at) if referral.police_shared_at else "",
                referral.get_gateway_outcome_display() if referral.gateway_outcome else "",
                referral.gateway_decided_on or "",
                *("" if getattr(referral, field) is None else getattr(referral, field)
                  for field in REPORTING_QUESTIONS),
            )

    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return csv_response(EXPORT_HEADER, rows(), filename=f"referrals-{tab}-{stamp}.csv")


# Referral page -------------------------------------------------------------------


def _text(value, *, empty="Not given"):
    value = "" if value is None else str(value)
    return {"text": value if value.strip() else empty}


def _multiline(value, *, empty="Not given"):
    if not (value or "").strip():
        return _text("", empty=empty)
    return {"html": linebreaksbr(value, autoescape=True)}


def _choice(referral, name, *, empty="Not given"):
    value = getattr(referral, name)
    return _text(getattr(referral, f"get_{name}_display")() if value else "", empty=empty)


def _rows(pairs):
    return [{"key": {"text": key}, "value": value} for key, value in pairs]


def _link_html(href, text):
    return {"html": format_html('<a class="govuk-link" href="{}">{}</a>', href, text)}


def _summary_value(text):
    """A referrer's answer for a summary list: "Not given" when blank, with
    their own line breaks kept."""
    text = str(text or "")
    if not text.strip():
        return {"text": NOT_GIVEN}
    return {"html": linebreaksbr(text, autoescape=True)} if "\n" in text else {"text": text}


def _referral_sections(referral):
    attachments = list(referral.attachments.all())
    sections = [(title, _rows([(label, _summary_value(text)) for label, text in rows]))
                for title, rows in referral_sections(referral)]
    if attachments:
        sections.append(("Attachments", _rows([
            (attachment.original_name, {"html": format_html(
                '<a class="govuk-link" href="{}" download>Download<span class="govuk-visually-hidden"> '
                '{}</span></a> ({})',
                reverse("triage:attachment", kwargs={"reference": referral.reference,
                                                     "pk": attachment.pk}),
                attachment.original_name, filesizeformat(attachment.size))})
            for attachment in attachments
        ])))
    return [{"title": title, "rows": rows} for title, rows in sections]


def _status_rows(referral, clock):
    rows = [
        ("Status", {"html": format_html('<strong class="govuk-tag {}">{}</strong>',
                                        STATUS_TAG[referral.status], referral.get_status_display())}),
        ("Kind", _text(referral.get_kind_display())),
        ("Received", _text(govuk_datetime(referral.received_at))),
    ]
    if referral.status == ReferralStatus.DECIDED and referral.gateway_decided_on:
        rows.append(("Working days from receipt to the gateway outcome", _text(working_days_text(
            clock.calendar.working_days_between(clock.received, referral.gateway_decided_on)))))
    else:
        rows.append(("Working days since received", _text(clock.days_text)))
    if clock.running:
        what = "Triage target" if referral.status == ReferralStatus.NEW else "Gateway outcome target"
        value = format_html("{} working day{} from receipt: {}", clock.target,
                            "" if clock.target == 1 else "s", govuk_date(clock.due))
        if clock.overdue:
            value = format_html('{} <strong class="govuk-tag govuk-tag--red">Overdue</strong>', value)
        rows.append((what, {"html": value}))
    if referral.gateway_outcome == GatewayOutcome.PROCEED_TO_CHANNEL:
        kept = "As long as its Channel case"
    else:
        kept = kept_until_text(
            referral.retain_until, referral.retention_policy,
            while_open="Until it closes; its retention period starts at the gateway outcome")
    rows.append(("Kept until", _text(kept)))
    return _rows(rows)


def _sharing_rows(referral):
    if referral.police_shared_at is None:
        return []
    return _rows([
        ("Shared", _text(govuk_datetime(referral.police_shared_at))),
        ("How", _choice(referral, "police_shared_method")),
        ("Notes", _multiline(referral.police_shared_notes, empty="None")),
        ("Recorded by", _text(getattr(referral.police_shared_recorded_by, "full_name", ""))),
    ])


def _outcome_rows(referral, case, *, user):
    if referral.status != ReferralStatus.DECIDED:
        return []
    rows = [("Outcome", _choice(referral, "gateway_outcome"))]
    if referral.gateway_outcome == GatewayOutcome.SIGNPOSTED:
        rows.append(("Signposted to", _text(referral.gateway_signposted_to)))
    rows += [
        ("Reasons", _multiline(referral.gateway_reasons)),
        ("Date of the decision", _text(govuk_date(referral.gateway_decided_on))),
        ("Recorded by", _text(getattr(referral.gateway_recorded_by, "full_name", ""))),
        ("Recorded", _text(govuk_datetime(referral.gateway_recorded_at))),
    ]
    if case is not None:
        text = f"Channel case {case.reference}"
        rows.append(("Channel case", _link_html(reverse("channel:case-detail", kwargs={"pk": case.pk}), text)
                     if can(user, Action.CASE_VIEW, case) else _text(text)))
    return _rows(rows)


def _reporting_card(referral, *, user):
    """The reporting details as a summary card, with a way to change them
    for those who may record them."""
    actions = []
    if can(user, Action.REFERRAL_REPORTING_DETAILS, referral):
        actions.append({"href": reverse("triage:reporting-details", kwargs={"reference": referral.reference}),
                        "text": "Change",
                        "classes": "govuk-!-display-none-print"})
    return {
        "card": {"title": {"text": "Reporting details", "headingLevel": 2},
                 "attributes": {"id": "reporting-details"},
                 "actions": {"items": actions}},
        "rows": _rows([(question, _text(answer)) for question, answer in reporting_details_rows(referral)]),
    }


def _person_links(referral, *, user):
    """Where to go for the person: their record, or identifying them."""
    if referral.person_id is not None:
        href = reverse("people:detail", kwargs={"pk": referral.person_id}) if can(
            user, Action.PERSON_VIEW) else ""
        return {"person": referral.person, "person_href": href}
    href = reverse("people:identify", kwargs={"reference": referral.reference}) if can(
        user, Action.PERSON_MATCH) else ""
    return {"person": None, "identify_href": href}


@requires(Action.REFERRAL_VIEW)
@require_GET
@shows("referrals.referral", part="referral", kwarg="reference", lookup="reference")
def referral_detail(request, reference):
    user = request.user
    referral = _triage_referral(request, reference)
    calendar = WorkingCalendar.load()
    today = timezone.localdate()
    clock = Clock(referral, calendar=calendar, today=today)
    case = getattr(referral, "channel_case", None)
    earlier = selectors.referrals_earlier_for_same_person(user=user, referral=referral)
    audit_view(referral)
    return render(request, "referrals/triage/referral.html", {
        "referral": referral,
        "clock": clock,
        "status_rows": _status_rows(referral, clock),
        "sections": _referral_sections(referral),
        "sharing_rows": _sharing_rows(referral),
        "outcome_rows": _outcome_rows(referral, case, user=user),
        "reporting_card": _reporting_card(referral, user=user),
        "case": case,
        "earlier": [{"reference": each.reference, "href": _referral_href(each),
                     "received": govuk_date(each.received_at),
                     "outcome": each.get_gateway_outcome_display() if each.gateway_outcome else
                     each.get_status_display()} for each in earlier],
        "share_href": (reverse("triage:share", kwargs={"reference": referral.reference})
                       if referral.status == ReferralStatus.NEW
                       and can(user, Action.REFERRAL_SHARE_WITH_POLICE, referral) else ""),
        "outcome_href": (reverse("triage:gateway-outcome", kwargs={"reference": referral.reference})
                         if referral.status == ReferralStatus.AWAITING_GATEWAY
                         and can(user, Action.REFERRAL_GATEWAY_OUTCOME, referral) else ""),
        **_person_links(referral, user=user),
        "pdf_href": (reverse("triage:referral-pdf", kwargs={"reference": referral.reference})
                     if can(user, Action.REFERRAL_DOWNLOAD, referral) else ""),
        "breadcrumbs": _breadcrumbs(),
    })


@requires(Action.REFERRAL_VIEW)
@require_GET
@shows("referrals.referral", part="attachment", kwarg="reference", lookup="reference")
def attachment(request, reference, pk):
    referral = selectors.referral_get(user=request.user, reference=reference)
    if referral is None:
        raise Http404("No such referral")
    check(request, Action.REFERRAL_VIEW, referral)
    return audited_download(referral, referral.attachments.filter(pk=pk).first(), kept_as="attachment")


@requires(Action.REFERRAL_DOWNLOAD)
@require_GET
@shows("referrals.referral", part="referral PDF for police", kwarg="reference", lookup="reference")
def referral_pdf_download(request, reference):
    """The referral as a PDF, to send to counter-terrorism police through the
    secure route. Audited as a download."""
    referral = _triage_referral(request, reference, Action.REFERRAL_DOWNLOAD)
    audit_read(action=AuditAction.DOWNLOAD, obj=referral, details={"format": "pdf", "copy": "for police"})
    return pdf_response(referral_pdf(referral), filename=f"{referral.reference}.pdf")


# Sharing with police ---------------------------------------------------------------


def _step_page_context(referral, form, title):
    return {
        "referral": referral,
        "form": form,
        "title": title,
        "referral_href": _referral_href(referral),
        "breadcrumbs": _breadcrumbs((referral.reference, _referral_href(referral))),
    }


@requires(Action.REFERRAL_SHARE_WITH_POLICE)
@require_http_methods(["GET", "POST"])
@shows("referrals.referral", part="share with police form", kwarg="reference", lookup="reference")
def share(request, reference):
    referral = _triage_referral(request, reference, Action.REFERRAL_SHARE_WITH_POLICE)
    if request.method == "GET" and referral.status != ReferralStatus.NEW:
        messages.info(request, f"{referral.reference} has already been shared with police.")
        return redirect(_referral_href(referral))
    if request.method == "POST":
        form = ShareWithPoliceForm(request.POST)
        if form.is_valid():
            try:
                services.referral_share_with_police(
                    referral=referral, shared_at=form.shared_at(), method=form.cleaned_data["method"],
                    notes=form.cleaned_data["notes"], acting_user=request.user,
                )
            except ValidationError as error:
                _add_errors(form, error, rename={"shared_at": "shared_on"})
            else:
                messages.success(request, f"You recorded that {referral.reference} was shared with police")
                return redirect(_referral_href(referral))
    else:
        form = ShareWithPoliceForm(initial=ShareWithPoliceForm.initial_now())
    return render(request, "referrals/triage/share.html",
                  _step_page_context(referral, form, "Record sharing with police"))


# Gateway outcome -----------------------------------------------------------------


@requires(Action.REFERRAL_GATEWAY_OUTCOME)
@require_http_methods(["GET", "POST"])
@shows("referrals.referral", part="gateway outcome form", kwarg="reference", lookup="reference")
def gateway_outcome(request, reference):
    referral = _triage_referral(request, reference, Action.REFERRAL_GATEWAY_OUTCOME)
    if request.method == "GET" and referral.status != ReferralStatus.AWAITING_GATEWAY:
        if referral.status == ReferralStatus.NEW:
            messages.info(request, "Record that the referral was shared with police before recording "
                                   "the gateway outcome.")
        else:
            messages.info(request, "The gateway outcome has already been recorded. It cannot be changed.")
        return redirect(_referral_href(referral))
    person = _person_links(referral, user=request.user)
    identify_href = person.get("identify_href", "")
    error_summary = None
    if request.method == "POST":
        form = GatewayOutcomeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                decided = services.referral_gateway_outcome_record(
                    referral=referral, outcome=data["outcome"], reasons=data["reasons"],
                    decided_on=data["decided_on"], signposted_to=data["signposted_to"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                _add_errors(form, error)
                if "person_needed" in _error_codes(error) and identify_href:
                    error_summary = _summary_linking_to(form, "outcome", identify_href)
            else:
                label = decided.get_gateway_outcome_display()
                outcome = label[:1].lower() + label[1:]  # "proceed to Channel"
                message = f"Gateway outcome recorded for {referral.reference}: {outcome}"
                case = getattr(decided, "channel_case", None)
                if decided.gateway_outcome == GatewayOutcome.PROCEED_TO_CHANNEL and case is not None:
                    message += f". Channel case {case.reference} has been opened"
                messages.success(request, message)
                return redirect(_referral_href(referral))
    else:
        form = GatewayOutcomeForm(initial={"decided_on": timezone.localdate()})
    return render(request, "referrals/triage/gateway_outcome.html", {
        **_step_page_context(referral, form, "Record the gateway outcome"),
        "identify_href": identify_href,
        "person": referral.person,
        "error_summary": error_summary,
        "concern_type_missing": not referral.concern_type,
        "reporting_href": (reverse("triage:reporting-details", kwargs={"reference": referral.reference})
                           if can(request.user, Action.REFERRAL_REPORTING_DETAILS, referral) else ""),
    })


def _summary_linking_to(form, field, href):
    """The form's error summary, with `field`'s error linking to `href`
    (where the user can put it right) rather than to the field."""
    summary = form[field].form_error_summary
    if summary:
        target = form[field].error_href
        for item in summary["errorList"]:
            if item.get("href") == target:
                item["href"] = href
    return summary
