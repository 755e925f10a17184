import datetime

import pytest

from prevent_hub.reporting.categories import age_band, age_on, category_problem, codes_in_force, scheme
from prevent_hub.reporting.models import Dimension, ReportingCategory

pytestmark = pytest.mark.django_db

OLD = {"no_ideology_vulnerability", "no_risk", "high_ct_risk_no_ideology"}
NEW = {"no_ideology_identified", "no_ideology_other_susceptibility"}


def test_every_code_the_import_and_api_use_is_loaded():
    loaded = {dimension: set(ReportingCategory.objects.filter(dimension=dimension)
                             .values_list("code", flat=True)) for dimension in Dimension.values}
    assert loaded["sector"] == {"education", "police", "local_authority", "health", "community",
                                "friends_and_family", "prisons", "probation", "other"}
    assert loaded["gender"] == {"male", "female", "other", "not_known"}
    assert loaded["concern"] == {"islamist", "extreme_right_wing", "left_wing", "conflicted",
                                 "school_massacre", "other", *OLD, *NEW}
    assert loaded["gateway_outcome"] == {"no_further_action", "signposted", "police_led", "channel"}
    assert loaded["consent"] == {"given", "refused", "withdrawn", "not_sought"}
    assert loaded["ethnicity"] == {"white", "mixed", "asian", "black", "other", "not_known"}
    assert loaded["age_band"] == {"10_or_under", "11_15", "16_17", "18_20", "21_30", "31_40", "41_50",
                                  "over_50", "not_known"}
    assert loaded["mental_health_or_neurodiversity"] == {"yes", "no", "not_known"}


def test_the_type_of_concern_categories_change_on_1_april_2024():
    assert set(codes_in_force("concern", datetime.date(2024, 3, 31))) >= OLD
    assert not NEW & set(codes_in_force("concern", datetime.date(2024, 3, 31)))
    assert set(codes_in_force("concern", datetime.date(2024, 4, 1))) >= NEW
    assert not OLD & set(codes_in_force("concern", datetime.date(2024, 4, 1)))


def test_a_year_counts_ended_categories_as_the_ones_that_replaced_them():
    earlier = scheme("concern", first_day=datetime.date(2023, 4, 1), last_day=datetime.date(2024, 3, 31))
    later = scheme("concern", first_day=datetime.date(2024, 4, 1), last_day=datetime.date(2025, 3, 31))
    assert set(earlier.codes) >= OLD and not NEW & set(earlier.codes)
    assert earlier.counts_as["no_risk"] == "no_risk"
    assert set(later.codes) >= NEW and not OLD & set(later.codes)
    assert later.counts_as == {**{code: code for code in later.codes},
                               "no_ideology_vulnerability": "no_ideology_other_susceptibility",
                               "high_ct_risk_no_ideology": "no_ideology_other_susceptibility",
                               "no_risk": "no_ideology_identified"}
    assert later.label("not_recorded") == "Not yet recorded"


def test_a_code_from_a_later_scheme_cannot_be_recorded_for_an_earlier_day():
    assert category_problem("concern", "no_ideology_identified", datetime.date(2024, 3, 31)) == (
        "was not a category until 1 April 2024")
    assert category_problem("concern", "no_ideology_identified", datetime.date(2024, 4, 1)) == ""
    # An earlier scheme's code is accepted later: it is counted as its replacement.
    assert category_problem("concern", "no_risk", datetime.date(2025, 1, 1)) == ""
    assert category_problem("sector", "<script>", datetime.date(2025, 1, 1)) == (
        "is not a sector of referral code")


@pytest.mark.parametrize("age,band", [
    (None, "not_known"), (0, "10_or_under"), (10, "10_or_under"), (11, "11_15"), (15, "11_15"),
    (16, "16_17"), (17, "16_17"), (18, "18_20"), (20, "18_20"), (21, "21_30"), (30, "21_30"),
    (31, "31_40"), (40, "31_40"), (41, "41_50"), (50, "41_50"), (51, "over_50"), (99, "over_50"),
])
def test_age_bands_meet_without_gaps(age, band):
    assert age_band(age) == band


def test_age_on_the_day_counts_whole_years_and_leap_days():
    assert age_on(datetime.date(2010, 2, 28), datetime.date(2025, 2, 27)) == 14
    assert age_on(datetime.date(2010, 2, 28), datetime.date(2025, 2, 28)) == 15
    assert age_on(datetime.date(2008, 2, 29), datetime.date(2025, 2, 28)) == 16
    assert age_on(datetime.date(2008, 2, 29), datetime.date(2025, 3, 1)) == 17
