"""Equality monitoring figures (statistics.equality), worked out by hand:
rates per 10,000 people and ratios to the area rate, which population set a
year uses, suppression hiding a rate with its count (secondary suppression
too), every breakdown adding up to the year's referrals, the age band edges
and the financial year's edges in London time."""

import datetime

import pytest

from prevent_hub.reporting.categories import NOT_RECORDED
from prevent_hub.statistics import equality
from prevent_hub.statistics.suppression import SUPPRESSED

from .factories import london, population, referrals

pytestmark = pytest.mark.django_db

D = datetime.date
IN_2023 = D(2023, 9, 1)   # financial year 2023/24

# Made-up figures: 100,000 people.
AREA = dict(total__all=100_000, ethnicity__white=80_000, ethnicity__asian=10_000, ethnicity__black=5_000,
            ethnicity__mixed=3_000, ethnicity__other=2_000, sex__male=49_000, sex__female=51_000,
            age_band__16_17=4_000, age_band__21_30=12_000)


def rows(found, key) -> dict[str, equality.RateRow]:
    return {row.code: row for row in next(b for b in found.breakdowns if b.key == key).rows}


def test_rates_per_10000_and_ratios_to_the_area_rate_are_as_worked_out_by_hand():
    population(2021, **AREA)
    referrals(40, on=IN_2023, ethnicity="white", gender="male", age=16)
    referrals(10, on=IN_2023, ethnicity="asian", gender="male", age=25)
    referrals(10, on=IN_2023, ethnicity="black", gender="female", age=25)
    referrals(5, on=IN_2023, ethnicity="mixed", gender="female", age=25)
    referrals(5, on=IN_2023, ethnicity="other", gender="female", age=25)
    referrals(10, on=IN_2023, ethnicity="", gender="", age=None)

    found = equality.equality_year(2023)

    # 80 referrals in 100,000 people: 8.0 per 10,000.
    assert (found.referrals, found.area_population, found.area_rate) == (80, 100_000, "8.0")
    ethnicity = rows(found, "by_ethnicity")
    # white 40 / 80,000 → 5.0, ratio 5 / 8 = 0.625 → 0.6
    assert (ethnicity["white"].rate, ethnicity["white"].ratio) == ("5.0", "0.6")
    # asian 10 / 10,000 → 10.0, ratio 1.25 → 1.3 (a half rounds up)
    assert (ethnicity["asian"].rate, ethnicity["asian"].ratio) == ("10.0", "1.3")
    assert (ethnicity["black"].rate, ethnicity["black"].ratio) == ("20.0", "2.5")
    # mixed 5 / 3,000 → 16.67 → 16.7, ratio 2.083 → 2.1
    assert (ethnicity["mixed"].rate, ethnicity["mixed"].ratio) == ("16.7", "2.1")
    assert (ethnicity["other"].rate, ethnicity["other"].ratio) == ("25.0", "3.1")
    # Not known and not yet recorded: counted, with no population to compare with.
    assert (ethnicity["not_known"].count, ethnicity["not_known"].rate) == (0, None)
    assert ethnicity["not_known"].no_rate == equality.NOT_COMPARED
    assert (ethnicity[NOT_RECORDED].count, ethnicity[NOT_RECORDED].rate) == (10, None)

    sex = rows(found, "by_sex")
    # male 50 / 49,000 → 10.20, ratio 1.2755 → 1.3; female 20 / 51,000 → 3.92, ratio 0.49 → 0.5
    assert (sex["male"].count, sex["male"].rate, sex["male"].ratio) == (50, "10.2", "1.3")
    assert (sex["female"].count, sex["female"].rate, sex["female"].ratio) == (20, "3.9", "0.5")
    assert sex["other"].no_rate == equality.NOT_COMPARED and sex["not_known"].rate is None
    assert sex[NOT_RECORDED].count == 10

    ages = rows(found, "by_age_band")
    # 16-17: 40 / 4,000 → 100.0, ratio 12.5; 21-30: 30 / 12,000 → 25.0, ratio 3.125 → 3.1
    assert (ages["16_17"].rate, ages["16_17"].ratio) == ("100.0", "12.5")
    assert (ages["21_30"].rate, ages["21_30"].ratio) == ("25.0", "3.1")
    # No figure loaded for 11-15: its count is shown, with no rate.
    assert (ages["11_15"].count, ages["11_15"].rate) == (0, None)
    assert ages["11_15"].no_rate == equality.NO_POPULATION
    assert ages["not_known"].count == 10 and ages["not_known"].no_rate == equality.NOT_COMPARED


def test_a_hidden_count_hides_its_rate_and_ratio_and_so_does_a_count_hidden_to_protect_it():
    population(2021, **AREA)
    referrals(40, on=IN_2023, ethnicity="white")
    referrals(3, on=IN_2023, ethnicity="black")      # small: hidden
    referrals(7, on=IN_2023, ethnicity="asian")      # the smallest shown: hidden too (secondary)
    referrals(20, on=IN_2023, ethnicity="mixed")
    referrals(0, on=IN_2023, ethnicity="other")

    ethnicity = rows(equality.equality_year(2023), "by_ethnicity")

    assert ethnicity["black"].count == SUPPRESSED
    assert ethnicity["asian"].count == SUPPRESSED
    for code in ("black", "asian"):
        assert (ethnicity[code].rate, ethnicity[code].ratio) == (SUPPRESSED, SUPPRESSED)
    assert (ethnicity["white"].count, ethnicity["white"].rate) == (40, "5.0")
    assert (ethnicity["mixed"].count, ethnicity["mixed"].rate) == (20, "66.7")
    # No rate is ever shown beside a hidden count.
    for row in ethnicity.values():
        assert (row.count == SUPPRESSED) == (row.rate == SUPPRESSED)


def test_a_small_year_hides_every_count_rate_and_the_area_rate():
    population(2021, **AREA)
    referrals(3, on=IN_2023, ethnicity="white", gender="male", age=30)

    found = equality.equality_year(2023)

    assert found.referrals == SUPPRESSED and found.area_rate == SUPPRESSED
    for breakdown in found.breakdowns:
        for row in breakdown.rows:
            assert row.count == SUPPRESSED
            assert row.rate in (SUPPRESSED, None)
            assert row.ratio in (SUPPRESSED, None)


def test_each_breakdown_is_a_partition_of_the_years_referrals():
    population(2021, **AREA)
    referrals(6, on=IN_2023, ethnicity="white", gender="male", age=14)
    referrals(5, on=IN_2023, ethnicity="not_known", gender="not_known", age=None)
    referrals(7, on=IN_2023, ethnicity="", gender="", age=60)
    referrals(8, on=IN_2023, ethnicity="no-such-code", gender="other", age=19)
    referrals(9, on=D(2024, 4, 1), ethnicity="white", gender="male", age=14)   # the next year

    found = equality.equality_year(2023)

    assert found.referrals == 26
    for breakdown in found.breakdowns:
        assert sum(row.count for row in breakdown.rows) == 26, breakdown.key
    assert rows(found, "by_ethnicity")[NOT_RECORDED].count == 15     # blank, and a code that is no category
    assert rows(found, "by_sex")[NOT_RECORDED].count == 7
    assert rows(found, "by_age_band")["not_known"].count == 5


@pytest.mark.parametrize(("age", "band"), [
    (0, "10_or_under"), (10, "10_or_under"), (11, "11_15"), (15, "11_15"), (16, "16_17"), (17, "16_17"),
    (18, "18_20"), (20, "18_20"), (21, "21_30"), (30, "21_30"), (31, "31_40"), (40, "31_40"),
    (41, "41_50"), (50, "41_50"), (51, "over_50"), (99, "over_50"), (None, "not_known"),
])
def test_age_on_the_day_of_referral_falls_in_its_band_at_the_edges(age, band):
    referrals(5, on=IN_2023, age=age)

    ages = rows(equality.equality_year(2023), "by_age_band")

    assert ages[band].count == 5
    assert sum(row.count for row in ages.values()) == 5


def test_the_financial_year_runs_from_1_april_to_31_march_in_london_time():
    # 31 March 2024 23:59 and 1 April 2024 00:00 in London (BST: 22:59 and 23:00 UTC).
    for moment in (london(D(2023, 4, 1), 0, 0), london(D(2024, 3, 31), 23, 59),
                   london(D(2024, 4, 1), 0, 0), london(D(2023, 3, 31), 23, 59)):
        referrals(5, at=moment)

    assert equality.equality_year(2023).referrals == 10
    assert equality.equality_year(2024).referrals == 5
    assert equality.equality_year(2022).referrals == 5


def test_a_year_uses_the_latest_population_set_whose_year_is_on_or_before_it():
    older = population(2011, total__all=90_000)
    newer = population(2021, total__all=100_000)

    assert equality.population_for(2010) is None
    assert equality.population_for(2020) == older
    assert equality.population_for(2021) == newer
    assert equality.population_for(2024) == newer


def test_with_no_population_loaded_the_counts_are_shown_without_rates():
    referrals(12, on=IN_2023, ethnicity="white", gender="female", age=30)

    found = equality.equality_year(2023)

    assert found.population is None and found.area_rate is None
    white = rows(found, "by_ethnicity")["white"]
    assert (white.count, white.rate, white.no_rate) == (12, None, equality.NO_POPULATION)
