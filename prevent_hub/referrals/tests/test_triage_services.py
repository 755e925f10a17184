"""The triage services: sharing with police and recording the gateway outcome."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import ChannelCase
from prevent_hub.channel.tests.factories import ChannelCaseFactory
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.models import GatewayOutcome, PoliceSharingMethod, Referral, ReferralStatus
from prevent_hub.referrals.services import referral_gateway_outcome_record, referral_share_with_police

from .factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR], full_name="Casey Coordinator")


@pytest.fixture
def officer():
    return UserFactory(roles=[Role.POLICE_PRACTITIONER], full_name="Pat Officer")


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def share(referral, user, **overrides):
    arguments = {"shared_at": hours_ago(1), "method": PoliceSharingMethod.SECURE_EMAIL,
                 "notes": "Sent to the regional unit (fictional).", "acting_user": user}
    return referral_share_with_police(referral=referral, **{**arguments, **overrides})


def record(referral, user, **overrides):
    arguments = {"outcome": GatewayOutcome.NO_FURTHER_ACTION, "reasons": "No concerns found (fictional).",
                 "decided_on": timezone.localdate(), "signposted_to": "", "acting_user": user}
    return referral_gateway_outcome_record(referral=referral, **{**arguments, **overrides})


def shared_referral(**fields):
    return ReferralFactory(received_at=hours_ago(72), status=ReferralStatus.AWAITING_GATEWAY,
                           police_shared_at=hours_ago(48), police_shared_method="phone", **fields)


def codes(error):
    return {item.code for items in error.error_dict.values() for item in items}


# Sharing with police ---------------------------------------------------------------


def test_sharing_moves_a_new_referral_to_awaiting_and_audits_field_names_only(coordinator):
    referral = ReferralFactory(received_at=hours_ago(5))
    shared_at = hours_ago(2)
    share(referral, coordinator, shared_at=shared_at)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_GATEWAY
    assert referral.police_shared_at == shared_at
    assert referral.police_shared_method == PoliceSharingMethod.SECURE_EMAIL
    assert referral.police_shared_notes == "Sent to the regional unit (fictional)."
    assert referral.police_shared_recorded_by == coordinator
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="referrals.referral")
    assert event.object_id == str(referral.pk)
    assert event.changed_fields == sorted(["police_shared_at", "police_shared_method",
                                           "police_shared_notes", "police_shared_recorded_by", "status"])
    assert "regional unit" not in str(event.details)


def test_sharing_twice_changes_nothing_and_says_so(coordinator):
    referral = ReferralFactory(received_at=hours_ago(5))
    share(referral, coordinator)
    other = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    with pytest.raises(ValidationError) as raised:
        share(referral, other, method=PoliceSharingMethod.PHONE)
    assert codes(raised.value) == {"already_shared"}
    assert "already shared with police" in raised.value.message_dict["status"][0]
    referral.refresh_from_db()
    assert referral.police_shared_recorded_by == coordinator
    assert referral.police_shared_method == PoliceSharingMethod.SECURE_EMAIL
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).count() == 1


def test_sharing_in_the_future_or_before_receipt_is_refused(coordinator):
    referral = ReferralFactory(received_at=hours_ago(5))
    with pytest.raises(ValidationError) as raised:
        share(referral, coordinator, shared_at=timezone.now() + datetime.timedelta(hours=1))
    assert raised.value.message_dict == {"shared_at": ["The date and time it was shared must be in the past"]}
    with pytest.raises(ValidationError) as raised:
        share(referral, coordinator, shared_at=hours_ago(6))
    assert "after the referral was received" in raised.value.message_dict["shared_at"][0]
    with pytest.raises(ValidationError) as raised:
        share(referral, coordinator, method="carrier_pigeon")
    assert raised.value.message_dict == {"method": ["Select how the referral was shared"]}
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NEW and referral.police_shared_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


# Gateway outcome ---------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [GatewayOutcome.NO_FURTHER_ACTION, GatewayOutcome.POLICE_LED])
def test_recording_an_outcome_decides_the_referral_with_who_and_when(officer, outcome):
    referral = shared_referral()
    record(referral, officer, outcome=outcome, signposted_to="Ignored unless signposted")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECIDED
    assert referral.gateway_outcome == outcome
    assert referral.gateway_signposted_to == ""
    assert referral.gateway_reasons == "No concerns found (fictional)."
    assert referral.gateway_decided_on == timezone.localdate()
    assert referral.gateway_recorded_by == officer
    assert referral.gateway_recorded_at is not None
    assert not ChannelCase.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert "gateway_outcome" in event.changed_fields and "status" in event.changed_fields
    assert "fictional" not in str(event.details)


def test_signposting_needs_the_service(coordinator):
    referral = shared_referral()
    with pytest.raises(ValidationError) as raised:
        record(referral, coordinator, outcome=GatewayOutcome.SIGNPOSTED, signposted_to="  ")
    assert raised.value.message_dict == {
        "signposted_to": ["Enter the service the person was signposted to"]}
    record(referral, coordinator, outcome=GatewayOutcome.SIGNPOSTED, signposted_to="Early help")
    referral.refresh_from_db()
    assert referral.gateway_signposted_to == "Early help"


def test_reasons_outcome_and_a_sensible_date_are_required(coordinator):
    referral = shared_referral()
    with pytest.raises(ValidationError) as raised:
        record(referral, coordinator, outcome="", reasons=" ", decided_on=None)
    assert set(raised.value.message_dict) == {"outcome", "reasons", "decided_on"}
    with pytest.raises(ValidationError) as raised:
        record(referral, coordinator, decided_on=timezone.localdate() + datetime.timedelta(days=1))
    assert raised.value.message_dict == {
        "decided_on": ["The date of the decision must be today or in the past"]}
    with pytest.raises(ValidationError) as raised:
        record(referral, coordinator, decided_on=timezone.localdate() - datetime.timedelta(days=10))
    assert "on or after the date the referral was shared" in raised.value.message_dict["decided_on"][0]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_GATEWAY


def test_an_outcome_needs_the_referral_to_have_been_shared(coordinator):
    referral = ReferralFactory()
    with pytest.raises(ValidationError) as raised:
        record(referral, coordinator)
    assert codes(raised.value) == {"not_shared"}


def test_a_recorded_outcome_cannot_be_changed(coordinator, officer):
    referral = shared_referral()
    record(referral, officer)
    with pytest.raises(ValidationError) as raised:
        record(referral, coordinator, outcome=GatewayOutcome.POLICE_LED)
    assert codes(raised.value) == {"already_decided"}
    referral.refresh_from_db()
    assert referral.gateway_outcome == GatewayOutcome.NO_FURTHER_ACTION
    assert referral.gateway_recorded_by == officer


def test_proceed_to_channel_needs_the_person_identified(coordinator):
    referral = shared_referral()
    with pytest.raises(ValidationError) as raised:
        record(referral, coordinator, outcome=GatewayOutcome.PROCEED_TO_CHANNEL)
    assert raised.value.message_dict == {"outcome": ["Identify the person before opening a Channel case"]}
    assert codes(raised.value) == {"person_needed"}
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_GATEWAY
    assert not ChannelCase.objects.exists()


def test_proceed_to_channel_opens_the_case_in_the_same_transaction(coordinator):
    person = PersonFactory()
    referral = shared_referral(person=person)
    decided = record(referral, coordinator, outcome=GatewayOutcome.PROCEED_TO_CHANNEL)
    case = ChannelCase.objects.get()
    assert case.referral_id == referral.pk and case.person == person
    assert case.opened_by == coordinator
    assert decided.channel_case == case
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DECIDED
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="channel.channelcase").exists()


def test_if_the_case_cannot_be_opened_the_outcome_is_not_recorded_either(coordinator):
    person = PersonFactory()
    referral = shared_referral(person=person)
    # A case already exists for this referral (made behind the service's back).
    ChannelCaseFactory(person=person, referral=referral)
    with pytest.raises(ValidationError, match="already open"):
        record(referral, coordinator, outcome=GatewayOutcome.PROCEED_TO_CHANNEL)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_GATEWAY
    assert referral.gateway_outcome == ""
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()
