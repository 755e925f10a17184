"""The compliance pages: the table per organisation and per role with its
summary cards, one organisation's learners with their standing, who sees
what (an organisation's training lead their own organisation only), the
fixed order and paging of the list, hostile query strings, and that every
page reads a fixed number of queries however many learners there are."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import OrganisationFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.training import compliance, selectors, services
from prevent_hub.training.compliance_views import href_or_blank

from .factories import administrator, completed, learner

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 6, 15)
HOME = reverse("training:home")
ADMIN, LEAD = Role.TRAINING_ADMINISTRATOR, Role.TRAINING_LEAD


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        yield


def organisation_page(organisation, **kwargs) -> str:
    return reverse("training:organisation", kwargs={"pk": getattr(organisation, "pk", organisation)})


def soup(response):
    return BeautifulSoup(response.content, "html5lib")


def text(response) -> str:
    return soup(response).get_text(" ", strip=True)


def table_rows(response) -> list[list[str]]:
    table = soup(response).find("table")
    if table is None:
        return []
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
            for row in table.find("tbody").find_all("tr")]


def cards(response) -> dict[str, tuple[int, str]]:
    """The summary cards: their words → (the number, where they link or "")."""
    found = {}
    listed = soup(response).find("ul", attrs={"aria-label": "Learners by standing"})
    for item in listed.find_all("li"):
        number = item.find("span").get_text(strip=True)
        link = item.find("a")
        words = item.get_text(" ", strip=True).removeprefix(number).replace("Needs action", "").strip()
        found[words] = (int(number), link["href"] if link else "")
    return found


def error_summary(response) -> str:
    summary = soup(response).find(class_="govuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


@pytest.fixture
def world():
    """Two fictional schools. The academy: one learner of each standing, a
    safeguarding lead without the referrals course, and one who has left."""
    admin = administrator()
    academy = OrganisationFactory(name="Fictional Example Academy (demo)")
    primary = OrganisationFactory(name="Benchford Fictional Primary (demo)")

    def person(name, organisation, role="Teacher", **values):
        return learner(acting_user=admin, organisation=organisation, full_name=name, job_role=role,
                       email=f"{name.split()[0].lower()}@example.test", **values)

    people = {
        "in_date": person("Ann Example-Teacher", academy),
        "due_soon": person("Ben Example-Teacher", academy),
        "overdue": person("Cat Example-Assistant", academy, role="Teaching assistant"),
        "never": person("Dan Example-Teacher", academy),
        "lead": person("Eve Example-Head", academy, role="Headteacher", is_safeguarding_lead=True),
        "left": person("Fay Example-Leaver", academy),
        "other": person("Gus Example-Teacher", primary, is_safeguarding_lead=True),
    }
    completed(people["in_date"], "prevent-awareness", D(2026, 1, 5), acting_user=admin)
    completed(people["due_soon"], "prevent-awareness", D(2024, 7, 1), acting_user=admin)
    completed(people["overdue"], "prevent-awareness", D(2024, 1, 10), acting_user=admin)
    completed(people["lead"], "prevent-awareness", D(2025, 9, 1), acting_user=admin)
    completed(people["left"], "prevent-awareness", D(2023, 1, 10), acting_user=admin)
    services.learner_left(learner=people["left"], left_on=D(2026, 5, 1), acting_user=admin)
    completed(people["other"], "prevent-awareness", D(2025, 3, 1), acting_user=admin)
    completed(people["other"], "prevent-referrals", D(2025, 3, 2), acting_user=admin)
    return {"admin": admin, "academy": academy, "primary": primary, **people}


# The compliance table ------------------------------------------------------------------------


def test_an_administrator_sees_each_organisation_and_the_totals(staff_client, world):
    response = staff_client(ADMIN).get(HOME)
    assert response.status_code == 200
    assert table_rows(response) == [
        # organisation, learners, in date, due soon, overdue, never trained, leads flagged, % in date
        ["Benchford Fictional Primary (demo)", "1", "1", "0", "0", "0", "0", "100%"],
        ["Fictional Example Academy (demo)", "5", "2", "1", "1", "1", "1", "40%"],
    ]
    assert {words: number for words, (number, _href) in cards(response).items()} == {
        "learners": 6, "in date": 3, "due soon": 1, "overdue": 1, "never trained": 1,
        "safeguarding or Prevent leads without the referrals course": 1}
    link = soup(response).find("a", string="Fictional Example Academy (demo)")
    assert link["href"] == organisation_page(world["academy"])


def test_the_counts_and_totals_are_each_learners_standing_added_up(world):
    everyone = selectors.learners_visible(user=world["admin"])
    here = [learner for learner in everyone if learner.left_on is None or learner.left_on > TODAY]
    for by, key in (("organisation", lambda learner: learner.organisation_id),
                    ("role", lambda learner: learner.job_role)):
        rows = selectors.compliance(everyone, by=by, today=TODAY)
        assert len(rows) >= 2
        for row in rows:
            theirs = [learner for learner in here if key(learner) == row.key]
            standings = [selectors.standing_of(learner, TODAY) for learner in theirs]
            assert (row.learners, row.in_date, row.due_soon, row.overdue, row.never_trained) == (
                len(theirs), *(standings.count(name) for name in ("in_date", "due_soon", "overdue",
                                                                  "never_trained")))
            assert row.leads_flagged == sum(selectors.lead_flagged(learner, TODAY) for learner in theirs)
        assert compliance.totals_of(rows) == selectors.compliance_totals(everyone, today=TODAY)


def test_by_role_counts_each_role(staff_client, world):
    response = staff_client(ADMIN).get(HOME, {"by": "role"})
    assert table_rows(response) == [
        ["Headteacher", "1", "1", "0", "0", "0", "1", "100%"],
        ["Teacher", "4", "2", "1", "0", "1", "0", "50%"],
        ["Teaching assistant", "1", "0", "0", "1", "0", "0", "0%"],
    ]
    current = soup(response).find(class_="govuk-tabs").find("a", attrs={"aria-current": "page"})
    assert current.get_text(strip=True) == "By role"


def test_a_training_lead_sees_only_their_own_organisation(staff_client, world):
    client = staff_client(LEAD, organisation=world["primary"])
    response = client.get(HOME)
    assert [row[0] for row in table_rows(response)] == ["Benchford Fictional Primary (demo)"]
    assert "Fictional Example Academy" not in text(response)
    found = cards(response)
    # Each card leads to the learners it counts.
    assert found["learners"] == (1, organisation_page(world["primary"]))
    assert found["overdue"] == (0, organisation_page(world["primary"]) + "?standing=overdue")
    assert found["safeguarding or Prevent leads without the referrals course"][1].endswith("?leads=flagged")
    by_role = client.get(HOME, {"by": "role"})
    assert table_rows(by_role) == [["Teacher", "1", "1", "0", "0", "0", "0", "100%"]]
    assert "Benchford Fictional Primary (demo)" in soup(by_role).find("h1").get_text()


def test_a_training_lead_is_told_when_their_organisation_has_no_learners(staff_client, world):
    client = staff_client(LEAD, organisation=OrganisationFactory(name="Empty Fictional School (demo)"))
    response = client.get(HOME)
    assert response.status_code == 200
    assert "No learners are recorded yet" in text(response)
    assert "Ann Example" not in text(response) and "Fictional Example Academy" not in text(response)


def test_an_empty_service_says_so(staff_client):
    response = staff_client(ADMIN).get(HOME)
    assert "No learners are recorded yet" in text(response)
    assert soup(response).find("table") is None
    assert reverse("training:compliance-csv") not in response.content.decode()


@pytest.mark.parametrize("role", [Role.PREVENT_COORDINATOR, Role.AUDITOR, Role.COMPLAINTS_OFFICER])
def test_roles_without_training_are_refused(staff_client, world, role):
    client = staff_client(role)
    for path in (HOME, organisation_page(world["academy"]), reverse("training:compliance-csv")):
        assert client.get(path).status_code == 403


@pytest.mark.parametrize("by", ["<script>alert(1)</script>", "ROLE", "", "organisation'--", "x" * 5000])
def test_a_grouping_that_is_not_offered_shows_the_table_by_organisation(staff_client, world, by):
    response = staff_client(ADMIN).get(HOME, {"by": by})
    assert response.status_code == 200
    assert [row[0] for row in table_rows(response)][0] == "Benchford Fictional Primary (demo)"
    assert "<script>alert(1)" not in response.content.decode()


# One organisation's learners ----------------------------------------------------------------


def test_an_organisations_learners_are_listed_by_standing_then_name(staff_client, world):
    response = staff_client(ADMIN).get(organisation_page(world["academy"]))
    assert response.status_code == 200
    rows = table_rows(response)
    assert [(row[0], row[2]) for row in rows] == [
        ("Cat Example-Assistant", "Overdue"),
        ("Dan Example-Teacher", "Never trained"),
        ("Ben Example-Teacher", "Due soon"),
        ("Ann Example-Teacher", "In date"),
        ("Eve Example-Head", "In date"),
    ]
    eve = rows[-1]
    assert eve[3:] == ["1 Sep 2027", "1 Sep 2025", "Designated safeguarding lead Referrals course needed"]
    assert rows[1][3:5] == ["—", "—"]
    assert "Fay Example-Leaver" not in text(response)  # left the academy
    assert "Gus Example-Teacher" not in text(response)  # another school
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="training.learner",
                                     details__organisation=world["academy"].pk).exists()


def test_each_name_leads_to_the_learners_page_when_there_is_one(staff_client, world):
    response = staff_client(ADMIN).get(organisation_page(world["academy"]))
    cell = soup(response).find("th", string=lambda value: value and "Ann Example-Teacher" in value) or \
        soup(response).find("a", string="Ann Example-Teacher").parent
    link = cell.find("a")
    page = href_or_blank("training:learner", reference=world["in_date"].reference)
    assert (link["href"] if link else "") == page


def test_the_tag_agrees_with_the_counts_for_every_standing(staff_client, world):
    client = staff_client(ADMIN)
    counts = {row.label: row for row in selectors.compliance(
        selectors.learners_visible(user=world["admin"]), by="organisation", today=TODAY)}
    academy = counts["Fictional Example Academy (demo)"]
    for standing, label in selectors.STANDING_LABELS.items():
        rows = table_rows(client.get(organisation_page(world["academy"]), {"standing": standing}))
        assert [row[2] for row in rows] == [label] * getattr(academy, standing)


def test_leads_without_the_referrals_course_can_be_listed_alone(staff_client, world):
    response = staff_client(ADMIN).get(organisation_page(world["academy"]), {"leads": "flagged"})
    assert [row[0] for row in table_rows(response)] == ["Eve Example-Head"]
    assert "Only leads without the referrals course in date" in text(response)
    nobody = staff_client(ADMIN).get(organisation_page(world["primary"]), {"leads": "flagged"})
    assert "No learners match these filters" in text(nobody)


def test_a_training_lead_cannot_see_another_organisations_learners(staff_client, world):
    client = staff_client(LEAD, organisation=world["primary"])
    assert client.get(organisation_page(world["primary"])).status_code == 200
    for path in (organisation_page(world["academy"]),
                 reverse("training:organisation-csv", kwargs={"pk": world["academy"].pk}),
                 reverse("training:organisation-xlsx", kwargs={"pk": world["academy"].pk})):
        response = client.get(path)
        assert response.status_code == 404
        assert b"Ann Example" not in response.content
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED,
                                     object_type="accounts.organisation",
                                     object_id=str(world["academy"].pk)).exists()


@pytest.mark.parametrize("pk", ["0", "99999999", "9" * 30])
def test_an_organisation_that_does_not_exist_is_not_found(staff_client, world, pk):
    client = staff_client(ADMIN)
    assert client.get(f"/staff/training/organisations/{pk}/").status_code == 404
    assert client.get(f"/staff/training/organisations/{pk}/learners.csv").status_code == 404


@pytest.mark.parametrize("params, message", [
    ({"standing": "<script>alert(1)</script>"}, "Select a standing from the list"),
    ({"standing": ["overdue", "in_date"]}, ""),
    ({"leads": "1' OR '1'='1"}, "Select who to show from the list"),
])
def test_a_filter_that_is_wrong_is_explained_and_left_out(staff_client, world, params, message):
    response = staff_client(ADMIN).get(organisation_page(world["academy"]), params)
    assert response.status_code == 200
    assert message in error_summary(response)
    assert "<script>alert(1)" not in response.content.decode()
    assert len(table_rows(response)) >= 1


def test_the_list_is_paged_and_a_page_past_the_end_shows_the_last(staff_client, world):
    admin = world["admin"]
    for n in range(30):
        learner(acting_user=admin, organisation=world["primary"], full_name=f"Hal Example-Learner {n:02d}")
    client = staff_client(ADMIN)
    first = client.get(organisation_page(world["primary"]))
    assert len(table_rows(first)) == 25
    assert "Showing 1 to 25 of 31 learners" in text(first)
    for page in ("2", "99999999999999999999", "-1"):
        response = client.get(organisation_page(world["primary"]), {"page": page})
        assert response.status_code == 200
        assert len(table_rows(response)) == 6
    assert len(table_rows(client.get(organisation_page(world["primary"]), {"page": "abc"}))) == 25


# Queries ---------------------------------------------------------------------------------------

# Every staff page's own queries (session, user, second factor, roles; the
# session saved in a savepoint), then the compliance page's one GROUP BY of
# learners (its totals are its rows added up) and the organisations' names;
# by role, the GROUP BY and whether the user sees one organisation.
HOME_QUERIES = {"sqlite": 9, "postgresql": 9}
BY_ROLE_QUERIES = {"sqlite": 9, "postgresql": 9}
# The organisation, the totals for it, the list's count and its page of 25,
# and the audit event for the learners listed.
ORGANISATION_QUERIES = {"sqlite": 15, "postgresql": 12}


@pytest.mark.parametrize("count", [1, 30])
def test_the_pages_read_the_same_queries_however_many_learners(staff_client, count,
                                                               django_assert_num_queries):
    admin = administrator()
    academy = OrganisationFactory(name="Fictional Example Academy (demo)")
    for n in range(count):
        person = learner(acting_user=admin, organisation=academy if n % 2 == 0 else None,
                         job_role=("Teacher", "Cook", "")[n % 3])
        if n % 4:
            completed(person, "prevent-awareness", D(2025, 1, 1) - datetime.timedelta(days=40 * n),
                      acting_user=admin)
    client = staff_client(ADMIN)
    client.get(HOME)
    with django_assert_num_queries(HOME_QUERIES[connection.vendor]):
        assert client.get(HOME).status_code == 200
    with django_assert_num_queries(BY_ROLE_QUERIES[connection.vendor]):
        assert client.get(HOME, {"by": "role"}).status_code == 200
    client.get(organisation_page(academy))
    with django_assert_num_queries(ORGANISATION_QUERIES[connection.vendor]):
        assert client.get(organisation_page(academy)).status_code == 200


def test_names_are_shown_as_text_never_as_markup(staff_client):
    hostile = OrganisationFactory(name='<script>alert(1)</script> "Fictional" Academy (demo)')
    learner(organisation=hostile, job_role="<b>Teacher</b>")
    client = staff_client(ADMIN)
    for params in ({}, {"by": "role"}):
        response = client.get(HOME, params)
        assert b"<script>alert(1)" not in response.content and b"<b>Teacher" not in response.content
    assert table_rows(client.get(HOME))[0][0] == '<script>alert(1)</script> "Fictional" Academy (demo)'
    assert table_rows(client.get(HOME, {"by": "role"}))[0][0] == "<b>Teacher</b>"
    page = client.get(organisation_page(hostile))
    assert b"<script>alert(1)" not in page.content
