"""Training compliance over 50,000 learners, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/training.py [--runs 100]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/training.py

Synthetic, obviously fictional learners made in bulk in a scratch database
(created and dropped): 50,000 in 300 organisations of uneven size (a few
large partners, many schools), in a dozen roles, some designated
safeguarding or Prevent leads, a few who have left; their completions over
the last five years (Prevent awareness, refreshers, the referrals course
for most leads, Channel awareness, local workshops; some never trained),
with each learner's dates worked out from them as the services do. Times,
in-process through every middleware (session, second factor, access check,
the audit event each page writes, rendering), server time from the
Server-Timing header: the compliance page by organisation and by role (a
training administrator's, over every learner, and a training lead's), the
API, one large organisation's learners (and its overdue ones), the CSV and
the Excel workbook of the compliance table, with the staff home page as the
baseline in the same run; and the reminder job's one query. Target (issue
18): compliance over 50,000 learners ≤ 100 ms median.
"""

import argparse
import datetime
import json
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_common import (  # noqa: E402
    analyse,
    django_in,
    explain,
    page_rows,
    plan_sections,
    run_workers,
    scratch_database,
    signed_in_client,
    time_pages,
    worker_url,
)
from harness import percentile, table, write_section  # noqa: E402

TARGET_MS = 100
LEARNERS = 50_000
ORGANISATIONS = 300
ROLES = ["Teacher", "Teaching assistant", "Headteacher", "Youth worker", "Social worker", "Nurse",
         "Receptionist", "Housing officer", "Librarian", "Community safety officer", "Police officer",
         "Early years practitioner"]
ROLE_WEIGHTS = [30, 15, 2, 6, 8, 8, 5, 5, 3, 4, 8, 6]


def _completions(rng, today) -> list[tuple[str, datetime.date]]:
    """One learner's completions: (course code, day)."""
    def day_within(years):
        return today - datetime.timedelta(days=rng.randrange(1, int(365 * years)))

    done = []
    if rng.random() >= 0.1:  # one in ten never trained
        awareness = day_within(5)
        done.append(("prevent-awareness", awareness))
        if rng.random() < 0.35 and (today - awareness).days > 400:
            done.append(("prevent-refresher", awareness + datetime.timedelta(
                days=rng.randrange(300, (today - awareness).days))))
        if rng.random() < 0.2:
            done.append(("channel-awareness", day_within(4)))
    if rng.random() < 0.05:
        done.append(("local-workshop", day_within(3)))
    return done


def seed(rng) -> dict:
    """300 organisations, 50,000 learners and their completions, in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from prevent_hub.access.roles import Role
    from prevent_hub.accounts.models import Organisation, OrganisationType, User
    from prevent_hub.accounts.tests.factories import UserFactory
    from prevent_hub.core.dates import add_months
    from prevent_hub.training.models import Completion, CompletionSource, Course, Learner
    from prevent_hub.training.services import learner_reference_new

    today = timezone.localdate()
    courses = {course.code: course for course in Course.objects.all()}
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Fictional Benchmark {'Trust' if n < 10 else 'School'} {n:03d} (demo)",
                      type=OrganisationType.OTHER) for n in range(ORGANISATIONS)])
    # A few large partners, then many schools of 50 to 300 staff.
    weights = [12 if n < 10 else rng.uniform(0.4, 1.6) for n in range(ORGANISATIONS)]
    learners, planned, references = [], [], set()
    for n in range(LEARNERS):
        organisation = rng.choices(organisations, weights)[0]
        lead = rng.random()
        dsl, prevent_lead = lead < 0.06, 0.06 <= lead < 0.09
        done = _completions(rng, today)
        if (dsl or prevent_lead) and done and done[0][0] == "prevent-awareness" and rng.random() < 0.7:
            done.append(("prevent-referrals", done[0][1] + datetime.timedelta(days=rng.randrange(0, 30))))
        done = list(dict.fromkeys((code, min(day, today)) for code, day in done))
        counting = [add_months(day, courses[code].refresh_months) for code, day in done
                    if courses[code].counts_for_compliance]
        referrals = [add_months(day, courses[code].refresh_months) for code, day in done
                     if courses[code].for_leads]
        reference = learner_reference_new()
        while reference in references:
            reference = learner_reference_new()
        references.add(reference)
        left = today - datetime.timedelta(days=rng.randrange(1, 700)) if rng.random() < 0.03 else None
        learners.append(Learner(
            reference=reference, full_name=f"Benchmark Example-Learner {n:05d}",
            email=f"learner{n:05d}@example.test", organisation=organisation,
            job_role=rng.choices(ROLES, ROLE_WEIGHTS)[0], is_safeguarding_lead=dsl,
            is_prevent_lead=prevent_lead, left_on=left, trained_until=max(counting, default=None),
            referrals_course_until=max(referrals, default=None),
            last_completed_on=max((day for _code, day in done), default=None)))
        planned.append(done)
    with transaction.atomic():
        Learner.objects.bulk_create(learners, batch_size=2000)
        ids = dict(Learner.objects.values_list("reference", "pk"))
        completions = [Completion(learner_id=ids[learner.reference], course=courses[code], completed_on=day,
                                  expires_on=add_months(day, courses[code].refresh_months),
                                  source=CompletionSource.IMPORT)
                       for learner, done in zip(learners, planned, strict=True) for code, day in done]
        Completion.objects.bulk_create(completions, batch_size=2000)
    sizes = {}
    for learner in learners:
        sizes[learner.organisation.pk] = sizes.get(learner.organisation.pk, 0) + 1
    school = max((pk for pk in sizes if pk not in {o.pk for o in organisations[:10]}), key=sizes.get)
    largest = max(sizes, key=sizes.get)
    administrator = User.objects.get(pk=UserFactory(roles=[Role.TRAINING_ADMINISTRATOR],
                                                    full_name="Benchmark Example Administrator").pk)
    lead = User.objects.get(pk=UserFactory(roles=[Role.TRAINING_LEAD], organisation_id=school,
                                           full_name="Benchmark Example Lead").pk)
    return {"administrator": administrator, "lead": lead, "largest": largest, "school": school,
            "largest_size": sizes[largest], "school_size": sizes[school], "completions": len(completions),
            "never": sum(not done for done in planned)}


PAGES = [
    ("staff home page (baseline)", False),
    ("compliance by organisation", True),
    ("compliance by role", True),
    ("compliance, a training lead's", True),
    ("API: compliance per organisation", True),
    ("largest organisation's learners", False),
    ("largest organisation's learners, overdue only", False),
    ("a school's learners, as its lead", False),
    ("compliance table as CSV", False),
    ("compliance table as Excel (both sheets)", False),
]


def requests_for(made) -> dict:
    from django.urls import reverse

    largest = reverse("training:organisation", kwargs={"pk": made["largest"]})
    school = reverse("training:organisation", kwargs={"pk": made["school"]})
    return {
        "staff home page (baseline)": ("administrator", reverse("staff:home"), {}),
        "compliance by organisation": ("administrator", reverse("training:home"), {}),
        "compliance by role": ("administrator", reverse("training:home"), {"by": "role"}),
        "compliance, a training lead's": ("lead", reverse("training:home"), {}),
        "API: compliance per organisation": ("api", "/api/v1/training/compliance", {}),
        "largest organisation's learners": ("administrator", largest, {}),
        "largest organisation's learners, overdue only": ("administrator", largest, {"standing": "overdue"}),
        "a school's learners, as its lead": ("lead", school, {}),
        "compliance table as CSV": ("administrator", reverse("training:compliance-csv"), {}),
        "compliance table as Excel (both sheets)": ("administrator", reverse("training:compliance-xlsx"), {}),
    }


def api_client(user):
    from django.test import Client

    from prevent_hub.api.services import api_token_issue
    from prevent_hub.audit.context import acting_as

    with acting_as(None):
        _, token = api_token_issue(user=user, scopes=["training:read"], name="Benchmark partner system")
    return Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")


def reminders(runs) -> dict:
    """The daily reminder job's query over every completion, timed alone."""
    import time

    from django.utils import timezone

    from prevent_hub.training.tasks import reminders_due

    today = timezone.localdate()
    times, found = [], 0
    for _ in range(max(runs // 5, 5)):
        started = time.perf_counter()
        found = len(list(reminders_due(today)))
        times.append((time.perf_counter() - started) * 1000)
    return {"median": statistics.median(times), "p95": percentile(times, 95), "due": found}


def plans(made):
    from django.utils import timezone

    from prevent_hub.accounts.models import Organisation
    from prevent_hub.training import compliance, selectors
    from prevent_hub.training.tasks import reminders_due

    today = timezone.localdate()
    admin, lead = made["administrator"], made["lead"]
    largest = Organisation.objects.get(pk=made["largest"])
    return {
        "compliance by organisation": explain(selectors.compliance_counted(
            selectors.learners_visible(user=admin), by="organisation", today=today)),
        "compliance by role": explain(selectors.compliance_counted(
            selectors.learners_visible(user=admin), by="role", today=today)),
        "a training lead's compliance": explain(selectors.compliance_counted(
            selectors.learners_visible(user=lead), by="organisation", today=today)),
        "largest organisation's first page of learners": explain(
            compliance.organisation_learners(user=admin, organisation=largest, today=today)[:25]),
        "the reminder job's query": explain(reminders_due(today)),
    }


def worker(url, runs):
    with scratch_database(url) as env, django_in(env):
        import time

        started = time.perf_counter()
        made = seed(random.Random(18))
        seeded = time.perf_counter() - started
        analyse()
        clients = {"administrator": signed_in_client(made["administrator"]),
                   "lead": signed_in_client(made["lead"]), "api": api_client(made["administrator"])}
        pages = time_pages({name: (clients[whose], path, params)
                            for name, (whose, path, params) in requests_for(made).items()}, runs)
        print(json.dumps({"pages": pages, "plans": plans(made), "seed_seconds": seeded,
                          "reminders": reminders(runs),
                          **{key: made[key] for key in ("largest_size", "school_size", "completions",
                                                        "never")}}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    args, _ = parser.parse_known_args()
    url = worker_url(sys.argv)
    if url is not False:
        return worker(url, args.runs)

    results = run_workers(__file__, ["--runs", str(args.runs)])
    rows, ok = page_rows(results, PAGES, baseline="staff home page (baseline)", target_ms=TARGET_MS)
    first = next(iter(results.values()))
    seeded = "; ".join(f"{label} {result['seed_seconds']:.0f} s" for label, result in results.items())
    reminder_rows = [[label, f"{result['reminders']['median']:.1f}", f"{result['reminders']['p95']:.1f}",
                      f"{result['reminders']['due']:,}"] for label, result in results.items()]
    markdown = "\n\n".join([
        "## Training compliance (issue 18)",
        f"`benchmarks/training.py`: {LEARNERS:,} learners in {ORGANISATIONS} organisations made in bulk in a "
        f"scratch database (seeded in {seeded}), all fictional: ten large partners and many schools (the "
        f"largest organisation has {first['largest_size']:,} learners, the school whose lead is measured "
        f"{first['school_size']:,}), a dozen roles, 6% designated safeguarding leads and 3% Prevent leads, "
        f"3% who have left; {first['completions']:,} completions over five years (Prevent awareness, "
        f"refreshers, the referrals course for most leads, Channel awareness, local workshops; "
        f"{first['never']:,} learners never trained), each learner's dates worked out from them. "
        f"Each figure is over {args.runs} requests (after 10 warm-up requests) as a training administrator "
        "(and a school's training lead for theirs, and an API token for the API), in-process through every "
        "middleware (session saved, second factor, access check, the audit event each page writes, "
        "rendering): server time from the `Server-Timing` header, with the staff home page as the "
        "baseline in the same run. The compliance page is one GROUP BY over an index holding every column "
        "the standing rules read (never the table), then the organisations' names (its summary cards are "
        "its rows added up; by role, one query to know whether the user sees one organisation instead of "
        "the names); an organisation's page is its counts, the list's count and a page of 25, "
        "by standing then name; the downloads are the same GROUP BY (the workbook twice, by organisation "
        "and by role). Tests hold each page to its query count. "
        f"Target: compliance over {LEARNERS:,} learners, median ≤ {TARGET_MS} ms.",
        table(["database", "page", "median ms", "p95 ms", "× home page", "queries", "target"], rows),
        "The daily reminder job's one query (completions whose refresh date is within "
        "`TRAINING_REMINDER_DAYS`, not superseded, not yet reminded), timed alone:",
        table(["database", "median ms", "p95 ms", "reminders due"], reminder_rows),
        "Query plans at this size:",
        *plan_sections(results),
    ])
    write_section("training", markdown)
    print(markdown)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
