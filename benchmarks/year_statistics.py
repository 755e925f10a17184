"""A year's Prevent statistics over 10,000 referrals, on SQLite and PostgreSQL,
against the raw SQL GROUP BYs of the same figures in the same run.

    .venv/bin/python benchmarks/year_statistics.py [--runs 30]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/year_statistics.py

Synthetic, obviously fictional records made in bulk in a scratch database
(created and dropped): 10,000 referrals over five financial years (2020/21
to 2024/25, so both type-of-concern schemes are counted), about three in
four with a gateway outcome, one in eight gone to Channel (a case, most
discussed at a panel, half of those adopted, with requests for consent),
reporting details drawn from every code and blanks.

Timed in the same process: `statistics.selectors.year_statistics` for the
busiest year (the user's roles read once beforehand, as a page has them),
and the same figures counted by hand-written SQL through the database
driver itself (sqlite3 / psycopg): one conditional aggregate for the
headlines and quarters, one GROUP BY per breakdown, one for the adopted
cases by concern and consent, one per duration. The selector also reads
the categories in force and suppresses; the raw SQL does neither. Median of
`--runs` runs of each, alternated, after warm-up. Targets: the selector
≤ 2× the raw SQL, and under 200 ms.
"""

import argparse
import datetime
import json
import random
import statistics as stats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_common import analyse, django_in, run_workers, scratch_database, worker_url  # noqa: E402
from harness import percentile, table, write_section  # noqa: E402

REFERRALS = 10_000
YEARS = range(2020, 2025)
TARGET_MS = 200
TARGET_RATIO = 2.0
BATCH = 2_000

CODES = {
    "sector": ["education", "police", "local_authority", "health", "community", "friends_and_family",
               "prisons", "probation", "other", ""],
    "reported_gender": ["male", "male", "male", "female", "other", "not_known", ""],
    "ethnicity": ["white", "white", "mixed", "asian", "black", "other", "not_known", ""],
    "mental_health_or_neurodiversity": ["yes", "no", "not_known", ""],
}
OLD_CONCERNS = ["islamist", "extreme_right_wing", "left_wing", "conflicted", "school_massacre",
                "no_ideology_vulnerability", "no_risk", "high_ct_risk_no_ideology", "other", ""]
NEW_CONCERNS = ["islamist", "extreme_right_wing", "left_wing", "conflicted", "school_massacre",
                "no_ideology_identified", "no_ideology_other_susceptibility", "other", ""]


def seed(rng) -> dict:
    from django.utils import timezone

    from prevent_hub.access.roles import Role
    from prevent_hub.accounts.tests.factories import UserFactory
    from prevent_hub.channel.models import ChannelCase, Consent, ConsentAnswer, ConsentGiver, ConsentMethod
    from prevent_hub.people.models import Person
    from prevent_hub.referrals.models import GatewayOutcome, Referral, ReferralKind, ReferralStatus

    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR], full_name="Benchmark Example Coordinator")
    now = timezone.now()
    start = timezone.make_aware(datetime.datetime(YEARS.start, 4, 1))
    span = (timezone.make_aware(datetime.datetime(YEARS.stop, 4, 1)) - start).total_seconds()
    outcomes = list(GatewayOutcome)
    referrals, to_channel = [], []
    for number in range(REFERRALS):
        received = start + datetime.timedelta(seconds=rng.randrange(int(span)))
        received_on = timezone.localtime(received).date()
        channel = rng.random() < 0.125
        decided = channel or rng.random() < 0.75
        new_scheme = received_on >= datetime.date(2024, 4, 1)
        referrals.append(Referral(
            reference=f"PRV-S-{number:07d}", kind=rng.choice(list(ReferralKind)), received_at=received,
            submission_key=f"bench:{number}", concern_description="Fictional benchmark concern.",
            status=ReferralStatus.DECIDED if decided else ReferralStatus.NEW,
            gateway_outcome=(GatewayOutcome.PROCEED_TO_CHANNEL if channel
                             else rng.choice(outcomes[:3]) if decided else ""),
            gateway_decided_on=(received_on + datetime.timedelta(days=rng.randrange(0, 60))
                                if decided else None),
            concern_type=rng.choice(NEW_CONCERNS if new_scheme else OLD_CONCERNS),
            age_at_referral=rng.choice([None, *range(6, 70)]),
            **{field: rng.choice(codes) for field, codes in CODES.items()}))
        if channel:
            to_channel.append(number)
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    made = list(Referral.objects.filter(pk__in=[r.pk for r in referrals]).order_by("pk")
                .values_list("pk", "gateway_decided_on"))
    people = Person.objects.bulk_create(
        (Person(given_name=f"Benchperson{number}", family_name="Example", created_by=coordinator)
         for number in to_channel), batch_size=BATCH)
    cases = []
    for person, number in zip(people, to_channel, strict=True):
        referral_id, decided_on = made[number]
        discussed = rng.random() < 0.8
        day = decided_on + datetime.timedelta(days=rng.randrange(5, 90))
        cases.append(ChannelCase(
            reference=f"CH-S-{number:07d}", person=person, referral_id=referral_id, opened_at=now,
            opened_by=coordinator, first_discussed_on=day if discussed else None,
            adopted_on=day if discussed and rng.random() < 0.5 else None))
    ChannelCase.objects.bulk_create(cases, batch_size=BATCH)
    consents = []
    for case in cases:
        if case.adopted_on is None or rng.random() < 0.1:
            continue
        for asked in range(rng.choice([1, 1, 1, 2])):
            answer = rng.choice([ConsentAnswer.GIVEN, ConsentAnswer.GIVEN, ConsentAnswer.REFUSED, ""])
            consents.append(Consent(
                case=case, giver=ConsentGiver.PERSON, giver_name="Benchmark Example Person",
                asked_by=coordinator, method=ConsentMethod.IN_PERSON,
                asked_on=case.adopted_on + datetime.timedelta(days=asked * 30), answer=answer,
                withdrawn_on=(case.adopted_on + datetime.timedelta(days=100)
                              if answer == ConsentAnswer.GIVEN and rng.random() < 0.1 else None),
                recorded_by=coordinator, recorded_at=now))
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    by_year = {year: sum(1 for r in referrals if _year_of(timezone.localtime(r.received_at).date()) == year)
               for year in YEARS}
    busiest = max(by_year, key=by_year.get)
    return {"coordinator": coordinator, "year": busiest, "in_year": by_year[busiest],
            "cases": len(cases), "consents": len(consents)}


def _year_of(day):
    return day.year if day.month >= 4 else day.year - 1


# The same figures by hand-written SQL -------------------------------------------------


def raw_queries(vendor: str, year: int) -> list[tuple[str, list]]:
    """(SQL, parameters) for every figure the selector counts, in the
    driver's own placeholder style."""
    from django.db import connection
    from django.utils import timezone

    from prevent_hub.statistics.selectors import utc_offsets

    mark = "?" if vendor == "sqlite" else "%s"

    def at(value):
        return connection.ops.adapt_datetimefield_value(value) if vendor == "sqlite" else value

    bounds = [timezone.make_aware(datetime.datetime(year + (month < 4), month, 1)) for month in (4, 7, 10, 1)]
    bounds.append(timezone.make_aware(datetime.datetime(year + 1, 4, 1)))
    start, end = at(bounds[0]), at(bounds[-1])
    where = f"r.received_at >= {mark} AND r.received_at < {mark}"
    quarters = ", ".join(
        f"SUM(CASE WHEN r.received_at >= {mark} AND r.received_at < {mark} THEN 1 ELSE 0 END)"
        for _ in range(4))
    quarter_params = [at(b) for n in range(4) for b in (bounds[n], bounds[n + 1])]
    queries = [(
        f"SELECT COUNT(*), COUNT(c.first_discussed_on), COUNT(c.adopted_on), {quarters} "
        f"FROM referrals_referral r LEFT JOIN channel_channelcase c ON c.referral_id = r.id WHERE {where}",
        [*quarter_params, start, end])]
    for column in ("sector", "age_at_referral", "reported_gender", "concern_type", "gateway_outcome",
                   "ethnicity", "mental_health_or_neurodiversity"):
        queries.append((f"SELECT r.{column}, COUNT(*) FROM referrals_referral r WHERE {where} GROUP BY 1",
                        [start, end]))
    queries.append((
        "SELECT r.concern_type, COALESCE((SELECT CASE WHEN k.withdrawn_on IS NOT NULL THEN 'withdrawn' "
        "WHEN k.answer = 'given' THEN 'given' WHEN k.answer = 'refused' THEN 'refused' "
        "ELSE 'not_sought' END FROM channel_consent k WHERE k.case_id = c.id "
        "ORDER BY k.asked_on DESC, k.id DESC LIMIT 1), 'not_sought'), COUNT(*) "
        "FROM channel_channelcase c JOIN referrals_referral r ON r.id = c.referral_id "
        f"WHERE {where} AND c.adopted_on IS NOT NULL GROUP BY 1, 2", [start, end]))
    if vendor == "sqlite":
        offsets = utc_offsets(bounds[0], bounds[-1])
        shift = "CASE " + " ".join(f"WHEN r.received_at < ? THEN '{minutes:+d} minutes'"
                                   for _until, minutes in offsets[:-1]) + \
            f" ELSE '{offsets[-1][1]:+d} minutes' END"
        shift_params = [at(until) for until, _minutes in offsets[:-1]]

        def days(later):
            return (f"CAST(julianday({later}) - julianday(date(r.received_at, {shift})) AS INTEGER)",
                    shift_params)
    else:
        def days(later):
            return f"({later} - (r.received_at AT TIME ZONE 'Europe/London')::date)", []
    for later, join in (("r.gateway_decided_on", ""),
                        ("c.first_discussed_on", "JOIN channel_channelcase c ON c.referral_id = r.id ")):
        expression, params = days(later)
        queries.append((f"SELECT {expression}, COUNT(*) FROM referrals_referral r {join}"
                        f"WHERE {where} AND {later} IS NOT NULL GROUP BY 1", [*params, start, end]))
    return queries


def raw_connection(vendor):
    from django.db import connection

    settings = connection.settings_dict
    if vendor == "sqlite":
        import sqlite3

        return sqlite3.connect(settings["NAME"])
    import psycopg

    return psycopg.connect(host=settings["HOST"] or None, port=settings["PORT"] or None,
                           user=settings["USER"], password=settings["PASSWORD"] or None,
                           dbname=settings["NAME"], autocommit=True)


def raw_figures(conn, queries) -> list:
    cursor = conn.cursor()
    results = []
    for sql, params in queries:
        cursor.execute(sql, params)
        results.append(cursor.fetchall())
    return results


def measure(made, runs) -> dict:
    from django.db import connection

    from prevent_hub.statistics.selectors import year_statistics

    vendor = connection.vendor
    user, year = made["coordinator"], made["year"]
    queries = raw_queries(vendor, year)
    raw = raw_connection(vendor)
    statistics = year_statistics(year=year, user=user)
    raw_result = raw_figures(raw, queries)
    assert raw_result[0][0][0] == statistics.headline("referrals").shown, "the two count different referrals"
    for _ in range(5):
        year_statistics(year=year, user=user)
        raw_figures(raw, queries)
    selector_ms, raw_ms = [], []
    for _ in range(runs):
        started = time.perf_counter()
        year_statistics(year=year, user=user)
        selector_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        raw_figures(raw, queries)
        raw_ms.append((time.perf_counter() - started) * 1000)
    raw.close()
    return {"selector": {"median": stats.median(selector_ms), "p95": percentile(selector_ms, 95)},
            "raw": {"median": stats.median(raw_ms), "p95": percentile(raw_ms, 95)},
            "raw_queries": len(queries)}


def worker(url, runs):
    with scratch_database(url) as env, django_in(env):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        started = time.perf_counter()
        made = seed(random.Random(19))
        seeded = time.perf_counter() - started
        analyse()
        from prevent_hub.statistics.selectors import year_statistics

        year_statistics(year=made["year"], user=made["coordinator"])
        with CaptureQueriesContext(connection) as captured:
            year_statistics(year=made["year"], user=made["coordinator"])
        result = measure(made, runs)
        print(json.dumps({**result, "queries": len(captured.captured_queries), "seed_seconds": seeded,
                          "year": made["year"], "in_year": made["in_year"], "cases": made["cases"],
                          "consents": made["consents"]}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args, _ = parser.parse_known_args()
    url = worker_url(sys.argv)
    if url is not False:
        return worker(url, args.runs)

    from prevent_hub.statistics.figures import financial_year_label

    results = run_workers(__file__, ["--runs", str(args.runs)])
    rows, ok = [], True
    for label, result in results.items():
        selector, raw = result["selector"]["median"], result["raw"]["median"]
        ratio = selector / raw
        passed = ratio <= TARGET_RATIO and selector < TARGET_MS
        ok &= passed
        rows.append([label, f"{financial_year_label(result['year'])} ({result['in_year']:,} referrals)",
                     f"{selector:.1f}", f"{result['selector']['p95']:.1f}", result["queries"],
                     f"{raw:.1f}", f"{result['raw']['p95']:.1f}", result["raw_queries"], f"{ratio:.2f}×",
                     "✅" if passed else "❌"])
    first = next(iter(results.values()))
    seeded = "; ".join(f"{label} {result['seed_seconds']:.0f} s" for label, result in results.items())
    markdown = "\n\n".join([
        "## A year's Prevent statistics (issue 19)",
        f"`benchmarks/year_statistics.py`: {REFERRALS:,} referrals over five financial years "
        f"({financial_year_label(YEARS.start)} to {financial_year_label(YEARS.stop - 1)}), about three in "
        f"four with a gateway outcome, {first['cases']:,} gone to Channel (most discussed at a panel, half "
        f"of those adopted, {first['consents']:,} requests for consent), reporting details drawn from "
        f"every code and blanks, made in bulk in a scratch database (seeded in {seeded}), all fictional. "
        "`statistics.selectors.year_statistics` for the busiest year, against hand-written SQL for the "
        "same figures through the database driver itself (sqlite3 / psycopg: one conditional aggregate "
        "for the headlines and quarters, one `GROUP BY` per breakdown, one for the adopted cases by "
        "concern and consent, one per duration) in the same process, alternated; the selector also "
        "reads the categories in force and suppresses every figure. Median and p95 over "
        f"{args.runs} runs each after warm-up. Targets: the selector ≤ {TARGET_RATIO:g}× the raw SQL "
        f"and under {TARGET_MS} ms.",
        table(["database", "year", "selector median ms", "p95 ms", "queries", "raw SQL median ms",
               "p95 ms", "queries", "ratio", "target"], rows),
    ])
    write_section("statistics", markdown)
    print(markdown)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
