"""Channel case pages and work trays with 10,000 cases and 1,000,000
timeline entries, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/channel_pages.py [--cases 10000] [--entries 1000000] [--runs 100]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/channel_pages.py

Synthetic, obviously fictional data made in bulk in a scratch database
(created and dropped): 10,000 people, referrals and cases in every state, and
1,000,000 chronology entries spread over the cases (COPY on PostgreSQL,
executemany on SQLite), with information requests, reviews, post-exit reviews,
plan actions and team memberships for the trays. Times, for a Prevent
coordinator, in-process through every middleware (session, second factor,
access check, the audit event each page writes, rendering), server time from
the Server-Timing header: the case list, a case page, the case's timeline,
the dashboard and "your tasks", with the staff home page measured in the same
run as the baseline. Target: median ≤ 50 ms each.
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_common import (  # noqa: E402
    analyse,
    django_in,
    run_workers,
    scratch_database,
    server_timing,
    signed_in_client,
    summary,
    worker_url,
)
from harness import table, write_section  # noqa: E402

TARGET_MS = 50
NOTE = (
    "The dashboard costs most: it counts seven kinds of task in three aggregates (one per kind of "
    "record: information requests, cases, reviews) and lists the first five rows of each kind that "
    "has any, so it runs at most the same number of queries however many cases there are. Profiled "
    "on the same data, about half of its time is SQL (each query 1-4 ms) and half building the "
    "querysets and rendering. If it needs to be faster, it could show the counts alone and leave the "
    "rows to each count's own list (`?section=`), which is already paginated."
)
GIVEN = ["Testina", "Sampleton", "Fictitia", "Mockwell", "Dummia", "Examplo", "Instancia", "Trialla"]
FAMILY = ["Example", "Exampleton", "Specimen", "Placeholder", "Sample", "Testworth", "Demo", "Fakeley"]
SUMMARIES = {
    "status": "Status changed (benchmark, fictional)",
    "information_request": "Information requested from Benchmark Academy (fictional)",
    "consent": "Consent asked for (benchmark, fictional)",
    "assessment": "Vulnerability assessment completed (benchmark, fictional)",
    "session": "Support session delivered (benchmark, fictional)",
    "review": "Panel review held (benchmark, fictional)",
    "note": "Note added (benchmark, fictional)",
    "email": "Email sent (benchmark, fictional)",
}
ENTRY_COLUMNS = ("case_id", "person_id", "occurred_at", "kind", "summary", "object_type", "object_id",
                 "recorded_by_id")


def make_cases(count: int, coordinator, *, seed: int = 12) -> dict:
    """`count` people, referrals and cases in bulk, with the trays' records."""
    import datetime

    from django.utils import timezone

    from prevent_hub.channel.models import (
        CaseRole,
        CaseStatus,
        CaseTeamMember,
        ChannelCase,
        InformationRequest,
        PlanAction,
        Review,
        ReviewKind,
    )
    from prevent_hub.people.models import Person
    from prevent_hub.referrals.models import GatewayOutcome, Referral, ReferralKind, ReferralStatus

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    Person.objects.bulk_create([
        Person(given_name=rng.choice(GIVEN), family_name=rng.choice(FAMILY), postcode="ZZ991AB",
               created_by=coordinator)
        for _ in range(count)
    ], batch_size=5000)
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    referrals = []
    for index, person_id in enumerate(people):
        received_at = now - datetime.timedelta(days=rng.uniform(20, 1400))
        referrals.append(Referral(
            reference=f"PRV-{received_at:%Y}-C{index + 1:06d}", kind=ReferralKind.PRACTITIONER,
            status=ReferralStatus.DECIDED, received_at=received_at,
            referrer_name=f"Benchmark Referrer {index}", subject_given_name="Benchmark",
            subject_family_name="Person", concern_description="Fictional benchmark concern.",
            person_id=person_id, police_shared_at=received_at + datetime.timedelta(hours=3),
            police_shared_method="secure_email", gateway_outcome=GatewayOutcome.PROCEED_TO_CHANNEL,
            gateway_reasons="Fictional benchmark reasons.",
            gateway_decided_on=(received_at + datetime.timedelta(days=3)).date(),
        ))
    Referral.objects.bulk_create(referrals, batch_size=2000)
    statuses = CaseStatus.values
    # Most cases are closed, as they would be after a few years.
    weights = [3, 2, 4, 2, 2, 2, 3, 6, 6, 70]
    cases = []
    for index, referral in enumerate(Referral.objects.filter(reference__contains="-C").order_by("pk")):
        opened_at = referral.received_at + datetime.timedelta(days=4)
        status = rng.choices(statuses, weights)[0]
        opened_on = opened_at.date()
        in_support = status in (CaseStatus.SUPPORT, CaseStatus.EXITED, CaseStatus.CLOSED)
        cases.append(ChannelCase(
            reference=f"CH-B-{index + 1:06d}", person_id=referral.person_id, referral=referral,
            status=status, status_changed_at=opened_at, opened_at=opened_at, opened_by=coordinator,
            adopted_on=opened_on + datetime.timedelta(days=21) if status not in (
                CaseStatus.SCREENING, CaseStatus.AWAITING_PANEL, CaseStatus.NOT_ADOPTED) else None,
            support_started_on=opened_on + datetime.timedelta(days=40) if in_support else None,
            last_session_delivered_on=(today - datetime.timedelta(days=rng.randint(0, 60))
                                       if status == CaseStatus.SUPPORT else None),
            next_review_date=(today + datetime.timedelta(days=rng.randint(-10, 40))
                              if status in (CaseStatus.ADOPTED, CaseStatus.CONSENT_GIVEN, CaseStatus.SUPPORT)
                              else None),
            reassessment_date=(today + datetime.timedelta(days=rng.randint(-20, 60))
                               if status == CaseStatus.CONSENT_REFUSED else None),
            exit_date=(today - datetime.timedelta(days=rng.randint(10, 400))
                       if status in (CaseStatus.EXITED, CaseStatus.CLOSED) else None),
            closed_at=now if status == CaseStatus.CLOSED else None,
            closure_reason="post_exit_reviews_done" if status == CaseStatus.CLOSED else "",
        ))
    ChannelCase.objects.bulk_create(cases, batch_size=2000)
    rows = list(ChannelCase.objects.values_list("pk", "person_id", "status", "opened_at", "exit_date"))
    requests, reviews, actions, members = [], [], [], []
    for pk, _person, status, _opened, exit_date in rows:
        if status in (CaseStatus.SCREENING, CaseStatus.AWAITING_PANEL) or rng.random() < 0.1:
            due = today + datetime.timedelta(days=rng.randint(-30, 30))
            answered = status not in (CaseStatus.SCREENING, CaseStatus.AWAITING_PANEL)
            requests.append(InformationRequest(
                case_id=pk, organisation_name="Benchmark Academy (fictional)", question="Fictional question.",
                requested_on=due - datetime.timedelta(days=10), due_date=due, requested_by=coordinator,
                answer="responded" if answered else "", answered_on=due if answered else None))
        if exit_date:
            for months in (6, 12):
                due = exit_date + datetime.timedelta(days=months * 30)
                reviews.append(Review(case_id=pk, kind=ReviewKind.POST_EXIT, months_after_exit=months,
                                      due_date=due, completed_on=due if due < today else None))
        if status == CaseStatus.SUPPORT:
            reviews.append(Review(case_id=pk, kind=ReviewKind.PANEL_REVIEW,
                                  due_date=today + datetime.timedelta(days=rng.randint(-5, 30))))
            for n in range(3):
                due = today + datetime.timedelta(days=rng.randint(-20, 40))
                actions.append(PlanAction(case_id=pk, description="Fictional benchmark action.",
                                          owner=coordinator, due_date=due, done_on=due if n == 0 else None,
                                          created_by=coordinator, created_at=now))
        if rng.random() < 0.2:
            members.append(CaseTeamMember(case_id=pk, user=coordinator, role=CaseRole.COORDINATOR,
                                          added_at=now, added_by=coordinator))
    InformationRequest.objects.bulk_create(requests, batch_size=5000)
    Review.objects.bulk_create(reviews, batch_size=5000)
    PlanAction.objects.bulk_create(actions, batch_size=5000)
    CaseTeamMember.objects.bulk_create(members, batch_size=5000)
    return {"cases": len(rows), "information_requests": len(requests), "reviews": len(reviews),
            "plan_actions": len(actions), "team_memberships": len(members)}


def make_entries(count: int, coordinator, *, seed: int = 13, batch: int = 10_000) -> float:
    """`count` timeline entries spread over every case (and its person), in
    bulk: COPY (PostgreSQL) or executemany (SQLite). Returns seconds taken."""
    from django.db import connection, transaction
    from django.utils import timezone

    from prevent_hub.channel.models import ChannelCase, ChronologyEntry

    started = time.perf_counter()
    rng = random.Random(seed)
    cases = list(ChannelCase.objects.values_list("pk", "person_id", "opened_at"))
    now = timezone.now()
    kinds = list(SUMMARIES)
    table_name = ChronologyEntry._meta.db_table
    postgres = connection.vendor == "postgresql"
    adapt = connection.ops.adapt_datetimefield_value
    done = 0
    while done < count:
        rows = []
        for _ in range(min(batch, count - done)):
            pk, person_id, opened_at = rng.choice(cases)
            occurred_at = opened_at + (now - opened_at) * rng.random()
            kind = rng.choice(kinds)
            when = occurred_at if postgres else adapt(occurred_at)
            rows.append((pk, person_id, when, kind, SUMMARIES[kind], "", "", coordinator.pk))
        with transaction.atomic(), connection.cursor() as cursor:
            if postgres:
                with cursor.cursor.copy(f"COPY {table_name} ({', '.join(ENTRY_COLUMNS)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {table_name} ({', '.join(ENTRY_COLUMNS)}) "
                    f"VALUES ({', '.join(['%s'] * len(ENTRY_COLUMNS))})", rows)
        done += len(rows)
    return time.perf_counter() - started


def pages(case_pk):
    """(name, url name, kwargs, baseline?) for every page measured that exists."""
    from django.urls import NoReverseMatch, reverse

    wanted = [
        ("staff home page (baseline)", "staff:home", {}, True),
        ("case list, first page", "channel:case-list", {}, False),
        ("case page", "channel:case-detail", {"pk": case_pk}, False),
        ("case timeline", "channel:case-timeline", {"pk": case_pk}, False),
        ("dashboard", "channel:dashboard", {}, False),
        ("your tasks", "channel:my-tasks", {}, False),
    ]
    found = []
    for name, url_name, kwargs, baseline in wanted:
        try:
            found.append((name, reverse(url_name, kwargs=kwargs), baseline))
        except NoReverseMatch:
            print(f"{url_name} does not exist: not measured", file=sys.stderr)
    return found


def measure(client, case_pk, runs):
    results = {}
    for name, path, _baseline in pages(case_pk):
        for _ in range(10):  # warm-up
            client.get(path)
        server, queries = [], set()
        for _ in range(runs):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            ms, n = server_timing(response)
            server.append(ms)
            queries.add(n)
        results[name] = {**summary(server), "queries": sorted(queries), "path": path}
    return results


def worker(url, cases, entries, runs):
    with scratch_database(url) as env, django_in(env):
        from django.db.models import Count

        from prevent_hub.access.roles import Role
        from prevent_hub.accounts.models import User
        from prevent_hub.accounts.tests.factories import UserFactory
        from prevent_hub.channel.models import ChannelCase

        coordinator = User.objects.get(pk=UserFactory(roles=[Role.PREVENT_COORDINATOR]).pk)
        started = time.perf_counter()
        made = make_cases(cases, coordinator)
        cases_seconds = time.perf_counter() - started
        entries_seconds = make_entries(entries, coordinator)
        analyse()
        # A case with the typical number of entries (about entries / cases).
        typical = entries // max(cases, 1)
        case = (ChannelCase.objects.annotate(n=Count("chronology")).filter(n__gte=typical)
                .order_by("n", "pk").values_list("pk", "n").first())
        client = signed_in_client(coordinator)
        results = measure(client, case[0], runs)
        print(json.dumps({"made": made, "entries": entries, "case_entries": case[1],
                          "cases_seconds": cases_seconds, "entries_seconds": entries_seconds,
                          "pages": results}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=100)
    args, _ = parser.parse_known_args()
    url = worker_url(sys.argv)
    if url is not False:
        return worker(url, args.cases, args.entries, args.runs)

    results = run_workers(__file__, ["--cases", str(args.cases), "--entries", str(args.entries),
                                     "--runs", str(args.runs)])
    rows, ok, missing = [], True, set()
    for label, result in results.items():
        baseline = result["pages"]["staff home page (baseline)"]["median"]
        for name, figures in result["pages"].items():
            is_baseline = "baseline" in name
            passed = figures["median"] <= TARGET_MS
            if not is_baseline:
                ok &= passed
            rows.append([
                label, name, f"{figures['median']:.1f}", f"{figures['p95']:.1f}",
                f"{figures['median'] / baseline:.1f}×", ", ".join(map(str, figures["queries"])),
                "" if is_baseline else ("✅" if passed else "❌"),
            ])
        missing |= {"case timeline"} - set(result["pages"])
    first = next(iter(results.values()))
    made = first["made"]
    load_times = "; ".join(
        f"{label}: cases {result['cases_seconds']:.0f} s, entries {result['entries_seconds']:.0f} s"
        for label, result in results.items())
    markdown = "\n\n".join([
        "## Channel case pages and work trays (issue 5)",
        f"`benchmarks/channel_pages.py`: {made['cases']:,} cases (people and referrals behind each, "
        "in every state, most of them closed) and "
        f"{first['entries']:,} timeline entries spread over them, made in bulk in a scratch database "
        f"(COPY on PostgreSQL, executemany on SQLite, in batches of 10,000; {load_times}), with "
        f"{made['information_requests']:,} information requests, {made['reviews']:,} reviews and "
        f"post-exit reviews, {made['plan_actions']:,} plan actions and {made['team_memberships']:,} team "
        "memberships for the trays. All synthetic and fictional. Each figure is over "
        f"{args.runs} requests (after 10 warm-up requests) as a Prevent coordinator, in-process "
        "through every middleware (session, second factor, access check, the audit event each page "
        "writes, rendering): server time from the `Server-Timing` header. The case page and timeline "
        f"are for a case with {first['case_entries']} entries (the typical number). The staff home "
        "page is the baseline, measured in the same run. The trays' query counts do not grow with "
        "the data (asserted in prevent_hub/channel/tests/test_trays.py). "
        f"Target: median ≤ {TARGET_MS} ms.",
        table(["database", "page", "median ms", "p95 ms", "× home page", "queries", "target"], rows),
        NOTE,
        *(["Not measured (the page did not exist when this ran): " + ", ".join(sorted(missing)) + "."]
          if missing else []),
    ])
    write_section("channel-pages", markdown)
    print(markdown)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
