"""Training records in subject access bundles: a member of staff asking for
their own data has no person record, so the DPO finds their training record
(the learner) by name, email or reference and links it by hand; the bundle
then holds the learner, each completion (evidence by name only), the
reminders sent, any hold on the record and who has looked at or changed it."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.audit.services import audit_event_record
from prevent_hub.records.selectors import Found
from prevent_hub.records.services import legal_hold_place
from prevent_hub.records.tests.factories import certificate
from prevent_hub.rights import services
from prevent_hub.rights.bundle import bundle_build
from prevent_hub.rights.models import LearnerLink, RightsRequest
from prevent_hub.training.models import CompletionReminder
from prevent_hub.training.tests.factories import completed, learner

from .factories import bundle_approved, dpo, request_logged, request_verified, request_with_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _section(document, key) -> list[dict]:
    """The items of one section, each as {field key: value}."""
    items = next(section["items"] for section in document["sections"] if section["key"] == key)
    return [{field["key"]: field["value"] for field in item["fields"]} for item in items]


def _audited_records(document) -> list[str]:
    audit = next(section for section in document["sections"] if section["key"] == "audit.auditevent")
    return [next(f["value"] for f in item["fields"] if f["key"] == "record") for item in audit["items"]]


def staff_learner(**values):
    """Alex, a fictional teacher asking for their own training record."""
    person = learner(full_name="Alex Example-Teacher", email="alex.teacher@example.test", **values)
    awareness = completed(person, "prevent-awareness", TODAY - datetime.timedelta(days=700),
                          certificate_reference="HO-FICTIONAL-0001",
                          evidence=certificate("alex-awareness-certificate.pdf"))
    referrals = completed(person, "prevent-referrals", TODAY - datetime.timedelta(days=650))
    CompletionReminder.objects.create(completion=awareness, sent_at=timezone.now())
    return person, awareness, referrals


def test_a_linked_learners_bundle_holds_their_training_record_and_nobody_elses():
    person, awareness, referrals = staff_learner()
    other = learner(full_name="Robin Other-Teacher", email="robin@example.test")
    completed(other, "channel-awareness", TODAY - datetime.timedelta(days=5),
              certificate_reference="HO-OTHER")
    hold = legal_hold_place(found=Found(learner=person), kind="investigation", acting_user=dpo(),
                            reason="Fictional inquiry INQ-0001.", ends_on=TODAY + datetime.timedelta(days=30))
    request = request_verified(requester_name="Alex Example-Teacher")
    services.rights_request_learner_link(request=request, learner=person, acting_user=request.logged_by)

    bundle = services.bundle_prepare(request=request, acting_user=request.logged_by)
    document = bundle.document

    [held] = _section(document, "training.learner")
    assert (held["reference"], held["full_name"], held["email"]) == (
        person.reference, "Alex Example-Teacher", "alex.teacher@example.test")
    assert held["organisation"] == person.organisation.name and held["job_role"] == "Teacher"
    completions = _section(document, "training.completion")
    assert [(c["course"], c["completed_on"]) for c in completions] == [
        ("Prevent awareness", awareness.completed_on.isoformat()),
        ("Prevent referrals", referrals.completed_on.isoformat())]
    first = completions[0]
    assert first["certificate_reference"] == "HO-FICTIONAL-0001"
    assert first["evidence_name"] == "alex-awareness-certificate.pdf"
    assert "evidence" not in first, "the file's path in storage is left out: its name is enough to ask"
    [reminder] = _section(document, "training.completionreminder")
    assert reminder["completion"] == str(awareness)
    [hold_item] = _section(document, "records.legalhold")
    assert hold_item["reason"] == "Fictional inquiry INQ-0001." and hold_item["learner"] == person.reference
    assert hold_item["reference"] == hold.reference
    text = json.dumps(document)
    assert "Robin Other-Teacher" not in text and "HO-OTHER" not in text and other.reference not in text
    assert str(awareness.evidence.name) not in text
    # The learner's own access log shows the export; the other learner's does not.
    exported = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="training.learner")
    assert list(exported.values_list("object_id", flat=True)) == [str(person.pk)]


def test_the_bundle_lists_who_looked_at_or_changed_the_training_record():
    person, awareness, _ = staff_learner()
    audit_event_record(action=AuditAction.VIEW, obj=person, details={})
    request = request_verified()
    services.rights_request_learner_link(request=request, learner=person, acting_user=request.logged_by)
    bundle = services.bundle_prepare(request=request, acting_user=request.logged_by)
    records = _audited_records(bundle.document)
    assert records.count(f"Learner {person.reference}") >= 2  # created, then viewed
    completion_titles = {record for record in records if record.startswith("Completion")}
    assert len(completion_titles) == 2  # each completion's recording is listed


def test_a_request_with_only_a_training_record_gets_a_bundle_of_it_and_nothing_else():
    person, _, _ = staff_learner()
    request = request_verified()
    with pytest.raises(ValidationError, match="or their training record"):
        services.bundle_prepare(request=request, acting_user=request.logged_by)
    services.rights_request_learner_link(request=request, learner=person, acting_user=request.logged_by)
    bundle = services.bundle_prepare(request=request, acting_user=request.logged_by)
    assert bundle.document["person_id"] is None
    assert _section(bundle.document, "people.person") == []
    assert len(_section(bundle.document, "training.learner")) == 1
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="people.person").exists()


def test_a_person_records_bundle_holds_no_training_record_unless_linked():
    person, _, _ = staff_learner()
    bundle = services.bundle_prepare(request=request_with_person(), acting_user=dpo())
    assert _section(bundle.document, "training.learner") == []
    assert person.reference not in json.dumps(bundle.document)


def test_building_takes_the_same_number_of_queries_however_many_learners_and_completions():
    one = learner()
    completed(one, "prevent-awareness", TODAY - datetime.timedelta(days=30))
    many = []
    for _ in range(3):
        someone = learner()
        for days, code in ((900, "prevent-awareness"), (800, "prevent-referrals"), (100, "prevent-refresher"),
                           (50, "channel-awareness")):
            made = completed(someone, code, TODAY - datetime.timedelta(days=days))
            CompletionReminder.objects.create(completion=made, sent_at=timezone.now())
        many.append(someone.pk)
    with CaptureQueriesContext(connection) as few:
        bundle_build(person_id=None, learner_ids=[one.pk])
    with CaptureQueriesContext(connection) as lots:
        bundle_build(person_id=None, learner_ids=many)
    assert len(lots.captured_queries) == len(few.captured_queries)


# The page --------------------------------------------------------------------------------


def _found(page) -> list[str]:
    rows = BeautifulSoup(page.content, "html5lib").select("tbody tr")
    return [row.find("td").get_text(" ", strip=True).split()[0] for row in rows]


def _searches():
    return AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="training.learner")


def _url(request):
    return reverse("rights:request-learners", kwargs={"pk": request.pk})


def test_the_dpo_finds_a_learner_by_name_email_or_reference_and_searches_are_audited_blind(staff_client):
    person, _, _ = staff_learner()
    other = learner(full_name="Robin Other-Teacher", email="robin@example.test")
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    request = request_verified(by=client.user)
    url = _url(request)

    searches = [{"name": "alex example-TEACHER"}, {"email": " Alex.Teacher@Example.TEST "},
                {"reference": person.reference.lower()}]
    for criteria in searches:
        page = client.get(url, {"search": "1", **criteria})
        assert _found(page) == [person.reference], criteria
        assert person.organisation.name in page.content.decode()
    assert _found(client.get(url, {"search": "1", "name": "teacher"})) == [person.reference, other.reference]
    both = client.get(url, {"search": "1", "name": "Robin", "email": "alex.teacher@example.test"})
    assert "No training record found" in both.content.decode()

    events = _searches().order_by("sequence")
    assert [event.details["criteria"] for event in events] == [["name"], ["email"], ["reference"], ["name"],
                                                              ["name", "email"]]
    trail = json.dumps([event.details for event in events]).lower()
    assert request.reference.lower() in trail
    assert not any(word in trail for word in ("alex", "robin", "teacher", "example", "lrn-"))


def test_linking_and_unlinking_on_the_page_are_audited_and_shown_on_the_request(staff_client):
    person, _, _ = staff_learner()
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    request = request_verified(by=client.user)
    url, request_page = _url(request), reverse("rights:request", kwargs={"pk": request.pk})
    assert url in client.get(request_page).content.decode()

    linked = client.post(url, {"reference": person.reference}, follow=True)
    assert f"Training record {person.reference} linked to the request" in linked.content.decode()
    again = client.post(url, {"reference": person.reference})
    assert f"Training record {person.reference} is already linked to this request" in again.content.decode()
    assert list(LearnerLink.objects.values_list("learner_id", flat=True)) == [person.pk]
    row = BeautifulSoup(client.get(request_page).content, "html5lib").find(
        "dt", string="Training records").find_next_sibling("dd")
    assert row.get_text(strip=True) == person.reference
    page = client.get(url).content.decode()
    assert f"{person.reference}: Alex Example-Teacher, {person.organisation.name}" in page

    unlinked = client.post(url, {"reference": person.reference, "unlink": "on"}, follow=True)
    assert f"Training record {person.reference} no longer linked to the request" in unlinked.content.decode()
    assert not LearnerLink.objects.exists()
    for wrong in ("LRN-NOTHERE", "", "<script>x()</script>", "x" * 40):
        refused = client.post(url, {"reference": wrong})
        page = refused.content.decode()
        assert refused.status_code == 200 and "Choose a training record from the list" in page
        assert "<script>x()" not in page

    steps = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="rights.rightsrequest",
                                      object_id=str(request.pk), changed_fields=["training_records"])
    assert [(event.details["step"], event.details["training_record"], event.actor_id)
            for event in steps.order_by("sequence")] == [
        ("training record linked", person.reference, client.user.pk),
        ("training record unlinked", person.reference, client.user.pk)]
    assert "Alex" not in json.dumps([event.details for event in steps])


def test_training_records_are_linked_only_to_an_open_subject_access_request_not_yet_approved():
    person, _, _ = staff_learner()
    erasure = request_logged(kind="erasure")
    with pytest.raises(ValidationError, match="Training records are linked only to a subject access request"):
        services.rights_request_learner_link(request=erasure, learner=person, acting_user=erasure.logged_by)
    approved = RightsRequest.objects.get(pk=bundle_approved().request_id)
    with pytest.raises(ValidationError, match="approved"):
        services.rights_request_learner_link(request=approved, learner=person, acting_user=approved.logged_by)
    with pytest.raises(ValidationError, match="not linked"):
        services.rights_request_learner_link(request=request_verified(), learner=person, unlink=True,
                                             acting_user=approved.logged_by)
    assert not LearnerLink.objects.exists()


def test_an_empty_search_is_refused_with_a_message(staff_client):
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    page = client.get(_url(request_verified(by=client.user)), {"search": "1", "name": "  ", "email": ""})
    assert "Enter a name, an email address or a learner reference to search for" in page.content.decode()
    assert "govuk-error-summary" in page.content.decode()
    assert not _searches().exists()


@pytest.mark.parametrize("criteria", [
    {"name": "%"}, {"name": "_"}, {"name": "' OR 1=1 --"}, {"name": "<script>alert('x')</script>"},
    {"email": "%@%"}, {"reference": "LRN-%"}, {"reference": "../../etc/passwd"},
])
def test_hostile_search_input_finds_nothing_and_is_shown_back_harmlessly(staff_client, criteria):
    staff_learner()
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    page = client.get(_url(request_verified(by=client.user)), {"search": "1", **criteria})
    assert page.status_code == 200
    assert "No training record found" in page.content.decode()
    assert "<script>alert" not in page.content.decode()


@pytest.mark.parametrize(("criteria", "message"), [
    ({"name": "Alex\x00"}, "Null characters are not allowed"),
    ({"name": "A" * 201}, "Name must be 200 characters or fewer"),
    ({"email": "a" * 255}, "Email address must be 254 characters or fewer"),
    ({"reference": "L" * 31}, "Learner reference must be 30 characters or fewer"),
])
def test_search_input_that_cannot_be_searched_gets_a_message(staff_client, criteria, message):
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    page = client.get(_url(request_verified(by=client.user)), {"search": "1", **criteria})
    assert page.status_code == 200 and message in page.content.decode()
    assert not _searches().exists()


@pytest.mark.parametrize("role", [Role.TRAINING_ADMINISTRATOR, Role.TRAINING_LEAD, Role.PREVENT_COORDINATOR,
                                  Role.AUDITOR])
def test_only_the_dpo_finds_and_links_training_records(staff_client, role):
    person, _, _ = staff_learner()
    request = request_verified()
    client = staff_client(role)
    assert client.get(_url(request), {"search": "1", "name": "Alex"}).status_code in (403, 404)
    assert client.post(_url(request), {"reference": person.reference}).status_code in (403, 404)
    assert not LearnerLink.objects.exists() and not _searches().exists()


def test_the_bundle_page_and_pdf_show_the_training_record(staff_client):
    from prevent_hub.panels.tests.helpers import pdf_pages

    person, _, _ = staff_learner()
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    request = request_verified(by=client.user)
    services.rights_request_learner_link(request=request, learner=person, acting_user=client.user)
    services.bundle_prepare(request=request, acting_user=client.user)
    page = client.get(reverse("rights:bundle", kwargs={"pk": request.pk})).content.decode()
    assert "Training records" in page and person.reference in page
    assert "alex-awareness-certificate.pdf" in page and "HO-FICTIONAL-0001" in page
    pdf = client.get(reverse("rights:bundle-pdf", kwargs={"pk": request.pk}))
    text = "\n".join(pdf_pages(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content))
    assert "Alex Example-Teacher" in text and "Courses completed" in text
