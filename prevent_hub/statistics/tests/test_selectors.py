"""A year's statistics (statistics.selectors.year_statistics): counted as the
national release counts them, by the financial year of referral, with every
figure suppressed. Most tests set the threshold to 0 (nothing suppressed) to
read the counts themselves; the suppression tests use the council's 4."""

import datetime
import random

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from prevent_hub.access import Action
from prevent_hub.access.policy import ROLE_MATRIX
from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.referrals.models import GatewayOutcome
from prevent_hub.reporting.categories import NOT_RECORDED, scheme
from prevent_hub.statistics import selectors
from prevent_hub.statistics.selectors import nearest_rank, year_statistics
from prevent_hub.statistics.suppression import SUPPRESSED

from .factories_year import (
    GIVEN,
    REFUSED,
    adopted,
    case,
    coordinator,
    decided,
    imported_referral,
    referral,
    uk_time,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def unsuppressed(settings):
    settings.STATISTICS_SUPPRESS_UP_TO = 0


@pytest.fixture
def reader():
    return coordinator()


def counts(statistics, key):
    return statistics.breakdown(key).as_dict()


def headline(statistics, key):
    return statistics.headline(key).shown


# The financial year and its quarters ----------------------------------------------


@pytest.mark.usefixtures("unsuppressed")
def test_the_year_runs_from_midnight_1_april_to_midnight_1_april_uk_time(reader):
    # Both edges are in British Summer Time: midnight is 23:00 UTC the day before.
    referral(uk_time(2023, 3, 31, 23, 59, 59))               # 2022/23
    referral(uk_time(2023, 4, 1, 0, 0, 0))                   # 2023/24, its first moment
    referral(uk_time(2024, 3, 31, 23, 59, 59))               # 2023/24, its last second
    referral(uk_time(2024, 4, 1, 0, 0, 0))                   # 2024/25
    referral(datetime.datetime(2024, 3, 31, 23, 30, tzinfo=datetime.UTC))   # 00:30 BST on 1 April
    assert headline(year_statistics(year=2022, user=reader), "referrals") == 1
    assert headline(year_statistics(year=2023, user=reader), "referrals") == 2
    assert headline(year_statistics(year=2024, user=reader), "referrals") == 2
    statistics = year_statistics(year=2023, user=reader)
    assert (statistics.label, statistics.first_day, statistics.last_day) == (
        "2023/24", D(2023, 4, 1), D(2024, 3, 31))


@pytest.mark.usefixtures("unsuppressed")
def test_quarters_run_april_to_june_july_to_september_october_to_december_january_to_march(reader):
    for moment in [uk_time(2023, 4, 1, 0, 0), uk_time(2023, 6, 30, 23, 59, 59),
                   uk_time(2023, 7, 1, 0, 0), uk_time(2023, 9, 30, 23, 59, 59),
                   uk_time(2023, 10, 1, 0, 0), uk_time(2023, 12, 31, 23, 59, 59),  # GMT from 29 October
                   uk_time(2024, 1, 1, 0, 0), uk_time(2024, 3, 31, 23, 59, 59)]:
        referral(moment)
    referral(uk_time(2023, 12, 31, 23, 59, 59))
    statistics = year_statistics(year=2023, user=reader)
    assert statistics.quarters.as_dict() == {"q1": 2, "q2": 2, "q3": 3, "q4": 2}
    assert [row.label for row in statistics.quarters.rows] == [
        "2023/24 Q1 (April to June 2023)", "2023/24 Q2 (July to September 2023)",
        "2023/24 Q3 (October to December 2023)", "2023/24 Q4 (January to March 2024)"]


# What is counted --------------------------------------------------------------------


@pytest.mark.usefixtures("unsuppressed")
def test_discussed_and_adopted_are_counted_in_the_year_of_referral_whenever_they_happened(reader):
    case(uk_time(2024, 3, 20), discussed_on=D(2024, 4, 10), adopted_on=D(2024, 4, 10))
    case(uk_time(2024, 3, 21), discussed_on=D(2024, 4, 10))            # discussed, not adopted
    case(uk_time(2024, 3, 22))                                         # not yet discussed
    referral(uk_time(2024, 3, 23))
    case(uk_time(2024, 4, 2), discussed_on=D(2024, 4, 10), adopted_on=D(2024, 4, 10))
    statistics = year_statistics(year=2023, user=reader)
    assert [(h.key, h.shown) for h in statistics.headlines] == [
        ("referrals", 4), ("discussed_at_panel", 2), ("adopted", 1)]
    assert headline(year_statistics(year=2024, user=reader), "adopted") == 1


@pytest.mark.usefixtures("unsuppressed")
def test_imported_and_entered_referrals_are_both_counted(reader):
    imported_referral(uk_time(2019, 6, 1), external_reference="OLD-SYSTEM-0001", sector="education")
    imported_referral(uk_time(2019, 7, 1), external_reference="OLD-SYSTEM-0002", sector="police")
    referral(uk_time(2019, 8, 1), sector="education")
    statistics = year_statistics(year=2019, user=reader)
    assert headline(statistics, "referrals") == 3
    assert counts(statistics, "by_sector")["education"] == 2
    assert counts(statistics, "by_sector")["police"] == 1


@pytest.mark.usefixtures("unsuppressed")
def test_each_breakdown_counts_the_recorded_codes_in_the_categories_order(reader):
    referral(sector="health", reported_gender="female", ethnicity="asian", age_at_referral=10,
             mental_health_or_neurodiversity="yes", concern_type="islamist")
    referral(sector="health", reported_gender="male", ethnicity="white", age_at_referral=11,
             mental_health_or_neurodiversity="no", concern_type="extreme_right_wing")
    referral(sector="prisons", reported_gender="not_known", ethnicity="not_known", age_at_referral=51)
    decided(outcome=GatewayOutcome.SIGNPOSTED)
    decided(outcome=GatewayOutcome.POLICE_LED)
    decided(outcome=GatewayOutcome.PROCEED_TO_CHANNEL)
    statistics = year_statistics(year=2023, user=reader)
    assert counts(statistics, "by_sector") == {
        "education": 0, "police": 0, "local_authority": 0, "health": 2, "community": 0,
        "friends_and_family": 0, "prisons": 1, "probation": 0, "other": 0, NOT_RECORDED: 3}
    assert counts(statistics, "by_gender") == {"male": 1, "female": 1, "other": 0, "not_known": 1,
                                               NOT_RECORDED: 3}
    assert counts(statistics, "by_ethnicity") == {"white": 1, "mixed": 0, "asian": 1, "black": 0,
                                                  "other": 0, "not_known": 1, NOT_RECORDED: 3}
    assert counts(statistics, "by_age_band") == {
        "10_or_under": 1, "11_15": 1, "16_17": 0, "18_20": 0, "21_30": 0, "31_40": 0, "41_50": 0,
        "over_50": 1, "not_known": 3}
    assert counts(statistics, "by_mental_health") == {"yes": 1, "no": 1, "not_known": 0, NOT_RECORDED: 4}
    # The records say "proceed to Channel"; the national tables' code is "channel".
    assert counts(statistics, "by_outcome") == {"no_further_action": 0, "signposted": 1, "police_led": 1,
                                                "channel": 1, NOT_RECORDED: 3}
    assert statistics.breakdown("by_outcome").rows[-1].label == "Not yet recorded"
    assert statistics.breakdown("by_sector").rows[3].label == "Health"


@pytest.mark.usefixtures("unsuppressed")
def test_every_breakdown_adds_up_to_its_total(reader):
    rng = random.Random(19)
    choices = {
        "sector": ["education", "police", "health", "", "other"],
        "reported_gender": ["male", "female", "not_known", ""],
        "ethnicity": ["white", "black", "", "not_known"],
        "concern_type": ["islamist", "no_risk", "conflicted", ""],
        "mental_health_or_neurodiversity": ["yes", "no", ""],
        "age_at_referral": [None, 9, 15, 17, 19, 25, 44, 70],
    }
    for _ in range(40):
        fields = {field: rng.choice(values) for field, values in choices.items()}
        moment = uk_time(2023, 4, 1) + datetime.timedelta(days=rng.randrange(365))
        kind = rng.randrange(4)
        if kind == 0:
            referral(moment, **fields)
        elif kind == 1:
            decided(moment, outcome=rng.choice(list(GatewayOutcome)), **fields)
        else:
            withdrawn = {**GIVEN, "withdrawn_on": D(2024, 5, 1)}
            consents = rng.choice([[], [GIVEN], [REFUSED], [withdrawn]])
            adopted(moment, consents=consents, **fields)
    statistics = year_statistics(year=2023, user=reader)
    referrals, cases = headline(statistics, "referrals"), headline(statistics, "adopted")
    assert referrals == 40
    assert sum(statistics.quarters.as_dict().values()) == referrals
    for breakdown in statistics.breakdowns:
        expected = cases if breakdown.of == "Channel cases adopted" else referrals
        assert breakdown.total == expected, breakdown.key
        assert sum(breakdown.as_dict().values()) == expected, breakdown.key


# Consent ----------------------------------------------------------------------------


@pytest.mark.usefixtures("unsuppressed")
def test_consent_is_the_latest_requests_answer_for_each_adopted_case(reader):
    adopted(consents=[])                                                          # not sought
    adopted(consents=[{"asked_on": D(2023, 6, 1)}])                               # asked, no answer yet
    adopted(consents=[GIVEN])
    adopted(consents=[{**REFUSED, "asked_on": D(2023, 6, 1)}, {**GIVEN, "asked_on": D(2023, 9, 1)}])
    adopted(consents=[{**GIVEN, "asked_on": D(2023, 6, 1)}, {**REFUSED, "asked_on": D(2023, 9, 1)}])
    adopted(consents=[{**GIVEN, "withdrawn_on": D(2023, 12, 1)}])
    # Two asked the same day: the one recorded last.
    adopted(consents=[{**GIVEN, "asked_on": D(2023, 6, 1)}, {**REFUSED, "asked_on": D(2023, 6, 1)}])
    case(consents=[GIVEN], discussed_on=D(2023, 6, 1))                            # not adopted
    statistics = year_statistics(year=2023, user=reader)
    assert counts(statistics, "by_consent") == {"given": 2, "refused": 2, "withdrawn": 1, "not_sought": 2}
    assert statistics.breakdown("by_consent").total == 7


@pytest.mark.usefixtures("unsuppressed")
def test_channel_cases_by_concern_counts_adopted_cases_only(reader):
    adopted(concern_type="islamist")
    adopted(concern_type="islamist")
    adopted(concern_type="")
    case(concern_type="extreme_right_wing", discussed_on=D(2023, 6, 1))
    referral(concern_type="extreme_right_wing")
    statistics = year_statistics(year=2023, user=reader)
    cases_by_concern = counts(statistics, "cases_by_concern")
    assert (cases_by_concern["islamist"], cases_by_concern["extreme_right_wing"],
            cases_by_concern[NOT_RECORDED]) == (2, 0, 1)
    assert counts(statistics, "by_concern")["extreme_right_wing"] == 2


# The type-of-concern categories changed on 1 April 2024 ---------------------------


@pytest.mark.usefixtures("unsuppressed")
def test_an_old_category_counts_as_itself_until_31_march_2024_and_as_its_successor_from_1_april(reader):
    for moment in (uk_time(2024, 3, 31, 23, 59), uk_time(2024, 4, 1, 0, 0)):
        referral(moment, concern_type="no_risk")
        referral(moment, concern_type="no_ideology_vulnerability")
        referral(moment, concern_type="high_ct_risk_no_ideology")
        referral(moment, concern_type="islamist")
    before = counts(year_statistics(year=2023, user=reader), "by_concern")
    after = counts(year_statistics(year=2024, user=reader), "by_concern")
    assert before == {"islamist": 1, "extreme_right_wing": 0, "left_wing": 0, "conflicted": 0,
                      "school_massacre": 0, "no_ideology_vulnerability": 1, "no_risk": 1,
                      "high_ct_risk_no_ideology": 1, "other": 0, NOT_RECORDED: 0}
    assert after == {"islamist": 1, "extreme_right_wing": 0, "left_wing": 0, "conflicted": 0,
                     "school_massacre": 0, "no_ideology_identified": 1,
                     "no_ideology_other_susceptibility": 2, "other": 0, NOT_RECORDED: 0}


@pytest.mark.usefixtures("unsuppressed")
def test_a_new_category_cannot_count_in_a_year_before_it_existed(reader):
    # Recording refuses it (reporting.categories.category_problem); a record
    # that has it anyway is not yet properly recorded, and is still counted.
    referral(uk_time(2024, 3, 31, 12), concern_type="no_ideology_identified")
    referral(uk_time(2024, 3, 31, 12), concern_type="no-such-code")
    by_concern = counts(year_statistics(year=2023, user=reader), "by_concern")
    assert "no_ideology_identified" not in by_concern
    assert by_concern[NOT_RECORDED] == 2


def test_the_rows_are_the_categories_in_force_that_year(reader):
    for year in (2023, 2024):
        first, last = D(year, 4, 1), D(year + 1, 3, 31)
        statistics = year_statistics(year=year, user=reader)
        assert [row.code for row in statistics.breakdown("by_concern").rows] == [
            *scheme("concern", first_day=first, last_day=last).codes, NOT_RECORDED]


# Durations ------------------------------------------------------------------------------


def test_nearest_rank_percentiles():
    ten = dict.fromkeys(range(1, 11), 1)
    assert (nearest_rank(ten, 50), nearest_rank(ten, 90)) == (5, 9)
    assert (nearest_rank({3: 1}, 50), nearest_rank({3: 1}, 90)) == (3, 3)
    assert (nearest_rank({0: 5, 30: 4, 100: 1}, 50), nearest_rank({0: 5, 30: 4, 100: 1}, 90)) == (0, 30)
    assert nearest_rank({0: 5, 30: 4, 100: 2}, 90) == 100


def test_days_to_gateway_outcome_and_to_panel_count_from_the_uk_date_received(reader):
    # 23:30 BST on 10 May is 22:30 UTC: received on 10 May, not the 11th.
    for days in (1, 2, 3, 4, 10, 20):
        decided(uk_time(2023, 5, 10, 23, 30), decided_on=D(2023, 5, 10) + datetime.timedelta(days=days))
    # 00:30 GMT on 5 December; and one received in BST's last days in March.
    decided(uk_time(2023, 12, 5, 0, 30), decided_on=D(2023, 12, 8))
    decided(uk_time(2024, 3, 31, 0, 30), decided_on=D(2024, 4, 1))  # before the clocks change
    decided(uk_time(2024, 3, 31, 23, 30), decided_on=D(2024, 4, 1))  # after
    referral(uk_time(2023, 5, 10))                                      # no outcome: not measured
    for days in (5, 6, 7, 8, 60):
        case(uk_time(2023, 10, 28, 23, 30), decided_on=D(2023, 10, 29),
             discussed_on=D(2023, 10, 28) + datetime.timedelta(days=days))
    statistics = year_statistics(year=2023, user=reader)
    to_outcome, to_panel = statistics.durations
    # Days: 1 2 3 4 10 20 3 1 1, and 1 for each of the five cases.
    assert (to_outcome.key, to_outcome.counted, to_outcome.median_days, to_outcome.p90_days) == (
        "to_gateway_outcome", 14, 1, 10)
    assert (to_panel.key, to_panel.counted, to_panel.median_days, to_panel.p90_days) == (
        "to_panel", 5, 7, 60)


def test_durations_over_a_few_referrals_are_hidden(reader):
    for days in (3, 4, 5, 6):
        decided(uk_time(2023, 5, 10), decided_on=D(2023, 5, 10) + datetime.timedelta(days=days))
    to_outcome, to_panel = year_statistics(year=2023, user=reader).durations
    assert (to_outcome.counted, to_outcome.median_days, to_outcome.p90_days) == (SUPPRESSED,) * 3
    assert (to_panel.counted, to_panel.median_days, to_panel.p90_days) == (0, None, None)
    decided(uk_time(2023, 5, 10), decided_on=D(2023, 5, 17))
    to_outcome, _ = year_statistics(year=2023, user=reader).durations
    assert (to_outcome.counted, to_outcome.median_days, to_outcome.p90_days) == (5, 5, 7)


# Suppression ---------------------------------------------------------------------------


def test_small_numbers_are_shown_as_a_star_and_cannot_be_worked_out(reader):
    for _ in range(30):
        referral(sector="education", reported_gender="male")
    for _ in range(2):
        referral(sector="police", reported_gender="female")
    adopted(sector="health", reported_gender="male")
    statistics = year_statistics(year=2023, user=reader)
    assert statistics.suppress_up_to == 4
    assert headline(statistics, "referrals") == 33
    assert headline(statistics, "adopted") == SUPPRESSED
    assert headline(statistics, "discussed_at_panel") == SUPPRESSED
    by_sector = counts(statistics, "by_sector")
    assert by_sector["education"] == 30
    assert by_sector["police"] == SUPPRESSED and by_sector["health"] == SUPPRESSED
    by_gender = counts(statistics, "by_gender")
    # 2 women hidden; the other hidden cell is what stops 33 - 31 giving them away.
    assert by_gender["female"] == SUPPRESSED
    assert list(by_gender.values()).count(SUPPRESSED) >= 2
    for breakdown in statistics.breakdowns:
        shown = [value for value in breakdown.as_dict().values() if value != SUPPRESSED]
        assert all(value == 0 or value > 4 for value in shown), breakdown.key
        assert list(breakdown.as_dict().values()).count(SUPPRESSED) != 1, breakdown.key
    # Every case's consent is in a category of one: all hidden, zeros too.
    assert set(counts(statistics, "by_consent").values()) == {SUPPRESSED}
    assert statistics.quarters.as_dict() == {"q1": 33, "q2": 0, "q3": 0, "q4": 0}


def test_the_threshold_is_the_councils_setting(reader, settings):
    settings.STATISTICS_SUPPRESS_UP_TO = 9
    for _ in range(8):
        referral(sector="education")
    for _ in range(12):
        referral(sector="police")
    statistics = year_statistics(year=2023, user=reader)
    assert statistics.suppress_up_to == 9
    assert counts(statistics, "by_sector")["education"] == SUPPRESSED


def test_a_year_with_nothing_in_it_is_all_zeros(reader):
    statistics = year_statistics(year=2030, user=reader)
    assert [headline.shown for headline in statistics.headlines] == [0, 0, 0]
    assert all(set(breakdown.as_dict().values()) == {0} for breakdown in statistics.breakdowns)
    assert [(d.counted, d.median_days, d.p90_days) for d in statistics.durations] == [(0, None, None)] * 2


# Who may read them, and at what cost ---------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_only_roles_that_may_see_statistics_get_them(role):
    user = UserFactory(roles=[role])
    if role in ROLE_MATRIX[Action.STATISTICS_VIEW]:
        assert year_statistics(year=2023, user=user).label == "2023/24"
    else:
        with pytest.raises(PermissionDenied):
            year_statistics(year=2023, user=user)


def test_someone_not_signed_in_is_refused():
    with pytest.raises(PermissionDenied):
        year_statistics(year=2023, user=AnonymousUser())


def test_the_number_of_queries_does_not_grow_with_the_records(reader, django_assert_num_queries,
                                                              django_assert_max_num_queries):
    adopted(consents=[GIVEN])
    year_statistics(year=2023, user=reader)  # reads the reader's roles, once
    with django_assert_max_num_queries(6) as few:
        year_statistics(year=2023, user=reader)
    for _ in range(10):
        adopted(consents=[REFUSED, GIVEN], sector="education")
        decided()
    with django_assert_num_queries(len(few.captured_queries)):
        year_statistics(year=2023, user=reader)


def test_the_years_with_referrals_are_the_financial_years_they_were_received_in():
    assert selectors.years_with_referrals() == []
    referral(received_at=uk_time(2023, 3, 31, 23, 59))
    referral(received_at=uk_time(2024, 4, 1, 0, 0))
    referral(received_at=uk_time(2024, 6, 1))
    assert selectors.years_with_referrals() == [2024, 2022]
