"""What auditing a record view costs, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/audit_view_cost.py [--iterations 1000]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/audit_view_cost.py

One small staff view, defined here with its own URLconf: it reads one user
record through `access.scope` and renders it in the service's page layout.
Two URLs serve it, one writing the VIEW audit event (audit_view, as record
pages do) and one not. The two are requested
alternately (which goes first swaps each time) in one run, through every
middleware, and timed by the Server-Timing header; the trail already holds
100,000 events so the chain head and indexes are not trivially small.
Target: the audit write adds at most 10% to the view's median server time.
"""

import argparse
import json
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_common import (  # noqa: E402
    django_in,
    generate_events,
    make_users,
    run_workers,
    scratch_database,
    server_timing,
    signed_in_client,
    summary,
    worker_url,
)
from harness import table, write_section  # noqa: E402

TARGET_PCT = 10
BACKGROUND_EVENTS = 100_000

PAGE = """{% extends "layouts/base.html" %}
{% block title %}{{ subject.full_name }}{% endblock %}
{% block page_content %}
<h1 class="govuk-heading-xl">{{ subject.full_name }}</h1>
{% govuk "summary-list" rows=rows %}
{% endblock %}
"""

urlpatterns = []  # filled in by urlconf(), once Django is set up


def urlconf():
    """This module as the URLconf: the two benchmark views, then the service's
    own URLs (the page layout links to them)."""
    from django.http import HttpResponse
    from django.shortcuts import get_object_or_404
    from django.template import engines
    from django.urls import path

    from config.urls import urlpatterns as service_urls
    from prevent_hub.access import Action, requires, scope
    from prevent_hub.accounts.models import User
    from prevent_hub.audit.services import audit_view

    template = engines["django"].from_string(PAGE)

    def user_record(request, pk, audited):
        subject = get_object_or_404(
            scope(request.user, User.objects.select_related("organisation")), pk=pk)
        if audited:
            audit_view(subject)
        rows = [{"key": {"text": key}, "value": {"text": value}} for key, value in (
            ("Email address", subject.email), ("Organisation", subject.organisation.name),
            ("Job title", subject.job_title or "–"), ("Active", "Yes" if subject.is_active else "No"),
        )]
        return HttpResponse(template.render({"subject": subject, "rows": rows}, request))

    @requires(Action.USERS_MANAGE)
    def with_audit(request, pk):
        return user_record(request, pk, audited=True)

    @requires(Action.USERS_MANAGE)
    def without_audit(request, pk):
        return user_record(request, pk, audited=False)

    urlpatterns[:] = [
        path("staff/bench/audited/<int:pk>/", with_audit),
        path("staff/bench/not-audited/<int:pk>/", without_audit),
        *service_urls,
    ]
    return sys.modules[__name__]


def measure(client, paths, iterations, rng, users, toggle=None):
    """Alternate audited and unaudited requests (which goes first swaps each
    time); returns timings and query counts for each."""
    timings = {True: [], False: []}
    queries = {True: set(), False: set()}
    for index in range(iterations + 20):
        subject = rng.choice(users)
        for audited in ((True, False) if index % 2 else (False, True)):
            if toggle:
                toggle(audited)
            response = client.get(paths[audited].format(pk=subject.pk))
            assert response.status_code == 200, response.status_code
            if index < 20:
                continue  # warm-up
            ms, n = server_timing(response)
            timings[audited].append(ms)
            queries[audited].add(n)
    return {
        "with": {**summary(timings[True]), "queries": sorted(queries[True])},
        "without": {**summary(timings[False]), "queries": sorted(queries[False])},
        # Paired: each audited request against the unaudited one beside it.
        "paired_median_diff": statistics.median(
            a - b for a, b in zip(timings[True], timings[False], strict=True)),
    }


def worker(url, iterations):
    with scratch_database(url) as env, django_in(env):
        from django.test import override_settings

        import prevent_hub.administration.views as administration_views
        from prevent_hub.access.roles import Role
        from prevent_hub.accounts.tests.factories import UserFactory
        from prevent_hub.audit.models import AuditEvent
        from prevent_hub.audit.services import audit_view

        users = make_users(500)
        generate_events(BACKGROUND_EVENTS, users)
        admin = UserFactory(roles=[Role.SYSTEM_ADMINISTRATOR])
        client = signed_in_client(admin)
        rng = random.Random(3)
        results = {}
        before = AuditEvent.objects.count()
        with override_settings(ROOT_URLCONF=urlconf()):
            results["minimal view"] = measure(
                client, {True: "/staff/bench/audited/{pk}/", False: "/staff/bench/not-audited/{pk}/"},
                iterations, rng, users)

        # The product's own user record page, its audit write switched off for
        # every other request: the view's own and the one its declaration
        # (audit.shows) makes the middleware write when the view wrote none.
        import prevent_hub.audit.services as audit_services

        page_view = audit_services.audit_page_view

        def toggle(audited):
            administration_views.audit_view = audit_view if audited else (lambda *a, **k: None)
            audit_services.audit_page_view = page_view if audited else (lambda *a, **k: None)

        page = "/staff/administration/users/{pk}/"
        results["user record page"] = measure(
            client, {True: page, False: page}, iterations, rng, users, toggle)
        administration_views.audit_view = audit_view
        audit_services.audit_page_view = page_view
        written = AuditEvent.objects.count() - before
        assert written == 2 * (iterations + 20), written  # one per audited view, warm-up included
        print(json.dumps({"iterations": iterations, "views": results}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=1000)
    args, _ = parser.parse_known_args()
    url = worker_url(sys.argv)
    if url is not False:
        return worker(url, args.iterations)

    results = run_workers(__file__, ["--iterations", str(args.iterations)])
    rows, ok = [], True
    for label, result in results.items():
        for view, measured in result["views"].items():
            base = measured["without"]["median"]
            extra = measured["with"]["median"] - base
            pct = 100 * extra / base
            judged = view == "user record page"
            passed = pct <= TARGET_PCT
            ok &= passed or not judged
            rows.append([
                label, view, f"{base:.2f}", f"{measured['without']['p95']:.2f}",
                f"{measured['with']['median']:.2f}", f"{measured['with']['p95']:.2f}",
                f"{extra:+.2f} ms ({pct:+.1f}%)", f"{measured['paired_median_diff']:+.2f} ms",
                f"{measured['without']['queries']} → {measured['with']['queries']}",
                ("✅" if passed else "❌") if judged else ("(within)" if passed else "(over)"),
            ])
    markdown = "\n\n".join([
        "## Cost of auditing a record view (issue 3)",
        "`benchmarks/audit_view_cost.py`: the same view with and without its VIEW audit event, "
        f"{args.iterations:,} requests each, alternating (which goes first swaps every time), in "
        "one run through every middleware (session saved on every request, second factor, "
        "access check), in-process with production-like settings on a scratch database already "
        f"holding {BACKGROUND_EVENTS:,} events. Server time from the `Server-Timing` header. "
        "Two views: the product's **user record page** (`/staff/administration/users/<id>/`, "
        "the record view holding personal data that exists today; its `audit_view` call "
        "switched off for every other request), which the target is judged on; and a "
        "**minimal view** (one user read through `access.scope`, a summary list in the "
        "layout) as a lower bound on a record view's own time, so the worst case for the ratio. "
        f"Target: the audit write adds at most {TARGET_PCT}% to the median.",
        table(["database", "view", "without audit: median ms", "p95 ms", "with audit: median ms",
               "p95 ms", "overhead (medians)", "median of paired differences", "queries",
               "target"], rows),
        "How the write stays cheap: a read's event is written as the response leaves, inside "
        "the session update's own transaction (`audit.services.audit_read`, "
        "`accounts.middleware.SessionMiddleware`), so an audited page costs no extra commit; "
        "the event is plain SQL rather than ORM calls (which cost several times more to build "
        "than to run) — on PostgreSQL a single statement that takes the next sequence, hashes "
        "and inserts; the acting user's organisation is loaded with the user; and the event "
        "table carries four indexes, not six (the sequence is the primary key; action has no "
        "index of its own). Earlier in this issue, with the ORM and a commit of its own, the "
        "minimal view's audit write cost +28% (SQLite) and +34% (PostgreSQL). What is left "
        "on PostgreSQL is about one durable insert: on this 2-core machine the web process "
        "and the database share the cores, so each statement costs more here than on "
        "separate hosts.",
    ])
    write_section("audit-view-cost", markdown)
    print(markdown)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
