"""POST /api/v1/referrals and GET /api/v1/referrals/{reference}."""

import datetime
import json

import pytest
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.api.auth import MAX_BODY_BYTES
from prevent_hub.api.schemas import FIELD_MAP, ReferralIn, model_max_length
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.referrals.models import GatewayOutcome, Referral, ReferralKind, ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralFactory

from .factories import bearer, issue_token, referral_body

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals"
PROBLEM = "application/problem+json"


def post(client, token, body, **headers):
    return client.post(URL, json.dumps(body), content_type="application/json",
                       **bearer(token), **headers)


def pointers(response):
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    return sorted(error["pointer"] for error in response.json()["errors"])


# Submitting --------------------------------------------------------------------


def test_a_partner_system_submits_a_referral(client, mailoutbox, django_capture_on_commit_callbacks):
    token, plaintext = issue_token(roles=[], scopes=["referrals:submit"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, plaintext, referral_body())
    assert response.status_code == 201
    reference = response.json()["reference"]
    referral = Referral.objects.get(reference=reference)
    assert response["Location"] == f"/api/v1/referrals/{reference}"
    assert referral.kind == ReferralKind.PARTNER_API
    assert referral.submitted_by == token.user
    assert referral.subject_given_name == "Testperson"
    assert referral.subject_date_of_birth == datetime.date(2010, 4, 1)
    assert referral.subject_other_names == "Tee"
    assert referral.subject_postcode == "ZZ991ZZ"
    assert referral.dsl_consulted == "yes"
    assert referral.concern_prompts == ["online_activity"]
    assert referral.carer_name == "Test Carer"
    assert referral.subject_aware == "no"
    # The referrer is told it arrived, as with the web form.
    assert [message.to for message in mailoutbox] == [["referrer@test.shireford.example"]]


def test_only_the_required_fields_are_needed(client):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    body = {
        "referrer": {"name": "Test Referrer", "organisation": "Test Org", "phone": "01632 960000"},
        "safeguarding_lead": {"consulted": "unknown"},
        "person": {"given_name": "Testperson", "family_name": "Example", "approximate_age": 15},
        "concern": {"description": "Fictional."},
    }
    response = post(client, plaintext, body)
    assert response.status_code == 201
    referral = Referral.objects.get(reference=response.json()["reference"])
    assert referral.subject_approximate_age == 15
    assert referral.subject_date_of_birth is None
    assert referral.referrer_email == ""
    assert referral.carer_name == ""


def test_html_is_stored_as_it_was_sent(client):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    text = '<script>alert("x")</script> & <b>bold</b>'
    body = referral_body()
    body["concern"]["description"] = text
    response = post(client, plaintext, body)
    assert response.status_code == 201
    assert Referral.objects.get(reference=response.json()["reference"]).concern_description == text


def test_every_failing_field_is_named(client):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    body = referral_body()
    body["person"]["date_of_birth"] = "01/04/2010"  # wrong format
    del body["referrer"]["email"], body["referrer"]["phone"]  # neither: a rule across fields
    body["concern"]["prompts"] = ["not_a_prompt"]  # not a choice
    response = post(client, plaintext, body)
    assert pointers(response) == ["/concern/prompts/0", "/person/date_of_birth", "/referrer/email"]
    problem = response.json()
    assert problem["type"] == "urn:prevent-hub:problem:validation-error"
    assert problem["status"] == 422
    assert problem["instance"] == URL
    assert Referral.objects.count() == 0


def test_rules_across_fields_are_named_with_type_errors(client):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    body = referral_body()
    body["person"] = {"given_name": 7, "family_name": "Example"}  # no date of birth or age
    body["referrer"]["email"] = ""
    body["referrer"]["phone"] = None
    assert pointers(post(client, plaintext, body)) == [
        "/person/date_of_birth", "/person/given_name", "/referrer/email"]


def test_missing_sections_unknown_fields_and_limits(client):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    body = referral_body()
    del body["concern"]
    body["person"]["shoe_size"] = 9
    body["referrer"]["name"] = "x" * (model_max_length("referrer_name") + 1)
    body["person"]["approximate_age"] = 121
    response = post(client, plaintext, body)
    assert pointers(response) == [
        "/concern", "/person/approximate_age", "/person/shoe_size", "/referrer/name"]
    details = {error["pointer"]: error["detail"] for error in response.json()["errors"]}
    assert details["/referrer/name"] == "Must be 150 characters or fewer"
    assert details["/concern"] == "This field is required"


def test_a_date_of_birth_in_the_future_is_refused(client):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    body = referral_body()
    body["person"]["date_of_birth"] = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert pointers(post(client, plaintext, body)) == ["/person/date_of_birth"]


@pytest.mark.parametrize("body", [b"{not json", b"NaN", b"[1, 2"])
def test_a_body_that_is_not_json_is_named(client, body):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    response = client.post(URL, body, content_type="application/json", **bearer(plaintext))
    assert pointers(response) == [""]


def test_a_body_that_is_not_an_object(client):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    assert pointers(post(client, plaintext, ["a list"])) == [""]


def test_a_nul_character_is_refused_not_a_server_error(client):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    body = referral_body()
    body["concern"]["description"] = "Fictional\x00"
    assert pointers(post(client, plaintext, body)) == ["/concern/description"]


def test_a_body_that_is_not_json_content_is_415(client):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    response = client.post(URL, "referrer=Test", content_type="application/x-www-form-urlencoded",
                           **bearer(plaintext))
    assert response.status_code == 415
    assert response["Content-Type"] == PROBLEM


def test_a_huge_body_is_413_and_not_read(client):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    body = referral_body()
    body["concern"]["description"] = "x" * (MAX_BODY_BYTES + 1)
    response = post(client, plaintext, body)
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert Referral.objects.count() == 0


def test_a_bad_idempotency_key_is_named(client):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    response = post(client, plaintext, referral_body(), HTTP_IDEMPOTENCY_KEY="x" * 101)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"header": "Idempotency-Key", "detail": "Must be 100 characters or fewer"}]


def test_the_same_idempotency_key_makes_one_referral(client):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    first = post(client, plaintext, referral_body(), HTTP_IDEMPOTENCY_KEY="partner-case-42")
    again = post(client, plaintext, referral_body(), HTTP_IDEMPOTENCY_KEY="partner-case-42")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert again["Location"] == first["Location"]
    assert Referral.objects.count() == 1
    # Without a key, each call is a new referral.
    post(client, plaintext, referral_body())
    assert Referral.objects.count() == 2


def test_the_same_idempotency_key_with_another_body_is_refused(client):
    """A partner reusing a key for a second child must not be told the first
    child's reference: the second referral would be silently lost."""
    _, plaintext = issue_token(scopes=["referrals:submit"])
    first = post(client, plaintext, referral_body(), HTTP_IDEMPOTENCY_KEY="partner-case-43")
    other_child = referral_body()
    other_child["person"] = {**other_child["person"], "given_name": "Othertest",
                             "date_of_birth": "2011-05-02"}
    reused = post(client, plaintext, other_child, HTTP_IDEMPOTENCY_KEY="partner-case-43")
    assert (first.status_code, reused.status_code) == (201, 409)
    assert reused["Content-Type"] == "application/problem+json"
    problem = reused.json()
    assert problem["type"] == "urn:prevent-hub:problem:idempotency-key-reused"
    assert problem["status"] == 409
    assert first.json()["reference"] not in reused.content.decode()
    assert Referral.objects.count() == 1
    # The first body again is still a retry.
    assert post(client, plaintext, referral_body(), HTTP_IDEMPOTENCY_KEY="partner-case-43").status_code == 200


def test_idempotency_keys_belong_to_one_token(client):
    _, first_token = issue_token(scopes=["referrals:submit"])
    _, second_token = issue_token(scopes=["referrals:submit"])
    first = post(client, first_token, referral_body(), HTTP_IDEMPOTENCY_KEY="same-key")
    second = post(client, second_token, referral_body(), HTTP_IDEMPOTENCY_KEY="same-key")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() != second.json()


def test_submitting_is_audited_with_the_token(client):
    token, plaintext = issue_token(scopes=["referrals:submit"])
    response = post(client, plaintext, referral_body(), HTTP_IDEMPOTENCY_KEY="k1")
    referral = Referral.objects.get(reference=response.json()["reference"])
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="referrals.referral")
    assert event.object_id == str(referral.pk)
    assert event.actor == token.user
    assert event.details["api_token"] == token.prefix
    assert event.details["via"] == "api"
    assert event.path == URL
    # Special-category values never enter the trail, only field names.
    assert "Fictional test concern" not in json.dumps(event.details)
    post(client, plaintext, referral_body(), HTTP_IDEMPOTENCY_KEY="k1")
    replay = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="referrals.referral")
    assert replay.details == {"api_token": token.prefix, "via": "api",
                              "reference": referral.reference, "replay": True}


def test_the_schema_limits_come_from_the_model():
    schema = ReferralIn.model_json_schema()
    definitions = schema["$defs"]
    for path, field in FIELD_MAP.items():
        if len(path) == 1:
            prop = schema["properties"][path[0]]
        else:
            section = definitions[schema["properties"][path[0]].get("$ref", "").rsplit("/", 1)[-1]
                                  or _ref(schema["properties"][path[0]])]
            prop = section["properties"][path[1]]
        limits = [branch.get("maxLength") for branch in prop.get("anyOf", [prop]) if "maxLength" in branch]
        if field in ("subject_other_names",):
            assert prop["maxItems"] * prop["items"]["maxLength"] + prop["maxItems"] - 1 <= (
                model_max_length(field))
        elif limits:
            assert max(limits) == model_max_length(field), field


def _ref(prop):
    return next(branch["$ref"] for branch in prop["anyOf"] if "$ref" in branch).rsplit("/", 1)[-1]


# Following a referral ------------------------------------------------------------


def get(client, token, reference):
    return client.get(f"{URL}/{reference}", **bearer(token))


def test_a_coordinator_follows_a_referral(client):
    token, plaintext = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["referrals:read"])
    referral = ReferralFactory(
        status=ReferralStatus.DECIDED, police_shared_at=timezone.now(),
        gateway_outcome=GatewayOutcome.SIGNPOSTED, gateway_signposted_to="Early help (fictional)",
        gateway_reasons="Fictional reasons", gateway_decided_on=timezone.localdate(),
        gateway_recorded_at=timezone.now(), retain_until=datetime.date(2029, 12, 5),
    )
    response = get(client, plaintext, referral.reference)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["reference"] == referral.reference
    assert data["status"] == "decided"
    assert data["gateway_outcome"]["outcome"] == "signposted"
    assert data["gateway_outcome"]["signposted_to"] == "Early help (fictional)"
    assert data["previous_referrals"] == []
    assert data["person_id"] is None
    assert data["channel_case_id"] is None
    assert data["retain_until"] == "2029-12-05"
    # Need to know: no narrative or special-category data in this read.
    text = response.content.decode()
    assert "Fictional reasons" not in text
    assert referral.concern_description not in text
    assert referral.subject_given_name not in text
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_id=str(referral.pk))
    assert event.actor == token.user
    assert event.details == {"api_token": token.prefix, "via": "api"}


def test_earlier_referrals_about_the_same_person_are_listed(client):
    from prevent_hub.people.tests.factories import PersonFactory

    _, plaintext = issue_token(roles=[Role.PREVENT_COORDINATOR], scopes=["referrals:read"])
    person = PersonFactory()
    now = timezone.now()
    first = ReferralFactory(person=person, received_at=now - datetime.timedelta(days=300))
    second = ReferralFactory(person=person, received_at=now - datetime.timedelta(days=30))
    latest = ReferralFactory(person=person, received_at=now)
    ReferralFactory(received_at=now - datetime.timedelta(days=100))  # someone else
    data = get(client, plaintext, latest.reference).json()
    assert data["previous_referrals"] == [first.reference, second.reference]
    assert data["person_id"] == person.pk


def test_police_see_only_referrals_shared_with_them(client):
    _, plaintext = issue_token(roles=[Role.POLICE_PRACTITIONER], scopes=["referrals:read"])
    shared = ReferralFactory(police_shared_at=timezone.now(), status=ReferralStatus.AWAITING_GATEWAY)
    unshared = ReferralFactory()
    assert get(client, plaintext, shared.reference).status_code == 200
    hidden = get(client, plaintext, unshared.reference)
    missing = get(client, plaintext, "PRV-2000-999999")
    # The same answer for "not yours" and "does not exist".
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"] == missing.json()["detail"]
    assert hidden["Content-Type"] == PROBLEM
    # ...but the trail tells them apart.
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED,
                                     object_id=str(unshared.pk)).exists()
    missing_event = AuditEvent.objects.get(action=AuditAction.PERMISSION_DENIED,
                                           details__reference="PRV-2000-999999")
    assert missing_event.details["status"] == 404 and missing_event.details["found"] is False


def test_roles_without_the_action_get_403(client):
    _, plaintext = issue_token(roles=[Role.AUDITOR], scopes=["referrals:read"])
    referral = ReferralFactory()
    response = get(client, plaintext, referral.reference)
    assert response.status_code == 403
    assert response.json()["type"] == "urn:prevent-hub:problem:forbidden"


def test_a_postcode_is_letters_digits_spaces_and_hyphens(client):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    body = referral_body()
    body["person"]["postcode"] = "ßßßßß"  # would grow when put in capitals
    response = post(client, plaintext, body)
    assert pointers(response) == ["/person/postcode"]


def test_no_body_at_all(client):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    response = client.generic("POST", URL, b"", content_type="application/json", **bearer(plaintext))
    assert pointers(response) == [""]
    assert response.json()["errors"][0]["detail"] == "Send the request body, as a JSON object"
    # An empty object names every required section.
    response = post(client, plaintext, {})
    assert pointers(response) == ["/concern", "/person", "/referrer", "/safeguarding_lead"]
