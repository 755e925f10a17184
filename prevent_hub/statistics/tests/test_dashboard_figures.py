"""The dashboard over records: referrals with their reporting details and
Channel cases discussed and adopted, counted by the selector. The page, its
charts' sentences and the three downloads say the same figures, `*`
included, and a year with only a few referrals shows `*` everywhere."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.statistics.charts import ALL_HIDDEN_SENTENCE, HIDDEN_SENTENCE
from prevent_hub.statistics.suppression import SUPPRESSED

from .factories import D, adopted_case
from .factories import referrals_with_details as referrals
from .readers import csv_figures, csv_lines, ods_sheets, page_figures, soup, workbook_figures, xlsx_sheets

pytestmark = pytest.mark.django_db

READ_ON = D(2026, 6, 15)
# Sheets after "About", in the page's order.
SHEET_KEYS = ["headlines", "quarters", "by_sector", "by_age_band", "by_gender", "by_concern", "by_outcome",
              "by_consent", "by_ethnicity", "by_mental_health", "cases_by_concern"]


def at(day):
    return time_machine.travel(timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
                               tick=False)


def year_page(year):
    return reverse("statistics:year", args=[year])


def download(year, file_format):
    return reverse("statistics:download", args=[year, file_format])


def a_year_of_referrals():
    """2024/25: 40 from education, 30 from the police (10 of them in Q3),
    6 from health, 2 from the community and 3 from prisons; 5 of the
    education referrals went to Channel, discussed and adopted."""
    referrals(35, D(2024, 4, 10), sector="education")
    for _ in range(5):
        adopted_case(D(2024, 5, 1), sector="education", discussed_on=D(2024, 6, 1), adopted_on=D(2024, 6, 1))
    referrals(20, D(2024, 8, 1), sector="police", concern="extreme_right_wing", gender="female")
    referrals(10, D(2024, 11, 1), sector="police", concern="extreme_right_wing", gender="female")
    referrals(6, D(2025, 1, 5), sector="health", age=35)
    referrals(2, D(2025, 2, 5), sector="community", age=35)
    referrals(3, D(2025, 3, 31), sector="prisons", age=45)


def page_and_downloads(client, year):
    with at(READ_ON):
        response = client.get(year_page(year))
        lines = csv_lines(client.get(download(year, "csv")))
        xlsx = workbook_figures(xlsx_sheets(client.get(download(year, "xlsx"))))
        ods = workbook_figures(ods_sheets(client.get(download(year, "ods"))))
    return response, lines, xlsx, ods


def test_the_page_and_every_download_show_the_same_figures(staff_client):
    a_year_of_referrals()
    client = staff_client(Role.PREVENT_COORDINATOR)
    response, lines, xlsx, ods = page_and_downloads(client, 2024)
    page = page_figures(response)
    assert page["headlines"] == {"referrals": "81", "discussed_at_panel": "5", "adopted": "5"}
    sectors = page["by_sector"]
    assert [sectors[code] for code in ("education", "police", "health", "total")] == ["40", "30", "6", "81"]
    # Community (2) and prisons (3) are small: hidden, and nothing else needs to be.
    assert sectors["community"] == sectors["prisons"] == SUPPRESSED
    assert page["quarters"] == {"q1": "40", "q2": "20", "q3": "10", "q4": "11", "total": "81"}
    # Each workbook sheet and the CSV's sections hold what the page shows.
    from_csv = csv_figures(lines)
    titles = {section["data-breakdown"]: section.find("h2").get_text(strip=True)
              for section in soup(response).select("section[data-breakdown]")}
    for key, title in titles.items():
        assert from_csv[title] == page[key], key
    assert from_csv["Headline figures"] == page["headlines"]
    for workbook in (xlsx, ods):
        assert len(workbook) == len(SHEET_KEYS) + 1  # and time taken
        for key, sheet in zip(SHEET_KEYS, workbook, strict=False):
            assert {code: values[1] for code, values in sheet.items()} == page[key], key
    # The sentences speak of shown figures only.
    sentence = soup(response).select_one("section[data-breakdown='by_sector'] figcaption").get_text(
        strip=True)
    assert sentence == f"Education made the most referrals: 40 of 81. {HIDDEN_SENTENCE}"
    # Durations: five referrals to gateway outcome in 5 days, to panel in 31.
    durations = {row["data-duration"]: [cell.get_text(strip=True) for cell in row.find_all("td")]
                 for row in soup(response).select("tr[data-duration]")}
    assert durations["to_gateway_outcome"] == ["5", "5", "5"]
    assert durations["to_panel"] == ["5", "31", "31"]


def test_a_year_of_a_few_referrals_is_stars_on_the_page_its_charts_and_every_download(staff_client):
    referrals(2, D(2023, 5, 1), sector="education")
    adopted_case(D(2023, 6, 1), sector="police", discussed_on=D(2023, 7, 1), adopted_on=D(2023, 7, 1))
    client = staff_client(Role.AUDITOR)
    response, lines, xlsx, ods = page_and_downloads(client, 2023)
    page = page_figures(response)
    for key, figures in page.items():
        assert set(figures.values()) <= {SUPPRESSED, "0"}, (key, figures)
        if key in ("headlines", "quarters", "by_sector"):
            assert set(figures.values()) == {SUPPRESSED}, key
    html = soup(response)
    assert html.select("svg rect") == []
    captions = {caption.get_text(strip=True) for caption in html.select("figcaption")}
    assert captions <= {ALL_HIDDEN_SENTENCE, "There were no Channel cases adopted."}, captions
    assert ALL_HIDDEN_SENTENCE in captions
    # No small number anywhere in the files either.
    csv_shown = [figure for table in csv_figures(lines).values() for figure in table.values()]
    assert set(csv_shown) <= {SUPPRESSED, "0", "None to measure"}, csv_shown
    for workbook in (xlsx, ods):
        for key, sheet in zip(SHEET_KEYS, workbook, strict=False):
            assert {code: values[1] for code, values in sheet.items()} == page[key], key
    durations = [cell.get_text(strip=True) for cell in html.select("tr[data-duration] td")]
    assert set(durations) <= {SUPPRESSED, "0", "None to measure"}, durations


def test_an_empty_year_between_busy_ones_says_so(staff_client):
    referrals(6, D(2022, 5, 1))
    referrals(6, D(2024, 5, 1))
    client = staff_client(Role.CHANNEL_CHAIR)
    with at(READ_ON):
        response = client.get(year_page(2023))
    assert response.status_code == 200
    assert "No referrals were received in 2023/24" in soup(response).find(id="empty-year").get_text()
    assert set(page_figures(response)["headlines"].values()) == {"0"}
    assert soup(response).select("svg rect") == []
    # 2023/24 has no referrals, so the chooser does not list it, but still shows it as chosen.
    assert soup(response).select_one("select#id_year option[selected]")["value"] == "2023"


def test_every_chart_on_a_real_page_is_a_named_image(staff_client):
    a_year_of_referrals()
    client = staff_client(Role.PREVENT_COORDINATOR)
    with at(READ_ON):
        page = soup(client.get(year_page(2024)))
    charts = page.select("svg")
    charts = [svg for svg in charts if svg.get("role") == "img"]
    assert len(charts) == len(SHEET_KEYS) - 1  # a chart for every breakdown and the quarters
    for svg in charts:
        title_id, desc_id = svg["aria-labelledby"], svg["aria-describedby"]
        assert page.find(id=title_id).name == "title" and page.find(id=title_id).get_text(strip=True)
        assert page.find(id=desc_id).name == "desc" and page.find(id=desc_id).get_text(strip=True)
