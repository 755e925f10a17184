"""Test data for statistics: population figures (made-up, for the fictional
county of Shireford) and referrals with reporting details."""

import datetime

from django.utils import timezone

from prevent_hub.referrals.tests.factories import ReferralFactory
from prevent_hub.statistics import population_services
from prevent_hub.statistics.models import PopulationSet


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
