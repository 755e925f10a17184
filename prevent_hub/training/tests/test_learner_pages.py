"""The learner pages, as a training administrator (every organisation), as
an organisation's training lead (their own organisation only: another's
learner is not found) and as someone with no training role (refused):
the list with its search and filters, adding and changing a learner,
recording that they left, recording a completion with its evidence,
downloading it, and removing a completion recorded by mistake."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import OrganisationFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.core.uploads import MACROS, WRONG_TYPE
from prevent_hub.training import services
from prevent_hub.training.models import Completion, CompletionSource, Learner

from . import factories
from .page_helpers import (
    banner,
    date_fields,
    error_summary,
    events,
    field_error,
    field_value,
    links,
    main_words,
    pdf,
    script_as_pdf,
    searches,
    soup,
    word_with_macros,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LEARNERS = reverse("training:learners")
ADD = reverse("training:learner-add")


def url(name, learner, **kwargs):
    return reverse(f"training:{name}", kwargs={"reference": learner.reference, **kwargs})


@pytest.fixture
def school():
    return OrganisationFactory(name="Fictional Primary School (demo)")


@pytest.fixture
def other_school():
    return OrganisationFactory(name="Fictional Academy (demo)")


@pytest.fixture
def admin(staff_client):
    return staff_client(Role.TRAINING_ADMINISTRATOR)


@pytest.fixture
def lead(staff_client, school):
    return staff_client(Role.TRAINING_LEAD, organisation=school)


def _days_ago(days):
    return TODAY - datetime.timedelta(days=days)


def _years_ago(years):
    return TODAY.replace(year=TODAY.year - years, day=min(TODAY.day, 28))


# The list -----------------------------------------------------------------------------


def test_the_list_shows_each_learner_with_organisation_role_leads_standing_and_date(admin, school):
    in_date = factories.learner(full_name="Alex Example-Teacher", organisation=school,
                                is_safeguarding_lead=True)
    factories.completed(in_date, "prevent-awareness", _days_ago(10))
    factories.learner(full_name="Bea Example-Receptionist", organisation=school, job_role="Receptionist")

    response = admin.get(LEARNERS)

    rows = [" ".join(row.get_text(" ").split()) for row in soup(response).select("tbody tr")]
    assert rows[0].startswith("Alex Example-Teacher")
    assert "Fictional Primary School (demo)" in rows[0] and "Designated safeguarding lead" in rows[0]
    assert "No referrals course in date" in rows[0] and "In date" in rows[0]
    assert "Bea Example-Receptionist" in rows[1] and "Receptionist" in rows[1] and "Never trained" in rows[1]
    assert "2 learners" in main_words(response)


def test_the_list_is_searched_by_name_email_or_reference_and_the_search_is_audited_without_it(admin, school):
    alex = factories.learner(full_name="Alex Example-Teacher", email="alex@example.test", organisation=school)
    factories.learner(full_name="Bea Example-Nurse", email="bea@example.test", organisation=school)

    for query in ("example-teacher", "ALEX@example", alex.reference.lower()):
        text = main_words(admin.get(LEARNERS, {"q": query}))
        assert "Alex Example-Teacher" in text and "Bea Example-Nurse" not in text, query

    event = searches().latest("sequence")
    assert event.details["filters"] == {"search": True}
    assert "alex" not in str(event.details).lower()


def test_the_standing_filter_and_the_organisation_filter(admin, school, other_school):
    overdue = factories.learner(full_name="Alex Example-Overdue", organisation=school)
    factories.completed(overdue, "prevent-awareness", _years_ago(3))
    factories.learner(full_name="Bea Example-Never", organisation=school)
    factories.learner(full_name="Cal Example-Elsewhere", organisation=other_school)

    text = main_words(admin.get(LEARNERS, {"standing": "overdue"}))
    assert "Alex Example-Overdue" in text and "Bea Example-Never" not in text
    text = main_words(admin.get(LEARNERS, {"organisation": other_school.pk}))
    assert "Cal Example-Elsewhere" in text and "Alex Example-Overdue" not in text
    assert "Organisation: Fictional Academy (demo)" in text


def test_the_list_is_in_pages_of_25_in_name_order(admin, school):
    for number in range(27):
        factories.learner(full_name=f"Example Learner {number:02d}", organisation=school)

    first, second = admin.get(LEARNERS), admin.get(LEARNERS, {"page": 2})

    names = [row.select_one("th a").get_text() for row in soup(first).select("tbody tr")]
    assert names == [f"Example Learner {number:02d}" for number in range(25)]
    assert "Showing 1 to 25 of 27 learners" in main_words(first)
    assert [row.select_one("th a").get_text() for row in soup(second).select("tbody tr")] == [
        "Example Learner 25", "Example Learner 26"]


def test_an_empty_list_and_a_search_matching_nobody_say_so(admin, school):
    assert "There are no learners yet" in main_words(admin.get(LEARNERS))
    assert not searches().exists()
    factories.learner(organisation=school)
    text = main_words(admin.get(LEARNERS, {"q": "nobody-by-this-name"}))
    assert "No learners match" in text and "Clear filters" in text


@pytest.mark.parametrize(("query", "shown"), [
    ({"q": "<script>alert(1)</script>"}, "No learners match"),
    ({"q": "' OR 1=1 --"}, "No learners match"),
    ({"q": "x" * 201}, "Search for 200 characters or fewer"),
    ({"standing": "everyone"}, "Select a standing from the list"),
    ({"organisation": "1; DROP TABLE"}, "Select an organisation from the list"),
])
def test_hostile_searches_find_nothing_or_say_what_is_wrong(admin, school, query, shown):
    factories.learner(full_name="Alex Example-Teacher", organisation=school)
    response = admin.get(LEARNERS, query)
    assert response.status_code == 200
    assert shown in main_words(response)
    assert b"<script>alert(1)</script>" not in response.content


def test_a_lead_lists_only_their_own_organisation_and_is_offered_no_organisation_filter(lead, school,
                                                                                         other_school):
    factories.learner(full_name="Alex Example-Ours", organisation=school)
    factories.learner(full_name="Cal Example-Theirs", organisation=other_school)

    response = lead.get(LEARNERS)
    assert "Alex Example-Ours" in main_words(response)
    assert "Cal Example-Theirs" not in main_words(response)
    assert soup(response).find(attrs={"name": "organisation"}) is None
    # Asking for another organisation anyway finds no one of theirs.
    assert "Cal Example-Theirs" not in main_words(lead.get(LEARNERS, {"organisation": other_school.pk}))


def test_someone_without_a_training_role_is_refused_the_learner_pages(staff_client, school):
    learner = factories.learner(organisation=school)
    client = staff_client(Role.PREVENT_COORDINATOR)
    for path in (LEARNERS, ADD, url("learner", learner), url("learner-edit", learner)):
        assert client.get(path).status_code == 403, path


# Adding a learner -------------------------------------------------------------------------


def _learner_form(organisation=None, **values):
    return {"full_name": "Alex Example-Teacher", "email": "Alex.Teacher@Example.test",
            "job_role": "Teacher", **({"organisation": organisation.pk} if organisation else {}), **values}


def test_an_administrator_adds_a_learner_to_any_organisation(admin, other_school):
    page = admin.get(ADD)
    assert soup(page).find("select", attrs={"name": "organisation"}) is not None

    response = admin.post(ADD, _learner_form(other_school, is_prevent_lead="true"), follow=True)

    learner = Learner.objects.get()
    assert learner.organisation == other_school and learner.is_prevent_lead
    assert learner.email == "alex.teacher@example.test"
    assert response.redirect_chain[-1][0] == url("learner", learner)
    assert f"Alex Example-Teacher is added ({learner.reference})" in banner(response)


def test_a_lead_adds_a_learner_to_their_own_organisation_without_choosing_it(lead, school):
    page = lead.get(ADD)
    assert soup(page).find(attrs={"name": "organisation"}) is None
    assert "Organisation: Fictional Primary School (demo)" in main_words(page)

    lead.post(ADD, _learner_form())

    assert Learner.objects.get().organisation == school


def test_a_lead_cannot_add_a_learner_to_another_organisation(lead, school, other_school):
    # Their own organisation is the only one: a choice sent anyway is not read.
    lead.post(ADD, _learner_form(other_school))
    assert Learner.objects.get().organisation == school


def test_adding_a_learner_with_mistakes_says_what_is_wrong_and_keeps_what_was_typed(admin, school):
    response = admin.post(ADD, _learner_form(school, full_name="", email="not an email",
                                             job_role="<b>Teacher</b>"))

    summary = error_summary(response)
    assert "Enter the learner's full name" in summary
    assert "Enter the email address in the correct format" in summary
    assert field_value(response, "email") == "not an email"
    assert field_value(response, "job_role") == "<b>Teacher</b>"
    assert b"<b>Teacher</b>" not in response.content
    assert not Learner.objects.exists()


def test_a_second_learner_with_the_same_email_is_refused_on_the_email(admin, school):
    factories.learner(email="alex.teacher@example.test", organisation=school)
    response = admin.post(ADD, _learner_form(school))
    assert field_error(response, "email") == "Error: A learner with this email address is already recorded"
    assert Learner.objects.count() == 1


def test_the_add_page_sent_twice_adds_one_learner(admin, school):
    form = soup(admin.get(ADD))
    once = form.find("input", attrs={"name": "once"})["value"]
    admin.post(ADD, _learner_form(school, once=once), follow=True)
    second = admin.post(ADD, _learner_form(school, once=once), follow=True)
    assert Learner.objects.count() == 1
    assert "That was saved already" in banner(second)


# A learner's record -----------------------------------------------------------------------


def test_the_learner_page_shows_details_standing_lead_flag_and_every_completion(admin, school):
    learner = factories.learner(full_name="Alex Example-Teacher", organisation=school,
                                is_safeguarding_lead=True)
    recorder = factories.administrator(full_name="Robin Example-Administrator")
    factories.completed(learner, "prevent-awareness", _days_ago(40), acting_user=recorder,
                        certificate_reference="HO-CERT-0001", evidence=pdf("my certificate.pdf"))

    response = admin.get(url("learner", learner))

    text = main_words(response)
    assert "Alex Example-Teacher" in text and "In date" in text
    assert "needs the Prevent referrals course: none is recorded" in text
    completion = learner.completions.get()
    row = " ".join(soup(response).select_one("tbody tr").get_text(" ").split())
    assert "Prevent awareness" in row and "HO-CERT-0001" in row
    assert f"{completion.expires_on:%-d %b %Y}" in row
    assert "Recorded for the learner: Robin Example-Administrator" in row
    assert "my certificate.pdf" in row
    assert url("completion-evidence", learner, pk=completion.pk) in links(response)
    assert url("completion-remove", learner, pk=completion.pk) in links(response)
    view = events(AuditAction.VIEW, learner).latest("sequence")
    assert view.details["part"] == "training record: details, standing and completions"


def test_the_learner_page_prints_without_navigation_and_actions(admin, school):
    learner = factories.learner(organisation=school)
    page = soup(admin.get(url("learner", learner)))
    assert "govuk-!-display-none-print" in page.select_one(".govuk-breadcrumbs")["class"]
    actions = page.find("a", string="Change their details").find_parent(class_="govuk-!-display-none-print")
    assert actions is not None


def test_a_lead_works_on_their_own_organisation_and_never_finds_another(lead, school, other_school):
    ours = factories.learner(organisation=school)
    theirs = factories.learner(organisation=other_school)
    completion = factories.completed(theirs, "prevent-awareness", _days_ago(5), evidence=pdf())

    assert lead.get(url("learner", ours)).status_code == 200
    for path in (url("learner", theirs), url("learner-edit", theirs), url("learner-left", theirs),
                 url("completion-add", theirs), url("completion-evidence", theirs, pk=completion.pk),
                 url("completion-remove", theirs, pk=completion.pk)):
        assert lead.get(path).status_code == 404, path
    assert lead.post(url("completion-remove", theirs, pk=completion.pk),
                     {"reason": "Not ours"}).status_code == 404
    assert Completion.objects.filter(pk=completion.pk).exists()
    # The refused look-up is in the audit trail, by the reference asked for.
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, object_type="training.learner",
                                     object_id=theirs.reference).exists()


def test_a_learner_reference_that_does_not_exist_is_not_found(admin):
    assert admin.get("/staff/training/learners/LRN-NOSUCH00/").status_code == 404
    assert admin.get("/staff/training/learners/..%2F..%2Fetc%2Fpasswd/").status_code == 404


def test_the_details_are_changed(admin, school, other_school):
    learner = factories.learner(full_name="Alex Example-Teacher", organisation=school)
    page = admin.get(url("learner-edit", learner))
    assert field_value(page, "full_name") == "Alex Example-Teacher"

    response = admin.post(url("learner-edit", learner), {
        "full_name": "Alex Example-Headteacher", "email": learner.email, "organisation": other_school.pk,
        "job_role": "Headteacher", "is_safeguarding_lead": "true"}, follow=True)

    learner.refresh_from_db()
    assert learner.full_name == "Alex Example-Headteacher" and learner.organisation == other_school
    assert learner.is_safeguarding_lead
    assert "Alex Example-Headteacher's details are saved" in banner(response)


def test_a_lead_cannot_move_a_learner_to_another_organisation(lead, school, other_school):
    learner = factories.learner(organisation=school)
    lead.post(url("learner-edit", learner), {"full_name": "Alex Example-Moved", "email": learner.email,
                                             "organisation": other_school.pk})
    learner.refresh_from_db()
    assert learner.organisation == school


def test_the_day_a_learner_left_is_recorded_with_a_govuk_date(admin, school):
    learner = factories.learner(organisation=school)

    wrong = admin.post(url("learner-left", learner), {"left_on-day": "31", "left_on-month": "2",
                                                      "left_on-year": "2025"})
    assert "Date they left must be a real date" in error_summary(wrong)
    assert field_value(wrong, "left_on-day") == "31"
    future = admin.post(url("learner-left", learner), date_fields("left_on", TODAY + datetime.timedelta(1)))
    assert "must be today or in the past" in error_summary(future)
    missing = admin.post(url("learner-left", learner), {"left_on-day": "3", "left_on-month": "",
                                                        "left_on-year": "2025"})
    assert "Date they left must include a month" in error_summary(missing)

    response = admin.post(url("learner-left", learner), date_fields("left_on", _days_ago(3)), follow=True)

    learner.refresh_from_db()
    assert learner.left_on == _days_ago(3)
    assert "no longer counted" in banner(response)
    assert "Left" in main_words(admin.get(LEARNERS, {"standing": "left"}))


# Completions ---------------------------------------------------------------------------


def _completion(code="prevent-awareness", on=None, **values):
    from .factories import course

    return {"course": course(code).pk, **date_fields("completed_on", on or _days_ago(7)), **values}


def test_a_completion_is_recorded_with_a_pdf_certificate_and_downloaded_audited(admin, lead, school):
    learner = factories.learner(organisation=school)

    response = lead.post(url("completion-add", learner),
                         _completion(certificate_reference="HO-CERT-42", evidence=pdf()), follow=True)

    completion = learner.completions.get()
    assert completion.certificate_reference == "HO-CERT-42"
    assert completion.recorded_by == lead.user and completion.evidence_content_type == "application/pdf"
    assert "Prevent awareness completed on" in banner(response) and "Refresh due by" in banner(response)
    download = admin.get(url("completion-evidence", learner, pk=completion.pk))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    event = events(AuditAction.DOWNLOAD, learner).get()
    assert event.actor == admin.user and event.details["completion"] == completion.pk


@pytest.mark.parametrize(("upload", "message"), [
    (word_with_macros, MACROS), (script_as_pdf, WRONG_TYPE)])
def test_evidence_is_checked_by_its_content_and_a_refusal_keeps_what_was_typed(admin, school, upload,
                                                                               message):
    learner = factories.learner(organisation=school)

    response = admin.post(url("completion-add", learner),
                          _completion(certificate_reference="HO-CERT-42", evidence=upload()))

    assert message in field_error(response, "evidence")
    assert message in error_summary(response)
    assert field_value(response, "certificate_reference") == "HO-CERT-42"
    assert field_value(response, "completed_on-day") == str(_days_ago(7).day)
    assert not Completion.objects.exists()


def test_evidence_over_the_size_limit_is_refused_unread(admin, school, settings):
    settings.REFERRAL_ATTACHMENT_MAX_BYTES = 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 512
    learner = factories.learner(organisation=school)
    big = pdf()
    big.file.write(b"0" * 4096)
    big.file.seek(0)
    big.size = len(big.file.getvalue())

    response = admin.post(url("completion-add", learner), _completion(evidence=big))

    assert "must be smaller than 1 KB" in field_error(response, "evidence")
    assert not Completion.objects.exists()


def test_the_prerequisite_rule_and_other_refusals_are_shown_on_their_fields(admin, school):
    learner = factories.learner(organisation=school)

    needs_first = admin.post(url("completion-add", learner), _completion("prevent-referrals"))
    assert "Prevent referrals needs Prevent awareness completed first" in field_error(needs_first, "course")
    future = admin.post(url("completion-add", learner), _completion(on=TODAY + datetime.timedelta(days=1)))
    assert "must be today or in the past" in field_error(future, "completed_on")
    nothing = admin.post(url("completion-add", learner), {})
    assert "Select the course" in error_summary(nothing)
    assert "Enter the date the course was completed" in error_summary(nothing)
    hostile = admin.post(url("completion-add", learner), {**_completion(), "course": "1 OR 1=1"})
    assert "Select a course from the list" in field_error(hostile, "course")
    assert not Completion.objects.exists()


def test_a_course_no_longer_offered_is_not_offered(admin, school):
    from .factories import course

    workshop = course("local-workshop")
    services.course_save(course=workshop, is_active=False, acting_user=factories.administrator())
    learner = factories.learner(organisation=school)

    page = admin.get(url("completion-add", learner))
    offered = [option.get_text() for option in soup(page).select("select option")]
    assert "Prevent awareness" in offered and "Local Prevent workshop" not in offered
    response = admin.post(url("completion-add", learner), _completion("local-workshop"))
    assert "Select a course from the list" in field_error(response, "course")


def test_a_completion_sent_twice_is_recorded_once(admin, school):
    learner = factories.learner(organisation=school)
    once = soup(admin.get(url("completion-add", learner))).find("input", attrs={"name": "once"})["value"]
    admin.post(url("completion-add", learner), _completion(once=once), follow=True)
    second = admin.post(url("completion-add", learner), _completion(once=once), follow=True)
    assert learner.completions.count() == 1
    assert "That was saved already" in banner(second)


def test_a_completion_recorded_by_mistake_is_removed_with_a_reason(admin, school):
    learner = factories.learner(organisation=school)
    completion = factories.completed(learner, "prevent-awareness", _days_ago(7))
    path = url("completion-remove", learner, pk=completion.pk)

    page = admin.get(path)
    assert "Only remove a completion recorded by mistake" in main_words(page)
    empty = admin.post(path, {"reason": "   "})
    assert "Enter why the completion is being removed" in error_summary(empty)

    response = admin.post(path, {"reason": "Recorded against the wrong person"}, follow=True)

    assert not learner.completions.exists()
    assert "Removed: Prevent awareness completed on" in banner(response)
    assert events(AuditAction.DELETE, completion).get().details["learner"] == learner.reference
    again = admin.post(path, {"reason": "Recorded against the wrong person"}, follow=True)
    assert "no longer recorded" in banner(again)


def test_a_completion_another_needs_as_its_prerequisite_is_not_removed(admin, school):
    learner = factories.learner(organisation=school)
    awareness = factories.completed(learner, "prevent-awareness", _days_ago(30))
    factories.completed(learner, "prevent-referrals", _days_ago(20))

    response = admin.post(url("completion-remove", learner, pk=awareness.pk), {"reason": "Mistake"})

    assert "needs this completion as its prerequisite: remove that first" in error_summary(response)
    assert field_value(response, "reason") == "Mistake"
    assert learner.completions.count() == 2


def test_completions_recorded_by_the_learner_say_so(admin, staff_client, school):
    own = staff_client(organisation=school)
    services.completion_record(learner=None, course=factories.course("prevent-awareness"),
                               completed_on=_days_ago(3), acting_user=own.user)
    learner = Learner.objects.get(user=own.user)
    assert learner.completions.get().source == CompletionSource.OWN
    assert "Recorded by the learner" in main_words(admin.get(url("learner", learner)))
