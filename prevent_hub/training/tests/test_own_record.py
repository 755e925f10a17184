"""Every signed-in user's own training record: an empty state until they
record a course, recording one (which makes their record from their
account), their standing and refresh dates, and downloading their own
evidence, never anyone else's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import OrganisationFactory
from prevent_hub.audit.models import AuditAction
from prevent_hub.core.uploads import MACROS
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
    soup,
    word_with_macros,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
OWN = reverse("training:own")
OWN_ADD = reverse("training:own-add")


def _days_ago(days):
    return TODAY - datetime.timedelta(days=days)


def _completion(code="prevent-awareness", on=None, **values):
    return {"course": factories.course(code).pk, **date_fields("completed_on", on or _days_ago(7)), **values}


@pytest.fixture
def someone(staff_client):
    """A signed-in member of staff with no training role."""
    return staff_client(organisation=OrganisationFactory(name="Fictional Housing Team (demo)"),
                        full_name="Sam Example-Officer")


def test_with_nothing_recorded_the_page_says_so_and_offers_to_record_a_course(someone):
    response = someone.get(OWN)
    assert response.status_code == 200
    assert "You have no training recorded yet" in main_words(response)
    assert OWN_ADD in links(response)
    assert not Learner.objects.exists()


def test_recording_a_course_makes_their_record_from_their_account(someone):
    response = someone.post(OWN_ADD, _completion(certificate_reference="HO-CERT-7", evidence=pdf()),
                            follow=True)

    learner = Learner.objects.get()
    assert learner.user == someone.user and learner.full_name == "Sam Example-Officer"
    assert learner.organisation == someone.user.organisation
    completion = learner.completions.get()
    assert completion.source == CompletionSource.OWN and completion.recorded_by == someone.user
    assert response.redirect_chain[-1][0] == OWN
    assert "Prevent awareness completed on" in banner(response)
    text = main_words(response)
    assert "In date" in text and "HO-CERT-7" in text and "Recorded by the learner" in text
    assert f"{completion.expires_on:%-d %b %Y}" in text


def test_the_own_page_and_their_evidence_download_are_audited(someone):
    someone.post(OWN_ADD, _completion(evidence=pdf()))
    completion = Completion.objects.get()
    learner = completion.learner

    page = someone.get(OWN)
    download = someone.get(reverse("training:own-evidence", kwargs={"pk": completion.pk}))

    assert reverse("training:own-evidence", kwargs={"pk": completion.pk}) in links(page)
    assert events(AuditAction.VIEW, learner).filter(actor=someone.user).exists()
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    event = events(AuditAction.DOWNLOAD, completion).get()
    assert event.actor == someone.user
    assert event.details["completion"] == completion.pk


def test_someone_elses_evidence_is_not_found_through_the_own_record(someone, staff_client):
    other = factories.learner(organisation=someone.user.organisation)
    theirs = factories.completed(other, "prevent-awareness", _days_ago(3), evidence=pdf())
    someone.post(OWN_ADD, _completion())

    response = someone.get(reverse("training:own-evidence", kwargs={"pk": theirs.pk}))

    assert response.status_code == 404
    assert not events(AuditAction.DOWNLOAD, theirs).exists()
    # Not even a training administrator reads another's evidence through their own record.
    admin = staff_client(Role.TRAINING_ADMINISTRATOR)
    assert admin.get(reverse("training:own-evidence", kwargs={"pk": theirs.pk})).status_code == 404


def test_a_record_kept_under_their_email_becomes_theirs(someone):
    kept = factories.learner(full_name="Sam Example-Officer", email=someone.user.email,
                             organisation=someone.user.organisation)
    factories.completed(kept, "prevent-awareness", _days_ago(400))

    response = someone.get(OWN)

    assert "Prevent awareness" in main_words(response)
    someone.post(OWN_ADD, _completion("channel-awareness"))
    kept.refresh_from_db()
    assert kept.user == someone.user and kept.completions.count() == 2


def test_their_evidence_is_checked_by_its_content(someone):
    response = someone.post(OWN_ADD, _completion(certificate_reference="HO-CERT-7",
                                                 evidence=word_with_macros()))
    assert MACROS in field_error(response, "evidence")
    assert field_value(response, "certificate_reference") == "HO-CERT-7"
    assert not Learner.objects.exists() and not Completion.objects.exists()


def test_the_rules_apply_to_their_own_record_too(someone):
    needs_first = someone.post(OWN_ADD, _completion("prevent-referrals"))
    assert "needs Prevent awareness completed first" in field_error(needs_first, "course")
    hostile = someone.post(OWN_ADD, {**_completion(certificate_reference="<script>x</script>" * 20)})
    assert "100 characters or fewer" in error_summary(hostile)
    assert b"<script>x</script>" not in hostile.content
    assert not Completion.objects.exists()


def test_someone_with_no_training_role_has_only_their_own_record(someone):
    learner = factories.learner(organisation=someone.user.organisation)
    assert someone.get(OWN).status_code == 200
    assert someone.get(reverse("training:learners")).status_code == 403
    page = reverse("training:learner", kwargs={"reference": learner.reference})
    assert someone.get(page).status_code == 403
    assert someone.get(reverse("training:courses")).status_code == 403
    crumbs = soup(someone.get(OWN)).select(".govuk-breadcrumbs a")
    assert [(a.get_text(), a["href"]) for a in crumbs] == [("Home", "/staff/"), ("Training", OWN)]


def test_a_lead_flag_shows_on_their_own_record(staff_client):
    lead = staff_client(organisation=OrganisationFactory())
    learner = factories.learner(email=lead.user.email, organisation=lead.user.organisation,
                                is_safeguarding_lead=True)
    factories.completed(learner, "prevent-awareness", _days_ago(30))
    assert "needs the Prevent referrals course" in main_words(lead.get(OWN))


def test_the_practitioners_page_points_staff_to_their_training_record(client):
    response = client.get(reverse("public:practitioners"))
    paragraph = soup(response).find("a", href=OWN).find_parent("p")
    sentence = " ".join(paragraph.get_text(" ").split())
    assert "keep their certificates in their training record after signing in" in sentence
