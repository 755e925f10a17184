"""The statistics dashboard: a financial year's figures as the national
release counts them, each with a chart, a sentence saying what it shows and
its table; the same tables as CSV, Excel or OpenDocument spreadsheets; and
the reporting categories the figures are counted in.

Figures only: `selectors.year_statistics` hands over published figures
(small numbers already `*`), never a row about anyone, so the pages declare
nothing personal. What leaves the service is still recorded: each download
writes an export event naming the year and the format."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from prevent_hub.access import Action, can, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.audit.shows import shows_nothing_personal
from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.year_forms import FinancialYearForm

from . import dashboard_selectors, downloads, selectors
from .charts import bar_chart
from .figures import YearStatistics, financial_year_label, financial_year_of
from .suppression import SUPPRESSED

TITLE = "Prevent statistics"
FIGURES_ONLY = "figures only: counts for a financial year with small numbers hidden, no person named"
CATEGORIES_ONLY = "reference data: the national reporting categories, no person named"
STATISTICS_TYPE = selectors.AUDIT_OBJECT_TYPE
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel spreadsheet (XLSX)", "ods": "OpenDocument spreadsheet (ODS)"}


def _year_statistics(year: int, user) -> YearStatistics:
    return selectors.year_statistics(year=year, user=user)


def _breadcrumbs(*extra):
    return {"items": [{"text": "Home", "href": reverse("staff:home")}, *extra],
            "classes": "govuk-!-display-none-print"}


class Years:
    """The years there are statistics for: from the first with a referral
    (or this one, if none) to this one. A year between with no referrals
    has a page saying so."""

    def __init__(self, today):
        self.today = today
        self.current = financial_year_of(today)
        self.with_referrals = selectors.years_with_referrals()
        self.first = min([*self.with_referrals, self.current])

    def __contains__(self, year: int) -> bool:
        return self.first <= year <= self.current

    def default(self) -> int:
        """The latest complete year, as the national release is made of
        complete years; this year so far when nothing earlier was recorded."""
        return self.current - 1 if self.first < self.current else self.current

    def offered(self, shown: int) -> list[int]:
        return sorted({*self.with_referrals, self.current, shown}, reverse=True)


def _no_such_year(request, asked, years: Years):
    return render(request, "statistics/no_such_year.html", {
        "title": "Page not found", "asked": str(asked)[:12],
        "years": [{"text": financial_year_label(each), "href": reverse("statistics:year", args=[each])}
                  for each in years.offered(years.current)],
        "breadcrumbs": _breadcrumbs(),
    }, status=404)


def _section(breakdown, *, kind: str):
    chart = bar_chart(breakdown, chart_id=f"chart-{breakdown.key}")
    return {"key": breakdown.key, "kind": kind, "breakdown": breakdown, "chart": chart}


def _year_links(year: int, years: Years) -> dict | None:
    links = {"landmarkLabel": "Other financial years", "classes": "govuk-!-display-none-print"}
    if year - 1 in years:
        links["previous"] = {"href": reverse("statistics:year", args=[year - 1]),
                             "labelText": financial_year_label(year - 1)}
    if year + 1 in years:
        links["next"] = {"href": reverse("statistics:year", args=[year + 1]),
                         "labelText": financial_year_label(year + 1)}
    return links if "previous" in links or "next" in links else None


def _any_hidden(statistics: YearStatistics) -> bool:
    figures = [each.shown for each in statistics.headlines]
    for breakdown in (statistics.quarters, *statistics.breakdowns):
        figures += [breakdown.total, *(row.shown for row in breakdown.rows)]
    for each in statistics.durations:
        figures += [each.counted, each.median_days, each.p90_days]
    return SUPPRESSED in figures


@requires(Action.STATISTICS_VIEW)
@require_GET
@shows_nothing_personal(FIGURES_ONLY)
def dashboard(request, year: int | None = None):
    today = timezone.localdate()
    years = Years(today)
    form = None
    if year is None:
        year = years.default()
        form = FinancialYearForm.from_request(request, years=years.offered(year), chosen=year)
        chosen = form.chosen()
        if chosen is not None:
            return redirect("statistics:year", year=chosen)
    elif year not in years:
        return _no_such_year(request, year, years)
    if form is None or not form.is_bound:
        form = FinancialYearForm(years=years.offered(year), chosen=year)
    statistics = _year_statistics(year, request.user)
    label = statistics.label
    may_download = can(request.user, Action.STATISTICS_EXPORT)
    return render(request, "statistics/dashboard.html", {
        "title": f"{TITLE} {label}", "statistics": statistics, "year_name": label, "form": form,
        "first_day": govuk_date(statistics.first_day), "last_day": govuk_date(statistics.last_day),
        "produced_on": govuk_date(today), "is_current": year == years.current,
        "is_latest_complete": year == years.current - 1,
        "is_empty": statistics.headline("referrals").shown == 0,
        "any_hidden": _any_hidden(statistics),
        "quarters": _section(statistics.quarters, kind="quarters"),
        "sections": [_section(each, kind="breakdown") for each in statistics.breakdowns],
        "year_links": _year_links(year, years),
        "downloads": [{"format": name, "text": FORMAT_NAMES[name],
                       "href": reverse("statistics:download", args=[year, name])}
                      for name in downloads.FORMATS] if may_download else [],
        "hidden_note": downloads.hidden_note(statistics),
        "breadcrumbs": _breadcrumbs(),
    })


@requires(Action.STATISTICS_EXPORT)
@require_GET
@shows_nothing_personal(FIGURES_ONLY)
def download(request, year: int, file_format: str):
    if file_format not in downloads.FORMATS:
        raise Http404("Not a download format")
    years = Years(timezone.localdate())
    if year not in years:
        return _no_such_year(request, year, years)
    statistics = _year_statistics(year, request.user)
    # Counts name no one, but what leaves the service is still recorded.
    audit_read(action=AuditAction.EXPORT, object_type=STATISTICS_TYPE, object_id=year, details={
        "list": "Prevent statistics", "year": statistics.label, "format": file_format})
    return downloads.download(statistics, file_format)


@requires(Action.STATISTICS_VIEW)
@require_GET
@shows_nothing_personal(CATEGORIES_ONLY)
def categories(request):
    return render(request, "statistics/categories.html", {
        "title": "Reporting categories", "dimensions": dashboard_selectors.reporting_categories(),
        "breadcrumbs": _breadcrumbs({"text": TITLE, "href": reverse("statistics:dashboard")}),
    })
