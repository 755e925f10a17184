"""The Channel case list's search and filters, and its CSV export: by name
(any spelling, on the person's record or in a referral about them the user
may see), reference, date of birth, status, area and dates; scoped exactly
like the case pages; audited without names or dates of birth. One client
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
from prevent_hub.channel.models import CaseStatus, ChannelCase
from prevent_hub.panels.tests.factories import PanelFactory
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.models import ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralFactory

from .factories import ChannelCaseFactory, area_named, team_member_add

pytestmark = pytest.mark.django_db

LIST = reverse("channel:case-list")
EXPORT = reverse("channel:case-export")
DOB = datetime.date(2009, 5, 17)


def client_for(*roles, **fields):
    client = Client()
    client.user = sign_in(client, UserFactory(roles=roles, **fields))
    return client


@pytest.fixture
def coordinator():
    return client_for(Role.PREVENT_COORDINATOR)


def case_about(given, family, *, other_names=(), date_of_birth=DOB, area=None, **fields):
    """A case about this person, in the area named `area` (none recorded if blank)."""
    person = PersonFactory(given_name=given, family_name=family, other_names=list(other_names),
                           date_of_birth=date_of_birth)
    return ChannelCaseFactory(person=person, area=area_named(area) if area else None, **fields)


def panel_for(name):
    return PanelFactory(area=area_named(name))


def dob(day: datetime.date, prefix="date_of_birth") -> dict:
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


def listed(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html5lib")
    return [row.select_one("th").get_text(strip=True) for row in soup.select("table.govuk-table tbody tr")]


def found(client, **params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return sorted(listed(response))


def refs(*cases) -> list[str]:
    return sorted(case.reference for case in cases)


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html5lib").get_text(" ").split())


def export_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def shared_referral_about(person, **fields):
    """A later referral about the person, shared with police."""
    return ReferralFactory(person=person, police_shared_at=timezone.now(),
                           status=ReferralStatus.AWAITING_GATEWAY, **fields)


# Names -------------------------------------------------------------------------------------


def test_any_spelling_of_the_persons_name_finds_their_case(coordinator):
    john = case_about("John", "Smith")
    case_about("Joan", "Brown")
    for typed in ("John Smith", "Jon Smyth", "Smith", "smith john", "JOHN SMITH"):
        assert found(coordinator, q=typed) == refs(john), typed


def test_a_name_in_another_script_finds_the_case(coordinator):
    ivan = case_about("Иван", "Петров")
    assert found(coordinator, q="Ivan Petrov") == refs(ivan)


def test_a_name_given_only_in_a_referral_about_the_person_finds_their_case(coordinator):
    case = case_about("Luke", "Cole")
    ReferralFactory(person=case.person, subject_given_name="Łukasz", subject_family_name="Kowalski")
    case_about("Anna", "Nowak")
    assert found(coordinator, q="Lukasz Kowalski") == refs(case)
    assert found(coordinator, q="Kowalski") == refs(case)


def test_other_names_on_the_record_are_searched_for_those_who_may_see_the_record(coordinator):
    case = case_about("Mohammed", "Ali", other_names=["Moe Alley"])
    assert found(coordinator, q="Moe Alley") == refs(case)
    chair = client_for(Role.CHANNEL_CHAIR)
    assert found(chair, q="Muhammad Ali") == refs(case)
    # A chair sees the case and the person's name, never their record's other names.
    assert found(chair, q="Moe Alley") == []


def test_a_name_only_in_a_referral_the_user_may_not_see_does_not_find_the_case(coordinator):
    case = case_about("Ruth", "Baker")
    # Not shared with police.
    ReferralFactory(person=case.person, subject_given_name="Zbigniew", subject_family_name="Nowak")
    assert found(coordinator, q="Zbigniew Nowak") == refs(case)
    police = client_for(Role.POLICE_PRACTITIONER)
    assert found(police, q="Ruth Baker") == refs(case)
    assert found(police, q="Zbigniew Nowak") == []
    assert found(client_for(Role.CHANNEL_CHAIR), q="Zbigniew Nowak") == []
    shared_referral_about(case.person, subject_given_name="Zbyszek", subject_family_name="Nowak")
    assert found(police, q="Zbyszek Nowak") == refs(case)


# References and dates of birth -------------------------------------------------------------


def test_a_case_reference_finds_the_case_and_a_referral_reference_the_case_opened_from_it(coordinator):
    case = case_about("Sam", "Green", reference="CH-2026-000045")
    other = case_about("Tom", "Reed")
    later = ReferralFactory(person=case.person)
    for typed in ("CH-2026-000045", "ch-2026-45", " CH 2026 000045 "):
        assert found(coordinator, q=typed) == refs(case), typed
    assert found(coordinator, q=other.referral.reference.lower()) == refs(other)
    # Only the referral the case was opened from: a later one about the person is on their record.
    assert found(coordinator, q=later.reference) == []
    assert found(coordinator, q="CH-2026-999999") == []


def test_date_of_birth_on_the_record_or_in_a_referral_the_user_may_see(coordinator):
    on_record = case_about("Uma", "Shah", date_of_birth=DOB)
    in_referral = case_about("Vic", "Stone", date_of_birth=None)
    ReferralFactory(person=in_referral.person, subject_date_of_birth=DOB)  # not shared with police
    case_about("Will", "Ford", date_of_birth=DOB + datetime.timedelta(days=1))
    assert found(coordinator, **dob(DOB)) == refs(on_record, in_referral)
    police = client_for(Role.POLICE_PRACTITIONER)
    assert found(police, **dob(DOB)) == refs(on_record)


def test_a_wrong_date_of_birth_gets_the_govuk_errors_and_is_kept(coordinator):
    case_about("Xena", "Long")
    response = coordinator.get(LIST, {"date_of_birth-day": "30", "date_of_birth-month": "2",
                                      "date_of_birth-year": "2009"})
    assert error_summary(response) == ["Date of birth must be a real date"]
    assert input_value(response, "date_of_birth-day") == "30"
    assert "<title>Error:" in response.content.decode()
    response = coordinator.get(LIST, {"date_of_birth-month": "2", "date_of_birth-year": "2009"})
    assert error_summary(response) == ["Date of birth must include a day"]


# Status, area and dates -----------------------------------------------------------------------


def test_status_filter_and_open_means_any_status_but_closed(coordinator):
    screening = case_about("Ada", "One")
    support = case_about("Bea", "Two", status=CaseStatus.SUPPORT)
    closed = case_about("Cal", "Three", status=CaseStatus.CLOSED)
    assert found(coordinator, status=CaseStatus.SUPPORT) == refs(support)
    assert found(coordinator, status=CaseStatus.CLOSED) == refs(closed)
    assert found(coordinator, status="open") == refs(screening, support)
    response = coordinator.get(LIST, {"status": "nonsense"})
    assert error_summary(response) == ["Select a status from the list"]


def test_area_filter_offers_the_areas_in_use(coordinator):
    panel_for("Northvale")
    north = case_about("Dee", "Four", area="Northvale")
    south = case_about("Eve", "Five", area="Southmere")
    unassigned = case_about("Fay", "Six", area="")
    soup = BeautifulSoup(coordinator.get(LIST).content, "html5lib")
    options = [option.get_text(strip=True) for option in soup.select("select[name=area] option")]
    assert options == ["Any area", "Northvale", "Southmere", "Not recorded"]
    assert found(coordinator, area="Northvale") == refs(north)
    assert found(coordinator, area="Southmere") == refs(south)
    assert found(coordinator, area="-") == refs(unassigned)
    assert error_summary(coordinator.get(LIST, {"area": "Atlantis"})) == ["Select an area from the list"]


def test_opened_from_and_to(coordinator):
    today = timezone.localdate()
    old = case_about("Gil", "Seven")
    new = case_about("Hal", "Eight")
    ChannelCase.objects.filter(pk=old.pk).update(opened_at=timezone.now() - datetime.timedelta(days=30))
    week_ago = today - datetime.timedelta(days=7)
    assert found(coordinator, **dob(week_ago, "opened_from")) == refs(new)
    assert found(coordinator, **dob(week_ago, "opened_to")) == refs(old)
    assert found(coordinator, **dob(today, "opened_from"), **dob(today, "opened_to")) == refs(new)
    response = coordinator.get(LIST, {**dob(today, "opened_from"), **dob(week_ago, "opened_to")})
    assert error_summary(response) == ["Opened to must be the same as or after opened from"]


def test_filters_combine(coordinator):
    panel_for("Northvale")
    wanted = case_about("Iris", "Young", area="Northvale", status=CaseStatus.ADOPTED)
    case_about("Iris", "Young", area="Southmere", status=CaseStatus.ADOPTED, date_of_birth=None)
    case_about("Iris", "Young", area="Northvale", status=CaseStatus.CLOSED)
    case_about("Jack", "Young", area="Northvale", status=CaseStatus.ADOPTED)
    assert found(coordinator, q="Iris Young", area="Northvale", status="open") == refs(wanted)
    assert found(coordinator, q="Young", **dob(DOB), area="Northvale", status=CaseStatus.ADOPTED) == refs(
        wanted, ChannelCase.objects.get(person__given_name="Jack"))


# Scoping ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PANEL_MEMBER, Role.INTERVENTION_PROVIDER])
def test_team_roles_search_only_their_own_cases(role):
    client = client_for(role)
    mine = case_about("Kai", "Lowe", area="Northvale")
    theirs = case_about("Kai", "Lowe", area="Northvale")
    team_member_add(mine, client.user)
    assert found(client) == refs(mine)
    assert found(client, q="Kai Lowe") == refs(mine)
    assert found(client, q=theirs.reference) == []
    assert found(client, q=theirs.referral.reference) == []
    assert found(client, **dob(DOB)) == refs(mine)
    assert found(client, status="open", area="Northvale") == refs(mine)
    assert found(client, status=CaseStatus.SCREENING, q="Lowe", **dob(DOB)) == refs(mine)
    # The areas offered are those of their cases and the panels', never other cases'.
    case_about("Lee", "Moss", area="Hiddenham")
    options = [option.get_text(strip=True) for option in
               BeautifulSoup(client.get(LIST).content, "html5lib").select("select[name=area] option")]
    assert "Hiddenham" not in options and "Northvale" in options


# The page: summary, empty state, paging ------------------------------------------------------------


def test_the_filters_are_summarised_and_an_empty_result_says_so(coordinator):
    case_about("Lena", "Marsh", status=CaseStatus.SUPPORT)
    response = coordinator.get(LIST, {"q": "Lena Marsh", "status": "open"})
    text = text_of(response)
    assert "1 case, newest first, matching: Name: Lena Marsh Status: Open (any status but closed)" in text
    response = coordinator.get(LIST, {"q": "Nobody Here", **dob(DOB)})
    text = text_of(response)
    assert listed(response) == []
    assert "No cases match these filters" in text
    assert "Name: Nobody Here" in text and "Date of birth: 17 May 2009" in text
    soup = BeautifulSoup(response.content, "html5lib")
    clear = [link["href"] for link in soup.select("main a") if link.get_text(strip=True) == "Clear filters"]
    assert clear == [LIST, LIST]


def test_pages_of_25_keep_the_filters(coordinator):
    made = [case_about("Mia", "North") for _ in range(27)]
    case_about("Ned", "South")
    first = coordinator.get(LIST, {"q": "Mia North", "status": "open"})
    assert "Showing 1 to 25 of 27 cases, newest first, matching:" in text_of(first)
    next_href = BeautifulSoup(first.content, "html5lib").select_one(".govuk-pagination__next a")["href"]
    assert "q=Mia+North" in next_href and "status=open" in next_href and "page=2" in next_href
    second = coordinator.get(f"{LIST}{next_href}")
    assert sorted(listed(first) + listed(second)) == refs(*made)


# Hostile, empty and huge input --------------------------------------------------------------------


def test_html_in_the_box_is_escaped_and_shown_back(coordinator):
    case_about("Script", "Alert")
    response = coordinator.get(LIST, {"q": HOSTILE})
    assert_escaped(response.content.decode())
    assert input_value(response, "q") == HOSTILE
    assert "No cases match these filters" in text_of(response)


def test_a_huge_input_is_refused_with_a_message_and_filters_nothing(coordinator):
    case = case_about("Olive", "Park")
    response = coordinator.get(LIST, {"q": "x" * 5000})
    assert error_summary(response) == ["Name or reference must be 200 characters or fewer"]
    assert listed(response) == [case.reference]
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("pk")
    assert event.details["filters"] == {}


def test_sql_looking_text_and_a_name_with_no_letters(coordinator):
    case_about("Pat", "Quinn")
    response = coordinator.get(LIST, {"q": "' OR 1=1; DROP TABLE channel_channelcase; --"})
    assert response.status_code == 200
    assert listed(response) == []
    assert ChannelCase.objects.count() == 1
    response = coordinator.get(LIST, {"q": "1234 ##"})
    assert error_summary(response) == ["Enter a name with at least one letter, or a reference"]


# Auditing ------------------------------------------------------------------------------------------


def test_the_search_event_says_which_criteria_never_the_name_or_date(coordinator):
    panel_for("Northvale")
    case_about("Quentin", "Rowe")
    coordinator.get(LIST, {"q": "Quentin Rowe", **dob(DOB), "status": "open", "area": "Northvale",
                           **dob(datetime.date(2026, 1, 1), "opened_from")})
    event = AuditEvent.objects.get(action=AuditAction.SEARCH, object_type="channel.channelcase")
    assert event.details == {"list": "cases", "page": 1, "filters": {
        "name": True, "date_of_birth": True, "status": "open", "area": "Northvale",
        "opened_from": "2026-01-01"}}
    assert "Quentin" not in str(event.details) and "2009" not in str(event.details)


# Export ---------------------------------------------------------------------------------------------


def test_the_export_has_the_filtered_cases_and_is_audited_without_names(coordinator):
    panel_for("Northvale")
    first = case_about("Rosa", "=cmd|calc", area="Northvale", status=CaseStatus.SUPPORT,
                       adopted_on=datetime.date(2026, 2, 3), next_review_date=datetime.date(2026, 12, 1))
    second = case_about("Rosa", "Smart", status=CaseStatus.CLOSED, closed_at=timezone.now(),
                        exit_date=datetime.date(2026, 5, 6))
    case_about("Sid", "Tate")
    ChannelCase.objects.filter(pk=second.pk).update(opened_at=first.opened_at - datetime.timedelta(days=1))
    response = coordinator.get(LIST, {"q": "Rosa"})
    soup = BeautifulSoup(response.content, "html5lib")
    link = soup.find("a", string="Download these cases as a spreadsheet (CSV)")
    assert link["href"] == f"{EXPORT}?q=Rosa"
    response = coordinator.get(link["href"])
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    table = export_rows(response)
    assert table[0] == ["Reference", "Person", "Referral reference", "Status", "Area", "Opened", "Adopted on",
                        "Next review", "Exit date", "Closed"]
    assert [row[0] for row in table[1:]] == [first.reference, second.reference]
    row = table[1]
    assert row[1] == "Rosa =cmd|calc"  # not a formula: it does not start with "="
    assert row[2:5] == [first.referral.reference, "Support under way", "Northvale"]
    assert row[6:9] == ["2026-02-03", "2026-12-01", ""]
    assert table[2][3] == "Closed" and table[2][8] == "2026-05-06" and table[2][9]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.object_type == "channel.channelcase"
    assert event.details == {"list": "cases", "filters": {"name": True}, "rows": 2, "format": "csv"}

    table = export_rows(coordinator.get(EXPORT, {"status": "open"}))
    assert sorted(row[0] for row in table[1:]) == sorted(
        [first.reference, ChannelCase.objects.get(person__given_name="Sid").reference])


def test_a_formula_in_a_name_is_defused(coordinator):
    case_about("=HYPERLINK(1)", "Vale")
    table = export_rows(coordinator.get(EXPORT))
    assert table[1][1].startswith("'=")


def test_the_unfiltered_export_link_and_wrong_filters(coordinator):
    case_about("Tia", "Udall")
    soup = BeautifulSoup(coordinator.get(LIST).content, "html5lib")
    assert soup.find("a", string="Download these cases as a spreadsheet (CSV)")["href"] == EXPORT
    response = coordinator.get(EXPORT, {"q": "!!!"})
    assert response.status_code == 302
    assert response["Location"].startswith(LIST)
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    # Nothing to download: no link.
    assert "Download these cases" not in coordinator.get(LIST, {"q": "Nobody"}).content.decode()


def test_chairs_may_export_and_other_roles_neither_see_the_link_nor_download():
    case = case_about("Ugo", "Vance")
    chair = client_for(Role.CHANNEL_CHAIR)
    assert "Download these cases" in chair.get(LIST).content.decode()
    assert [row[0] for row in export_rows(chair.get(EXPORT))[1:]] == [case.reference]
    for role in (Role.POLICE_PRACTITIONER, Role.PANEL_MEMBER, Role.INTERVENTION_PROVIDER):
        client = client_for(role)
        if role != Role.POLICE_PRACTITIONER:
            team_member_add(case, client.user)
        assert case.reference in client.get(LIST).content.decode()
        assert "Download these cases" not in client.get(LIST).content.decode()
        assert client.get(EXPORT).status_code == 403


# Queries ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"q": "Vera Wood", **dob(DOB), "status": "open", "area": "-"},
                                    {"q": "CH-2026-000001"}])
def test_the_list_takes_the_same_queries_for_3_or_30_cases(params, django_assert_num_queries):
    coordinator = client_for(Role.PREVENT_COORDINATOR)
    panel_for("Northvale")

    def make(count):
        for _ in range(count):
            case = case_about("Vera", "Wood", area="")
            ReferralFactory(person=case.person, subject_given_name="Vera", subject_family_name="Woods")

    make(3)
    coordinator.get(LIST, params)  # session and caches settle
    with CaptureQueriesContext(connection) as few:
        assert coordinator.get(LIST, params).status_code == 200
    make(27)
    with django_assert_num_queries(len(few)):
        response = coordinator.get(LIST, params)
    assert response.status_code == 200
    with django_assert_num_queries(len(few)):
        coordinator.get(LIST, {**params, "page": 2})


def test_a_panel_members_list_takes_the_same_queries_however_many_cases(django_assert_num_queries):
    member = client_for(Role.PANEL_MEMBER)
    params = {"q": "Wren Xu", "status": "open"}

    def make(count):
        for _ in range(count):
            team_member_add(case_about("Wren", "Xu"), member.user)

    make(2)
    member.get(LIST, params)
    with CaptureQueriesContext(connection) as few:
        member.get(LIST, params)
    make(28)
    with django_assert_num_queries(len(few)):
        assert member.get(LIST, params).status_code == 200
