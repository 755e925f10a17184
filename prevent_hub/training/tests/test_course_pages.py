"""The courses: a table anyone working on training records can read
(organisations' training leads too, to see what counts and how often it
must be refreshed), added and changed only by training administrators;
never deleted, only no longer offered."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import OrganisationFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.core.dates import add_months
from prevent_hub.training.models import Course

from . import factories
from .page_helpers import banner, error_summary, field_error, field_value, links, main_words, soup

pytestmark = pytest.mark.django_db

COURSES = reverse("training:courses")
ADD = reverse("training:course-add")


def edit(code):
    return reverse("training:course-edit", kwargs={"code": code})


@pytest.fixture
def admin(staff_client):
    return staff_client(Role.TRAINING_ADMINISTRATOR)


@pytest.fixture
def lead(staff_client):
    return staff_client(Role.TRAINING_LEAD, organisation=OrganisationFactory())


def _course_form(**values):
    return {"name": "Fictional safeguarding workshop", "code": "fictional-workshop", "kind": "local_workshop",
            "refresh_months": "12", "is_active": "true", **values}


def test_the_table_shows_every_course_and_what_each_field_says(admin):
    response = admin.get(COURSES)

    rows = {row.select_one("th").get_text(): " ".join(row.get_text(" ").split())
            for row in soup(response).select("tbody tr")}
    assert list(rows) == ["Prevent awareness", "Prevent referrals", "Channel awareness",
                          "Prevent awareness refresher", "Local Prevent workshop"]
    referrals = rows["Prevent referrals"]
    assert "prevent-referrals" in referrals and "24 months" in referrals and "Prevent awareness" in referrals
    assert edit("prevent-awareness") in links(response) and ADD in links(response)


def test_a_lead_reads_the_courses_but_cannot_add_or_change_them(lead):
    response = lead.get(COURSES)
    assert response.status_code == 200 and "Prevent awareness" in main_words(response)
    assert ADD not in links(response) and edit("prevent-awareness") not in links(response)
    assert lead.get(ADD).status_code == 403
    assert lead.get(edit("prevent-awareness")).status_code == 403
    assert lead.post(ADD, _course_form()).status_code == 403
    assert lead.post(edit("prevent-awareness"), _course_form(name="Renamed")).status_code == 403
    assert not Course.objects.filter(code="fictional-workshop").exists()


def test_someone_without_a_training_role_cannot_see_the_courses(staff_client):
    client = staff_client(Role.VENUE_BOOKING_OFFICER)
    assert client.get(COURSES).status_code == 403
    assert client.get(ADD).status_code == 403


def test_a_course_is_added_with_the_defaults_offered(admin):
    page = admin.get(ADD)
    assert field_value(page, "refresh_months") == "24"

    response = admin.post(ADD, _course_form(), follow=True)

    course = Course.objects.get(code="fictional-workshop")
    assert course.refresh_months == 12 and course.is_active and not course.counts_for_compliance
    assert "Fictional safeguarding workshop is added" in banner(response)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="training.course",
                                     object_id=str(course.pk)).exists()


def test_changing_the_refresh_period_moves_every_learners_refresh_date(admin):
    learner = factories.learner()
    on = timezone.localdate() - datetime.timedelta(days=100)
    completion = factories.completed(learner, "prevent-awareness", on)
    awareness = Course.objects.get(code="prevent-awareness")

    page = admin.get(edit("prevent-awareness"))
    assert "moves the refresh date of every completion" in main_words(page)
    assert field_value(page, "name") == "Prevent awareness"

    values = {"name": awareness.name, "code": awareness.code, "kind": awareness.kind, "refresh_months": "36",
              "counts_for_compliance": "true", "is_active": "true"}
    response = admin.post(edit("prevent-awareness"), values, follow=True)

    completion.refresh_from_db()
    learner.refresh_from_db()
    assert completion.expires_on == add_months(on, 36) == learner.trained_until
    assert "Prevent awareness is saved" in banner(response)


def test_a_course_no_longer_offered_is_kept(admin):
    workshop = Course.objects.get(code="local-workshop")
    values = {"name": workshop.name, "code": workshop.code, "kind": workshop.kind,
              "refresh_months": str(workshop.refresh_months)}
    admin.post(edit("local-workshop"), values)
    workshop.refresh_from_db()
    assert not workshop.is_active
    row = soup(admin.get(COURSES)).find("th", string="Local Prevent workshop").find_parent("tr")
    assert row.select("td")[-2].get_text() == "No"  # offered: no


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"name": ""}, "name", "Enter the course's name"),
    ({"name": "prevent AWARENESS"}, "name", "A course with this name already exists"),
    ({"code": "prevent-awareness"}, "code", "A course with this code already exists"),
    ({"code": "<script>alert(1)</script>"}, "code", "lower-case letters, numbers and hyphens"),
    ({"code": "../../etc/passwd"}, "code", "lower-case letters, numbers and hyphens"),
    ({"refresh_months": "0"}, "refresh_months", "from 1 to 120 months"),
    ({"refresh_months": "121"}, "refresh_months", "from 1 to 120 months"),
    ({"refresh_months": "two years"}, "refresh_months", "whole number of months"),
    ({"refresh_months": "1; DROP TABLE training_course"}, "refresh_months", "whole number of months"),
    ({"kind": "secret"}, "kind", "Select the kind of course"),
    ({"prerequisite": "999999"}, "prerequisite", "Select a course from the list"),
])
def test_mistakes_and_hostile_input_are_refused_with_what_was_typed_kept(admin, values, field, message):
    response = admin.post(ADD, _course_form(**values))
    assert message in field_error(response, field)
    assert message in error_summary(response)
    if field in ("name", "code"):
        assert field_value(response, field) == values[field]
    assert not Course.objects.filter(name="Fictional safeguarding workshop").exists()
    assert b"<script>alert(1)</script>" not in response.content


def test_a_course_that_would_depend_on_itself_is_refused(admin):
    refresher = Course.objects.get(code="prevent-refresher")
    awareness = Course.objects.get(code="prevent-awareness")
    values = {"name": awareness.name, "code": awareness.code, "kind": awareness.kind, "refresh_months": "24",
              "counts_for_compliance": "true", "is_active": "true", "prerequisite": refresher.pk}
    # The refresher renews awareness; awareness renewing the refresher would go round in a circle.
    response = admin.post(edit("prevent-awareness"), {**values, "prerequisite": "", "renews": refresher.pk})
    assert "cannot depend on itself" in field_error(response, "renews")
    awareness.refresh_from_db()
    assert awareness.renews is None


def test_a_course_code_that_does_not_exist_is_not_found(admin):
    assert admin.get(edit("no-such-course")).status_code == 404
