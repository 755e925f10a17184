"""Issue 19 end to end in real Chromium, axe-core on every page: a Prevent
coordinator imports five years of earlier referrals from a spreadsheet,
reads that year's statistics on the dashboard, and downloads the tables;
the page and the download give what the national release would count from
the spreadsheet's own rows, small numbers hidden."""

import csv
import datetime
import io
from collections import Counter

import pytest
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.core.quarters import financial_year_name
from prevent_hub.legacy_import.demo import synthetic_csv, synthetic_rows
from prevent_hub.legacy_import.imports import COLUMNS
from prevent_hub.statistics.suppression import partition_suppress

from .conftest import checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser

ROWS, SEED, TODAY, YEAR = 300, 11, datetime.date(2026, 6, 15), 2023


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_imports_five_years_reads_the_dashboard_and_downloads_the_tables(
        page, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in synthetic_rows(ROWS, seed=SEED, today=TODAY)]
    in_year = [row for row in rows
               if datetime.date(YEAR, 4, 1) <= datetime.date.fromisoformat(row["received_on"])
               <= datetime.date(YEAR + 1, 3, 31)]
    by_sector = Counter(row["sector"] for row in in_year)
    spreadsheet = tmp_path / "earlier-referrals-2020-2025.csv"
    spreadsheet.write_bytes(synthetic_csv(ROWS, seed=SEED, today=TODAY))

    signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Robin Example-Coordinator")
    page.goto("/staff/referral-imports/")
    page.get_by_label("Upload a CSV file").set_input_files(spreadsheet)
    page.get_by_role("button", name="Upload and check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the report, then import")
    checked(page)
    page.get_by_role("button", name=f"Import {ROWS} referrals").click()
    expect(page.locator(".govuk-panel__body")).to_have_text(f"{ROWS} referrals imported")
    checked(page)

    name = financial_year_name(YEAR)
    page.goto(f"/staff/statistics/{YEAR}/")
    expect(page.locator("h1")).to_have_text(f"Prevent statistics {name}")
    headline = page.locator("[data-headline='referrals'] .app-statistics__figure")
    expect(headline).to_have_text(str(len(in_year)))
    sectors = page.locator("section[data-breakdown='by_sector']")
    codes = sectors.locator("tr[data-row]").evaluate_all("rows => rows.map(row => row.dataset.row)")
    codes = [code for code in codes if code != "total"]
    expected = partition_suppress({code: by_sector.get(code, 0) for code in codes})
    for code, shown in expected.items():
        expect(sectors.locator(f"tr[data-row='{code}'] td")).to_have_text(str(shown))
    checked(page)

    with page.expect_download() as arriving:
        page.get_by_role("link", name=f"Download the tables for {name} as CSV").click()
    with open(arriving.value.path(), "rb") as file:
        lines = list(csv.reader(io.StringIO(file.read().decode("utf-8-sig"))))
    title = sectors.locator("h2").inner_text()
    downloaded = {line[1]: line[3] for line in lines if line[0] == title}
    assert {code: downloaded[code] for code in expected} == {
        code: str(shown) for code, shown in expected.items()}
