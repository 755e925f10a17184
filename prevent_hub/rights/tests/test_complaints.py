"""Complaints in subject access bundles: a complaint about the person's
referral or case is in their bundle by itself; a complainant (a parent who
complained, say) has no person record, so the DPO finds the complaints that
name the requester and links them by hand."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.complaints import services as complaints
from prevent_hub.complaints.models import Complaint
from prevent_hub.complaints.tests.factories import complaint_investigating, complaint_received
from prevent_hub.records.models import RunTrigger
from prevent_hub.records.services import retention_run
from prevent_hub.rights import services
from prevent_hub.rights.models import ComplaintLink, RightsRequest

from .factories import (
    bundle_approved,
    dpo,
    person_with_records,
    request_logged,
    request_verified,
    request_with_person,
)

pytestmark = pytest.mark.django_db


def _section(document, key) -> list[dict]:
    """The items of one section, each as {field key: value}."""
    items = next(section["items"] for section in document["sections"] if section["key"] == key)
    return [{field["key"]: field["value"] for field in item["fields"]} for item in items]


def _exported(complaint) -> bool:
    return AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="complaints.complaint",
                                     object_id=str(complaint.pk)).exists()


def test_a_persons_bundle_holds_the_complaint_about_their_referral_with_everything_about_it_and_no_other():
    person = person_with_records(referrals=1, notes=0)
    referral = person.referrals.get()
    about_them = complaint_investigating(points=("The referral was made without telling us",))
    owner, investigator = about_them.owner, about_them.investigator
    complaints.complaint_link(complaint=about_them, reference=referral.reference, acting_user=owner)
    complaints.note_add(complaint=about_them, text="Fictional note: the school kept no record of the call.",
                        acting_user=investigator)
    complaints.finding_record(point=about_them.points.get(), finding="upheld",
                              reasons="Fictional: nobody spoke to the family.", acting_user=investigator)
    complaints.complaint_acknowledge(complaint=about_them, subject="Your complaint (fictional)",
                                     body="We have received your complaint.", acting_user=owner)
    someone_elses = complaint_received(complainant_name="Robin Unrelated-Person", email="robin@example.org")

    request = request_with_person(person=person)
    bundle = services.bundle_prepare(request=request, acting_user=request.logged_by)

    [complaint] = _section(bundle.document, "complaints.complaint")
    assert complaint["reference"] == about_them.reference
    assert complaint["complainant_name"] == "Pat Example-Parent"
    assert complaint["affected_person_name"] == "Sam Example-Child"
    [point] = _section(bundle.document, "complaints.complaintpoint")
    assert (point["summary"], point["finding"]) == ("The referral was made without telling us", "Upheld")
    assert [note["text"] for note in _section(bundle.document, "complaints.investigationnote")] == [
        "Fictional note: the school kept no record of the call."]
    assert [letter["subject"] for letter in _section(bundle.document, "complaints.letter")] == [
        "Your complaint (fictional)"]
    text = json.dumps(bundle.document)
    assert someone_elses.reference not in text and "Robin Unrelated-Person" not in text
    # The complaint's own access log shows it went into the bundle; the other's does not.
    assert _exported(about_them) and not _exported(someone_elses)


def test_a_request_with_no_person_record_but_a_linked_complaint_gets_a_bundle_of_that_complaint():
    complaint = complaint_received()
    complaint_received(complainant_name="Robin Unrelated-Person", email="robin@example.org")
    request = request_verified(requester_name="Pat Example-Parent")
    with pytest.raises(ValidationError, match="or complaints that name them"):
        services.bundle_prepare(request=request, acting_user=request.logged_by)

    services.rights_request_complaint_link(request=request, complaint=complaint,
                                           acting_user=request.logged_by)
    bundle = services.bundle_prepare(request=request, acting_user=request.logged_by)

    assert bundle.document["person_id"] is None
    assert _section(bundle.document, "people.person") == []
    [held] = _section(bundle.document, "complaints.complaint")
    assert (held["reference"], held["email"]) == (complaint.reference, "pat.parent@example.org")
    assert "Robin Unrelated-Person" not in json.dumps(bundle.document)
    assert _exported(complaint)
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="people.person").exists()


def _searches():
    return AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="complaints.complaint")


def _signed_in(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _found(page) -> list[str]:
    rows = BeautifulSoup(page.content, "html5lib").select("tbody tr")
    return [row.find("td").get_text(" ", strip=True).split()[0] for row in rows]


def test_the_dpo_finds_a_complaint_by_either_name_the_email_or_the_reference_and_searches_are_audited_blind():
    complaint = complaint_received()
    other = complaint_received(complainant_name="Robin Unrelated-Person",
                               affected_person_name="Kim Other-Child", email="robin@example.org")
    officer = dpo()
    request = request_verified(by=officer)
    client = _signed_in(officer)
    url = reverse("rights:request-complaints", kwargs={"pk": request.pk})

    searches = [{"name": "pat example-parent"}, {"name": "SAM example-child"},
                {"email": " PAT.Parent@Example.org "}, {"reference": complaint.reference.lower()}]
    for criteria in searches:
        page = client.get(url, {"search": "1", **criteria})
        assert _found(page) == [complaint.reference], criteria
    assert _found(client.get(url, {"search": "1", "name": "Robin"})) == [other.reference]
    # Every criterion given must match.
    mixed = client.get(url, {"search": "1", "name": "Robin", "email": "pat.parent@example.org"})
    assert "No complaint found" in mixed.content.decode()

    events = _searches()
    assert events.count() == len(searches) + 2
    assert [event.details["criteria"] for event in events.order_by("sequence")][:4] == [
        ["name"], ["name"], ["email"], ["reference"]]
    trail = json.dumps([event.details for event in events]).lower()
    assert request.reference.lower() in trail
    assert not any(word in trail for word in ("pat", "sam", "robin", "example", "cmp-"))


def test_an_empty_search_is_refused_with_a_message():
    officer = dpo()
    request = request_verified(by=officer)
    page = _signed_in(officer).get(reverse("rights:request-complaints", kwargs={"pk": request.pk}),
                                   {"search": "1", "name": " "})
    assert "Enter a name, an email address or a complaint reference to search for" in page.content.decode()
    assert not _searches().exists()


def test_linking_and_unlinking_on_the_page_are_audited_and_linking_twice_leaves_one_link():
    complaint = complaint_received()
    officer = dpo()
    request = request_verified(by=officer)
    client = _signed_in(officer)
    url = reverse("rights:request-complaints", kwargs={"pk": request.pk})
    request_page = reverse("rights:request", kwargs={"pk": request.pk})
    assert url in client.get(request_page).content.decode()

    linked = client.post(url, {"reference": complaint.reference}, follow=True)
    assert f"Complaint {complaint.reference} linked to the request" in linked.content.decode()
    again = client.post(url, {"reference": complaint.reference})
    assert f"Complaint {complaint.reference} is already linked to this request" in again.content.decode()
    assert list(ComplaintLink.objects.filter(request=request).values_list("complaint_id", flat=True)) == [
        complaint.pk]
    row = BeautifulSoup(client.get(request_page).content, "html5lib").find(
        "dt", string="Complaints").find_next_sibling("dd")
    assert row.get_text(strip=True) == complaint.reference

    unlinked = client.post(url, {"reference": complaint.reference, "unlink": "on"}, follow=True)
    assert f"Complaint {complaint.reference} no longer linked to the request" in unlinked.content.decode()
    assert not ComplaintLink.objects.filter(request=request).exists()
    refused = client.post(url, {"reference": "CMP-1999-999999"})
    assert "Choose a complaint from the list" in refused.content.decode()

    # The refused second link wrote nothing.
    steps = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="rights.rightsrequest",
                                      object_id=str(request.pk), changed_fields=["complaints"])
    steps = steps.order_by("sequence")
    assert [(event.details["step"], event.details["complaint"], event.actor_id) for event in steps] == [
        ("complaint linked", complaint.reference, officer.pk),
        ("complaint unlinked", complaint.reference, officer.pk)]


def test_complaints_are_linked_only_to_an_open_subject_access_request_whose_bundle_is_not_approved():
    complaint = complaint_received()
    erasure = request_logged(kind="erasure")
    with pytest.raises(ValidationError, match="Complaints are linked only to a subject access request"):
        services.rights_request_complaint_link(request=erasure, complaint=complaint,
                                               acting_user=erasure.logged_by)
    approved = RightsRequest.objects.get(pk=bundle_approved().request_id)
    with pytest.raises(ValidationError, match="approved"):
        services.rights_request_complaint_link(request=approved, complaint=complaint,
                                               acting_user=approved.logged_by)
    with pytest.raises(ValidationError, match="not linked"):
        services.rights_request_complaint_link(request=request_verified(), complaint=complaint, unlink=True,
                                               acting_user=approved.logged_by)
    assert not ComplaintLink.objects.exists()


@pytest.mark.parametrize("criteria", [
    {"name": "%"}, {"name": "_"}, {"name": "' OR 1=1 --"}, {"name": "<script>alert('x')</script>"},
    {"email": "%@%"}, {"reference": "CMP-%"}, {"reference": "../../etc/passwd"},
])
def test_hostile_search_input_finds_nothing_and_is_shown_back_harmlessly(criteria):
    complaint_received()
    officer = dpo()
    request = request_verified(by=officer)
    page = _signed_in(officer).get(reverse("rights:request-complaints", kwargs={"pk": request.pk}),
                                   {"search": "1", **criteria})
    assert page.status_code == 200
    assert "No complaint found" in page.content.decode()
    assert "<script>alert" not in page.content.decode()


@pytest.mark.parametrize(("criteria", "message"), [
    ({"name": "Pat\x00"}, "Null characters are not allowed"),
    ({"name": "P" * 201}, "Name must be 200 characters or fewer"),
])
def test_search_input_that_cannot_be_searched_gets_a_message(criteria, message):
    officer = dpo()
    request = request_verified(by=officer)
    page = _signed_in(officer).get(reverse("rights:request-complaints", kwargs={"pk": request.pk}),
                                   {"search": "1", **criteria})
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not _searches().exists()


def test_when_retention_deletes_a_linked_complaint_its_link_goes_and_the_request_stays():
    complaint = complaint_received()
    request = request_verified()
    services.rights_request_complaint_link(request=request, complaint=complaint,
                                           acting_user=request.logged_by)
    Complaint.objects.filter(pk=complaint.pk).update(retain_until=timezone.localdate())
    retention_run(dry_run=False, trigger=RunTrigger.COMMAND,
                  as_of=timezone.localdate() + datetime.timedelta(days=1))
    assert not Complaint.objects.filter(pk=complaint.pk).exists()
    assert not ComplaintLink.objects.exists()
    assert RightsRequest.objects.filter(pk=request.pk).exists()
