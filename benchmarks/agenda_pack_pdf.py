"""The agenda pack PDF of a 50-item meeting whose cases each have a full item
section (issue 14), on SQLite (and PostgreSQL with BENCH_DATABASE_URL).

    .venv/bin/python benchmarks/agenda_pack_pdf.py [--items 50] [--runs 9]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/agenda_pack_pdf.py

Synthetic, obviously fictional data in a scratch database (created and
dropped): one meeting with `--items` cases in support, each with a referral
whose concern is a long paragraph, three completed assessments with every
factor and each dimension's judgement, a support plan with two providers,
six actions and twelve sessions, and four completed reviews; one person in
five has a name in Arabic, Urdu, Polish or Turkish, and so do some of the
expected attendees.

Timed: `panels.pack.agenda_pack` + `panels.pdf.agenda_pack_pdf` for the
chair, median of `--runs` runs after a warm-up run. Target: median ≤ 5 s.
Baseline in the same run: the minutes PDF of the same meeting
(`minutes_document` + `minutes_pdf`: the same items without their
briefings). The pack's queries are counted for a meeting of 10 items and one
of 50 (they should be equal).
"""

import argparse
import datetime
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

TARGET_MS = 5000
SMALL_ITEMS = 10
NAMES = [("يوسف", "المثال"), ("عائشہ", "فرضی"), ("Zażółć", "Gęślą-Jaźń"), ("Ğülşen", "Işıkçı")]
CONCERN = ("Fictional benchmark concern: the school noticed the pupil sharing made-up material in class and "
           "talking about a fictional group online; staff spoke to the family, who were worried too. ") * 6
JUDGEMENT = ("Fictional benchmark judgement: the evidence shows a need for belonging and some grievance, "
             "with no intent or capability found; mentoring is helping and the family are engaged. ") * 3


def make_meeting(items: int, *, small: int):
    """The meeting, its chair and a second meeting with the first `small` cases."""
    from django.utils import timezone

    from prevent_hub.access.roles import Role
    from prevent_hub.accounts.models import OrganisationType
    from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
    from prevent_hub.channel import assessments as vaf
    from prevent_hub.channel.models import (
        Assessment,
        CaseStatus,
        DimensionJudgement,
        FactorEvidence,
        PlanAction,
        Review,
        ReviewKind,
        SupportPlan,
        SupportProvider,
        SupportSession,
    )
    from prevent_hub.channel.tests.factories import ChannelCaseFactory
    from prevent_hub.panels.models import AgendaItem
    from prevent_hub.panels.tests.factories import PanelMeetingFactory, member_add
    from prevent_hub.people.tests.factories import PersonFactory

    now, today = timezone.now(), timezone.localdate()
    day = datetime.timedelta(days=1)
    meeting = PanelMeetingFactory(date=today + 2 * day)
    second = PanelMeetingFactory(panel=meeting.panel, date=today + 3 * day)
    chair = meeting.panel.chair
    for n in range(12):
        given, family = NAMES[n % len(NAMES)] if n % 3 == 0 else ("Testmember", f"Example {n}")
        member_add(meeting.panel, UserFactory(roles=[Role.PANEL_MEMBER], full_name=f"{given} {family}",
                                              password="!"))
    owners = [UserFactory(roles=[Role.PREVENT_COORDINATOR], password="!") for _ in range(3)]
    providers = [OrganisationFactory(name=f"Fictional Mentoring {n}",
                                     type=OrganisationType.INTERVENTION_PROVIDER) for n in range(2)]
    dimensions = list(vaf.vaf_framework_current().dimensions.prefetch_related("factors"))
    for index in range(items):
        given, family = NAMES[index % len(NAMES)] if index % 5 == 0 else ("Testina", f"Benchmark {index}")
        case = ChannelCaseFactory(person=PersonFactory(given_name=given, family_name=family),
                                  status=CaseStatus.SUPPORT, support_started_on=today - 120 * day,
                                  opened_by=chair)
        case.referral.concern_description = CONCERN
        case.referral.concern_prompts = ["online_activity", "contact_with_groups"]
        case.referral.save(update_fields=["concern_description", "concern_prompts"])
        for n in range(3):
            assessment = Assessment.objects.create(
                case=case, framework=dimensions[0].framework, kind="review",
                assessed_on=today - (90 - 30 * n) * day, created_by=chair, created_at=now, completed_at=now)
            FactorEvidence.objects.bulk_create([
                FactorEvidence(assessment=assessment, factor=factor, evidence="Fictional evidence.",
                               source="Fictional school")
                for dimension in dimensions for factor in dimension.factors.all()])
            DimensionJudgement.objects.bulk_create([
                DimensionJudgement(assessment=assessment, dimension=dimension, judgement=JUDGEMENT,
                                   author=chair, written_at=now) for dimension in dimensions])
        plan = SupportPlan.objects.create(case=case, nature_of_support="Fictional mentoring.", updated_at=now,
                                          updated_by=chair)
        plan_providers = [SupportProvider.objects.create(plan=plan, organisation=organisation,
                                                         support_type="Mentoring", home_office_approved=True)
                          for organisation in providers]
        PlanAction.objects.bulk_create([
            PlanAction(case=case, description=f"Fictional benchmark action {n}: arrange the next step",
                       owner=owners[n % 3], due_date=today + (n - 3) * 7 * day,
                       done_on=today - day if n < 3 else None, created_by=chair, created_at=now)
            for n in range(6)])
        SupportSession.objects.bulk_create([
            SupportSession(case=case, provider=plan_providers[n % 2], held_on=today - (100 - 7 * n) * day,
                           status="delivered" if n % 4 else "missed", recorded_by=chair, recorded_at=now)
            for n in range(12)])
        Review.objects.bulk_create([
            Review(case=case, kind=ReviewKind.PANEL_REVIEW, due_date=today - (100 - 25 * n) * day,
                   completed_on=today - (100 - 25 * n) * day, outcome=JUDGEMENT, recorded_by=chair)
            for n in range(4)])
        for target, position in ((meeting, index + 1), (second, index + 1)):
            if target is second and index >= small:
                continue
            AgendaItem.objects.create(meeting=target, case=case, position=position, reason="review_due",
                                      added_at=now, added_by=chair)
    return meeting, second, chair




def worker(url, items, runs):
    started = time.perf_counter()
    with scratch_database(url) as env, django_in(env):
        from pypdf import PdfReader

        from prevent_hub.panels.pack import agenda_pack, minutes_document
        from prevent_hub.panels.pdf import agenda_pack_pdf, minutes_pdf

        meeting, small, chair = make_meeting(items, small=SMALL_ITEMS)
        seeded = time.perf_counter() - started

        def pack():
            return agenda_pack_pdf(agenda_pack(meeting=meeting, user=chair))

        def baseline():
            return minutes_pdf(minutes_document(meeting=meeting, user=chair))

        pack(), baseline()  # warm-up: fonts registered, caches filled
        pack_ms, baseline_ms, data = [], [], b""
        for _ in range(runs):
            data, ms = timed(pack)
            pack_ms.append(ms)
            baseline_ms.append(timed(baseline)[1])
        _, content_ms = timed(lambda: agenda_pack(meeting=meeting, user=chair))
        queries = (with_queries(lambda: agenda_pack(meeting=small, user=chair))[1],
                   with_queries(lambda: agenda_pack(meeting=meeting, user=chair))[1])
        import io

        pages = len(PdfReader(io.BytesIO(data)).pages)
        return {
            "seed_seconds": seeded, "pack_ms": pack_ms, "baseline_ms": baseline_ms, "content_ms": content_ms,
            "queries": queries, "pages": pages, "kb": len(data) // 1024,
        }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--runs", type=int, default=9)
    args, _ = parser.parse_known_args()
    url = worker_url(sys.argv)
    if url is not False:
        import json

        print(json.dumps(worker(url, args.items, args.runs)))
        return 0

    results = run_workers(__file__, ["--items", str(args.items), "--runs", str(args.runs)])
    rows, ok = [], True
    for label, result in results.items():
        pack, base = statistics.median(result["pack_ms"]), statistics.median(result["baseline_ms"])
        passed = pack <= TARGET_MS and result["queries"][0] == result["queries"][1]
        ok &= passed
        rows += [
            [label, "baseline: minutes PDF of the same meeting (no briefings)", f"{base:.0f}",
             f"{percentile(result['baseline_ms'], 95):.0f}", "1×", "", ""],
            [label, f"agenda pack PDF of {args.items} items: agenda_pack + agenda_pack_pdf", f"{pack:.0f}",
             f"{percentile(result['pack_ms'], 95):.0f}", f"{pack / base:.1f}×",
             f"{result['queries'][0]} ({SMALL_ITEMS} items), {result['queries'][1]} ({args.items} items)",
             "✅" if passed else "❌"],
            [label, "of which agenda_pack (content, one run)", f"{result['content_ms']:.0f}", "", "", "", ""],
        ]
    first = next(iter(results.values()))
    seeded = "; ".join(f"{label}: {result['seed_seconds']:.0f} s" for label, result in results.items())
    markdown = "\n\n".join([
        "## Agenda pack PDF with every item's briefing (issue 14)",
        f"`benchmarks/agenda_pack_pdf.py`: one meeting of {args.items} items, each case in support with a "
        "referral whose concern is a long paragraph, three completed assessments (every factor, each "
        "dimension's judgement), a support plan with two providers, six actions and twelve sessions, and "
        "four completed reviews; one person in five named in Arabic, Urdu, Polish or Turkish, and some "
        "expected attendees too. Made in a scratch database "
        f"({seeded}); all synthetic and fictional. In-process, production-like settings. "
        f"Timed: `agenda_pack` + `agenda_pack_pdf` for the chair, median of {args.runs} runs after a "
        f"warm-up run. The PDF is {first['kb']} KB, {first['pages']} pages (cover, attendance, an item per "
        "page), in the bundled Noto fonts with Arabic shaping. Baseline, same run: the minutes PDF of the "
        "same meeting (the items without their briefings). Queries are `agenda_pack`'s own, for a meeting "
        f"of {SMALL_ITEMS} items and one of {args.items}. Target: median ≤ {TARGET_MS / 1000:.0f} s, the "
        "same queries for 10 items as for 50.",
        table(["database", "what", "median ms", "p95 ms", "× baseline", "queries", "target"], rows),
    ])
    write_section("agenda-pack-pdf", markdown)
    print(markdown)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
