import datetime

import pytest
from django.core.exceptions import ValidationError

from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.rights import services
from prevent_hub.rights.models import (
    BundleStatus,
    Decision,
    IdentityMethod,
    RequestKind,
    RequestStatus,
)
from prevent_hub.rights.services import due_on_for
from prevent_hub.rights.signals import rights_request_decided

from .factories import (
    bundle_approved,
    bundle_prepared,
    days,
    dpo,
    first_field,
    request_logged,
    request_verified,
    request_with_person,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("received", "due"), [
    (datetime.date(2027, 1, 31), datetime.date(2027, 2, 28)),
    (datetime.date(2028, 1, 31), datetime.date(2028, 2, 29)),  # a leap year
    (datetime.date(2027, 3, 31), datetime.date(2027, 4, 30)),
    (datetime.date(2027, 12, 15), datetime.date(2028, 1, 15)),
])
def test_the_deadline_is_one_calendar_month_clamped_to_the_month_end(received, due):
    assert due_on_for(received) == due


def test_a_request_logged_on_31_january_is_due_at_the_end_of_february():
    request = request_logged(received_on=datetime.date(2024, 1, 31))
    assert request.due_on == datetime.date(2024, 2, 29)
    assert request.reference == f"DPR-2024-{request.pk:06d}"
    assert request.status == RequestStatus.RECEIVED


def test_logging_is_audited_with_ids_only():
    request = request_logged()
    event = AuditEvent.objects.get(object_type="rights.rightsrequest", object_id=str(request.pk),
                                   action=AuditAction.CREATE)
    assert "Testina" not in str(event.details) and "requester@" not in str(event.details)
    assert event.details["reference"] == request.reference


def test_a_request_from_the_future_or_without_its_facts_is_refused():
    with pytest.raises(ValidationError) as refused:
        services.rights_request_log(kind=RequestKind.ERASURE, requester_name=" ", requester_contact="",
                                    requester_relationship="self", received_on=days(1), subject_details="",
                                    request_text="", acting_user=dpo())
    assert set(refused.value.message_dict) == {"requester_name", "requester_contact", "subject_details",
                                              "received_on", "request_text"}


def test_extension_is_at_most_two_months_with_a_reason():
    request = request_logged(received_on=datetime.date(2025, 1, 31))
    with pytest.raises(ValidationError):
        services.rights_request_extend(request=request, extension_months=3, reason="Complex",
                                       acting_user=request.logged_by)
    with pytest.raises(ValidationError):
        services.rights_request_extend(request=request, extension_months=1, reason=" ",
                                       acting_user=request.logged_by)
    extended = services.rights_request_extend(request=request, extension_months=2,
                                              reason="Fictional: many records", acting_user=request.logged_by)
    assert extended.due_on == datetime.date(2025, 4, 30)
    with pytest.raises(ValidationError, match="already extended"):
        services.rights_request_extend(request=request, extension_months=1, reason="Again",
                                       acting_user=request.logged_by)


def test_identity_verification_starts_the_work_once():
    request = request_logged()
    verified = services.rights_request_identity_verify(request=request, method=IdentityMethod.DOCUMENTS,
                                                       acting_user=request.logged_by)
    assert verified.status == RequestStatus.IN_PROGRESS and verified.identity_verified_by == request.logged_by
    with pytest.raises(ValidationError, match="already been verified"):
        services.rights_request_identity_verify(request=request, method=IdentityMethod.DOCUMENTS,
                                                acting_user=request.logged_by)
    with pytest.raises(ValidationError):
        services.rights_request_identity_verify(request=request_logged(), method=IdentityMethod.OTHER,
                                                notes="", acting_user=request.logged_by)


def test_a_decision_completes_the_request_sets_retention_and_tells_receivers():
    request = request_with_person(kind=RequestKind.ERASURE)
    heard = []

    def receiver(sender, request, acting_user, **kwargs):
        heard.append((request.pk, acting_user.pk))
        return "Fictional effect: nothing was erased in this test."

    rights_request_decided.connect(receiver, weak=False)
    try:
        decided = services.rights_request_decide(request=request, decision=Decision.REFUSED,
                                                 reasons="Fictional: still needed for safeguarding.",
                                                 acting_user=request.logged_by)
    finally:
        rights_request_decided.disconnect(receiver)
    assert heard == [(request.pk, request.logged_by.pk)]
    assert decided.status == RequestStatus.COMPLETED and decided.decision == Decision.REFUSED
    assert decided.retain_until is not None and decided.retention_policy.record_type == "data_rights_request"
    assert decided.effects == "Fictional effect: nothing was erased in this test."
    with pytest.raises(ValidationError, match="completed"):
        services.rights_request_decide(request=request, decision=Decision.ACCEPTED, reasons="x",
                                       acting_user=request.logged_by)


def test_accepting_needs_identity_and_a_person_and_access_is_answered_by_release():
    with pytest.raises(ValidationError, match="Verify"):
        request = request_logged(kind=RequestKind.RECTIFICATION)
        services.rights_request_decide(request=request, decision=Decision.ACCEPTED, reasons="Fine",
                                       acting_user=request.logged_by)
    with pytest.raises(ValidationError, match="Find the person"):
        request = request_verified(kind=RequestKind.RECTIFICATION)
        services.rights_request_decide(request=request, decision=Decision.ACCEPTED, reasons="Fine",
                                       acting_user=request.logged_by)
    with pytest.raises(ValidationError, match="releasing its bundle"):
        request = request_with_person()
        services.rights_request_decide(request=request, decision=Decision.ACCEPTED, reasons="Fine",
                                       acting_user=request.logged_by)


def test_the_preparer_cannot_approve_their_own_bundle():
    bundle = bundle_prepared()
    with pytest.raises(ValidationError, match="You prepared this bundle"):
        services.bundle_approve(bundle=bundle, acting_user=bundle.prepared_by)
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.PREPARED


def test_nobody_who_redacted_can_approve_even_after_removing_it():
    bundle = bundle_prepared()
    helper = dpo()
    item_key, field_key = first_field(bundle)
    redaction = services.redaction_add(bundle=bundle, item_key=item_key, field_key=field_key,
                                       reason="third_party", explanation="Fictional", acting_user=helper)
    services.redaction_remove(redaction=redaction, acting_user=helper)
    with pytest.raises(ValidationError, match="You made redactions"):
        services.bundle_approve(bundle=bundle, acting_user=helper)


def test_after_approval_nothing_changes():
    bundle = bundle_approved()
    item_key, field_key = first_field(bundle)
    with pytest.raises(ValidationError, match="approved"):
        services.redaction_add(bundle=bundle, item_key=item_key, field_key=field_key, reason="third_party",
                               explanation="Too late", acting_user=bundle.prepared_by)
    with pytest.raises(ValidationError, match="approved"):
        services.bundle_prepare(request=bundle.request, acting_user=bundle.prepared_by)
    with pytest.raises(ValidationError, match="approved"):
        services.rights_request_person_link(request=bundle.request, person=bundle.request.person,
                                            acting_user=bundle.prepared_by)


def test_release_needs_approval_then_completes_the_request_as_partly_accepted_when_redacted():
    bundle = bundle_prepared()
    item_key, field_key = first_field(bundle)
    services.redaction_add(bundle=bundle, item_key=item_key, field_key=field_key, reason="third_party",
                           explanation="Fictional", acting_user=bundle.prepared_by)
    with pytest.raises(ValidationError, match="approved by a second person"):
        services.bundle_release(bundle=bundle, released_on=days(0), method="post", acting_user=dpo())
    services.bundle_approve(bundle=bundle, acting_user=dpo())
    released = services.bundle_release(bundle=bundle, released_on=days(0), method="post", acting_user=dpo())
    assert released.status == BundleStatus.RELEASED
    request = released.request
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED and request.decision == Decision.PARTLY_ACCEPTED
    with pytest.raises(ValidationError, match="already been released"):
        services.bundle_release(bundle=bundle, released_on=days(0), method="post", acting_user=dpo())


def test_a_redaction_needs_a_real_field_a_reason_and_an_explanation():
    bundle = bundle_prepared()
    with pytest.raises(ValidationError, match="no such field"):
        services.redaction_add(bundle=bundle, item_key="people.person:0", field_key="given_name",
                               reason="third_party", explanation="x", acting_user=bundle.prepared_by)
    item_key, field_key = first_field(bundle)
    with pytest.raises(ValidationError) as refused:
        services.redaction_add(bundle=bundle, item_key=item_key, field_key=field_key, reason="whim",
                               explanation=" ", acting_user=bundle.prepared_by)
    assert set(refused.value.message_dict) == {"reason", "explanation"}
    services.redaction_add(bundle=bundle, item_key=item_key, field_key=field_key, reason="crime",
                           explanation="Fictional", acting_user=bundle.prepared_by)
    with pytest.raises(ValidationError, match="already redacted"):
        services.redaction_add(bundle=bundle, item_key=item_key, field_key=field_key, reason="crime",
                               explanation="Twice", acting_user=bundle.prepared_by)
