"""Demo data: five years of referrals from "earlier records" (financial years
2020/21 to 2024/25), made up and obviously so, imported through the import
services as the demo Prevent coordinator would import them, so the
statistics have something to count.

The proportions follow the national release's shape rather than any real
council: about 40% of referrals from education and 28% from police, about
88% about males, 11 to 15 the largest age band, about 13% discussed at a
Channel panel and 7% adopted. Every name is invented ("Testy McTestface",
"Example Person-0042"). `synthetic_csv` is also what benchmarks/legacy_import.py
imports, at a larger size."""

import csv
import datetime
import io
import random

from django.conf import settings
from django.utils import timezone

from prevent_hub.core.dates import add_months
from prevent_hub.reporting.categories import age_on

FIRST_DAY = datetime.date(2020, 4, 1)
YEARS = 5
ROWS = 1_500
GIVEN = ["Testy", "Example", "Sample", "Demo", "Placeholder", "Mock", "Dummy", "Fictional"]
FAMILY = ["McTestface", "Person", "Example-Name", "Sampleton", "Demo-Record", "Madeup"]
NEW_CONCERNS = datetime.date(2024, 4, 1)

SECTORS = {"education": 40, "police": 28, "local_authority": 10, "health": 9, "community": 5,
           "friends_and_family": 4, "probation": 2, "prisons": 1, "other": 1}
GENDERS = {"male": 88, "female": 11, "other": 0.5, "not_known": 0.5}
# Age bands as (lowest, highest): weights.
AGES = {(7, 10): 5, (11, 15): 37, (16, 17): 14, (18, 20): 11, (21, 30): 14, (31, 40): 8, (41, 50): 5,
        (51, 70): 4, None: 2}
ETHNICITIES = {"white": 60, "asian": 12, "black": 5, "mixed": 4, "other": 2, "not_known": 17}
OLD_CONCERNS = {"no_ideology_vulnerability": 33, "extreme_right_wing": 22, "islamist": 14, "no_risk": 14,
                "school_massacre": 3, "conflicted": 3, "high_ct_risk_no_ideology": 2, "left_wing": 1,
                "other": 8}
CONCERNS = {"no_ideology_other_susceptibility": 38, "extreme_right_wing": 21, "no_ideology_identified": 18,
            "islamist": 11, "school_massacre": 4, "conflicted": 2, "left_wing": 1, "other": 5}
MENTAL_HEALTH = {"yes": 28, "no": 32, "not_known": 40}
# Of all referrals: 14% to Channel (13% discussed at panel, 7% adopted).
OUTCOMES = {"no_further_action": 46, "signposted": 33, "police_led": 7, "channel": 14}
CONSENTS = {"given": 85, "refused": 7, "withdrawn": 5, "not_sought": 3}
YEAR_WEIGHTS = [18, 18, 19, 20, 25]


def _pick(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def synthetic_rows(count: int = ROWS, *, seed: int = 19, today: datetime.date | None = None,
                   prefix: str = "DEMO") -> list[list[str]]:
    """`count` made-up rows in the import's columns (imports.COLUMNS order)."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    rows = []
    for number in range(1, count + 1):
        year = rng.choices(range(YEARS), weights=YEAR_WEIGHTS)[0]
        start = datetime.date(FIRST_DAY.year + year, 4, 1)
        received = min(start + datetime.timedelta(days=rng.randrange(365)), today)
        band = _pick(rng, AGES)
        born, age = "", ""
        if band is not None:
            years = rng.randint(*band)
            born_on = received - datetime.timedelta(days=365 * years + rng.randrange(1, 360))
            years = age_on(born_on, received)
            if rng.random() < 0.6:
                born = born_on.isoformat()
            else:
                age = str(years)
        outcome = _pick(rng, OUTCOMES)
        panel = adopted = exited = consent = ""
        if outcome == "channel" and rng.random() < 0.93:
            panel_on = min(received + datetime.timedelta(days=rng.randint(14, 60)), today)
            panel = panel_on.isoformat()
            if rng.random() < 0.54:
                adopted = panel
                consent = _pick(rng, CONSENTS)
                exit_on = add_months(panel_on, rng.randint(6, 14))
                if exit_on <= today and consent != "not_sought":
                    exited = exit_on.isoformat()
        concerns = CONCERNS if received >= NEW_CONCERNS else OLD_CONCERNS
        rows.append([
            f"{prefix}-{received.year}-{number:05d}", received.isoformat(), _pick(rng, SECTORS),
            rng.choice(GIVEN), f"{rng.choice(FAMILY)}-{number:04d}", born, age, _pick(rng, GENDERS),
            _pick(rng, ETHNICITIES), _pick(rng, concerns), outcome, panel, adopted, consent, exited,
            _pick(rng, MENTAL_HEALTH)])
    return rows


def synthetic_csv(count: int = ROWS, **kwargs) -> bytes:
    from .imports import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(synthetic_rows(count, **kwargs))
    return ("\ufeff" + out.getvalue()).encode()


def load():
    from prevent_hub.accounts.demo import DEMO_DOMAIN
    from prevent_hub.accounts.models import User
    from prevent_hub.audit.context import acting_as

    from . import imports

    coordinator = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
    with acting_as(coordinator):
        referral_import = imports.referral_import_begin(file_name="earlier-records-2020-2025.csv",
                                                        skip_bad_rows=False, acting_user=coordinator)
        imports.referral_import_run(referral_import=referral_import, acting_user=coordinator,
                                    data=synthetic_csv(settings.DEMO_IMPORTED_REFERRALS))
    referral_import.refresh_from_db()
    if referral_import.status != "imported":
        raise RuntimeError(f"The demo import was not imported: {referral_import.errors[:3]}")
