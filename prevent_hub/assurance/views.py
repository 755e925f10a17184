"""The Prevent duty assurance summary: one page per financial year, made to
be printed, with the same figures as a spreadsheet (CSV or XLSX).

Figures only: every number is a count and no person, case or reference is
shown or downloaded, so the pages declare nothing personal. What leaves the
service is still recorded: each download writes an export event naming the
year. The page reads a fixed number of queries whatever is recorded
(selectors)."""


from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from prevent_hub.access import Action, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.audit.shows import shows_nothing_personal
from prevent_hub.core.csv import csv_response
from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.quarters import financial_year_name, financial_year_of
from prevent_hub.core.xlsx import xlsx_response
from prevent_hub.core.year_forms import FinancialYearForm

from . import selectors

TITLE = "Prevent duty assurance summary"
SUMMARY_TYPE = "assurance.summary"
FIGURES_ONLY = "figures only: counts for a financial year, with no person, case or reference named"
HEADER = ("Section", "Figure", "Definition", "Q1", "Q2", "Q3", "Q4", "Year")


def _breadcrumbs():
    return {"items": [{"text": "Home", "href": reverse("staff:home")}],
            "classes": "govuk-!-display-none-print"}


def _year_or_none(year: int | None, years: list[int]) -> int | None:
    """The year asked for, if a summary can be made for it."""
    return year if year in years else None


def _no_such_year(request, year, years):
    """A year before anything was recorded, in the future or not a year at
    all: a page saying which years there are, answered 404."""
    return render(request, "assurance/no_such_year.html", {
        "title": "Page not found", "asked": str(year)[:12],
        "years": [{"text": financial_year_name(each), "href": reverse("assurance:summary-year", args=[each])}
                  for each in years],
    }, status=404)


def _label(figure, figures) -> str:
    """A breakdown's label with what it breaks down, for a spreadsheet row
    read on its own: "Referrals received: Public concern"."""
    if not figure.part_of:
        return figure.label
    parent = next((each for each in figures if each.key == figure.part_of), None)
    return f"{_label(parent, figures)}: {figure.label}" if parent else figure.label


def _rows(summary):
    for section in summary.sections:
        for figure in section.figures:
            quarters = figure.quarters if figure.quarters is not None else ("",) * selectors.QUARTERS
            yield (section.title, _label(figure, section.figures), figure.definition, *quarters, figure.year)


@requires(Action.ASSURANCE_VIEW)
@require_GET
@shows_nothing_personal(FIGURES_ONLY)
def summary(request, year: int | None = None):
    today = timezone.localdate()
    years = selectors.years_with_data(today)
    form = None
    if year is None:
        form = FinancialYearForm.from_request(request, years=years, chosen=financial_year_of(today))
        chosen = form.chosen()
        if chosen is not None:
            return redirect("assurance:summary-year", year=chosen)
        year = financial_year_of(today)
    elif _year_or_none(year, years) is None:
        return _no_such_year(request, year, years)
    form = form if form is not None and form.is_bound else FinancialYearForm(years=years, chosen=year)
    found = selectors.summary(year, today=today)
    name = financial_year_name(year)
    return render(request, "assurance/summary.html", {
        "title": f"{TITLE} {name}", "summary": found, "year_name": name, "form": form,
        "produced_on": govuk_date(today), "start": govuk_date(found.start), "end": govuk_date(found.end),
        "counted_to": govuk_date(found.counted_to), "as_at": govuk_date(found.training.as_at),
        "quarters": [{"short": f"Q{quarter.number}", "months": quarter.months,
                      "not_yet": quarter.start > today} for quarter in found.quarters],
        "csv_href": reverse("assurance:summary-csv", args=[year]),
        "xlsx_href": reverse("assurance:summary-xlsx", args=[year]),
        "breadcrumbs": _breadcrumbs(),
    })


def _download(request, year: int, file_format: str):
    """(summary, file name stem) after recording the export, or a 404 page."""
    today = timezone.localdate()
    years = selectors.years_with_data(today)
    if _year_or_none(year, years) is None:
        return None, _no_such_year(request, year, years)
    found = selectors.summary(year, today=today)
    # Counts name no one, but what leaves the service is still recorded.
    audit_read(action=AuditAction.EXPORT, object_type=SUMMARY_TYPE, object_id=year, details={
        "list": "Prevent duty assurance summary", "year": financial_year_name(year), "format": file_format})
    return found, f"prevent-duty-assurance-{financial_year_name(year).replace('/', '-')}"


@requires(Action.ASSURANCE_VIEW)
@require_GET
@shows_nothing_personal(FIGURES_ONLY)
def summary_csv(request, year: int):
    found, stem = _download(request, year, "csv")
    if found is None:
        return stem
    return csv_response(HEADER, _rows(found), filename=f"{stem}.csv")


@requires(Action.ASSURANCE_VIEW)
@require_GET
@shows_nothing_personal(FIGURES_ONLY)
def summary_xlsx(request, year: int):
    found, stem = _download(request, year, "xlsx")
    if found is None:
        return stem
    about = [("Council", settings.COUNCIL_NAME), ("Financial year", financial_year_name(year)),
             ("From", found.start), ("To", found.end), ("Events counted to", found.counted_to),
             ("Training standing as at", found.training.as_at), ("Produced on", timezone.localdate())]
    return xlsx_response([(f"Summary {financial_year_name(year).replace('/', '-')}", HEADER, _rows(found)),
                           ("About", ("Item", "Value"), about)], filename=f"{stem}.xlsx")


