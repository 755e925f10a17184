"""The statistics dashboard's pages and downloads as the people who report
on Prevent use them: who may see and download them, the year shown and
chosen, what each section shows (chart, sentence, table, definition), the
`*` of a hidden figure, and that each download is recorded.

The figures here are published figures made by hand (factories.published),
handed to the page in place of the counting (its own tests, and
test_dashboard_figures with records, cover that): what matters here is
what the page and the files do with whatever they are given."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.statistics import dashboard_views
from prevent_hub.statistics.charts import ALL_HIDDEN_SENTENCE
from prevent_hub.statistics.suppression import SUPPRESSED

from .factories import D, published
from .factories import referral_with_details as referral
from .readers import csv_figures, csv_lines, ods_sheets, page_figures, soup, workbook_figures, xlsx_sheets

pytestmark = pytest.mark.django_db

ALLOWED = {Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR, Role.AUDITOR}
DASHBOARD = reverse("statistics:dashboard")
CATEGORIES = reverse("statistics:categories")
# Read on 15 June 2026: 2025/26 is the latest complete year, 2026/27 the current one.
READ_ON = D(2026, 6, 15)


def at(day):
    return time_machine.travel(timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
                               tick=False)


def year_page(year):
    return reverse("statistics:year", args=[year])


def download(year, file_format):
    return reverse("statistics:download", args=[year, file_format])


@pytest.fixture
def figures(monkeypatch):
    """The page is given `published(...)` for whichever year it asks for;
    `figures.set(**kwargs)` changes what is published."""

    class Published:
        kwargs: dict = {}
        asked: list = []

        def set(self, **kwargs):
            self.kwargs = kwargs

    found = Published()

    def year_statistics(year, user):
        found.asked.append(year)
        return published(year=year, **found.kwargs)

    monkeypatch.setattr(dashboard_views, "_year_statistics", year_statistics)
    return found


def main_text(response) -> str:
    return soup(response).find("main").get_text(" ", strip=True)


# Who may see it ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_only_coordinators_channel_chairs_and_auditors_see_and_download_it(staff_client, figures, role):
    client = staff_client(role)
    referral(D(2025, 5, 1))
    with at(READ_ON):
        downloads = [download(2025, each) for each in ("csv", "xlsx", "ods")]
        for path in (DASHBOARD, year_page(2025), CATEGORIES, *downloads):
            response = client.get(path)
            assert response.status_code == (200 if role in ALLOWED else 403), (role, path)
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="statistics.year")
    assert exports.count() == (3 if role in ALLOWED else 0)


def test_nobody_signed_out_reaches_it(client):
    for path in (DASHBOARD, CATEGORIES, download(2025, "csv")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")


# The page ---------------------------------------------------------------------------------


def test_the_page_shows_the_latest_complete_year_with_every_section(staff_client, figures, settings):
    settings.COUNCIL_NAME = "Fictionshire County Council"
    client = staff_client(Role.PREVENT_COORDINATOR)
    referral(D(2024, 5, 1))
    with at(READ_ON):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    page = soup(response)
    assert page.find("h1").get_text(strip=True) == "Prevent statistics 2025/26"
    text = main_text(response)
    assert "Fictionshire County Council" in text
    assert "Referrals received from 1 April 2025 to 31 March 2026, the latest complete financial year" in text
    assert "Produced on 15 June 2026" in text
    shown = page_figures(response)
    assert shown["headlines"] == {"referrals": "120", "discussed_at_panel": "15", "adopted": "9"}
    assert shown["by_sector"] == {"education": "40", "police": "30", "health": "25", "community": "25",
                                  "prisons": "0", "total": "120"}
    assert shown["quarters"]["q3"] == "40"
    durations = {row["data-duration"]: [cell.get_text(strip=True) for cell in row.find_all("td")]
                 for row in page.select("tr[data-duration]")}
    assert durations == {"to_gateway_outcome": ["100", "6", "21"],
                         "to_panel": ["0", "None to measure", "None to measure"]}
    # Every section: its definition, an image named and described, the
    # sentence under it, and its table.
    for section in page.select("section[data-breakdown]"):
        key = section["data-breakdown"]
        assert "Referrals counted by" in section.find(class_="govuk-details__text").get_text(), key
        svg = section.find("svg")
        assert svg["role"] == "img"
        names = [page.find(id=svg[each]).get_text() for each in ("aria-labelledby", "aria-describedby")]
        assert names[0].endswith(": bar chart") and names[1], key
        assert section.find("figcaption").get_text(strip=True) == names[1]
        assert section.find("table").find("caption").get_text(strip=True)
    sector = page.select_one("section[data-breakdown='by_sector'] figcaption").get_text(strip=True)
    assert sector == "Education made the most referrals: 40 of 120."
    # Headlines say what they count.
    for headline in page.select("[data-headline]"):
        assert headline.find(class_="govuk-details__text").get_text(strip=True)
    assert "Some numbers for 2025/26 are hidden" not in text


def test_a_year_of_small_numbers_shows_stars_everywhere_and_no_bars(staff_client, figures):
    figures.set(hidden=True)
    client = staff_client(Role.AUDITOR)
    referral(D(2025, 5, 1))
    with at(READ_ON):
        response = client.get(DASHBOARD)
    page = soup(response)
    shown = page_figures(response)
    assert set(shown["headlines"].values()) == {SUPPRESSED}
    for key in ("quarters", "by_sector", "by_gender"):
        assert set(shown[key].values()) == {SUPPRESSED}, key
    assert page.select("svg rect") == []
    for caption in page.select("figcaption"):
        assert caption.get_text(strip=True) == ALL_HIDDEN_SENTENCE
    assert "Some numbers for 2025/26 are hidden" in main_text(response)
    assert "no bar is drawn for a hidden number" in main_text(response)


def test_a_year_without_referrals_says_so_clearly(staff_client, figures):
    figures.set(referrals_shown=0, sectors=[("education", "Education", 0)])
    client = staff_client(Role.CHANNEL_CHAIR)
    referral(D(2024, 5, 1))
    with at(READ_ON):
        response = client.get(DASHBOARD)
    empty = soup(response).find(id="empty-year")
    assert empty is not None
    assert "No referrals were received in 2025/26" in empty.get_text()
    assert soup(response).select_one("section[data-breakdown='by_sector'] figcaption").get_text(
        strip=True) == "There were no referrals."


def test_this_year_so_far_says_it_is_not_over(staff_client, figures):
    client = staff_client(Role.PREVENT_COORDINATOR)
    with at(READ_ON):
        response = client.get(year_page(2026))
    assert soup(response).find("h1").get_text(strip=True) == "Prevent statistics 2026/27"
    assert "this year is not over, so these are the figures so far" in main_text(response)


def test_with_nothing_recorded_the_page_is_this_years(staff_client, figures):
    client = staff_client(Role.PREVENT_COORDINATOR)
    with at(READ_ON):
        response = client.get(DASHBOARD)
    assert soup(response).find("h1").get_text(strip=True) == "Prevent statistics 2026/27"
    assert soup(response).find("nav", class_="govuk-pagination") is None


# Choosing a year --------------------------------------------------------------------------


def test_the_year_chooser_lists_years_with_referrals_and_links_lead_either_way(staff_client, figures):
    client = staff_client(Role.PREVENT_COORDINATOR)
    referral(D(2023, 4, 1))
    referral(D(2024, 3, 31))  # still 2023/24
    referral(D(2025, 1, 10))
    with at(READ_ON):
        response = client.get(DASHBOARD)
        page = soup(response)
        options = [option.get_text(strip=True) for option in page.select("select#id_year option")]
        assert options == [
            "2026/27 (1 April 2026 to 31 March 2027)", "2025/26 (1 April 2025 to 31 March 2026)",
            "2024/25 (1 April 2024 to 31 March 2025)", "2023/24 (1 April 2023 to 31 March 2024)"]
        assert page.select_one("select#id_year option[selected]")["value"] == "2025"
        links = {link["rel"][0]: link["href"] for link in page.select("nav.govuk-pagination a")}
        assert links == {"prev": year_page(2024), "next": year_page(2026)}
        chosen = client.get(DASHBOARD, {"year": "2023"})
        assert chosen.status_code == 302 and chosen["Location"] == year_page(2023)
        first = soup(client.get(year_page(2023)))
    assert first.find("h1").get_text(strip=True) == "Prevent statistics 2023/24"
    assert [link["rel"][0] for link in first.select("nav.govuk-pagination a")] == ["next"]
    assert first.select_one("select#id_year option[selected]")["value"] == "2023"


@pytest.mark.parametrize("sent", ["2019", "<script>alert(1)</script>",
                                  "2025'; DROP TABLE referrals_referral;--", "99999999999999999999", "",
                                  "2025.5"])
def test_a_year_not_offered_is_explained_and_the_page_stays(staff_client, figures, sent):
    client = staff_client(Role.PREVENT_COORDINATOR)
    with at(READ_ON):
        response = client.get(DASHBOARD, {"year": sent})
    assert response.status_code == 200
    summary = soup(response).find(class_="govuk-error-summary")
    assert summary is not None and "Select a financial year" in summary.get_text()
    assert soup(response).find("title").get_text().startswith("Error: ")
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("path", ["2027/", "2019/", "0/", "99999999999/", "2027/download.csv",
                                  "2019/download.xlsx"])
def test_a_year_to_come_or_before_any_referral_is_not_found(staff_client, figures, path):
    client = staff_client(Role.PREVENT_COORDINATOR)
    referral(D(2024, 5, 1))
    with at(READ_ON):
        response = client.get(f"/staff/statistics/{path}")
    assert response.status_code == 404
    assert "There are no statistics for that year" in main_text(response)
    assert soup(response).find("a", href=year_page(2024)) is not None
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    assert figures.asked == []


@pytest.mark.parametrize("suffix", ["download.pdf", "download.CSV", "download.", "download.csv.exe"])
def test_a_format_not_offered_is_not_found_and_not_recorded(staff_client, figures, suffix):
    client = staff_client(Role.PREVENT_COORDINATOR)
    with at(READ_ON):
        response = client.get(f"/staff/statistics/2026/{suffix}")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


# Downloads ------------------------------------------------------------------------------------


def test_downloads_have_the_pages_figures_and_each_is_recorded(staff_client, figures):
    figures.set(sectors=[("education", "Education", 100), ("police", "Police", SUPPRESSED),
                         ("health", "Health", SUPPRESSED), ("prisons", "Prisons", 0)])
    client = staff_client(Role.AUDITOR)
    referral(D(2024, 5, 1))
    with at(READ_ON):
        page = page_figures(client.get(year_page(2024)))
        lines = csv_lines(client.get(download(2024, "csv")))
        xlsx = workbook_figures(xlsx_sheets(client.get(download(2024, "xlsx"))))
        ods = workbook_figures(ods_sheets(client.get(download(2024, "ods"))))
    from_csv = csv_figures(lines)
    assert page["by_sector"] == {"education": "100", "police": "*", "health": "*", "prisons": "0",
                                 "total": "120"}
    assert from_csv["Sector of referral"] == page["by_sector"]
    assert from_csv["Referrals by quarter"] == page["quarters"]
    assert from_csv["Headline figures"] == page["headlines"]
    # Sheets after About: headlines, quarters, sectors, gender, time taken.
    for workbook in (xlsx, ods):
        assert {code: values[1] for code, values in workbook[0].items()} == page["headlines"]
        assert {code: values[1] for code, values in workbook[1].items()} == page["quarters"]
        assert {code: values[1] for code, values in workbook[2].items()} == page["by_sector"]
        assert {code: values[1] for code, values in workbook[3].items()} == page["by_gender"]
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT,
                                       object_type="statistics.year").order_by("pk")
    assert [(event.object_id, event.details["format"], event.details["year"]) for event in events] == [
        ("2024", "csv", "2024/25"), ("2024", "xlsx", "2024/25"), ("2024", "ods", "2024/25")]
    assert {event.actor_id for event in events} == {client.user.pk}


def test_reading_the_page_writes_no_event_about_anyone(staff_client, figures):
    client = staff_client(Role.PREVENT_COORDINATOR)
    with at(READ_ON):
        client.get(DASHBOARD)
    assert not AuditEvent.objects.filter(object_type__startswith="referrals").exists()


def test_download_links_are_offered_to_those_who_may_download(staff_client, figures):
    client = staff_client(Role.PREVENT_COORDINATOR)
    with at(READ_ON):
        page = soup(client.get(year_page(2026)))
    links = [link["href"] for link in page.select("#downloads a")]
    assert links == [download(2026, "csv"), download(2026, "xlsx"), download(2026, "ods")]


# The reporting categories ------------------------------------------------------------------------


def test_the_categories_page_lists_every_code_with_its_dates_and_mapping(staff_client):
    client = staff_client(Role.AUDITOR)
    response = client.get(CATEGORIES)
    assert response.status_code == 200
    page = soup(response)
    dimensions = [section["data-dimension"] for section in page.select("section[data-dimension]")]
    assert dimensions == ["sector", "age_band", "gender", "concern", "gateway_outcome", "consent",
                          "ethnicity", "mental_health_or_neurodiversity"]
    concern = page.select_one("section[data-dimension='concern']")
    rows = {row["data-code"]: [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
            for row in concern.select("tr[data-code]")}
    assert rows["no_risk"] == ["no_risk", "No risk, vulnerability or ideology present",
                               "Up to 31 March 2024", "No ideology identified ( no_ideology_identified )"]
    assert rows["no_ideology_identified"][2] == "From 1 April 2024"
    assert rows["islamist"][2] == "At any time"
    sector = page.select_one("section[data-dimension='sector']")
    assert [row["data-code"] for row in sector.select("tr[data-code]")] == [
        "education", "police", "local_authority", "health", "community", "friends_and_family", "prisons",
        "probation", "other"]
    assert "In an import file: sector" in sector.get_text(" ", strip=True)
    # Columns of dates only where a dimension has them.
    assert len(sector.select("thead th")) == 2
