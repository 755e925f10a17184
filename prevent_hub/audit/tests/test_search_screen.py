"""The audit search screen."""

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.audit.selectors import COUNT_CAP
from prevent_hub.audit.services import audit_refusal_tallies_write

from .helpers import write_events

pytestmark = pytest.mark.django_db
SEARCH = reverse("audit:search")


def searches():
    return AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="audit.auditevent")


def result_rows(response):
    return response.context["table"]["rows"] if response.context["table"] else []


def shown_records(response):
    return [(event["object_type"], event["object_id"]) for event in response.context["page"].events]


@pytest.fixture
def auditor(staff_client):
    return staff_client(Role.AUDITOR)


def test_the_search_page_shows_the_form_and_searches_nothing_until_asked(auditor):
    response = auditor.get(SEARCH)
    assert response.status_code == 200
    assert response.context["page"] is None
    assert not searches().exists()
    html = response.content.decode()
    assert "<h1 class=\"govuk-heading-xl\">Search the audit trail</h1>" in html
    assert 'name="date_from-day"' in html


def test_an_empty_search_lists_the_latest_events_and_is_recorded_once(auditor):
    write_events(3, object_id="7")
    response = auditor.get(SEARCH, {"user": "", "action": ""})
    assert response.status_code == 200
    # The auditor's sign-in, the three events, and this search itself.
    assert response.context["count_text"] == "5 events"
    assert [e["action"] for e in response.context["page"].events] == [
        "search", "view", "view", "view", "sign_in"]
    event = searches().get()
    assert event.details == {}
    assert (event.actor, event.object_id) == (auditor.user, "")


@pytest.mark.parametrize("role", [role for role in Role.values if role != Role.AUDITOR])
def test_only_auditors_may_search_or_export(staff_client, role):
    client = staff_client(role)
    assert client.get(SEARCH, {"user": "x"}).status_code == 403
    assert client.get(reverse("audit:export"), {"user": "x"}).status_code == 403
    assert not searches().exists()
    # The second refusal in the same minute is counted, and written when the minute is over.
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).count() == 1
    assert audit_refusal_tallies_write(now=time.time() + 60) == 1
    later = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).order_by("sequence")
    assert [event.details.get("refusals_counted") for event in later] == [None, 1]


def test_filter_by_user_email_exact_or_partial(auditor):
    alice = UserFactory(email="alice.smith@police.example")
    alina = UserFactory(email="alina.smith@council.example")
    bob = UserFactory(email="bob@council.example")
    write_events(2, user=alice, object_id="1")
    write_events(1, user=alina, object_id="2")
    write_events(1, user=bob, object_id="3")

    exact = auditor.get(SEARCH, {"user": "ALICE.smith@police.example"})
    assert {e["actor_email"] for e in exact.context["page"].events} == {alice.email}
    assert exact.context["count_text"] == "2 events"

    partial = auditor.get(SEARCH, {"user": "smith@"})
    assert {e["actor_email"] for e in partial.context["page"].events} == {alice.email, alina.email}

    nobody = auditor.get(SEARCH, {"user": "nobody-like-this"})
    assert nobody.context["count_text"] == "0 events"
    assert "No events match your search." in nobody.content.decode()
    assert list(searches().order_by("sequence").values_list("details", flat=True)) == [
        {"user": "ALICE.smith@police.example"}, {"user": "smith@"}, {"user": "nobody-like-this"}]


def test_a_partial_email_that_matches_too_many_people_asks_for_more(auditor, monkeypatch):
    monkeypatch.setattr("prevent_hub.audit.selectors.MAX_MATCHING_USERS", 2)
    for n in range(3):
        UserFactory(email=f"many{n}@council.example")
    response = auditor.get(SEARCH, {"user": "many"})
    assert response.status_code == 200
    assert "type more of the email address" in response.context["form"].errors["user"][0]
    assert not searches().exists()


def test_filter_by_record(auditor):
    write_events(2, object_type="accounts.user", object_id="905")
    write_events(1, object_type="accounts.user", object_id="906")
    write_events(1, object_type="directory.contact", object_id="905")
    response = auditor.get(SEARCH, {"object_type": "accounts.user", "object_id": "905"})
    assert shown_records(response) == [("accounts.user", "905")] * 2
    # The type alone finds every record of that type (and the auditor's sign-in).
    response = auditor.get(SEARCH, {"object_type": "accounts.user"})
    assert sorted(shown_records(response)) == sorted(
        [("accounts.user", "905")] * 2 + [("accounts.user", "906"),
                                          ("accounts.user", str(auditor.user.pk))])
    assert searches().order_by("sequence").first().details == {
        "record_type": "accounts.user", "record_id": "905"}


def test_the_record_type_list_holds_the_types_in_the_trail(auditor):
    write_events(1, object_type="accounts.user")
    write_events(1, object_type="directory.contact")
    write_events(1, object_type="", object_id="")
    response = auditor.get(SEARCH)
    choices = response.context["form"].fields["object_type"].choices
    assert choices == [("", "Any type of record"), ("accounts.user", "User (accounts.user)"),
                       ("directory.contact", "Contact (directory.contact)")]


def test_a_record_id_needs_a_record_type(auditor):
    response = auditor.get(SEARCH, {"object_id": "5"})
    assert response.context["form"].errors["object_type"] == [
        "Select the type of record the record ID belongs to"]
    response = auditor.get(SEARCH, {"object_type": "not.a-type", "object_id": "5"})
    assert response.context["form"].errors["object_type"] == ["Select a type of record from the list"]
    assert not searches().exists()


def test_filter_by_person(auditor):
    write_events(2, object_type="people.person", object_id="31")
    write_events(1, object_type="people.person", object_id="32")
    write_events(1, object_type="accounts.user", object_id="31")
    response = auditor.get(SEARCH, {"person": "31"})
    assert shown_records(response) == [("people.person", "31")] * 2
    assert searches().get().details == {"person": "31"}
    both = auditor.get(SEARCH, {"person": "31", "object_type": "accounts.user"})
    assert both.context["form"].errors["person"] == ["Search for a person or for a record, not both"]


def test_filter_by_action(auditor):
    write_events(2, action=AuditAction.VIEW)
    write_events(1, action=AuditAction.UPDATE, changed_fields=["email"])
    response = auditor.get(SEARCH, {"action": "update"})
    assert [e["action"] for e in response.context["page"].events] == ["update"]
    row = result_rows(response)[0]
    assert row[3] == {"text": "Updated"}
    assert row[5] == {"text": "email"}
    bad = auditor.get(SEARCH, {"action": "drop table"})
    assert bad.context["form"].errors["action"] == ["Select an action from the list"]


def uk_time(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def events_on(days):
    """One event on each of `days` (written now, then dated by raw SQL: the
    model refuses to change events, and tests are not about the chain here)."""
    events = write_events(len(days))
    from .helpers import append_only_trigger_disabled, raw_sql

    with append_only_trigger_disabled():
        for event, day in zip(events, days, strict=True):
            raw_sql("UPDATE {table} SET occurred_at = %s WHERE sequence = %s", [uk_time(day), event.pk])
    return events


def date_params(prefix, day):
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


def test_filter_by_date_range_in_uk_time(auditor):
    days = [datetime.date(2026, 3, d) for d in (1, 2, 3, 4)]
    events_on(days)
    response = auditor.get(SEARCH, {**date_params("date_from", days[1]), **date_params("date_to", days[2])})
    assert response.status_code == 200
    shown = sorted(timezone.localtime(e["occurred_at"]).date() for e in response.context["page"].events)
    assert shown == days[1:3]
    assert searches().get().details == {"from": "2026-03-02", "to": "2026-03-03"}
    # One day: from and to the same day.
    one = auditor.get(SEARCH, {**date_params("date_from", days[3]), **date_params("date_to", days[3])})
    assert one.context["count_text"] == "1 event"


def test_date_errors_are_explained_and_keep_what_was_typed(auditor):
    response = auditor.get(SEARCH, {
        "user": "<script>alert(1)</script>",
        "date_from-day": "31", "date_from-month": "2", "date_from-year": "2026",
        "date_to-day": "1", "date_to-month": "", "date_to-year": "2026",
    })
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["date_from"] == ["From date must be a real date"]
    assert errors["date_to"] == ["To date must include a month"]
    html = response.content.decode()
    assert "There is a problem" in html
    assert html.count('value="31"') == 1
    assert 'value="2026"' in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert response.context["page"] is None
    assert not searches().exists()


def test_to_must_not_be_before_from(auditor):
    response = auditor.get(SEARCH, {**date_params("date_from", datetime.date(2026, 3, 5)),
                                    **date_params("date_to", datetime.date(2026, 3, 4))})
    assert response.context["form"].errors["date_to"] == [
        "To date must be the same as or after the from date"]
    assert 'value="5"' in response.content.decode()


def test_the_largest_dates_do_not_overflow(auditor):
    response = auditor.get(SEARCH, {"date_from-day": "1", "date_from-month": "1", "date_from-year": "0001",
                                    **date_params("date_to", datetime.date(9999, 12, 31))})
    assert response.status_code == 200
    assert response.context["form"].is_valid()


def test_hostile_input_is_handled_with_clear_messages(auditor):
    write_events(1, object_id="1")
    quotes = auditor.get(SEARCH, {"user": "' OR 1=1 --", "object_type": "accounts.user",
                                  "object_id": "1' OR '1'='1"})
    assert quotes.status_code == 200
    assert quotes.context["count_text"] == "0 events"
    huge = auditor.get(SEARCH, {"user": "a" * 10_000, "object_id": "9" * 10_000,
                                "person": "p" * 500})
    assert huge.status_code == 200
    errors = huge.context["form"].errors
    assert errors["user"] == ["Email address must be 254 characters or fewer"]
    assert errors["object_id"] == ["Record ID or reference must be 64 characters or fewer"]
    assert errors["person"] == ["Person’s record ID must be 64 characters or fewer"]
    nul = auditor.get(SEARCH, {"user": "a\x00b"})
    assert nul.status_code == 200
    assert nul.context["form"].errors["user"]
    page = auditor.get(SEARCH, {"user": "", "page": "<script>"})
    assert page.status_code == 200
    assert page.context["page"].number == 1


def test_results_are_newest_first_and_paginated_fifty_a_page(auditor):
    events = write_events(120, object_id="901")
    response = auditor.get(SEARCH, {"object_type": "accounts.user", "object_id": "901", "page": "2"})
    page = response.context["page"]
    assert (page.number, page.num_pages, page.start_index, page.end_index) == (2, 3, 51, 100)
    sequences = [event["sequence"] for event in page.events]
    # Newest first: the 70th event written down to the 21st.
    assert sequences == [events[index].pk for index in range(69, 19, -1)]
    pagination = response.context["pagination"]
    assert pagination["previous"]["href"].endswith("&page=1")
    assert "object_type=accounts.user" in pagination["next"]["href"]
    assert [item.get("number") for item in pagination["items"]] == [1, 2, 3]
    assert searches().get().details == {"record_type": "accounts.user", "record_id": "901", "page": 2}
    # A page past the end shows the last one.
    last = auditor.get(SEARCH, {"object_type": "accounts.user", "object_id": "901", "page": "99"})
    assert last.context["page"].number == 3
    assert len(last.context["page"].events) == 20


def test_counts_stop_at_the_cap(auditor, monkeypatch):
    monkeypatch.setattr("prevent_hub.audit.selectors.COUNT_CAP", 60)
    monkeypatch.setattr("prevent_hub.audit.views.selectors.COUNT_CAP", 60)
    write_events(70)
    response = auditor.get(SEARCH, {"user": ""})
    page = response.context["page"]
    assert page.count == 61
    assert page.num_pages == 2
    assert response.context["count_text"] == f"More than {60:,} events"
    assert COUNT_CAP == 10_000


def queries_for(client, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(SEARCH, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", [
    {"user": ""},
    {"object_type": "accounts.user", "object_id": "1"},
    {"user": "user", "action": "view"},
])
def test_the_number_of_queries_does_not_grow_with_the_data(auditor, params):
    users = [UserFactory() for _ in range(3)]
    for user in users:
        write_events(2, user=user, object_id="1")
    auditor.get(SEARCH, params)  # warm up (session, content types)
    few = queries_for(auditor, params)
    for user in users:
        write_events(60, user=user, object_id="1")
    UserFactory.create_batch(5)
    many = queries_for(auditor, params)
    assert few == many
    # Session, user, second factor, roles, record types, (email lookups,) the
    # SEARCH event (organisation, head, insert, head update, savepoint
    # pair), capped count, page rows, session save (savepoint pair).
    assert many <= 19


def test_the_record_cell_links_to_a_search_for_that_record(auditor):
    write_events(1, object_type="accounts.user", object_id="12")
    response = auditor.get(SEARCH, {"action": "view"})
    cell = result_rows(response)[0][4]
    assert "?object_type=accounts.user&amp;object_id=12" in str(cell["html"])
    assert "User 12" in str(cell["html"])


def test_the_results_table_is_the_govuk_table_component(auditor):
    """Rendered in Python for speed, it must stay the component's markup."""
    from prevent_hub.audit.tables import table_html
    from prevent_hub.govuk.components import render
    from prevent_hub.govuk.tests.html import tokens

    alice = UserFactory(email="<b>alice</b>@council.example")
    write_events(2, user=alice, object_type="accounts.user", object_id="5",
                 action=AuditAction.UPDATE, changed_fields=["email"])
    write_events(1, object_type="", object_id="")
    response = auditor.get(SEARCH, {"user": ""})
    params = response.context["table"]
    assert len(params["rows"]) == 5
    assert tokens(str(table_html(params))) == tokens(str(render("table", params)))
    assert str(table_html(params)) in response.content.decode()
    assert "&lt;b&gt;alice&lt;/b&gt;@council.example" in response.content.decode()


def test_a_record_is_found_by_its_reference_however_it_is_typed(auditor):
    from prevent_hub.channel.tests.factories import ChannelCaseFactory
    from prevent_hub.referrals.tests.factories import ReferralFactory

    referral = ReferralFactory()
    case = ChannelCaseFactory(reference="CH-2026-000777")
    write_events(2, object_type="referrals.referral", object_id=str(referral.pk))
    write_events(1, object_type="channel.channelcase", object_id=str(case.pk))
    write_events(1, object_type="accounts.user", object_id=str(referral.pk))  # same id, other record
    prefix, year, number = referral.reference.split("-")
    for typed in (referral.reference, f"{prefix.lower()} {year} {int(number)}"):
        response = auditor.get(SEARCH, {"object_id": typed})
        assert shown_records(response) == [("referrals.referral", str(referral.pk))] * 2, typed
    response = auditor.get(SEARCH, {"object_id": case.reference, "object_type": "channel.channelcase"})
    assert shown_records(response) == [("channel.channelcase", str(case.pk))]


def test_an_unknown_or_mismatched_reference_is_explained(auditor):
    from prevent_hub.referrals.tests.factories import ReferralFactory

    response = auditor.get(SEARCH, {"object_id": "PRV-1999-000001"})
    assert "There is no record with the reference PRV-1999-000001" in response.content.decode()
    referral = ReferralFactory()
    response = auditor.get(SEARCH, {"object_id": referral.reference, "object_type": "accounts.user"})
    assert "choose that type of record" in response.content.decode()
    assert 'value="' + referral.reference + '"' in response.content.decode()  # what was typed is kept
