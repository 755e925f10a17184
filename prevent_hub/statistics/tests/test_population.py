"""Loading the area's population figures: what a file may say (and every
way it can be wrong, hostile input included), the load replacing a year's
set whole with its audit event, a second load of the same figures changing
nothing, and `manage.py load_population`."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.statistics import population_services as services
from prevent_hub.statistics.models import PopulationFigure, PopulationSet

from .factories import population

pytestmark = pytest.mark.django_db

HEADER = "dimension,code,population\n"


def read(text: str | bytes):
    return services.population_file_read(text.encode() if isinstance(text, str) else text)


def reasons(checked) -> list[str]:
    return [(f"Line {line}: " if line else "") + reason for line, reason in checked.problems]


def test_a_good_file_gives_its_figures_and_lists_the_categories_it_leaves_out():
    checked = read("\ufeffDimension, Code ,Population\r\ntotal,all,600000\r\nethnicity,white,\"486,000\"\r\n"
                   "SEX,Male, 294 000\r\n,,\r\nage_band,16_17,14000\r\n")

    assert checked.problems == []
    assert checked.figures == {("total", "all"): 600_000, ("ethnicity", "white"): 486_000,
                               ("sex", "male"): 294_000, ("age_band", "16_17"): 14_000}
    missing = checked.missing()
    assert ("sex", "female") in missing and ("ethnicity", "asian") in missing
    assert ("ethnicity", "not_known") not in missing and ("total", "all") not in missing


@pytest.mark.parametrize(("line", "expected"), [
    ("gender,male,100", "Line 2: the dimension must be one of total, ethnicity, sex, age_band"),
    ("ethnicity,not_known,100", "Line 2: the code must be one of the ethnicity codes: white, mixed, asian, "
                                "black, other"),
    ("sex,other,100", "Line 2: the code must be one of the sex codes: male, female"),
    ("age_band,11-15,100", "Line 2: the code must be one of the age_band codes"),
    ("ethnicity,white,-5", "Line 2: the population must be a whole number greater than 0, not negative"),
    ("ethnicity,white,12.5", "Line 2: the population must be a whole number, like 12345 or 12,345"),
    ("ethnicity,white,1e5", "Line 2: the population must be a whole number"),
    ("ethnicity,white,0", "Line 2: the population must be greater than 0"),
    ("ethnicity,white,", "Line 2: the population is missing"),
    ("ethnicity,white,12,345", "Line 2: the line has more values than the first line has columns"),
    ("ethnicity,white,100000001", "Line 2: the population must be 100,000,000 or less"),
    ("ethnicity,white,99999999999999999999999999", "Line 2: the population must be 100,000,000 or less"),
    ("<script>alert(1)</script>,white,5", "Line 2: the dimension must be one of"),
    ("ethnicity,'; DROP TABLE statistics_populationfigure; --,5", "Line 2: the code must be one of"),
    ("ethnicity,white,=1+1", "Line 2: the population must be a whole number"),
])
def test_each_bad_line_is_reported_by_its_number_without_repeating_what_it_says(line, expected):
    checked = read(HEADER + line + "\n")

    assert len(checked.problems) == 1
    assert reasons(checked)[0].startswith(expected)
    assert "script" not in reasons(checked)[0] and "DROP" not in reasons(checked)[0]
    assert checked.figures == {}


def test_a_category_given_twice_is_refused_naming_the_first_line():
    checked = read(HEADER + "sex,male,100\nsex,female,120\nsex,male,100\n")

    assert reasons(checked) == ["Line 4: sex male is given twice (first on line 2)"]


@pytest.mark.parametrize(("data", "expected"), [
    (b"", services.EMPTY),
    (b"\xef\xbb\xbf\r\n  \n", services.EMPTY),
    (b"dimension,code,population\n", services.NO_ROWS),
    (b"dimension,code\nsex,male\n", "The first line must name the columns dimension, code, population: "
                                    "the column population is missing"),
    (b"sex,male,100\n", "The first line must name the columns"),
    (b"dimension,code,population,dimension\n", "column 4 repeats the column dimension"),
    (b"dimension,code,population\nsex,male,\xff\xfe100\n", "The selected file must be saved as “CSV UTF-8”"),
    (b"PK\x03\x04rest-of-a-workbook", services.WORKBOOK),
    (b"dimension,code,population\nsex,male,1\x00\n", services.NOT_TEXT),
    (b"dimension,code,population\n" + b"sex,male,1\n" * 10_000, "The selected file must be smaller than"),
])
def test_a_file_that_is_not_a_population_csv_is_refused(data, expected):
    checked = read(data)

    assert checked.figures == {} or checked.problems
    assert expected in " ".join(reasons(checked))


def test_more_lines_than_a_population_file_has_are_refused():
    checked = read(HEADER + "".join(f"sex,male,{n}\n" for n in range(1, services.MAX_ROWS + 2)))

    assert any(f"no more than {services.MAX_ROWS} figures" in reason for reason in reasons(checked))


def test_loading_a_year_makes_its_set_with_an_audit_event():
    from prevent_hub.accounts.tests.factories import UserFactory

    admin = UserFactory()
    loaded = services.population_set_load(year=2021, source="  Census 2021,   ONS table TS021 ",
                                          figures={("total", "all"): 600_000, ("sex", "male"): 294_000},
                                          acting_user=admin)

    found = PopulationSet.objects.get(year=2021)
    assert loaded.changed and not loaded.replaced
    assert (found.source, found.loaded_by) == ("Census 2021, ONS table TS021", admin)
    assert {(f.dimension, f.code, f.population) for f in found.figures.all()} == {
        ("total", "all", 600_000), ("sex", "male", 294_000)}
    event = AuditEvent.objects.get(object_type="statistics.populationset")
    assert (event.action, event.actor, event.object_id) == (AuditAction.CREATE, admin, str(found.pk))
    assert event.details == {"year": 2021, "figures": 2, "replaced": False}


def test_loading_a_year_again_replaces_its_figures_whole_and_the_same_figures_change_nothing():
    population(2021, total__all=600_000, sex__male=294_000, sex__female=306_000)
    population(2011, total__all=500_000)

    loaded = services.population_set_load(year=2021, source="Census 2021 revised",
                                          figures={("total", "all"): 601_000}, acting_user=None)

    assert loaded.changed and loaded.replaced
    kept = PopulationFigure.objects.filter(population_set__year=2021).values_list("code", "population")
    assert list(kept) == [("all", 601_000)]
    assert PopulationFigure.objects.filter(population_set__year=2011).count() == 1
    events = AuditEvent.objects.filter(object_type="statistics.populationset")
    assert events.filter(action=AuditAction.UPDATE).count() == 1

    again = services.population_set_load(year=2021, source="Census 2021 revised",
                                         figures={("total", "all"): 601_000}, acting_user=None)

    assert not again.changed
    assert AuditEvent.objects.filter(object_type="statistics.populationset").count() == 3


@pytest.mark.parametrize(("year", "source", "figures", "field"), [
    (1899, "Census", {("total", "all"): 5}, "year"),
    (99999, "Census", {("total", "all"): 5}, "year"),
    ("2021", "Census", {("total", "all"): 5}, "year"),
    (2021, "   ", {("total", "all"): 5}, "source"),
    (2021, "x" * 201, {("total", "all"): 5}, "source"),
    (2021, "Census\n2021", {("total", "all"): 5}, "source"),
    (2021, "Census", {}, "file"),
    (2021, "Census", {("total", "all"): 0}, "file"),
    (2021, "Census", {("total", "all"): -3}, "file"),
    (2021, "Census", {("total", "all"): 2.5}, "file"),
    (2021, "Census", {("ethnicity", "not_known"): 5}, "file"),
    (2021, "Census", {("people", "<b>all</b>"): 5}, "file"),
])
def test_the_load_refuses_what_a_file_or_form_could_not_say_and_changes_nothing(year, source, figures, field):
    population(2021, total__all=600_000)

    with pytest.raises(ValidationError) as refused:
        services.population_set_load(year=year, source=source, figures=figures, acting_user=None)

    assert field in refused.value.message_dict
    assert list(PopulationFigure.objects.values_list("population", flat=True)) == [600_000]


def test_the_example_file_is_made_up_round_figures_that_load_cleanly():
    from prevent_hub.core.csv import csv_rows

    data = b"".join(csv_rows(services.COLUMNS, ((d, c, n) for (d, c), n in services.EXAMPLE_FIGURES.items())))
    checked = read(data)

    assert checked.problems == [] and checked.missing() == []
    assert all(n % 1000 == 0 for n in checked.figures.values())
    total = checked.figures["total", "all"]
    for dimension in ("ethnicity", "sex", "age_band"):
        assert sum(n for (d, _c), n in checked.figures.items() if d == dimension) == total


def test_the_command_loads_a_file_and_lists_the_categories_without_a_figure(tmp_path, capsys):
    path = tmp_path / "shireford.csv"
    path.write_text(HEADER + "total,all,600000\nsex,male,294000\nsex,female,306000\n")

    call_command("load_population", str(path), "--year", "2021", "--source", "Census 2021, ONS table TS008")

    out = capsys.readouterr().out
    assert "No population figure for Ethnicity: White (shown without a rate)" in out
    assert "Loaded 3 population figures for 2021 (new)" in out
    found = PopulationSet.objects.get(year=2021)
    assert (found.source, found.loaded_by, found.figures.count()) == ("Census 2021, ONS table TS008", None, 3)
    assert AuditEvent.objects.filter(object_type="statistics.populationset").count() == 1

    call_command("load_population", str(path), "--year", "2021", "--source", "Census 2021, ONS table TS008")
    assert "already loaded: nothing changed" in capsys.readouterr().out


def test_the_command_reports_each_bad_line_and_loads_nothing(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "total,all,600000\nsex,male,-4\nethnic,white,5\n")

    with pytest.raises(CommandError, match="Nothing was loaded: 2 problems to correct"):
        call_command("load_population", str(path), "--year", "2021", "--source", "Census 2021")

    out = capsys.readouterr().out
    assert "Line 3: the population must be a whole number greater than 0, not negative" in out
    assert "Line 4: the dimension must be one of" in out
    assert not PopulationSet.objects.exists()
    with pytest.raises(CommandError, match="The year must be between"):
        call_command("load_population", str(path), "--year", "20210", "--source", "Census")
    with pytest.raises(CommandError, match="There is no file"):
        call_command("load_population", str(tmp_path / "missing.csv"), "--year", "2021", "--source", "Census")
