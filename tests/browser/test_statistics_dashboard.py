"""A Prevent coordinator reads the council's Prevent statistics in real
Chromium: the latest complete year with its charts and tables, another year
chosen from the list and reached by its link, a year with only a few
referrals (every figure `*`, no bars), this year so far with none, the
tables downloaded as CSV, Excel and OpenDocument spreadsheets, the page
printed, and the reporting categories. Every page passes axe-core and
reflows at 320 CSS px.

The records are made by factories (`recorded_years`); a journey that
imports them first can call the same steps after its import."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from odf import teletype
from odf.opendocument import load as load_ods
from odf.table import Table
from openpyxl import load_workbook
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.core.quarters import financial_year_name, financial_year_of
from prevent_hub.core.xlsx import sheet_title
from prevent_hub.statistics.tests.factories import adopted_case
from prevent_hub.statistics.tests.factories import referrals_with_details as referrals

from .conftest import checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser


def recorded_years():
    """Last year: 30 referrals from education, 20 from the police, 6 from
    health (2 of them adopted as Channel cases), 2 from the community and 3
    from friends and family (both hidden). The year before: 3 referrals
    (every figure hidden). This year: none. Returns (last, before, current)."""
    current = financial_year_of(timezone.localdate())
    last, before = current - 1, current - 2
    day = datetime.date(last, 6, 10)
    referrals(30, day, sector="education")
    referrals(20, datetime.date(last, 11, 3), sector="police", concern="extreme_right_wing")
    referrals(4, datetime.date(last + 1, 2, 1), sector="health")
    referrals(2, datetime.date(last + 1, 3, 1), sector="community")
    referrals(3, datetime.date(last + 1, 3, 2), sector="friends_and_family")
    for _ in range(2):
        adopted_case(datetime.date(last + 1, 2, 1), sector="health",
                     discussed_on=datetime.date(last + 1, 2, 20), adopted_on=datetime.date(last + 1, 2, 20))
    referrals(3, datetime.date(before, 9, 1), sector="community")
    return last, before, current


def read_the_dashboard(page, year, *, accessibility_checked=True):
    name = financial_year_name(year)
    page.goto("/staff/statistics/")
    expect(page.locator("h1")).to_have_text(f"Prevent statistics {name}")
    expect(page.locator("[data-headline='referrals'] .app-statistics__figure")).to_have_text("61")
    sectors = page.locator("section[data-breakdown='by_sector']")
    expect(sectors.locator("tr[data-row='education'] td")).to_have_text("30")
    expect(sectors.locator("tr[data-row='police'] td")).to_have_text("20")
    expect(sectors.locator("tr[data-row='health'] td")).to_have_text("6")
    expect(sectors.locator("tr[data-row='community'] td")).to_have_text("*")
    expect(sectors.locator("tr[data-row='total'] td")).to_have_text("61")
    # The chart is one image, named and described by its sentence.
    chart = sectors.get_by_role("img")
    expect(chart).to_have_accessible_name("Sector of referral: bar chart")
    expect(sectors.locator("figcaption")).to_have_text(
        "Education made the most referrals: 30 of 61. Some numbers are hidden (*) to protect people.")
    expect(chart).to_have_accessible_description(sectors.locator("figcaption").inner_text())
    # The definition opens on request.
    sectors.get_by_text("What is counted").click()
    expect(sectors.locator(".govuk-details__text")).to_be_visible()
    if accessibility_checked:
        checked(page)


def download_the_tables(page, year):
    """Each format arrives, with the page's figures."""
    name = financial_year_name(year)
    title = page.locator("section[data-breakdown='by_sector'] h2").inner_text()
    stem = f"prevent-statistics-{name.replace('/', '-')}"
    found = {}
    for text, suffix in (("CSV", "csv"), ("Excel spreadsheet (XLSX)", "xlsx"),
                         ("OpenDocument spreadsheet (ODS)", "ods")):
        with page.expect_download() as arriving:
            page.get_by_role("link", name=f"Download the tables for {name} as {text}").click()
        download = arriving.value
        assert download.suggested_filename == f"{stem}.{suffix}"
        with open(download.path(), "rb") as file:
            found[suffix] = file.read()
    lines = list(csv.reader(io.StringIO(found["csv"].decode("utf-8-sig"))))
    sectors = {line[1]: line[3] for line in lines if line[0] == title}
    assert (sectors["education"], sectors["community"], sectors["total"]) == ("30", "*", "61")
    workbook = load_workbook(io.BytesIO(found["xlsx"]), read_only=True)
    sheet = workbook.worksheets[[ws.title for ws in workbook.worksheets].index(sheet_title(title, set()))]
    rows = {row[0]: row[2] for row in sheet.iter_rows(values_only=True) if len(row) > 2}
    assert (rows["education"], rows["community"], rows["total"]) == (30, "*", 61)
    spreadsheet = load_ods(io.BytesIO(found["ods"]))
    tables = {table.getAttribute("name"): table for table in spreadsheet.spreadsheet.getElementsByType(Table)}
    text = teletype.extractText(tables[sheet_title(title, set())])
    assert "education" in text and "30" in text
    return found


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_reads_chooses_a_year_downloads_and_prints(page, live_server, settings):
    last, before, current = recorded_years()
    user = signed_in(page, live_server, Role.PREVENT_COORDINATOR)

    read_the_dashboard(page, last)
    download_the_tables(page, last)
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="statistics.year", actor=user)
    assert sorted(event.details["format"] for event in exports) == ["csv", "ods", "xlsx"]

    # The year before: a few referrals, so every figure is hidden and no bar drawn.
    page.get_by_label("Financial year", exact=True).select_option(value=str(before))
    page.get_by_role("button", name="Show the statistics").click()
    expect(page).to_have_url(f"{live_server.url}/staff/statistics/{before}/")
    expect(page.locator("h1")).to_have_text(f"Prevent statistics {financial_year_name(before)}")
    expect(page.locator("[data-headline='referrals'] .app-statistics__figure")).to_have_text("*")
    expect(page.locator("section[data-breakdown='by_sector'] tr[data-row='community'] td")).to_have_text("*")
    expect(page.locator("svg rect")).to_have_count(0)
    expect(page.locator("section[data-breakdown='by_sector'] figcaption")).to_contain_text(
        "The numbers are hidden (*) to protect people")
    checked(page)

    # Next year, by its link: back to last year.
    page.locator(".govuk-pagination a[rel='next']").click()
    expect(page.locator("h1")).to_have_text(f"Prevent statistics {financial_year_name(last)}")
    page.locator(".govuk-pagination a[rel='next']").click()
    expect(page.locator("h1")).to_have_text(f"Prevent statistics {financial_year_name(current)}")
    # This year so far: nothing recorded yet.
    expect(page.locator("#empty-year")).to_contain_text(
        f"No referrals were received in {financial_year_name(current)}")
    checked(page)

    # Printed: no navigation, chooser or downloads; definitions as text.
    page.goto(f"/staff/statistics/{last}/")
    page.emulate_media(media="print")
    for hidden in (".govuk-service-navigation", ".govuk-header", ".govuk-breadcrumbs", ".govuk-footer",
                   "form[aria-label='Choose a financial year']", "#downloads", ".govuk-pagination",
                   ".app-statistics__definition"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("section[data-breakdown='by_sector'] .app-print-only")).to_be_visible()
    expect(page.locator(".govuk-caption-l")).to_have_text(settings.COUNCIL_NAME)
    page.emulate_media(media="screen")

    # The reporting categories, for preparing an import file.
    page.get_by_role("link", name="The reporting categories").click()
    expect(page.locator("h1")).to_have_text("Reporting categories")
    expect(page.locator("section[data-dimension='concern'] tr[data-code='no_risk']")).to_contain_text(
        "Up to 31 March 2024")
    checked(page)


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_an_auditor_reads_the_dashboard_without_javascript(page_without_js, live_server):
    """Charts are drawn by the server: nothing needs a script. (axe-core is a
    script: the page it checks with scripts on is the same page.)"""
    last, _before, _current = recorded_years()
    signed_in(page_without_js, live_server, Role.AUDITOR)
    read_the_dashboard(page_without_js, last, accessibility_checked=False)
    # Every chart is there, drawn by the server.
    sections = page_without_js.locator("section[data-breakdown]")
    expect(sections.locator("svg[role='img']")).to_have_count(sections.count())
