"""The triage queue: tabs, clocks, overdue, filters, paging, export, access
and a fixed number of queries whatever the queue's length."""

import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.administration.tests.helpers import HOSTILE, assert_escaped, error_summary, input_value
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.core.working_days import WorkingCalendar, start_of_day
from prevent_hub.referrals.models import GatewayOutcome, ReferralKind, ReferralStatus

from .factories import PublicReferralFactory, ReferralFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("triage:queue")
EXPORT = reverse("triage:export")


@pytest.fixture
def coordinator(staff_client):
    return staff_client(Role.PREVENT_COORDINATOR)


@pytest.fixture
def police(staff_client):
    return staff_client(Role.POLICE_PRACTITIONER)


def days_ago(days, hour=10):
    day = timezone.localdate() - datetime.timedelta(days=days)
    return start_of_day(day) + datetime.timedelta(hours=hour)


def awaiting(**fields):
    fields.setdefault("police_shared_at", timezone.now())
    return ReferralFactory(status=ReferralStatus.AWAITING_GATEWAY, **fields)


def decided(outcome=GatewayOutcome.NO_FURTHER_ACTION, **fields):
    fields.setdefault("police_shared_at", timezone.now())
    return ReferralFactory(status=ReferralStatus.DECIDED, gateway_outcome=outcome,
                           gateway_decided_on=timezone.localdate(), gateway_reasons="Fictional.",
                           **fields)


def rows(response):
    soup = BeautifulSoup(response.content, "html5lib")
    return [[cell.get_text(" ", strip=True) for cell in row.select("th, td")]
            for row in soup.select("table.govuk-table tbody tr")]


def references(response):
    return [row[0] for row in rows(response)]


def tab_links(response):
    soup = BeautifulSoup(response.content, "html5lib")
    return {link.get_text(" ", strip=True): link.get("aria-current")
            for link in soup.select(".govuk-tabs__tab")}


# Tabs and order -------------------------------------------------------------------


def test_new_referrals_come_first_oldest_first_with_counts_on_every_tab(coordinator):
    newer = ReferralFactory(received_at=days_ago(0))
    older = ReferralFactory(received_at=days_ago(20))
    awaiting()
    decided()
    decided()
    response = coordinator.get(QUEUE)
    assert response.status_code == 200
    assert references(response) == [older.reference, newer.reference]
    tabs = tab_links(response)
    assert tabs == {"New (2, 1 overdue)": "page", "Awaiting gateway outcome (1)": None, "Decided (2)": None}


def test_awaiting_tab_lists_referrals_shared_with_police(coordinator):
    ReferralFactory()
    first = awaiting(received_at=days_ago(3))
    second = awaiting(received_at=days_ago(1))
    response = coordinator.get(QUEUE, {"tab": "awaiting"})
    assert references(response) == [first.reference, second.reference]
    assert tab_links(response)["Awaiting gateway outcome (2)"] == "page"


def test_decided_tab_shows_outcomes_newest_first(coordinator):
    older = decided(GatewayOutcome.SIGNPOSTED, received_at=days_ago(30))
    newer = decided(GatewayOutcome.PROCEED_TO_CHANNEL, received_at=days_ago(2))
    response = coordinator.get(QUEUE, {"tab": "decided"})
    table = rows(response)
    assert [row[0] for row in table] == [newer.reference, older.reference]
    assert table[0][4] == "Proceed to Channel"
    assert table[1][4] == "Signposted to other services"


def test_each_row_shows_reference_received_kind_who_and_the_clock(coordinator):
    referral = PublicReferralFactory(subject_given_name="Testina", subject_family_name="Example",
                                     received_at=days_ago(0))
    table = rows(coordinator.get(QUEUE))
    reference, received, kind, about, waiting, target = table[0]
    assert reference == referral.reference
    assert received == f"{timezone.localdate().day} {timezone.localdate():%b %Y}"
    assert kind == "Public"
    assert about == "Testina Example"
    assert waiting == "Received today"
    assert target.startswith("Due ")
    html = coordinator.get(QUEUE).content.decode()
    assert f'href="{reverse("triage:referral", kwargs={"reference": referral.reference})}"' in html


def test_names_are_escaped(coordinator):
    ReferralFactory(subject_given_name=HOSTILE)
    assert_escaped(coordinator.get(QUEUE).content.decode())


def test_empty_tabs_say_so(coordinator):
    assert "There are no new referrals" in coordinator.get(QUEUE).content.decode()
    assert "No referrals are waiting for a gateway outcome" in coordinator.get(
        QUEUE, {"tab": "awaiting"}).content.decode()
    assert "No gateway outcomes have been recorded yet" in coordinator.get(
        QUEUE, {"tab": "decided"}).content.decode()


# Clocks and overdue --------------------------------------------------------------


def boundary(target):
    """(received on time, received one day too early) for a clock of `target` working days."""
    calendar = WorkingCalendar.load()
    last_on_time = calendar.overdue_before(timezone.localdate(), target)
    return start_of_day(last_on_time) + datetime.timedelta(hours=9), \
        start_of_day(last_on_time) - datetime.timedelta(hours=1)


def test_new_referrals_are_overdue_after_the_triage_target(coordinator, settings):
    settings.TRIAGE_TARGET_WORKING_DAYS = 1
    on_time_at, late_at = boundary(1)
    on_time = ReferralFactory(received_at=on_time_at)
    late = ReferralFactory(received_at=late_at)
    table = {row[0]: row for row in rows(coordinator.get(QUEUE))}
    assert table[on_time.reference][4] == "1 working day"
    assert table[on_time.reference][5].startswith("Due ")
    assert table[late.reference][5].startswith("Overdue")
    assert int(table[late.reference][4].split()[0]) >= 2

    response = coordinator.get(QUEUE, {"tab": "new", "overdue": "on"})
    assert references(response) == [late.reference]
    assert input_value(response, "overdue") == "true"


def test_referrals_awaiting_police_are_overdue_after_the_gateway_target(coordinator, settings):
    settings.GATEWAY_TARGET_WORKING_DAYS = 5
    on_time_at, late_at = boundary(5)
    on_time = awaiting(received_at=on_time_at)
    late = awaiting(received_at=late_at)
    table = {row[0]: row for row in rows(coordinator.get(QUEUE, {"tab": "awaiting"}))}
    assert table[on_time.reference][4] == "5 working days"
    assert not table[on_time.reference][5].startswith("Overdue")
    assert table[late.reference][5].startswith("Overdue")
    assert references(coordinator.get(QUEUE, {"tab": "awaiting", "overdue": "on"})) == [late.reference]


def test_bank_holidays_stop_the_clock(coordinator, settings):
    from prevent_hub.core.models import BankHoliday

    settings.TRIAGE_TARGET_WORKING_DAYS = 1
    on_time_at, _ = boundary(1)
    referral = ReferralFactory(received_at=on_time_at)
    assert rows(coordinator.get(QUEUE))[0][4] == "1 working day"
    # The working day after receipt becomes a bank holiday: one fewer working day.
    day = WorkingCalendar.load().add_working_days(timezone.localdate(on_time_at), 1)
    BankHoliday.objects.create(date=day, title="Test bank holiday")
    assert rows(coordinator.get(QUEUE))[0][0] == referral.reference
    assert rows(coordinator.get(QUEUE))[0][4] == "0 working days"
    assert rows(coordinator.get(QUEUE))[0][5].startswith("Due ")


# Filters --------------------------------------------------------------------------


def test_filters_by_kind_and_received_dates(coordinator):
    practitioner = ReferralFactory(received_at=days_ago(10))
    public = PublicReferralFactory(received_at=days_ago(10))
    recent = ReferralFactory(received_at=days_ago(1))
    assert references(coordinator.get(QUEUE, {"tab": "new", "kind": ReferralKind.PUBLIC})) == [
        public.reference]
    since = timezone.localdate() - datetime.timedelta(days=3)
    response = coordinator.get(QUEUE, {"tab": "new", "received_from-day": since.day,
                                       "received_from-month": since.month,
                                       "received_from-year": since.year})
    assert references(response) == [recent.reference]
    until = timezone.localdate() - datetime.timedelta(days=5)
    response = coordinator.get(QUEUE, {"tab": "new", "received_to-day": until.day,
                                       "received_to-month": until.month, "received_to-year": until.year})
    assert sorted(references(response)) == sorted([practitioner.reference, public.reference])
    assert "No referrals match these filters" in coordinator.get(
        QUEUE, {"tab": "new", "kind": ReferralKind.PARTNER_API}).content.decode()


def test_filters_decided_referrals_by_outcome(coordinator):
    decided(GatewayOutcome.NO_FURTHER_ACTION)
    police_led = decided(GatewayOutcome.POLICE_LED)
    response = coordinator.get(QUEUE, {"tab": "decided", "outcome": GatewayOutcome.POLICE_LED})
    assert references(response) == [police_led.reference]


def test_a_wrong_date_is_explained_and_kept(coordinator):
    ReferralFactory()
    response = coordinator.get(QUEUE, {"tab": "new", "received_from-day": "31",
                                       "received_from-month": "2", "received_from-year": "2026",
                                       "kind": ReferralKind.PRACTITIONER})
    assert error_summary(response) == ["Received from must be a real date"]
    assert input_value(response, "received_from-day") == "31"
    assert response.content.decode().count("<title>Error:") == 1
    # The filters that were right still apply.
    assert len(rows(response)) == 1

    response = coordinator.get(QUEUE, {"tab": "new", "received_from-day": "5", "received_from-month": "3",
                                       "received_from-year": "2026", "received_to-day": "1",
                                       "received_to-month": "3", "received_to-year": "2026"})
    assert error_summary(response) == ["Received to must be the same as or after received from"]


# Paging, queries and auditing -----------------------------------------------------


def test_pages_of_25(coordinator):
    made = [ReferralFactory(received_at=days_ago(40 - n)) for n in range(30)]
    first = coordinator.get(QUEUE)
    assert references(first) == [referral.reference for referral in made[:25]]
    assert "Showing 1 to 25 of 30 referrals" in first.content.decode()
    second = coordinator.get(QUEUE, {"tab": "new", "page": 2})
    assert references(second) == [referral.reference for referral in made[25:]]


def test_each_page_view_writes_one_search_event_with_filters_and_no_personal_data(coordinator):
    ReferralFactory(subject_given_name="Testina")
    coordinator.get(QUEUE, {"tab": "new", "kind": ReferralKind.PRACTITIONER, "overdue": "on"})
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert event.object_type == "referrals.referral"
    assert event.details == {"screen": "triage queue", "tab": "new", "page": 1,
                             "filters": {"kind": "practitioner", "overdue": True}}
    assert "Testina" not in str(event.details)
    coordinator.get(QUEUE)
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH).count() == 2


@pytest.mark.parametrize("tab", ["new", "awaiting", "decided"])
def test_the_queue_takes_the_same_number_of_queries_for_5_or_60_referrals(
        coordinator, django_assert_num_queries, tab):
    def make(count):
        for n in range(count):
            status_maker = {"new": ReferralFactory, "awaiting": awaiting, "decided": decided}[tab]
            # Old enough to be overdue on any tab, so the filtered page is never empty.
            status_maker(received_at=days_ago(15 + n % 20))

    make(5)
    coordinator.get(QUEUE, {"tab": tab})  # session and caches settle
    with CaptureQueriesContext(connection) as few:
        assert coordinator.get(QUEUE, {"tab": tab, "overdue": "on"}).status_code == 200
    make(55)
    with django_assert_num_queries(len(few)):
        response = coordinator.get(QUEUE, {"tab": tab, "overdue": "on"})
    assert response.status_code == 200
    with django_assert_num_queries(len(few)):
        coordinator.get(QUEUE, {"tab": tab, "overdue": "on", "page": 2})


# Police practitioners ---------------------------------------------------------------


def test_police_see_only_referrals_shared_with_them_and_no_new_tab(police):
    ReferralFactory()
    shared = awaiting()
    done = decided()
    response = police.get(QUEUE)
    assert references(response) == [shared.reference]
    assert set(tab_links(response)) == {"Awaiting gateway outcome (1)", "Decided (1)"}
    assert references(police.get(QUEUE, {"tab": "new"})) == [shared.reference]
    assert references(police.get(QUEUE, {"tab": "decided"})) == [done.reference]
    assert "Download" not in response.content.decode()


# Export ---------------------------------------------------------------------------------


def test_coordinators_download_the_filtered_queue_audited(coordinator):
    first = ReferralFactory(received_at=days_ago(9), subject_given_name="=cmd|calc")
    second = PublicReferralFactory(received_at=days_ago(8))
    response = coordinator.get(QUEUE)
    assert f'href="{EXPORT}?tab=new"' in response.content.decode()
    response = coordinator.get(EXPORT, {"tab": "new"})
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body)))
    assert table[0][0] == "Reference"
    assert [row[0] for row in table[1:]] == [first.reference, second.reference]
    assert table[1][3].startswith("'=")  # formula defused
    assert table[1][6] == "Yes"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.details == {"screen": "triage queue", "tab": "new", "filters": {}, "rows": 2,
                             "format": "csv"}

    response = coordinator.get(EXPORT, {"tab": "new", "kind": ReferralKind.PUBLIC})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert [row[0] for row in list(csv.reader(io.StringIO(body)))[1:]] == [second.reference]


def test_export_with_wrong_filters_goes_back_to_the_queue(coordinator):
    response = coordinator.get(EXPORT, {"tab": "new", "received_from-day": "99", "received_from-month": "1",
                                        "received_from-year": "2026"})
    assert response.status_code == 302
    assert response["Location"].startswith(QUEUE)
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_police_cannot_export(police):
    assert police.get(EXPORT, {"tab": "awaiting"}).status_code == 403


# Navigation --------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "referrals", "cases"), [
    (Role.PREVENT_COORDINATOR, True, True),
    (Role.POLICE_PRACTITIONER, True, True),
    (Role.CHANNEL_CHAIR, False, True),
    (Role.PANEL_MEMBER, False, True),
    (Role.AUDITOR, False, False),
])
def test_staff_navigation_and_home_offer_what_the_role_may_use(staff_client, role, referrals, cases):
    soup = BeautifulSoup(staff_client(role).get(reverse("staff:home")).content, "html5lib")
    nav = [link["href"] for link in soup.select(".govuk-service-navigation a")]
    main = [link["href"] for link in soup.select("main a")]
    for href, expected in ((QUEUE, referrals), (reverse("channel:case-list"), cases)):
        assert (href in nav) is expected
        assert (href in main) is expected
