"""The equality monitoring and population pages as people use them: who may
see them (every other role refused), the rates on the page and in the
download (audited), the empty states, and loading population figures by
upload: checked, then loaded, audited, refused when wrong."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.statistics import population_services as services
from prevent_hub.statistics.models import PopulationSet

from .factories import population, referrals
from .test_equality import AREA, IN_2023

pytestmark = pytest.mark.django_db

EQUALITY = reverse("statistics:equality")
YEAR_2023 = reverse("statistics:equality-year", args=[2023])
CSV_2023 = reverse("statistics:equality-download", args=[2023])
POPULATION = reverse("statistics:population")
LOAD = reverse("statistics:population-load")
CONFIRM = reverse("statistics:population-load-confirm")
EXAMPLE = reverse("statistics:population-example")


def soup(response):
    return BeautifulSoup(response.content, "html5lib")


def cells(response, breakdown: str, code: str) -> dict[str, str]:
    row = soup(response).select_one(f"table[data-breakdown='{breakdown}'] tr[data-code='{code}']")
    return {cell["data-cell"]: cell.get_text(strip=True) for cell in row.find_all("td")}


def csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def _named(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.mark.parametrize("role", list(Role))
def test_only_the_prevent_coordinator_and_auditor_see_equality_and_only_administrators_load_figures(
        role, staff_client):
    referrals(6, on=IN_2023, ethnicity="white")
    population(2021, total__all=1000)
    client = staff_client(role)
    may_see = role in (Role.PREVENT_COORDINATOR, Role.AUDITOR)
    may_load = role == Role.SYSTEM_ADMINISTRATOR

    for path in (EQUALITY, YEAR_2023, CSV_2023):
        assert client.get(path).status_code == (200 if may_see else 403), path
    for path in (POPULATION, LOAD, EXAMPLE, reverse("statistics:population-set", args=[2021])):
        assert client.get(path).status_code == (200 if may_load else 403), path
    refused = client.post(CONFIRM, {"checked": "anything"})
    assert refused.status_code == (400 if may_load else 403)
    assert PopulationSet.objects.get().figures.count() == 1


def test_the_page_shows_counts_rates_and_ratios_and_which_population_it_uses(staff_client):
    population(2021, source="Census 2021, ONS table TS021 (made up)", **AREA)
    referrals(40, on=IN_2023, ethnicity="white", gender="male", age=16)
    referrals(10, on=IN_2023, ethnicity="asian", gender="female", age=25)
    referrals(3, on=IN_2023, ethnicity="black", gender="female", age=25)
    referrals(27, on=IN_2023, ethnicity="mixed", gender="female", age=25)
    client = staff_client(Role.PREVENT_COORDINATOR)

    response = client.get(YEAR_2023)

    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Equality monitoring 2023/24"
    used = page.select_one("#population-used").text
    assert "Census 2021, ONS table TS021 (made up): figures for 2021" in used
    area = {cell["data-cell"]: cell.get_text(strip=True)
            for cell in page.select("table[data-breakdown='area'] td")}
    assert area == {"count": "80", "population": "100,000", "rate": "8.0"}
    assert cells(response, "by_ethnicity", "white") == {"count": "40", "population": "80,000", "rate": "5.0",
                                                         "ratio": "0.6"}
    # Black (3) is hidden, and asian (10, the smallest shown) with it: their rates too.
    assert cells(response, "by_ethnicity", "black") == {"count": "*", "population": "5,000", "rate": "*",
                                                         "ratio": "*"}
    assert cells(response, "by_ethnicity", "asian")["rate"] == "*"
    assert cells(response, "by_ethnicity", "not_known") == {"count": "0",
                                                             "no-rate": "No population to compare with"}
    assert cells(response, "by_age_band", "11_15") == {"count": "0", "no-rate": "No population figure"}
    assert "How to read these figures" in response.text
    # Aggregates only: no reference or name of anyone referred.
    assert "Testperson" not in response.text and "PENDING-" not in response.text


def test_the_download_has_the_pages_figures_and_is_audited(staff_client):
    population(2021, **AREA)
    referrals(40, on=IN_2023, ethnicity="white", gender="male", age=16)
    referrals(2, on=IN_2023, ethnicity="black", gender="female", age=16)
    client = staff_client(Role.AUDITOR)

    response = client.get(CSV_2023)

    assert response["Content-Disposition"] == 'attachment; filename="equality-monitoring-2023-24.csv"'
    rows = csv_rows(response)
    assert rows[0][:5] == ["Breakdown", "Code", "Category", "Referrals", "Population"]
    assert ["All referrals", "all", "The whole area", "42", "100000", "4.2", "1.0", ""] in rows
    assert ["Ethnicity", "white", "White", "*", "80000", "*", "*", ""] in rows    # hidden to protect black
    black = "Black, Black British, Caribbean or African"
    assert ["Ethnicity", "black", black, "*", "5000", "*", "*", ""] in rows
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="statistics.equality")
    assert (event.actor, event.object_id) == (client.user, "2023")
    assert event.details["year"] == "2023/24"


def test_with_no_population_the_page_says_so_and_links_to_loading_for_those_who_may(staff_client):
    referrals(6, on=IN_2023, ethnicity="white")
    reader = staff_client(Role.AUDITOR)
    both = staff_client(Role.PREVENT_COORDINATOR, Role.SYSTEM_ADMINISTRATOR)

    seen = soup(reader.get(YEAR_2023)).select_one("#no-population")
    assert "No population figures have been loaded for 2023" in seen.text
    assert seen.find("a") is None and "A system administrator can load them" in seen.text
    link = soup(both.get(YEAR_2023)).select_one("#no-population a")
    assert link["href"] == LOAD


def test_a_year_with_no_referrals_says_so_and_a_year_not_offered_is_not_found(staff_client, settings):
    population(2021, total__all=1000)
    referrals(6, on=IN_2023)
    client = staff_client(Role.PREVENT_COORDINATOR)

    empty = client.get(reverse("statistics:equality-year", args=[2024]))
    assert empty.status_code == 200
    assert "No referrals were received in 2024/25" in soup(empty).select_one("#no-referrals").text
    assert not soup(empty).select("table[data-breakdown]")
    for year in (2022, 2999):
        assert client.get(reverse("statistics:equality-year", args=[year])).status_code == 404
    assert client.get(EQUALITY, {"year": "2023"}).url == YEAR_2023
    assert client.get(EQUALITY, {"year": "<script>"}).status_code == 200


def test_an_administrator_uploads_checks_then_loads_the_figures(staff_client):
    admin = staff_client(Role.SYSTEM_ADMINISTRATOR)
    population(2021, total__all=1000)

    checked = admin.post(LOAD, {"source": "Census 2021, ONS table TS021", "year": "2021",
                                "file": _named(b"dimension,code,population\ntotal,all,600000\n"
                                               b"sex,male,294000\n", "census.csv")})

    assert checked.status_code == 200
    page = soup(checked)
    assert page.h1.get_text(strip=True) == "Check the population figures for 2021"
    assert "These figures will replace the figures for 2021" in checked.text
    assert "Sex: Female" in page.select_one("#missing").text
    assert PopulationSet.objects.get().figures.count() == 1     # nothing loaded yet
    signed = page.select_one("input[name=checked]")["value"]

    loaded = admin.post(CONFIRM, {"checked": signed}, follow=True)

    assert "Population figures for 2021 loaded, replacing the ones loaded before" in loaded.text
    found = PopulationSet.objects.get()
    assert (found.source, found.loaded_by, found.figures.count()) == ("Census 2021, ONS table TS021",
                                                                       admin.user, 2)
    event = AuditEvent.objects.filter(object_type="statistics.populationset").latest("sequence")
    assert (event.action, event.actor) == (AuditAction.UPDATE, admin.user)

    # Pressing the button again (a double submit) changes nothing.
    again = admin.post(CONFIRM, {"checked": signed}, follow=True)
    assert "were already loaded: nothing changed" in again.text
    assert AuditEvent.objects.filter(object_type="statistics.populationset").count() == 2


def test_a_bad_file_is_listed_by_line_keeping_what_was_typed_and_loads_nothing(staff_client):
    admin = staff_client(Role.SYSTEM_ADMINISTRATOR)
    hostile = '<script>alert("x")</script> Census'

    response = admin.post(LOAD, {"source": hostile, "year": "2021", "file": _named(
        b"dimension,code,population\nsex,male,-1\n<b>x</b>,white,5\nsex,female,12.5\n", "bad.csv")})

    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(".govuk-error-summary").get_text(" ", strip=True).count("3 problems") == 1
    problems = [item.get_text(strip=True) for item in page.select("#file-problems ~ ul li")]
    assert problems[0] == "Line 2: the population must be a whole number greater than 0, not negative"
    assert problems[1].startswith("Line 3: the dimension must be one of")
    assert problems[2].startswith("Line 4: the population must be a whole number")
    assert page.select_one("input[name=source]")["value"] == hostile
    assert "<script>alert" not in response.text and "<b>x</b>" not in response.text
    assert page.select_one("input[name=year]")["value"] == "2021"
    assert not PopulationSet.objects.exists()


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"source": "", "year": "2021"}, "source", "Enter where the figures come from"),
    ({"source": "Census", "year": "twenty"}, "year", "The year must be a whole number, like 2021"),
    ({"source": "Census", "year": "1066"}, "year", "The year must be between 1900 and"),
    ({"source": "Census", "year": "9" * 40}, "year", "The year must be"),
    ({"source": "x" * 500, "year": "2021"}, "source", "200 characters or fewer"),
])
def test_the_upload_form_refuses_a_missing_or_wrong_source_or_year(staff_client, fields, field, message):
    admin = staff_client(Role.SYSTEM_ADMINISTRATOR)

    data = b"dimension,code,population\ntotal,all,5\n"
    response = admin.post(LOAD, {**fields, "file": _named(data, "a.csv")})

    assert message in soup(response).select_one(f"#id_{field}-error").get_text()
    assert not PopulationSet.objects.exists()


def test_a_tampered_or_empty_confirmation_is_refused_and_loads_nothing(staff_client):
    admin = staff_client(Role.SYSTEM_ADMINISTRATOR)
    from prevent_hub.statistics.population_forms import signed_figures

    good = signed_figures(year=2021, source="Census", figures={("total", "all"): 5})
    for value in ("", "garbage", good[:-3] + "abc", good.replace(":", ";")):
        response = admin.post(CONFIRM, {"checked": value})
        assert response.status_code == 400
        assert "Upload the file again" in soup(response).select_one(".govuk-error-summary").text
    assert not PopulationSet.objects.exists()


def test_the_list_shows_each_set_and_its_page_the_figures(staff_client):
    admin = staff_client(Role.SYSTEM_ADMINISTRATOR)
    assert "No population figures have been loaded yet" in admin.get(POPULATION).text
    population(2021, source="Census 2021 (made up)", acting_user=admin.user, total__all=600_000,
               sex__male=294_000)

    listing = admin.get(POPULATION)
    assert "Census 2021 (made up)" in listing.text and admin.user.full_name in listing.text
    figures = admin.get(reverse("statistics:population-set", args=[2021]))
    assert "294,000" in figures.text and "No population figure" in figures.text
    assert admin.get(reverse("statistics:population-set", args=[2011])).status_code == 404


def test_the_example_file_downloads_and_loads_cleanly(staff_client):
    admin = staff_client(Role.SYSTEM_ADMINISTRATOR)

    response = admin.get(EXAMPLE)

    data = b"".join(response.streaming_content)
    assert services.population_file_read(data).problems == []
    assert response["Content-Disposition"] == 'attachment; filename="population-example.csv"'
