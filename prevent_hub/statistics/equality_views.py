"""Equality monitoring pages (statistics.equality): a financial year's
referral rates per 10,000 people by ethnicity, sex and age band, and the same
as a CSV file.

Figures only: counts (small numbers hidden), the area's population figures
and rates; no person, case or reference. The download is under the same
action as the page (EQUALITY_MONITORING_VIEW), not STATISTICS_EXPORT: those
who may download the main tables include people who may not see these
rates, and a download must never show more than its page. Each download is
audited as an export naming the year."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from prevent_hub.access import Action, can, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.audit.shows import shows_nothing_personal
from prevent_hub.core.csv import csv_response
from prevent_hub.core.formatting import govuk_date, govuk_datetime
from prevent_hub.core.year_forms import FinancialYearForm

from . import equality
from .figures import financial_year_label, financial_year_of

TITLE = "Equality monitoring"
EXPORT_TYPE = "statistics.equality"
FIGURES_ONLY = ("figures only: referral counts (small numbers hidden), the area's population and rates per "
                "10,000 people, with no person, case or reference named")
HEADER = ("Breakdown", "Code", "Category", "Referrals", "Population", "Rate per 10,000 people",
          "Ratio to the area rate", "Note")


def _breadcrumbs():
    return {"items": [{"text": "Home", "href": reverse("staff:home")}],
            "classes": "govuk-!-display-none-print"}


def _no_such_year(request, asked, years):
    return render(request, "statistics/equality_no_such_year.html", {
        "title": "Page not found", "asked": str(asked)[:12],
        "years": [{"text": financial_year_label(each),
                   "href": reverse("statistics:equality-year", args=[each])} for each in years],
        "breadcrumbs": _breadcrumbs()}, status=404)


def _shown(value) -> str:
    if value is None:
        return ""
    return f"{value:,}" if isinstance(value, int) else str(value)


@requires(Action.EQUALITY_MONITORING_VIEW)
@require_GET
@shows_nothing_personal(FIGURES_ONLY)
def equality_page(request, year: int | None = None):
    today = timezone.localdate()
    years = equality.years_offered(today)
    form = None
    if year is None:
        form = FinancialYearForm.from_request(request, years=years, chosen=years[0])
        chosen = form.chosen()
        if chosen is not None:
            return redirect("statistics:equality-year", year=chosen)
        year = financial_year_of(today)
    elif year not in years:
        return _no_such_year(request, year, years)
    if form is None or not form.is_bound:
        form = FinancialYearForm(years=years, chosen=year)
    found = equality.equality_year(year)
    return render(request, "statistics/equality.html", {
        "title": f"{TITLE} {found.label}", "found": found, "form": form,
        "first_day": govuk_date(found.first_day), "last_day": govuk_date(found.last_day),
        "loaded_at": govuk_datetime(found.population.loaded_at) if found.population else "",
        "may_load": can(request.user, Action.POPULATION_MANAGE),
        "area_population": _shown(found.area_population),
        "referrals": _shown(found.referrals),
        "csv_href": reverse("statistics:equality-download", args=[year]),
        "breadcrumbs": _breadcrumbs(),
    })


def _csv_rows(found):
    yield ("All referrals", "all", "The whole area", found.referrals, found.area_population,
           found.area_rate, "1.0" if found.area_rate not in (None, "*") else found.area_rate,
           "" if found.area_population else equality.NO_POPULATION)
    for breakdown in found.breakdowns:
        for row in breakdown.rows:
            yield (breakdown.title, row.code, row.label, row.count, row.population, row.rate, row.ratio,
                   row.no_rate)


@requires(Action.EQUALITY_MONITORING_VIEW)
@require_GET
@shows_nothing_personal(FIGURES_ONLY)
def equality_download(request, year: int):
    years = equality.years_offered(timezone.localdate())
    if year not in years:
        return _no_such_year(request, year, years)
    found = equality.equality_year(year)
    # Counts name no one, but what leaves the service is still recorded.
    audit_read(action=AuditAction.EXPORT, object_type=EXPORT_TYPE, object_id=year, details={
        "list": "equality monitoring", "year": found.label, "format": "csv",
        "population": found.population.year if found.population else None})
    return csv_response(HEADER, _csv_rows(found),
                        filename=f"equality-monitoring-{found.label.replace('/', '-')}.csv")
