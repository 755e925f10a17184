"""Test data for statistics: population figures (made-up, for the fictional
county of Shireford), referrals with reporting details, Channel cases
discussed and adopted, and published figures built by hand for the charts
and downloads (which only ever see published figures). Everything here is
obviously fictional."""

import datetime

from django.utils import timezone

from prevent_hub.channel.tests.factories import ChannelCaseFactory
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.models import GatewayOutcome, ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralFactory
from prevent_hub.statistics import population_services
from prevent_hub.statistics.figures import Breakdown, Duration, Headline, Row, YearStatistics
from prevent_hub.statistics.models import PopulationSet
from prevent_hub.statistics.suppression import SUPPRESSED


def population(year: int = 2021, *, source: str = "Made-up test figures for Shireford", acting_user=None,
               **figures) -> PopulationSet:
    """A loaded population set. `figures` as dimension__code=population,
    e.g. ethnicity__white=80_000; `total__all` for the whole area."""
    parsed = {tuple(key.split("__")): value for key, value in figures.items()}
    return population_services.population_set_load(year=year, source=source, figures=parsed,
                                                   acting_user=acting_user).population_set


def london(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def referrals(count: int, *, on: datetime.date | None = None, at: datetime.datetime | None = None,
              ethnicity: str = "", gender: str = "", age: int | None = None):
    """`count` referrals received at `at`, or on `on` at noon in London, with those details."""
    return ReferralFactory.create_batch(count, received_at=at or london(on), ethnicity=ethnicity,
                                        reported_gender=gender, age_at_referral=age)


# Referrals with every reporting detail, and Channel cases ---------------------------------

D = datetime.date


def referral_with_details(received_on: datetime.date, *, sector="education", concern="islamist",
                          gender="male", ethnicity="white", age=15, mental_health="no", **fields):
    """A referral received on `received_on` with every reporting detail recorded."""
    return ReferralFactory(
        received_at=london(received_on), sector=sector, concern_type=concern, reported_gender=gender,
        ethnicity=ethnicity, age_at_referral=age, mental_health_or_neurodiversity=mental_health, **fields)


def referrals_with_details(count: int, received_on: datetime.date, **details):
    return [referral_with_details(received_on, **details) for _ in range(count)]


def adopted_case(received_on: datetime.date, *, discussed_on: datetime.date, adopted_on=None, **details):
    """A referral received on `received_on` that went to Channel, was first
    discussed at a panel on `discussed_on` and adopted on `adopted_on`."""
    person = PersonFactory()
    made = referral_with_details(received_on, person=person, status=ReferralStatus.DECIDED,
                    gateway_outcome=GatewayOutcome.PROCEED_TO_CHANNEL,
                    gateway_decided_on=received_on + datetime.timedelta(days=5),
                    gateway_reasons="Fictional reasons for a test.", police_shared_at=london(received_on),
                    **details)
    return ChannelCaseFactory(person=person, referral=made, opened_at=london(received_on),
                              first_discussed_on=discussed_on, adopted_on=adopted_on)


# Published figures, by hand --------------------------------------------------------------------


def breakdown(key: str, title: str, rows: list[tuple[str, str, object]], *, total, of="referrals"):
    return Breakdown(key=key, title=title, definition=f"Referrals counted by {title.lower()} (test).",
                     of=of, total=total, rows=tuple(Row(code, label, shown) for code, label, shown in rows))


def published(*, year=2023, referrals_shown=120, sectors=None, hidden=False) -> YearStatistics:
    """A year's published figures: 120 referrals, 40 from education, unless
    `hidden`, when every figure is `*` (a year with a few referrals)."""
    star = SUPPRESSED
    if sectors is None:
        sectors = ([("education", "Education", star), ("police", "Police", star)] if hidden else
                   [("education", "Education", 40), ("police", "Police", 30), ("health", "Health", 25),
                    ("community", "Community", 25), ("prisons", "Prisons", 0)])
    total = star if hidden else referrals_shown
    quarters = breakdown("quarters", "Referrals by quarter", [
        ("q1", "Q1 (April to June)", star if hidden else 30),
        ("q2", "Q2 (July to September)", star if hidden else 30),
        ("q3", "Q3 (October to December)", star if hidden else 40),
        ("q4", "Q4 (January to March)", star if hidden else 20)], total=total)
    return YearStatistics(
        year=year, first_day=D(year, 4, 1), last_day=D(year + 1, 3, 31),
        headlines=(Headline("referrals", "Referrals", "Referrals received in the year.", total),
                   Headline("discussed_at_panel", "Discussed at a Channel panel", "Discussed (test).",
                            star if hidden else 15),
                   Headline("adopted", "Adopted as a Channel case", "Adopted (test).",
                            star if hidden else 9)),
        quarters=quarters,
        breakdowns=(breakdown("by_sector", "Sector of referral", sectors, total=total),
                    breakdown("by_gender", "Gender", [("male", "Male", star if hidden else 80),
                                                      ("female", "Female", star if hidden else 40)],
                              total=total)),
        durations=(Duration("to_gateway_outcome", "Referral to gateway outcome", "Days (test).",
                            star if hidden else 100, star if hidden else 6, star if hidden else 21),
                   Duration("to_panel", "Referral to first panel discussion", "Days (test).", 0, None, None)),
        suppress_up_to=4,
    )
