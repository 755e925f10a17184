"""Channel panel agendas and agenda packs with 10,000 open cases, on SQLite
and PostgreSQL.

    .venv/bin/python benchmarks/panels.py [--cases 10000] [--runs 15]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/panels.py

Synthetic, obviously fictional data made in bulk in a scratch database
(created and dropped): 10,000 open Channel cases (people and referrals behind
each) over ten panels' areas, most in support or the consent stages with
review dates spread over the coming year, a few dozen awaiting the panel,
some with consent refused and a re-assessment date, some exited with their
6- and 12-month post-exit reviews; consents, plan actions and completed
reviews for the cases in support; a year of held meetings with decided items;
the other panels' next meetings with their agendas built; timeline entries
and a chain of audit events already there.

1. `panels.agenda.agenda_build` for one panel's next meeting (in a week), on a
   fresh meeting each run (the previous run's meeting is cancelled, untimed,
   so its cases come back): the candidate queries, the items, one timeline
   entry per item and one audit event for the build, committed. Target: median ≤ 200 ms.
2. `panels.pack.agenda_pack` + `panels.pdf.agenda_pack_pdf` of a meeting with
   50 items for a Prevent coordinator. Target: median ≤ 5 s. The pack's
   queries for 10 and for 50 items are counted (they should be equal).

Baseline in the same run: the Channel case list's first page as its view
reads it (count and 25 rows, through the coordinator's access scope).
"""

import argparse
import datetime
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_common import (  # noqa: E402
    analyse,
    django_in,
    generate_events,
    make_users,
    run_workers,
    scratch_database,
    summary,
    timed,
    with_queries,
    worker_url,
)
from harness import table, write_section  # noqa: E402

AGENDA_TARGET_MS = 200
PACK_TARGET_MS = 5000
PACK_ITEMS = 50
SMALL_PACK_ITEMS = 10
AREAS = 10
BLANK_AREA_SHARE = 0.04  # cases with no area recorded: every panel may bring them in
ENTRIES = 100_000
EVENTS = 100_000
# Open cases by status (shares of --cases): none closed.
MIX = [("screening", 0.06), ("awaiting_panel", 0.0036), ("not_adopted", 0.01), ("adopted", 0.04),
       ("consent_sought", 0.07), ("consent_given", 0.09), ("consent_refused", 0.03), ("support", 0.6364),
       ("exited", 0.06)]
GIVEN = ["Testina", "Sampleton", "Fictitia", "Mockwell", "Dummia", "Examplo", "Instancia", "Trialla"]
FAMILY = ["Example", "Exampleton", "Specimen", "Placeholder", "Sample", "Testworth", "Demo", "Fakeley"]
OUTCOME = ("Fictional benchmark review: the panel heard from the intervention provider and the school; "
           "the person attends sessions and engages well; concerns reduced but not gone; support "
           "continues with the plan as revised at this review. ") * 2


def area_name(n: int) -> str:
    return f"Benchmark Area {n} (fictional)"


def make_world(count: int, *, seed: int = 21) -> dict:
    """Users, panels, `count` open cases and the records around them, in bulk."""
    import factory
    from django.utils import timezone

    from prevent_hub.access.roles import Role
    from prevent_hub.accounts.models import User
    from prevent_hub.accounts.tests.factories import UserFactory
    from prevent_hub.channel.models import (
        Area,
        CaseStatus,
        ChannelCase,
        Consent,
        ConsentAnswer,
        ConsentGiver,
        ConsentMethod,
        PlanAction,
        Review,
        ReviewKind,
    )
    from prevent_hub.panels.models import Panel
    from prevent_hub.people.models import Person
    from prevent_hub.referrals.models import GatewayOutcome, Referral, ReferralKind, ReferralStatus

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    # Unusable passwords, not hashed: nobody signs in, and hashing takes most of a second each.
    unusable = factory.Transformer.Force("!")
    coordinator = User.objects.get(pk=UserFactory(roles=[Role.PREVENT_COORDINATOR], password=unusable).pk)
    chair = User.objects.get(pk=UserFactory(roles=[Role.CHANNEL_CHAIR], password=unusable).pk)
    owners = [coordinator, chair,
              *(UserFactory(roles=[Role.INTERVENTION_PROVIDER], password=unusable) for _ in range(8))]
    areas = Area.objects.bulk_create([Area(name=area_name(n)) for n in range(1, AREAS + 1)])
    panels = Panel.objects.bulk_create([
        Panel(name=f"Benchmark Channel Panel {n} (fictional)", area=area, chair=chair, created_at=now,
              created_by=chair)
        for n, area in enumerate(areas, start=1)])

    Person.objects.bulk_create([
        Person(given_name=rng.choice(GIVEN), family_name=rng.choice(FAMILY), postcode="ZZ991AB",
               date_of_birth=today - datetime.timedelta(days=rng.randint(12 * 365, 45 * 365)),
               created_by=coordinator)
        for _ in range(count)], batch_size=5000)
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    referrals = []
    for index, person_id in enumerate(people):
        received_at = now - datetime.timedelta(days=rng.uniform(30, 900))
        referrals.append(Referral(
            reference=f"PRV-{received_at:%Y}-P{index + 1:06d}", kind=ReferralKind.PRACTITIONER,
            status=ReferralStatus.DECIDED, received_at=received_at,
            referrer_name=f"Benchmark Referrer {index}", subject_given_name="Benchmark",
            subject_family_name="Person", concern_description="Fictional benchmark concern.",
            person_id=person_id, police_shared_at=received_at + datetime.timedelta(hours=3),
            police_shared_method="secure_email", gateway_outcome=GatewayOutcome.PROCEED_TO_CHANNEL,
            gateway_reasons="Fictional benchmark reasons.",
            gateway_decided_on=(received_at + 3 * day).date()))
    Referral.objects.bulk_create(referrals, batch_size=2000)

    statuses = [status for status, _ in MIX]
    weights = [share for _, share in MIX]
    cases = []
    for index, referral in enumerate(Referral.objects.filter(reference__contains="-P").order_by("pk")):
        status = rng.choices(statuses, weights)[0]
        opened_at = referral.received_at + 4 * day
        opened_on = opened_at.date()
        adopted = status not in (CaseStatus.SCREENING, CaseStatus.AWAITING_PANEL, CaseStatus.NOT_ADOPTED)
        in_support = status in (CaseStatus.SUPPORT, CaseStatus.EXITED)
        area = None if rng.random() < BLANK_AREA_SHARE else areas[rng.randint(1, AREAS) - 1]
        cases.append(ChannelCase(
            reference=f"CH-P-{index + 1:06d}", person_id=referral.person_id, referral=referral, area=area,
            status=status, opened_at=opened_at, opened_by=coordinator,
            status_changed_at=opened_at + rng.randint(0, 20) * day,
            adopted_on=opened_on + 21 * day if adopted else None,
            support_started_on=opened_on + 40 * day if in_support else None,
            last_session_delivered_on=(today - rng.randint(0, 30) * day
                                       if status == CaseStatus.SUPPORT else None),
            # Reviews spread over the coming year (the last meeting took those due before it).
            next_review_date=(today + rng.randint(1, 365) * day
                              if status in (CaseStatus.CONSENT_GIVEN, CaseStatus.SUPPORT) else None),
            reassessment_date=(today + rng.randint(1, 270) * day
                               if status == CaseStatus.CONSENT_REFUSED else None),
            exit_date=today - rng.randint(1, 365) * day if status == CaseStatus.EXITED else None,
        ))
    ChannelCase.objects.bulk_create(cases, batch_size=2000)

    rows = list(ChannelCase.objects.values_list("pk", "status", "area_id", "opened_at", "exit_date"))
    consents, actions, reviews = [], [], []
    for pk, status, _area, opened_at, exit_date in rows:
        asked_on = opened_at.date() + 25 * day
        if status in (CaseStatus.CONSENT_GIVEN, CaseStatus.CONSENT_REFUSED, CaseStatus.SUPPORT,
                      CaseStatus.EXITED):
            if rng.random() < 0.2:  # asked before and refused, then asked again
                consents.append(Consent(
                    case_id=pk, giver=ConsentGiver.PERSON, giver_name="Benchmark Person (fictional)",
                    asked_by=coordinator, method=ConsentMethod.IN_PERSON, asked_on=asked_on - 10 * day,
                    answer=ConsentAnswer.REFUSED, answered_on=asked_on - 9 * day, recorded_by=coordinator,
                    recorded_at=now))
            consents.append(Consent(
                case_id=pk, giver=ConsentGiver.PARENT_OR_GUARDIAN, giver_name="Benchmark Parent (fictional)",
                giver_relationship="Mother", asked_by=coordinator, method=ConsentMethod.PHONE,
                asked_on=asked_on,
                answer=ConsentAnswer.REFUSED if status == CaseStatus.CONSENT_REFUSED else ConsentAnswer.GIVEN,
                answered_on=asked_on + day, recorded_by=coordinator, recorded_at=now))
        if status == CaseStatus.SUPPORT:
            for n in range(rng.randint(2, 5)):
                due = today + rng.randint(-20, 60) * day
                actions.append(PlanAction(
                    case_id=pk,
                    description=f"Fictional benchmark action {n + 1}: meet the mentor and report back.",
                    owner=rng.choice(owners), due_date=due, done_on=due if n == 0 else None,
                    created_by=coordinator, created_at=now))
            for n in range(rng.randint(1, 3)):
                done = today - (30 + 90 * n + rng.randint(0, 20)) * day
                reviews.append(Review(case_id=pk, kind=ReviewKind.PANEL_REVIEW, due_date=done,
                                      completed_on=done, outcome=OUTCOME, recorded_by=chair))
        if exit_date:
            for months in (6, 12):
                due = exit_date + datetime.timedelta(days=round(months * 30.44))
                reviews.append(Review(case_id=pk, kind=ReviewKind.POST_EXIT, months_after_exit=months,
                                      due_date=due, completed_on=due if due < today else None,
                                      outcome=OUTCOME if due < today else ""))
    Consent.objects.bulk_create(consents, batch_size=5000)
    PlanAction.objects.bulk_create(actions, batch_size=5000)
    Review.objects.bulk_create(reviews, batch_size=5000)
    made = {"cases": len(rows), "consents": len(consents), "plan_actions": len(actions),
            "reviews": len(reviews),
            "by_status": {status: sum(row[1] == status for row in rows) for status in statuses}}
    made.update(make_meetings(panels, rows, chair, rng))
    return {"coordinator": coordinator, "chair": chair, "panel": panels[0], "made": made}


def meeting_new(panel, chair, day, *, status="scheduled"):
    from django.utils import timezone

    from prevent_hub.panels.models import Minutes, PanelMeeting

    meeting = PanelMeeting.objects.create(
        panel=panel, date=day, start_time=datetime.time(10, 0), status=status,
        location="Committee Room 2, Fictional County Hall", created_at=timezone.now(), created_by=chair)
    Minutes.objects.create(meeting=meeting, updated_at=timezone.now(), updated_by=chair)
    return meeting


def make_meetings(panels, rows, chair, rng) -> dict:
    """A year of held meetings with decided items for every panel, and the
    other panels' next meetings with their agendas built (undecided)."""
    from django.utils import timezone

    from prevent_hub.panels.models import AgendaItem, AgendaReason, ItemDecision

    today = timezone.localdate()
    now = timezone.now()
    by_area = {}
    for pk, _status, area, *_ in rows:
        by_area.setdefault(area, []).append(pk)
    items, meetings = [], 0
    for number, panel in enumerate(panels, start=1):
        pool = by_area.get(panel.area_id, []) + by_area.get(None, [])
        for month in range(1, 13):
            held_on = today - datetime.timedelta(days=30 * month + 3)
            meeting = meeting_new(panel, chair, held_on, status="held")
            meetings += 1
            for position, case_id in enumerate(rng.sample(pool, min(30, len(pool))), start=1):
                items.append(AgendaItem(
                    meeting=meeting, case_id=case_id, position=position, reason=AgendaReason.REVIEW_DUE,
                    added_at=now, added_by=chair, decision=ItemDecision.CONTINUE_SUPPORT,
                    decision_method="consensus",
                    reasons="Fictional benchmark reasons.", decided_at=now, decided_by=chair,
                    minute="Fictional benchmark minute."))
        if number > 1:  # the other panels' next meetings, agendas built
            meeting = meeting_new(panel, chair, today + datetime.timedelta(days=3 + number))
            meetings += 1
            for position, case_id in enumerate(rng.sample(pool, min(40, len(pool))), start=1):
                items.append(AgendaItem(meeting=meeting, case_id=case_id, position=position,
                                        reason=AgendaReason.REVIEW_DUE, added_at=now, added_by=chair))
    AgendaItem.objects.bulk_create(items, batch_size=5000)
    return {"meetings": meetings, "agenda_items": len(items)}


def case_list_first_page(user):
    """What the case list view reads: the count and the first page's rows."""
    from django.core.paginator import Paginator

    from prevent_hub.channel.selectors import cases_visible
    from prevent_hub.channel.views.cases import CASES_PER_PAGE

    page = Paginator(cases_visible(user=user), CASES_PER_PAGE).get_page(1)  # counts
    return list(page.object_list)


def pack_runs(runs: int) -> int:
    return max(5, runs // 3)




def measure_baseline(coordinator, runs):
    for _ in range(5):
        case_list_first_page(coordinator)
    times = [timed(lambda: case_list_first_page(coordinator))[1] for _ in range(runs * 4)]
    _, queries = with_queries(lambda: case_list_first_page(coordinator))
    return {**summary(times), "queries": queries}


def meeting_lock_of_self(meeting):
    """panels.services.meeting_lock locking only the meeting's row (FOR UPDATE
    OF), the change suggested when PostgreSQL refuses the original."""
    from prevent_hub.panels.models import PanelMeeting

    return (PanelMeeting.objects.select_for_update(of=("self",)).select_related("panel", "minutes")
            .get(pk=meeting.pk))


def agenda_build_error(panel, chair) -> str:
    """'' if agenda_build works on this database as it is, else its error.
    If it fails, agenda.meeting_lock is replaced (in this process only) by
    meeting_lock_of_self, so that the build can still be timed."""
    from django.db import DatabaseError
    from django.utils import timezone

    from prevent_hub.panels import agenda
    from prevent_hub.panels.models import MeetingStatus, PanelMeeting

    meeting = meeting_new(panel, chair, timezone.localdate() + datetime.timedelta(days=7))
    try:
        agenda.agenda_build(meeting=meeting, acting_user=chair)
    except DatabaseError as error:
        agenda.meeting_lock = meeting_lock_of_self
        return f"{type(error).__name__}: {error}".strip()
    finally:
        PanelMeeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    return ""


def measure_agenda(panel, chair, runs):
    """agenda_build on a fresh meeting each run; the meeting is cancelled
    afterwards (untimed) so the next run brings in the same cases."""
    from django.utils import timezone

    from prevent_hub.panels.agenda import agenda_build, agenda_candidates
    from prevent_hub.panels.models import AgendaReason, MeetingStatus, PanelMeeting

    error = agenda_build_error(panel, chair)
    day = timezone.localdate() + datetime.timedelta(days=7)
    times, candidate_times, counts, queries, reasons = [], [], set(), set(), {}
    for run in range(runs + 2):  # one run counting queries, one warm-up run
        meeting = meeting_new(panel, chair, day)
        found = PanelMeeting.objects.select_related("panel").get(pk=meeting.pk)
        candidates, candidates_ms = timed(lambda found=found: agenda_candidates(meeting=found))
        meeting = PanelMeeting.objects.get(pk=meeting.pk)
        build = lambda meeting=meeting: agenda_build(meeting=meeting, acting_user=chair)  # noqa: E731
        if run == 0:
            items, n = with_queries(build)
            queries.add(n)
            for _case, _person, reason, _review, _outside in candidates:
                key = AgendaReason(reason).value
                reasons[key] = reasons.get(key, 0) + 1
        else:
            items, build_ms = timed(build)
            if run >= 2:
                times.append(build_ms)
                candidate_times.append(candidates_ms)
        counts.add(len(items))
        PanelMeeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    return {**summary(times), "items": sorted(counts), "queries": sorted(queries), "reasons": reasons,
            "candidates_median": statistics.median(candidate_times), "error": error}


def pack_meeting(panel, chair, case_ids, *, with_invitees=True):
    """A meeting (three weeks on) with an item for each case in `case_ids`."""
    from django.utils import timezone

    from prevent_hub.channel.models import CaseStatus, ChannelCase, Review, ReviewKind
    from prevent_hub.panels.models import AgendaItem, AgendaReason, ItemInvitee

    now = timezone.now()
    meeting = meeting_new(panel, chair, timezone.localdate() + datetime.timedelta(days=21))
    statuses = dict(ChannelCase.objects.filter(pk__in=case_ids).values_list("pk", "status"))
    post_exit = dict(Review.objects.filter(case_id__in=case_ids, kind=ReviewKind.POST_EXIT,
                                           completed_on__isnull=True).order_by("due_date")
                     .values_list("case_id", "pk"))
    reason_of = {CaseStatus.AWAITING_PANEL: AgendaReason.AWAITING_DECISION,
                 CaseStatus.CONSENT_REFUSED: AgendaReason.REASSESSMENT_DUE,
                 CaseStatus.EXITED: AgendaReason.POST_EXIT_REVIEW_DUE}
    items = AgendaItem.objects.bulk_create([
        AgendaItem(meeting=meeting, case_id=case_id, position=position,
                   reason=reason_of.get(statuses[case_id], AgendaReason.REVIEW_DUE),
                   review_id=post_exit.get(case_id) if statuses[case_id] == CaseStatus.EXITED else None,
                   added_at=now, added_by=chair)
        for position, case_id in enumerate(case_ids, start=1)])
    if with_invitees:
        ItemInvitee.objects.bulk_create([
            ItemInvitee(item=item, name=f"Benchmark Referrer {item.position} (fictional)",
                        organisation_name="Benchmark Academy (fictional)", invited_at=now, invited_by=chair)
            for item in items if item.position % 3 == 0])
    return meeting


def pack_cases(panel, count):
    """`count` cases of the panel's area, in the mix an agenda has: mostly
    reviews, some decisions, re-assessments and post-exit reviews."""
    from django.db.models import Q

    from prevent_hub.channel.models import CaseStatus, ChannelCase

    wanted = [(CaseStatus.AWAITING_PANEL, count // 10), (CaseStatus.CONSENT_REFUSED, count // 20),
              (CaseStatus.EXITED, count // 10)]
    wanted.append((CaseStatus.SUPPORT, count - sum(n for _, n in wanted)))
    ids = []
    for status, n in wanted:
        ids += list(ChannelCase.objects.filter(Q(area=panel.area_id) | Q(area__isnull=True), status=status)
                    .order_by("pk")
                    .values_list("pk", flat=True)[:n])
    return ids


def measure_pack(panel, chair, coordinator, runs):
    from prevent_hub.panels.pack import agenda_pack
    from prevent_hub.panels.pdf import agenda_pack_pdf
    from prevent_hub.panels.selectors import meeting_get

    case_ids = pack_cases(panel, PACK_ITEMS)
    big = pack_meeting(panel, chair, case_ids)
    small = pack_meeting(panel, chair, case_ids[:SMALL_PACK_ITEMS])
    pack_queries = {}
    for label, meeting in (("small", small), ("big", big)):
        fetched = meeting_get(user=coordinator, pk=meeting.pk)
        pack, pack_queries[label] = with_queries(
            lambda fetched=fetched: agenda_pack(meeting=fetched, user=coordinator))
        assert len(pack["items"]) == (SMALL_PACK_ITEMS if label == "small" else PACK_ITEMS)
        assert not pack["withheld"]
    totals, packs, pdfs, sizes, pages = [], [], [], set(), set()
    for run in range(runs + 1):  # one warm-up run
        meeting = meeting_get(user=coordinator, pk=big.pk)
        started = time.perf_counter()
        pack = agenda_pack(meeting=meeting, user=coordinator)
        built = time.perf_counter()
        pdf = agenda_pack_pdf(pack)
        finished = time.perf_counter()
        if run:
            packs.append((built - started) * 1000)
            pdfs.append((finished - built) * 1000)
            totals.append((finished - started) * 1000)
        sizes.add(len(pdf))
        pages.add(len(re.findall(rb"/Type /Page[^s]", pdf)))
    return {**summary(totals), "pack_median": statistics.median(packs), "pdf_median": statistics.median(pdfs),
            "bytes": max(sizes), "pages": sorted(pages), "queries_small": pack_queries["small"],
            "queries_big": pack_queries["big"]}


def worker(url, cases, runs):
    with scratch_database(url) as env, django_in(env):
        from channel_pages import make_entries

        started = time.perf_counter()
        world = make_world(cases)
        entries_seconds = make_entries(ENTRIES, world["coordinator"])
        events_seconds = generate_events(EVENTS, make_users(200))
        seeded = time.perf_counter() - started
        analyse()
        baseline = measure_baseline(world["coordinator"], runs)
        agenda = measure_agenda(world["panel"], world["chair"], runs)
        pack = measure_pack(world["panel"], world["chair"], world["coordinator"], pack_runs(runs))
        from django.conf import settings

        print(json.dumps({
            "lookahead": settings.PANEL_AGENDA_LOOKAHEAD_DAYS, "made": world["made"], "seed_seconds": seeded,
            "entries_seconds": entries_seconds, "events_seconds": events_seconds, "baseline": baseline,
            "agenda": agenda, "pack": pack}))


NOTE = (
    "Where the time goes (profiled on the same data). *agenda_build* grows with the items it adds, not "
    "with the open cases. Finding them is four queries on the case indexes (by status, next review and "
    "re-assessment date) and, for post-exit reviews, on the `review_due` index filtered by the review's "
    "own case columns. Writing is two bulk inserts (items, timeline entries), the meeting's row and one "
    "audit event for the whole build naming every item and case, then the commit. An earlier version "
    "wrote one chained audit event per item (three statements each on SQLite, one on PostgreSQL): on "
    "PostgreSQL, where every statement is a round trip, that was about half the build (110-115 ms median "
    "with the machine quiet, 240 ms with a test run sharing its two cores), which is why the build is "
    "audited once. *The pack*: building its content is a fixed number of queries (the items with their "
    "cases and people, then consents, open actions, completed reviews, invitees, panel actions and "
    "addenda, and the access check) and about a tenth of the time; the rest is ReportLab laying out and "
    "drawing the pages of paragraphs and tables (`Paragraph.wrap`, `Table._calc_height`), a good part of "
    "it in ReportLab's pure-Python fallbacks for string widths, number formatting and ASCII85 (`rl_accel`"
    " not installed)."
)
REASON_TEXT = {"awaiting_decision": "awaiting a decision", "review_due": "review due",
               "reassessment_due": "re-assessment due", "post_exit_review_due": "post-exit review due"}
PATCHED = ("agenda_build with `meeting_lock` locking only the meeting row "
           "(`select_for_update(of=(\"self\",))`, patched in for this run)")


def result_rows(label, result):
    """Table rows for one database, and whether its targets were met."""
    base, agenda, pack = result["baseline"], result["agenda"], result["pack"]
    ratio = lambda ms: f"{ms / base['median']:.0f}×"  # noqa: E731
    items = ", ".join(map(str, agenda["items"]))
    agenda_ok = agenda["median"] <= AGENDA_TARGET_MS
    pack_ok = pack["median"] <= PACK_TARGET_MS and pack["queries_small"] == pack["queries_big"]
    rows = [[label, "baseline: case list, first page (count and 25 rows)", f"{base['median']:.1f}",
             f"{base['p95']:.1f}", "1×", base["queries"], ""]]
    if agenda["error"]:
        rows.append([label, f"agenda_build as it is: fails with `{agenda['error']}`", "–", "–", "–", "–",
                     "❌"])
    rows += [
        [label, f"{PATCHED if agenda['error'] else 'agenda_build'}: {items} items added",
         f"{agenda['median']:.1f}", f"{agenda['p95']:.1f}", ratio(agenda["median"]),
         ", ".join(map(str, agenda["queries"])),
         ("(within)" if agenda_ok else "(over)") if agenda["error"] else ("✅" if agenda_ok else "❌")],
        [label, "finding the cases alone (agenda_candidates, timed on its own)",
         f"{agenda['candidates_median']:.1f}", "", ratio(agenda["candidates_median"]), "", ""],
        [label, f"agenda pack of {PACK_ITEMS} items: agenda_pack + agenda_pack_pdf", f"{pack['median']:.0f}",
         f"{pack['p95']:.0f}", ratio(pack["median"]),
         f"{pack['queries_small']} ({SMALL_PACK_ITEMS} items), {pack['queries_big']} ({PACK_ITEMS} items)",
         "✅" if pack_ok else "❌"],
        [label, "of which agenda_pack / agenda_pack_pdf (ms)",
         f"{pack['pack_median']:.0f} / {pack['pdf_median']:.0f}", "", "", "", ""],
    ]
    return rows, agenda_ok and pack_ok and not agenda["error"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=25)
    args, _ = parser.parse_known_args()
    url = worker_url(sys.argv)
    if url is not False:
        return worker(url, args.cases, args.runs)

    results = run_workers(__file__, ["--cases", str(args.cases), "--runs", str(args.runs)])
    rows, ok = [], True
    for label, result in results.items():
        more, passed = result_rows(label, result)
        rows += more
        ok &= passed
    first = next(iter(results.values()))
    made, agenda, pack = first["made"], first["agenda"], first["pack"]
    mix = ", ".join(f"{n:,} {status.replace('_', ' ')}" for status, n in made["by_status"].items())
    reasons = ", ".join(f"{n} {REASON_TEXT.get(reason, reason)}" for reason, n in agenda["reasons"].items())
    seeded = "; ".join(f"{label}: {result['seed_seconds']:.0f} s" for label, result in results.items())
    failed = [label for label, result in results.items() if result["agenda"]["error"]]
    notes = []
    if failed:
        notes.append(
            f"On {', '.join(failed)}, `agenda_build` does not work: `panels.services.meeting_lock` locks "
            "the meeting with `select_for_update().select_related(\"panel\", \"minutes\")`, and the "
            "minutes are the nullable side of an outer join, which PostgreSQL refuses to lock (SQLite "
            "ignores FOR UPDATE, so the tests pass there). Every service that locks a meeting through it "
            "(agenda, decisions, minutes, invitations, attendance, cancelling, notices) fails the same way. "
            "Locking only the meeting row, "
            "`select_for_update(of=(\"self\",))`, fixes it; the row marked *patched in* was timed with that "
            "change made in the benchmark's own process, and is not a pass until the service is changed.")
    notes.append(NOTE)
    markdown = "\n\n".join([
        "## Panel agendas and agenda packs (issue 6)",
        f"`benchmarks/panels.py`: {made['cases']:,} open Channel cases (none closed; people and referrals "
        f"behind each: {mix}) over {AREAS} panels' areas ({BLANK_AREA_SHARE:.0%} with no area recorded, "
        "which every panel may bring in), reviews and re-assessments due on dates spread over the coming "
        "year, exits over the past year with their 6- and 12-month post-exit reviews; "
        f"{made['consents']:,} consents, {made['plan_actions']:,} plan actions and {made['reviews']:,} "
        f"reviews; {made['meetings']} meetings with {made['agenda_items']:,} items (a year of held meetings "
        "for each panel, the other panels' next meetings with their agendas built); "
        f"{ENTRIES:,} timeline entries and {EVENTS:,} audit events already there. Made in bulk in a scratch "
        f"database ({seeded}); all synthetic and fictional. In-process, production-like settings.",
        f"*agenda_build*: one panel's meeting a week ahead (look-ahead {first['lookahead']} days), a fresh "
        f"meeting each run, median of {args.runs} runs after a warm-up run; each run commits the items, a "
        "timeline entry per item and one audit event for the build (the previous run's meeting is "
        "cancelled, untimed, so "
        f"the same cases come back). Every build adds the same {', '.join(map(str, agenda['items']))} items "
        f"({reasons}). *Agenda pack*: a meeting with {PACK_ITEMS} items (cases in support with their "
        "consents, open plan actions and 1-3 completed panel reviews; some awaiting a decision, with consent "
        "refused, or exited with a post-exit review due; a third with someone invited for the item), for a "
        "Prevent coordinator: the meeting read as its page reads it (untimed), then `agenda_pack` and "
        f"`agenda_pack_pdf` timed together, median of {pack_runs(args.runs)} runs after a warm-up run. "
        f"The PDF is {pack['bytes'] / 1024:.0f} KB, {', '.join(map(str, pack['pages']))} pages. Pack "
        f"queries are `agenda_pack`'s own, for a meeting of {SMALL_PACK_ITEMS} items and one of "
        f"{PACK_ITEMS}. "
        "Baseline, same run: the Channel case list's first page as its view reads it (through the "
        f"coordinator's access scope). Targets: `agenda_build` median ≤ {AGENDA_TARGET_MS} ms; pack and PDF "
        f"of {PACK_ITEMS} items median ≤ {PACK_TARGET_MS / 1000:.0f} s, with the same queries for "
        f"{SMALL_PACK_ITEMS} items as for {PACK_ITEMS}.",
        table(["database", "what", "median ms", "p95 ms", "× baseline", "queries", "target"], rows),
        *notes,
    ])
    write_section("panels", markdown)
    print(markdown)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
