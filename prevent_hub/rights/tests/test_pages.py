import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.rights.models import Redaction, RightsRequest

from .factories import bundle_prepared, first_field, request_logged, request_verified

pytestmark = pytest.mark.django_db


def _form(**overrides):
    today = timezone.localdate()
    return {"kind": "erasure", "received_on-day": today.day, "received_on-month": today.month,
            "received_on-year": today.year, "requester_name": "Testo Requester (fictional)",
            "requester_relationship": "self", "requester_contact": "testo@test.example",
            "subject_details": "Testo Requester, fictional", "request_text": "Erase my fictional record",
            **overrides}


def _errors(response):
    summary = BeautifulSoup(response.content, "html5lib").find(class_="govuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


def test_an_empty_form_is_refused_with_every_reason_and_nothing_saved(staff_client):
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    response = client.post(reverse("rights:request-new"), {"csrfmiddlewaretoken": "sent"})
    assert response.status_code == 200
    for message in ("Select what kind of request it is", "Enter the date the request was received",
                    "Enter the name of the person who asked", "Enter how to contact the person who asked"):
        assert message in _errors(response)
    assert not RightsRequest.objects.exists()


def test_huge_and_wrong_typed_input_is_refused_and_what_was_typed_is_kept(staff_client):
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    response = client.post(reverse("rights:request-new"), _form(
        requester_name="x" * 5000, kind="everything", **{"received_on-month": "thirteen"}))
    errors = _errors(response)
    assert "Name of the person who asked must be 200 characters or fewer" in errors
    assert "Select what kind of request it is" in errors
    assert "Date the request was received must be a real date" in errors
    assert "testo@test.example" in response.content.decode()
    assert not RightsRequest.objects.exists()


def test_html_is_kept_as_text_and_shown_escaped(staff_client):
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    response = client.post(reverse("rights:request-new"),
                           _form(requester_name="<script>alert('fictional')</script>"), follow=True)
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert "&lt;script&gt;alert" in response.content.decode()
    assert RightsRequest.objects.get().requester_name == "<script>alert('fictional')</script>"


def test_a_second_identity_submit_is_refused_and_recorded_once(staff_client):
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    request = request_logged()
    url = reverse("rights:request-verify", args=[request.pk])
    first = client.post(url, {"identity_method": "documents"})
    second = client.post(url, {"identity_method": "documents"})
    assert first.status_code == 302
    assert "Identity has already been verified" in _errors(second)
    assert AuditEvent.objects.filter(object_type="rights.rightsrequest", object_id=str(request.pk),
                                     details__step="identity verified").count() == 1


def test_a_double_submitted_redaction_is_recorded_once(staff_client):
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    bundle = bundle_prepared(by=client.user)
    item_key, field_key = first_field(bundle)
    url = reverse("rights:bundle-redact", args=[bundle.request_id, item_key, field_key])
    data = {"reason": "third_party", "explanation": "Fictional"}
    assert client.post(url, data).status_code == 302
    assert "already redacted" in _errors(client.post(url, data))
    assert Redaction.objects.filter(bundle=bundle).count() == 1


def test_a_field_not_in_the_bundle_is_not_found(staff_client):
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    bundle = bundle_prepared()
    url = reverse("rights:bundle-redact", args=[bundle.request_id, "people.person:0", "given_name"])
    assert client.get(url).status_code == 404


def test_self_approval_is_refused_on_the_page(staff_client):
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    bundle = bundle_prepared(by=client.user)
    url = reverse("rights:bundle-approve", args=[bundle.request_id])
    response = client.post(url, {"csrfmiddlewaretoken": "sent"})
    assert "You prepared this bundle, so someone else must approve it" in _errors(response)


def test_the_list_shows_overdue_requests_first_with_a_tag(staff_client):
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    fresh = request_logged()
    late = request_logged(received_on=timezone.localdate().replace(day=1) - timezone.timedelta(days=62))
    html = client.get(reverse("rights:home")).content.decode()
    assert html.index(late.reference) < html.index(fresh.reference)
    assert "Overdue" in html
    filtered = client.get(reverse("rights:home"), {"kind": "erasure"}).content.decode()
    assert "No request matches these filters" in filtered


def test_finding_the_person_is_audited_against_the_request_without_what_was_typed(staff_client):
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    request = request_verified()
    client.get(reverse("rights:request-person", args=[request.pk]), {"search": "1", "name": "Zofia Secret"})
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="people.person").get()
    assert event.details["request"] == request.reference and event.details["criteria"] == ["name"]
    assert "Secret" not in str(event.details)


@pytest.mark.parametrize("role", [Role.PREVENT_COORDINATOR, Role.AUDITOR, Role.CHANNEL_CHAIR,
                                  Role.SYSTEM_ADMINISTRATOR])
def test_roles_without_the_action_are_refused(staff_client, role):
    client = staff_client(role)
    bundle = bundle_prepared()
    assert client.get(reverse("rights:home")).status_code == 403
    assert client.get(reverse("rights:bundle", args=[bundle.request_id])).status_code == 403
    assert client.post(reverse("rights:bundle-prepare", args=[bundle.request_id])).status_code == 403


def test_a_coordinator_approves_only_bundles_and_sees_no_request_without_one(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    without = request_verified()
    assert client.get(reverse("rights:bundle-approve", args=[without.pk])).status_code == 404
    bundle = bundle_prepared()
    assert client.get(reverse("rights:bundle-approve", args=[bundle.request_id])).status_code == 200


def test_downloads_are_audited(staff_client):
    client = staff_client(Role.DATA_PROTECTION_OFFICER)
    bundle = bundle_prepared()
    response = client.get(reverse("rights:bundle-json", args=[bundle.request_id]))
    assert response["Content-Type"] == "application/json"
    assert b"DRAFT" in response.content
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, object_type="rights.rightsrequest",
                                     object_id=str(bundle.request_id)).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, object_type="people.person",
                                     object_id=str(bundle.request.person_id)).exists()
