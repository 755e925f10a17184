"""A system administrator loads the area's population figures by upload
(checked first, then loaded), and a Prevent coordinator reads the year's
equality monitoring page, in real Chromium. Every page passes axe-core and
reflows at 320 CSS px."""


import pytest
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.statistics.tests.factories import population, referrals
from prevent_hub.statistics.tests.test_equality import AREA, IN_2023

from .conftest import checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser

FILE = (b"dimension,code,population\ntotal,all,600000\nethnicity,white,486000\nsex,male,294000\n"
        b"sex,female,306000\nage_band,16_17,14000\n")


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_an_administrator_loads_population_figures_by_upload(page, live_server, tmp_path):
    signed_in(page, live_server, Role.SYSTEM_ADMINISTRATOR)
    page.goto("/staff/statistics/population/")
    expect(page.locator("#no-population")).to_be_visible()
    checked(page)

    page.get_by_role("button", name="Load population figures").click()
    expect(page.locator("h1")).to_have_text("Load population figures")
    checked(page)

    # A bad file: listed by line, what was typed kept.
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"dimension,code,population\nsex,male,-5\n")
    page.get_by_label("Where the figures come from").fill("Census 2021 (made up)")
    page.get_by_label("The year the figures are for").fill("2021")
    page.get_by_label("Upload a CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The file has a problem")
    expect(page.locator("#file-problems + p + ul")).to_contain_text("Line 2: the population must be")
    expect(page.get_by_label("Where the figures come from")).to_have_value("Census 2021 (made up)")
    checked(page)

    good = tmp_path / "shireford.csv"
    good.write_bytes(FILE)
    page.get_by_label("Upload a CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Upload and check the file").click()
    expect(page.locator("h1")).to_have_text("Check the population figures for 2021")
    expect(page.locator("#missing")).to_contain_text("Ethnicity: Asian or Asian British")
    checked(page)

    page.get_by_role("button", name="Load these figures").click()
    expect(page.locator("h1")).to_have_text("Population figures for 2021")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Population figures for 2021 loaded")
    checked(page)


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_reads_the_equality_monitoring_page(page, live_server):
    population(2021, **AREA)
    referrals(40, on=IN_2023, ethnicity="white", gender="male", age=16)
    referrals(3, on=IN_2023, ethnicity="black", gender="female", age=25)
    referrals(12, on=IN_2023, ethnicity="asian", gender="female", age=25)
    signed_in(page, live_server, Role.PREVENT_COORDINATOR)

    page.goto("/staff/statistics/equality/2023/")
    expect(page.locator("h1")).to_have_text("Equality monitoring 2023/24")
    expect(page.locator("table[data-breakdown='by_ethnicity'] tr[data-code='white'] [data-cell='rate']")) \
        .to_have_text("5.0")
    expect(page.locator("table[data-breakdown='by_ethnicity'] tr[data-code='black'] [data-cell='rate']")) \
        .to_have_text("*")
    checked(page)

    page.get_by_label("Financial year", exact=True).select_option(value="2024")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.locator("#no-referrals")).to_be_visible()
    checked(page)
