"""The complaints dashboard (summary cards; open complaints first with their
working-day deadlines, then closed ones; filters, search and a CSV of the
list) and the quarterly counts (with their CSV).

Every page reads a fixed number of queries whatever the number of
complaints: the list is paginated and sliced in the database (core.paging),
the cards and the counts are aggregates. Deadlines are judged by the rules
in selectors ("Deadlines"), read by the database for the cards and for each
row alike, so a tag on a row and the number on a card cannot disagree."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from prevent_hub.access import Action, can, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.audit.shows import shows_many, shows_nothing_personal
from prevent_hub.core.csv import csv_response
from prevent_hub.core.formatting import govuk_short_date
from prevent_hub.core.quarters import FinancialQuarter, financial_year_name, financial_year_of
from prevent_hub.core.working_days import WorkingCalendar, working_days_text
from prevent_hub.govuk.pagination import pagination_params

from . import selectors
from .dashboard_forms import CountsYearForm, DashboardFilterForm, dashboard_query
from .models import OPEN, Category, Finding, OrganisationKind, Scope, Status

COMPLAINT_TYPE = "complaints.complaint"
PER_PAGE = 25
TITLE = "Complaints"

STATUS_TAG = {
    Status.RECEIVED: "govuk-tag--blue",
    Status.INVESTIGATING: "govuk-tag--light-blue",
    Status.RESPONDED: "govuk-tag--green",
    Status.PASSED_ON: "govuk-tag--grey",
    Status.SIGNPOSTED: "govuk-tag--grey",
    Status.WITHDRAWN: "govuk-tag--grey",
}
SCOPES, CATEGORIES = dict(Scope.choices), dict(Category.choices)
KINDS, FINDINGS = dict(OrganisationKind.choices), dict(Finding.choices)


def home_breadcrumbs():
    return {"items": [{"text": "Home", "href": reverse("staff:home")}],
            "classes": "govuk-!-display-none-print"}


def complaint_hrefs():
    """reference → the complaint's page, for a page of many complaints:
    reverse() once rather than for each (references are letters, digits and
    hyphens)."""
    page = reverse("complaints:complaint", kwargs={"reference": "CMP-0000-000000"})
    return lambda reference: page.replace("CMP-0000-000000", reference)


def status_text(complaint) -> str:
    """The status in words. A complaint triaged as another organisation's
    (or as about policy) stays "received" until it is passed on or
    signposted, but it no longer awaits triage: saying so keeps the row in
    step with the "awaiting triage" card."""
    if complaint.status == Status.RECEIVED and complaint.scope:
        return "Triaged: to pass on or signpost"
    return Status(complaint.status).label


# The dashboard -------------------------------------------------------------------------


@dataclass
class Deadline:
    """A deadline as a row shows it: the day; when it was met, or the working
    days left, or how long it is overdue; and a tag when it needs attention."""

    day: str
    note: str = ""
    tag: str = ""
    tag_class: str = ""


def _running(due, *, overdue: bool, soon: bool, calendar, today) -> Deadline:
    if overdue:
        late = calendar.working_days_between(due, today)
        # The day after a deadline can be a weekend: overdue, by no working day yet.
        return Deadline(govuk_short_date(due), tag_class="govuk-tag--red",
                        tag=f"Overdue by {working_days_text(late)}" if late else "Overdue")
    left = calendar.working_days_between(today, due)
    return Deadline(govuk_short_date(due), note=f"{working_days_text(left)} left" if left else "Due today",
                    tag="Due soon" if soon else "", tag_class="govuk-tag--yellow")


def acknowledgement(complaint, *, calendar, today) -> Deadline:
    if complaint.acknowledged_on:
        return Deadline(govuk_short_date(complaint.acknowledge_by),
                        note=f"Acknowledged {govuk_short_date(complaint.acknowledged_on)}")
    if complaint.status not in OPEN:
        return Deadline(govuk_short_date(complaint.acknowledge_by))
    return _running(complaint.acknowledge_by, overdue=complaint.acknowledgement_overdue,
                    soon=complaint.acknowledgement_due_soon, calendar=calendar, today=today)


def answered_text(complaint) -> str:
    if complaint.answered_on_time:
        return "within the deadline"
    if complaint.answered_within_extension:
        return "within the agreed extension"
    return "late"


def response(complaint, *, calendar, today) -> Deadline:
    if complaint.responded_on:
        deadline = Deadline(govuk_short_date(complaint.respond_by), note=(
            f"Answered {govuk_short_date(complaint.responded_on)}, {answered_text(complaint)}"))
    elif complaint.status not in OPEN:
        deadline = Deadline(govuk_short_date(complaint.respond_by))
    else:
        deadline = _running(complaint.response_due, overdue=complaint.response_overdue,
                            soon=complaint.response_due_soon, calendar=calendar, today=today)
        deadline.day = govuk_short_date(complaint.respond_by)
    if complaint.extended_to:
        deadline.day += f", extended to {govuk_short_date(complaint.extended_to)}"
    return deadline


class Listing:
    """What the dashboard and its CSV share: the filters as typed, the
    complaints they match, and the working-day calendar the deadlines read."""

    def __init__(self, request):
        self.form = DashboardFilterForm.from_request(request)
        self.filters = self.form.filters()
        self.calendar, self.today = WorkingCalendar.load(), timezone.localdate()
        self.clocks = selectors.Clocks(today=self.today, soon=self.calendar.add_working_days(
            self.today, settings.COMPLAINT_REMINDER_WORKING_DAYS))
        self.complaints = selectors.complaints_filtered(user=request.user, filters=self.filters,
                                                        clocks=self.clocks)

    def row(self, complaint, href) -> dict:
        return {
            "complaint": complaint, "href": href(complaint.reference),
            "received": govuk_short_date(complaint.received_on), "status": status_text(complaint),
            "tag": STATUS_TAG[complaint.status],
            "scope": SCOPES.get(complaint.scope, "Not yet triaged"),
            "organisation": KINDS.get(complaint.organisation_kind, ""),
            "acknowledge": acknowledgement(complaint, calendar=self.calendar, today=self.today),
            "respond": response(complaint, calendar=self.calendar, today=self.today),
            "investigator": complaint.investigator.full_name if complaint.investigator_id else "None yet",
            "overdue": complaint.acknowledgement_overdue or complaint.response_overdue,
        }


def cards(counts: dict) -> list[dict]:
    """The summary cards, each a link to the complaints it counts."""
    days = settings.COMPLAINT_REMINDER_WORKING_DAYS
    href = reverse("complaints:dashboard")
    found = [
        (selectors.OPEN_GROUP, "open"),
        (selectors.AWAITING_TRIAGE, "awaiting triage"),
        (selectors.OVERDUE_ACKNOWLEDGEMENT, "overdue to acknowledge"),
        (selectors.OVERDUE_RESPONSE, "overdue to respond"),
        (selectors.DUE_SOON, f"due within {working_days_text(days)}"),
    ]
    return [{"count": counts[key], "text": text, "href": f"{href}?{urlencode({'status': key})}",
             "alert": key in (selectors.OVERDUE_ACKNOWLEDGEMENT, selectors.OVERDUE_RESPONSE) and counts[key]}
            for key, text in found]


@requires(Action.COMPLAINT_VIEW)
@require_GET
@shows_many(COMPLAINT_TYPE, part="complaints dashboard")
def dashboard(request):
    user = request.user
    listing = Listing(request)
    filters, form = listing.filters, listing.form
    page = Paginator(listing.complaints, PER_PAGE).get_page(request.GET.get("page"))
    href = complaint_hrefs()
    rows = [listing.row(complaint, href) for complaint in page.object_list]
    if rows:
        audit_read(action=AuditAction.SEARCH, object_type=COMPLAINT_TYPE, details={
            "list": "complaints dashboard", "filters": filters.for_audit(), "page": page.number})
    query = urlencode(dashboard_query(filters))
    return render(request, "complaints/dashboard.html", {
        "title": TITLE, "page": page, "rows": rows, "form": form, "filters": filters,
        "filters_summary": form.summary(filters),
        "cards": cards(selectors.dashboard_counts(user=user, clocks=listing.clocks)),
        "pagination": pagination_params(request, page),
        "export_href": (f"{reverse('complaints:export')}{'?' if query else ''}{query}"
                        if rows and can(user, Action.COMPLAINT_EXPORT) else ""),
        "may_record": can(user, Action.COMPLAINT_RECORD),
        "may_word_letters": can(user, Action.COMPLAINT_LETTERS_MANAGE),
        "breadcrumbs": home_breadcrumbs(),
    })


# Names stay out: the list is for tracking deadlines and reporting, and a
# spreadsheet leaves the service's access control and audit trail behind.
# A complainant's name (or the organisation's, which can point to them) is
# no use there, and the reference leads back to the complaint for anyone
# who may see it. Nothing the complainant wrote is included either.
EXPORT_HEADER = ("Reference", "Received", "Status", "What it is about", "Part of the work", "Organisation",
                 "Acknowledge by", "Acknowledged", "Respond by", "Extended to", "Answered", "Outcome",
                 "Answered within the deadline", "Answered within an agreed extension", "Overdue today")


def _export_row(complaint):
    answered = complaint.responded_on is not None
    is_open = complaint.status in OPEN
    return (complaint.reference, complaint.received_on, status_text(complaint),
            SCOPES.get(complaint.scope, ""), CATEGORIES.get(complaint.category, ""),
            KINDS.get(complaint.organisation_kind, ""), complaint.acknowledge_by, complaint.acknowledged_on,
            complaint.respond_by, complaint.extended_to, complaint.responded_on,
            FINDINGS.get(complaint.outcome, ""),
            complaint.answered_on_time if answered else "",
            complaint.answered_within_extension if answered else "",
            # A rule on a missing date can come back unknown (NULL): not overdue.
            bool(complaint.acknowledgement_overdue or complaint.response_overdue) if is_open else "")


@requires(Action.COMPLAINT_EXPORT)
@require_GET
@shows_many(COMPLAINT_TYPE, part="complaints export")
def export(request):
    """The dashboard's list, with the same filters, as a spreadsheet (CSV), streamed."""
    listing = Listing(request)
    if listing.form.is_bound and not listing.form.is_valid():
        # Back to the list, which shows what is wrong with the filters.
        return redirect(f"{reverse('complaints:dashboard')}?{request.GET.urlencode()}")
    audit_read(action=AuditAction.EXPORT, object_type=COMPLAINT_TYPE, details={
        "list": "complaints dashboard", "filters": listing.filters.for_audit(),
        "rows": listing.complaints.count(), "format": "csv"})
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return csv_response(EXPORT_HEADER, (_export_row(complaint) for complaint in listing.complaints),
                        filename=f"complaints-{stamp}.csv")


# Quarterly counts ----------------------------------------------------------------------


def share(part: int, whole: int) -> str:
    """"67%" (half up, as people round), or "—" when there is no whole."""
    if not whole:
        return "—"
    return f"{(Decimal(part) * 100 / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


# (id, caption, [(key, heading)]): one table each, quarters as rows. "share"
# is worked out from the counts beside it.
def _columns(measures) -> list[tuple[str, str]]:
    return [(key, heading) for key, heading, _rule in measures]


TABLES = (
    ("answered", "Received and answered", [
        ("received", "Received"), *_columns(selectors.ANSWER_COUNTS[:2]),
        ("share", "Share answered within the deadline"), *_columns(selectors.ANSWER_COUNTS[2:])]),
    ("scope", "What they were about", _columns(selectors.SCOPE_COUNTS)),
    ("category", "Which part of the work", _columns(selectors.CATEGORY_COUNTS)),
    ("outcome", "How they ended", _columns(selectors.OUTCOME_COUNTS)),
)


def _quarter(row) -> dict:
    values = {**row, "share": share(row["on_time"], row["answered"])}
    return {"quarter": FinancialQuarter(row["quarter"]), "values": values}


def _counts(request):
    first, last = selectors.received_between(user=request.user)
    years = range(financial_year_of(last), financial_year_of(first) - 1, -1) if first else ()
    form = CountsYearForm.from_request(request, choices=((year, financial_year_name(year)) for year in years))
    year = form.chosen()
    found = selectors.quarterly_counts(user=request.user, first=first, last=last, year=year)
    return form, year, [_quarter(row) for row in found]


@requires(Action.COMPLAINT_VIEW)
@require_GET
@shows_nothing_personal("counts of complaints per quarter: no complaint or complainant is named")
def counts(request):
    form, year, quarters = _counts(request)
    tables = [{"caption_id": f"{key}-caption", "caption": caption,
               "headings": [heading for _key, heading in columns],
               "rows": [(quarter["quarter"].label, [quarter["values"][name] for name, _ in columns])
                        for quarter in quarters]}
              for key, caption, columns in TABLES]
    csv_query = urlencode({"year": year}) if year else ""
    return render(request, "complaints/counts.html", {
        "title": "Complaints: quarterly counts", "form": form, "quarters": quarters, "tables": tables,
        "year_name": financial_year_name(year) if year else "",
        "csv_href": (f"{reverse('complaints:counts-export')}{'?' if csv_query else ''}{csv_query}"
                     if quarters and can(request.user, Action.COMPLAINT_EXPORT) else ""),
        "breadcrumbs": {"items": [*home_breadcrumbs()["items"],
                                  {"text": TITLE, "href": reverse("complaints:dashboard")}],
                        "classes": "govuk-!-display-none-print"}})


COUNTS_HEADER = ("Quarter", "From", "To", *(
    f"{caption}: {heading}" if key in ("scope", "category", "outcome") else heading
    for key, caption, columns in TABLES for _name, heading in columns))


@requires(Action.COMPLAINT_EXPORT)
@require_GET
@shows_nothing_personal("counts of complaints per quarter: no complaint or complainant is named")
def counts_export(request):
    form, year, quarters = _counts(request)
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse('complaints:counts')}?{request.GET.urlencode()}")
    # Counts name no one, but what leaves the service is still recorded.
    audit_read(action=AuditAction.EXPORT, object_type=COMPLAINT_TYPE, details={
        "list": "complaints quarterly counts", "year": year, "rows": len(quarters), "format": "csv"})
    rows = ((quarter["quarter"].short, quarter["quarter"].start, quarter["quarter"].end,
             *(quarter["values"][name] for _key, _caption, columns in TABLES for name, _ in columns))
            for quarter in quarters)
    which = f"-{financial_year_name(year).replace('/', '-')}" if year else ""
    return csv_response(COUNTS_HEADER, rows, filename=f"complaints-quarterly-counts{which}.csv")
