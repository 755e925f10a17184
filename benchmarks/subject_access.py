"""A subject access bundle (issue 15): everything held about a person with
ten referrals and a Channel case with realistic content, as JSON and as a
PDF, on SQLite (and PostgreSQL with BENCH_DATABASE_URL).

    .venv/bin/python benchmarks/subject_access.py [--runs 5]

Synthetic, obviously fictional data in a scratch database (created and
dropped): the person (named in Polish) has ten referrals, each with a long
concern, and a Channel case in support with three completed assessments
(every factor, each dimension's judgement), a support plan with two
providers, six actions, twelve sessions, four reviews, forty notes, sixty
chronology entries, and 400 audit events about their records. A second
person with one referral and a case with one note is the small bundle the
query count is compared with.

Timed: `rights.bundle.bundle_build` + `documents.bundle_json` +
`documents.bundle_pdf`, median of `--runs` runs after a warm-up run.
Target: median < 10 s, and the same number of queries for the small bundle
as for the large one.
"""

import argparse
import datetime
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_common import (  # noqa: E402
    django_in,
    run_workers,
    scratch_database,
    timed,
    with_queries,
    worker_url,
)
from harness import percentile, table, write_section  # noqa: E402

TARGET_MS = 10_000
CONCERN = ("Fictional benchmark concern: the school noticed the pupil sharing made-up material in class and "
           "talking about a fictional group online; staff spoke to the family, who were worried too. ") * 6
TEXT = ("Fictional benchmark note: met the young person at school with their mentor; they talked about "
        "football and their exams, and about the made-up group they had mentioned before. ") * 2


def make_people():
    from django.utils import timezone

    from prevent_hub.access.roles import Role
    from prevent_hub.accounts.models import OrganisationType
    from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
    from prevent_hub.audit.models import AuditAction
    from prevent_hub.audit.services import audit_event_record
    from prevent_hub.channel import assessments as vaf
    from prevent_hub.channel.models import (
        Assessment,
        CaseStatus,
        ChronologyEntry,
        DimensionJudgement,
        FactorEvidence,
        Note,
        PlanAction,
        Review,
        ReviewKind,
        SupportPlan,
        SupportProvider,
        SupportSession,
    )
    from prevent_hub.channel.tests.factories import ChannelCaseFactory, NoteFactory
    from prevent_hub.people.tests.factories import PersonFactory
    from prevent_hub.referrals.tests.factories import ReferralFactory

    now, today, day = timezone.now(), timezone.localdate(), datetime.timedelta(days=1)
    chair = UserFactory(roles=[Role.CHANNEL_CHAIR], password="!")
    person = PersonFactory(given_name="Zażółć", family_name="Gęślą-Jaźń")
    case = ChannelCaseFactory(person=person, status=CaseStatus.SUPPORT, support_started_on=today - 120 * day,
                              opened_by=chair)
    referrals = [case.referral] + [ReferralFactory(person=person, concern_description=CONCERN)
                                   for _ in range(9)]
    dimensions = list(vaf.vaf_framework_current().dimensions.prefetch_related("factors"))
    for n in range(3):
        assessment = Assessment.objects.create(
            case=case, framework=dimensions[0].framework, kind="review",
            assessed_on=today - (90 - 30 * n) * day, created_by=chair, created_at=now, completed_at=now)
        FactorEvidence.objects.bulk_create([
            FactorEvidence(assessment=assessment, factor=factor, evidence="Fictional evidence.",
                           source="Fictional school")
            for dimension in dimensions for factor in dimension.factors.all()])
        DimensionJudgement.objects.bulk_create([
            DimensionJudgement(assessment=assessment, dimension=dimension, judgement=TEXT, author=chair,
                               written_at=now) for dimension in dimensions])
    plan = SupportPlan.objects.create(case=case, nature_of_support="Fictional mentoring.", updated_at=now,
                                      updated_by=chair)
    providers = [SupportProvider.objects.create(
        plan=plan, support_type="Mentoring", home_office_approved=True,
        organisation=OrganisationFactory(name=f"Fictional Mentoring {n}",
                                         type=OrganisationType.INTERVENTION_PROVIDER)) for n in range(2)]
    PlanAction.objects.bulk_create([
        PlanAction(case=case, description=f"Fictional action {n}", owner=chair, due_date=today + n * day,
                   created_by=chair, created_at=now) for n in range(6)])
    SupportSession.objects.bulk_create([
        SupportSession(case=case, provider=providers[n % 2], held_on=today - (100 - 7 * n) * day,
                       status="delivered", notes=TEXT, recorded_by=chair, recorded_at=now)
        for n in range(12)])
    Review.objects.bulk_create([
        Review(case=case, kind=ReviewKind.PANEL_REVIEW, due_date=today - (100 - 25 * n) * day,
               completed_on=today - (100 - 25 * n) * day, outcome=TEXT, recorded_by=chair) for n in range(4)])
    Note.objects.bulk_create([Note(case=case, text=TEXT, written_by=chair, written_at=now)
                              for _ in range(40)])
    ChronologyEntry.objects.bulk_create([
        ChronologyEntry(case=case, person=person, occurred_at=now - n * day, kind="status",
                        summary=f"Fictional timeline entry {n}", recorded_by=chair) for n in range(60)])
    records = [person, case, *referrals]
    for n in range(400):
        audit_event_record(action=AuditAction.VIEW, obj=records[n % len(records)], actor=chair)
    small = PersonFactory(given_name="Testina", family_name="Small")
    NoteFactory(case=ChannelCaseFactory(person=small))
    return person, small




def worker(url, runs):
    started = time.perf_counter()
    with scratch_database(url) as env, django_in(env):
        from pypdf import PdfReader

        from prevent_hub.rights.bundle import bundle_build
        from prevent_hub.rights.documents import bundle_json, bundle_pdf

        person, small = make_people()
        seeded = time.perf_counter() - started

        def bundle():
            document = bundle_build(person_id=person.pk)
            return document, bundle_json(document, status="Benchmark"), bundle_pdf(
                document, title="Subject access bundle (benchmark)", status="Benchmark")

        bundle()  # warm-up: fonts registered
        total_ms, build_ms, data = [], [], None
        for _ in range(runs):
            data, ms = timed(bundle)
            total_ms.append(ms)
            build_ms.append(timed(lambda: bundle_build(person_id=person.pk))[1])
        document, raw_json, pdf = data
        queries = (with_queries(lambda: bundle_build(person_id=small.pk))[1],
                   with_queries(lambda: bundle_build(person_id=person.pk))[1])
        return {
            "seed_seconds": seeded, "total_ms": total_ms, "build_ms": build_ms, "queries": queries,
            "items": sum(len(section["items"]) for section in document["sections"]),
            "pages": len(PdfReader(io.BytesIO(pdf)).pages), "pdf_kb": len(pdf) // 1024,
            "json_kb": len(raw_json) // 1024,
        }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args, _ = parser.parse_known_args()
    url = worker_url(sys.argv)
    if url is not False:
        import json

        print(json.dumps(worker(url, args.runs)))
        return 0

    results = run_workers(__file__, ["--runs", str(args.runs)])
    rows, ok = [], True
    for label, result in results.items():
        total, build = statistics.median(result["total_ms"]), statistics.median(result["build_ms"])
        passed = total < TARGET_MS and result["queries"][0] == result["queries"][1]
        ok &= passed
        rows += [
            [label, f"bundle of {result['items']} records: bundle_build + JSON + PDF", f"{total:.0f}",
             f"{percentile(result['total_ms'], 95):.0f}",
             f"{result['queries'][0]} (small), {result['queries'][1]} (large)", "✅" if passed else "❌"],
            [label, "of which bundle_build (reading every source)", f"{build:.0f}",
             f"{percentile(result['build_ms'], 95):.0f}", "", ""],
        ]
    first = next(iter(results.values()))
    seeded = "; ".join(f"{label}: {result['seed_seconds']:.0f} s" for label, result in results.items())
    markdown = "\n\n".join([
        "## Subject access bundle (issue 15)",
        "`benchmarks/subject_access.py`: a person (named in Polish) with ten referrals, each with a long "
        "concern, and a Channel case in support with three completed assessments (every factor, each "
        "dimension's judgement), a support plan with two providers, six actions, twelve sessions, four "
        "reviews, forty notes, sixty chronology entries and 400 audit events about their records. Made in a "
        f"scratch database ({seeded}); all synthetic and fictional. In-process, production-like settings. "
        f"Timed: `bundle_build` + `bundle_json` + `bundle_pdf`, median of {args.runs} runs after a warm-up "
        f"run. The JSON is {first['json_kb']} KB; the PDF {first['pdf_kb']} KB, {first['pages']} pages. "
        "Queries are `bundle_build`'s own, for a person with one referral and a case with one note (small) "
        f"and for this one (large). Target: median < {TARGET_MS / 1000:.0f} s, the same queries for both.",
        table(["database", "what", "median ms", "p95 ms", "queries", "target"], rows),
    ])
    write_section("subject-access", markdown)
    print(markdown)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
