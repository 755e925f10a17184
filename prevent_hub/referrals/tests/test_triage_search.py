"""Searching the triage queue by name (any spelling), reference and date of
birth, with the other filters, in every tab; scoped like the queue; carried
into page links and the export; audited without the name or date. One client
per signed-in user. Every name and date here is made up."""

import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.administration.tests.helpers import HOSTILE, assert_escaped, error_summary, input_value
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.tests.factories import ChannelCaseFactory
from prevent_hub.core.search import reference_in
from prevent_hub.referrals.models import Referral, ReferralKind

from .factories import PublicReferralFactory, ReferralFactory
from .test_triage_queue import awaiting, days_ago, decided, references

pytestmark = pytest.mark.django_db

QUEUE = reverse("triage:queue")
EXPORT = reverse("triage:export")
DOB = datetime.date(2010, 6, 15)


def client_for(*roles, **fields):
    client = Client()
    client.user = sign_in(client, UserFactory(roles=roles, **fields))
    return client


@pytest.fixture
def coordinator():
    return client_for(Role.PREVENT_COORDINATOR)


def dob(day: datetime.date, prefix="date_of_birth") -> dict:
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


def found(client, **params):
    params.setdefault("tab", "new")
    return references(client.get(QUEUE, params))


def export_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))[1:]


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html5lib").get_text(" ").split())


# Names in any spelling ------------------------------------------------------------------


def test_any_spelling_of_a_name_finds_the_referral(coordinator):
    john = ReferralFactory(subject_given_name="John", subject_family_name="Smith")
    ReferralFactory(subject_given_name="Joan", subject_family_name="Brown")
    for typed in ("John Smith", "Jon Smyth", "smith", "Smith John", "  JOHN   smith  "):
        assert found(coordinator, q=typed) == [john.reference], typed


def test_a_name_in_another_script_or_with_letters_outside_english_is_found(coordinator):
    lukasz = ReferralFactory(subject_given_name="Łukasz", subject_family_name="Kowalski")
    ahmed = ReferralFactory(subject_given_name="Ахмед", subject_family_name="Іванов")
    assert found(coordinator, q="Lukasz Kowalski") == [lukasz.reference]
    assert found(coordinator, q="Łukasz") == [lukasz.reference]
    assert found(coordinator, q="Akhmed Ivanov") == [ahmed.reference]
    ivan = ReferralFactory(subject_given_name="Ivan", subject_family_name="Petrov")
    assert found(coordinator, q="Иван Петров") == [ivan.reference]


def test_other_names_a_referral_gives_are_searched_too(coordinator):
    referral = ReferralFactory(subject_given_name="Mohammed", subject_family_name="Ali",
                               subject_other_names="Mo Ali\nMoe Alley")
    assert found(coordinator, q="Muhammad Ali") == [referral.reference]
    assert found(coordinator, q="Moe Alley") == [referral.reference]


def test_a_name_that_does_not_match_finds_nothing_and_says_so(coordinator):
    ReferralFactory(subject_given_name="John", subject_family_name="Smith")
    response = coordinator.get(QUEUE, {"tab": "new", "q": "Priya Patel"})
    assert references(response) == []
    assert "No referrals match these filters" in text_of(response)
    assert "Clear filters" in text_of(response)


# References and dates of birth -----------------------------------------------------------


def test_a_reference_finds_exactly_that_referral_however_typed(coordinator):
    wanted = ReferralFactory()
    ReferralFactory()
    year, number = wanted.reference.split("-")[1:]
    for typed in (wanted.reference, wanted.reference.lower(), f"  {wanted.reference} ",
                  f"PRV {year} {int(number)}", f"prv-{year}-{int(number)}"):
        assert found(coordinator, q=typed) == [wanted.reference], typed


def test_a_channel_case_reference_finds_the_referral_it_was_opened_from(coordinator):
    case = ChannelCaseFactory(reference="CH-2026-000045")
    ReferralFactory()
    assert found(coordinator, tab="decided", q="ch-2026-45") == [case.referral.reference]


def test_reference_in_reads_only_whole_references():
    assert reference_in("PRV-2026-000123") == "PRV-2026-000123"
    assert reference_in(" prv 2026 123 ") == "PRV-2026-000123"
    assert reference_in("CH-2026-45") == "CH-2026-000045"
    assert reference_in("PRV-26-000123") is None
    assert reference_in("Priya") is None


def test_date_of_birth_finds_referrals_giving_it(coordinator):
    born = ReferralFactory(subject_date_of_birth=DOB)
    ReferralFactory(subject_date_of_birth=DOB + datetime.timedelta(days=1))
    PublicReferralFactory()  # no date of birth given
    assert found(coordinator, **dob(DOB)) == [born.reference]


def test_a_wrong_date_of_birth_gets_the_govuk_errors_and_is_kept(coordinator):
    ReferralFactory()
    response = coordinator.get(QUEUE, {"tab": "new", "date_of_birth-day": "31", "date_of_birth-month": "2",
                                       "date_of_birth-year": "2010"})
    assert error_summary(response) == ["Date of birth must be a real date"]
    assert input_value(response, "date_of_birth-day") == "31"
    response = coordinator.get(QUEUE, {"tab": "new", "date_of_birth-day": "3", "date_of_birth-year": "2010"})
    assert error_summary(response) == ["Date of birth must include a month"]
    response = coordinator.get(QUEUE, {"tab": "new", **dob(DOB), "date_of_birth-year": "10"})
    assert error_summary(response) == ["Date of birth year must include 4 numbers"]


# Combined with the other filters, in every tab ----------------------------------------------


def test_search_combines_with_kind_dates_and_overdue(coordinator):
    old_practitioner = ReferralFactory(subject_given_name="Amira", subject_family_name="Hassan",
                                       subject_date_of_birth=DOB, received_at=days_ago(20))
    old_public = PublicReferralFactory(subject_given_name="Amirah", subject_family_name="Hasan",
                                       received_at=days_ago(20))
    recent = ReferralFactory(subject_given_name="Amira", subject_family_name="Hassan",
                             subject_date_of_birth=DOB, received_at=days_ago(0))
    ReferralFactory(subject_given_name="Ben", subject_family_name="Carter", subject_date_of_birth=DOB,
                    received_at=days_ago(20))
    assert found(coordinator, q="Amira Hassan") == [old_practitioner.reference, old_public.reference,
                                                     recent.reference]
    assert found(coordinator, q="Amira Hassan", kind=ReferralKind.PUBLIC) == [old_public.reference]
    assert found(coordinator, q="Amira Hassan", **dob(DOB)) == [old_practitioner.reference, recent.reference]
    assert found(coordinator, q="Amira Hassan", overdue="on") == [old_practitioner.reference,
                                                                  old_public.reference]
    since = timezone.localdate() - datetime.timedelta(days=2)
    assert found(coordinator, q="Amira Hassan", **dob(since, "received_from")) == [recent.reference]
    assert found(coordinator, **dob(DOB), overdue="on", kind=ReferralKind.PRACTITIONER) == [
        old_practitioner.reference, Referral.objects.get(subject_given_name="Ben").reference]


def test_search_works_in_every_tab_and_the_tab_counts_stay_whole(coordinator):
    new = ReferralFactory(subject_given_name="Chloe", subject_family_name="Evans")
    waiting = awaiting(subject_given_name="Chloe", subject_family_name="Evans")
    done = decided(subject_given_name="Chloé", subject_family_name="Evans")
    for other in (ReferralFactory, awaiting, decided):
        other(subject_given_name="Dan", subject_family_name="Fox")
    assert found(coordinator, tab="new", q="Chloe Evans") == [new.reference]
    assert found(coordinator, tab="awaiting", q="Chloe Evans") == [waiting.reference]
    assert found(coordinator, tab="decided", q="Chloe Evans") == [done.reference]
    response = coordinator.get(QUEUE, {"tab": "decided", "q": "Chloe Evans", "outcome": done.gateway_outcome})
    assert references(response) == [done.reference]
    tabs = [link.get_text(" ", strip=True) for link in
            BeautifulSoup(response.content, "html5lib").select(".govuk-tabs__tab")]
    assert tabs == ["New (2)", "Awaiting gateway outcome (2)", "Decided (2)"]


def test_a_search_links_to_the_same_search_in_the_other_tabs(coordinator):
    ReferralFactory(subject_given_name="Chloe", subject_family_name="Evans")
    response = coordinator.get(QUEUE, {"tab": "new", "q": "Chloe Evans", "kind": ReferralKind.PUBLIC})
    soup = BeautifulSoup(response.content, "html5lib")
    links = {link.get_text(strip=True): link["href"] for link in soup.select("main a.govuk-link")}
    assert links["Awaiting gateway outcome"] == f"{QUEUE}?tab=awaiting&q=Chloe+Evans"
    assert links["Decided"] == f"{QUEUE}?tab=decided&q=Chloe+Evans"
    assert "Only this tab is searched" in text_of(response)
    plain = coordinator.get(QUEUE, {"tab": "new", "kind": ReferralKind.PUBLIC})
    assert "Only this tab is searched" not in text_of(plain)


def test_pages_keep_the_search(coordinator):
    made = [ReferralFactory(subject_given_name="Erin", subject_family_name="Gale",
                            received_at=days_ago(40 - n)) for n in range(27)]
    ReferralFactory(subject_given_name="Fred", subject_family_name="Hale")
    first = coordinator.get(QUEUE, {"tab": "new", "q": "Erin Gale"})
    assert references(first) == [referral.reference for referral in made[:25]]
    assert "Showing 1 to 25 of 27 referrals matching the filters" in text_of(first)
    soup = BeautifulSoup(first.content, "html5lib")
    next_href = soup.select_one(".govuk-pagination__next a")["href"]
    assert "q=Erin+Gale" in next_href and "page=2" in next_href
    second = coordinator.get(f"{QUEUE}{next_href}")
    assert references(second) == [referral.reference for referral in made[25:]]


# Scoping ---------------------------------------------------------------------------------------


def test_police_find_only_referrals_shared_with_them():
    police = client_for(Role.POLICE_PRACTITIONER)
    ReferralFactory(subject_given_name="Grace", subject_family_name="Hill", subject_date_of_birth=DOB)
    shared = awaiting(subject_given_name="Grace", subject_family_name="Hill", subject_date_of_birth=DOB)
    not_shared = ReferralFactory(subject_given_name="Grace", subject_family_name="Hill")
    for tab in ("new", "awaiting"):
        assert found(police, tab=tab, q="Grace Hill") == [shared.reference]
        assert found(police, tab=tab, **dob(DOB)) == [shared.reference]
    assert found(police, tab="awaiting", q=not_shared.reference) == []
    assert found(police, tab="decided", q="Grace Hill") == []


# Hostile, empty and huge input ---------------------------------------------------------------


def test_a_name_with_no_letters_is_refused_with_a_message(coordinator):
    ReferralFactory()
    response = coordinator.get(QUEUE, {"tab": "new", "q": "12345 !!"})
    assert error_summary(response) == ["Enter a name with at least one letter, or a reference"]
    assert input_value(response, "q") == "12345 !!"
    # The filter is left out, so the tab is shown whole, as the queue does with any wrong filter.
    assert len(references(response)) == 1


def test_a_mistyped_reference_is_refused_not_searched_as_a_name(coordinator):
    response = coordinator.get(QUEUE, {"tab": "new", "q": "PRV-2026-12ab"})
    assert error_summary(response) == [
        "Enter a reference like PRV-2026-000123 or CH-2026-000045, or a name"]


def test_an_empty_box_is_no_filter(coordinator):
    referral = ReferralFactory()
    response = coordinator.get(QUEUE, {"tab": "new", "q": "   "})
    assert error_summary(response) == []
    assert references(response) == [referral.reference]


def test_html_in_the_box_is_shown_back_escaped_and_searched_as_text(coordinator):
    ReferralFactory(subject_given_name="Script", subject_family_name="Alert")
    response = coordinator.get(QUEUE, {"tab": "new", "q": HOSTILE})
    assert_escaped(response.content.decode())
    assert input_value(response, "q") == HOSTILE


def test_sql_looking_text_is_just_a_name(coordinator):
    ReferralFactory()
    response = coordinator.get(QUEUE, {"tab": "new", "q": "Robert'); DROP TABLE referrals_referral;--"})
    assert response.status_code == 200
    assert references(response) == []
    assert Referral.objects.count() == 1


def test_a_huge_search_is_refused_with_a_message_and_changes_nothing(coordinator):
    referral = ReferralFactory()
    events = AuditEvent.objects.count()
    response = coordinator.get(QUEUE, {"tab": "new", "q": "a" * 5000})
    assert response.status_code == 200
    assert error_summary(response) == ["Name or reference must be 200 characters or fewer"]
    assert references(response) == [referral.reference]
    assert AuditEvent.objects.count() == events + 1  # the page view's search event, as always
    assert "a" * 5000 not in str(AuditEvent.objects.latest("pk").details)


# Auditing and the export ----------------------------------------------------------------------


def test_the_search_event_says_which_criteria_never_the_name_or_date(coordinator):
    ReferralFactory(subject_given_name="Hana", subject_family_name="Ito", subject_date_of_birth=DOB)
    coordinator.get(QUEUE, {"tab": "new", "q": "Hana Ito", **dob(DOB), "kind": ReferralKind.PRACTITIONER})
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert event.details["filters"] == {"name": True, "date_of_birth": True, "kind": "practitioner"}
    details = str(event.details)
    assert "Hana" not in details and "Ito" not in details and "2010" not in details
    coordinator.get(QUEUE, {"tab": "new", "q": Referral.objects.get().reference})
    latest = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("pk")
    assert latest.details["filters"] == {"reference": True}


def test_the_export_carries_the_search_and_is_audited_without_it(coordinator):
    wanted = ReferralFactory(subject_given_name="John", subject_family_name="Jones",
                             subject_date_of_birth=DOB, received_at=days_ago(3))
    ReferralFactory(subject_given_name="John", subject_family_name="Jones", received_at=days_ago(2))
    ReferralFactory(subject_given_name="Kim", subject_family_name="Lee", subject_date_of_birth=DOB)
    response = coordinator.get(QUEUE, {"tab": "new", "q": "Jon Jones", **dob(DOB)})
    soup = BeautifulSoup(response.content, "html5lib")
    href = next(link["href"] for link in soup.select("a") if link["href"].startswith(EXPORT))
    assert href == (f"{EXPORT}?tab=new&q=Jon+Jones&date_of_birth-day=15&date_of_birth-month=6"
                    f"&date_of_birth-year=2010")
    rows = export_rows(coordinator.get(href))
    assert [row[0] for row in rows] == [wanted.reference]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.details["filters"] == {"name": True, "date_of_birth": True}
    assert event.details["rows"] == 1
    assert "Jon" not in str(event.details) and "2010" not in str(event.details)


def test_an_export_with_a_wrong_search_goes_back_to_the_queue(coordinator):
    response = coordinator.get(EXPORT, {"tab": "new", "q": "!!!"})
    assert response.status_code == 302
    assert response["Location"].startswith(QUEUE)
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("params", [{"q": "Lena Marsh", "date_of_birth-day": "15", "date_of_birth-month": "6",
                                     "date_of_birth-year": "2010"}, {"q": "PRV-2026-000001"}])
def test_a_search_takes_the_same_number_of_queries_for_5_or_60_matches(
        coordinator, django_assert_num_queries, params):
    def make(count):
        for n in range(count):
            ReferralFactory(subject_given_name="Lena", subject_family_name="Marsh", subject_date_of_birth=DOB,
                            received_at=days_ago(15 + n % 20))

    make(5)
    coordinator.get(QUEUE, {"tab": "new", **params})  # session and caches settle
    with CaptureQueriesContext(connection) as few:
        assert coordinator.get(QUEUE, {"tab": "new", **params}).status_code == 200
    make(55)
    with django_assert_num_queries(len(few)):
        assert coordinator.get(QUEUE, {"tab": "new", **params}).status_code == 200
    with django_assert_num_queries(len(few)):
        coordinator.get(QUEUE, {"tab": "new", "page": 2, **params})
