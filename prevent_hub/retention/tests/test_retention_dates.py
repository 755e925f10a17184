"""Each record gets its retain_until from the policy in force when it closes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditEvent
from prevent_hub.channel import services as case_services
from prevent_hub.channel.models import CaseStatus, ClosureReason, NotAdoptedOutcome
from prevent_hub.channel.tests.factories_reviews import case_in
from prevent_hub.core.dates import add_months
from prevent_hub.referrals.models import GatewayOutcome, ReferralStatus
from prevent_hub.referrals.services import referral_gateway_outcome_record
from prevent_hub.referrals.tests.factories import ReferralFactory
from prevent_hub.retention.models import RecordType, RetentionPolicy
from prevent_hub.retention.selectors import policy_in_force, retain_until
from prevent_hub.retention.services import retention_policy_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR])


@pytest.fixture
def administrator():
    return UserFactory(roles=[Role.SYSTEM_ADMINISTRATOR])


def shared_referral():
    shared = timezone.now() - datetime.timedelta(days=10)
    return ReferralFactory(status=ReferralStatus.AWAITING_GATEWAY, police_shared_at=shared,
                           police_shared_method="phone", received_at=shared)


def test_every_record_type_has_a_default_policy():
    defaults = {policy.record_type: policy.period_months for policy in RetentionPolicy.objects.all()}
    assert defaults == {
        RecordType.REFERRAL_CLOSED: 36, RecordType.REFERRAL_POLICE_LED: 72,
        RecordType.CASE_NOT_ADOPTED: 36, RecordType.CASE_EXITED_OR_TRANSFERRED: 72,
        RecordType.CASE_CLOSED_OTHERWISE: 72, RecordType.VENUE_BOOKING: 24, RecordType.COMPLAINT: 72,
        RecordType.DATA_RIGHTS_REQUEST: 24, RecordType.REFERRAL_DRAFT: None,
        RecordType.PERSON_WITHOUT_RECORDS: 0, RecordType.TRAINING_RECORD: 72,
    }


@pytest.mark.parametrize("outcome, months", [
    (GatewayOutcome.NO_FURTHER_ACTION, 36), (GatewayOutcome.SIGNPOSTED, 36), (GatewayOutcome.POLICE_LED, 72),
])
def test_a_referral_closed_at_the_gateway_is_kept_from_the_outcome(coordinator, outcome, months):
    referral = shared_referral()
    decided = timezone.localdate() - datetime.timedelta(days=2)
    referral_gateway_outcome_record(referral=referral, outcome=outcome, reasons="Fictional reasons",
                                    decided_on=decided, signposted_to="Fictional youth club",
                                    acting_user=coordinator)
    referral.refresh_from_db()
    assert referral.retain_until == add_months(decided, months)
    expected = (RecordType.REFERRAL_POLICE_LED if outcome == GatewayOutcome.POLICE_LED
                else RecordType.REFERRAL_CLOSED)
    assert referral.retention_policy.record_type == expected


def test_a_referral_that_goes_to_channel_has_no_date_of_its_own(coordinator):
    from prevent_hub.people.tests.factories import PersonFactory

    referral = shared_referral()
    referral.person = PersonFactory()
    referral.save()
    referral_gateway_outcome_record(referral=referral, outcome=GatewayOutcome.PROCEED_TO_CHANNEL,
                                    reasons="Fictional", decided_on=timezone.localdate(),
                                    acting_user=coordinator)
    referral.refresh_from_db()
    assert referral.retain_until is None
    assert referral.channel_case.retain_until is None


def test_a_case_not_adopted_is_kept_three_years_and_closing_it_keeps_that_date(coordinator):
    case = case_in(CaseStatus.AWAITING_PANEL)
    case_services.case_not_adopted(case=case, outcome=NotAdoptedOutcome.NO_FURTHER_ACTION,
                                   health_social_care_considered=True,
                                   health_social_care_notes="Considered (fictional)", reasons="Fictional",
                                   acting_user=coordinator)
    today = timezone.localdate()
    assert case.retain_until == add_months(today, 36)
    case_services.case_close(case=case, reason=ClosureReason.NOT_ADOPTED, details="Fictional",
                             acting_user=coordinator)
    assert (case.status, case.retain_until) == (CaseStatus.CLOSED, add_months(today, 36))
    assert case.retention_policy.record_type == RecordType.CASE_NOT_ADOPTED


def test_an_exited_case_is_kept_six_years_from_exit(coordinator):
    case = case_in(CaseStatus.SUPPORT)
    exit_date = timezone.localdate() - datetime.timedelta(days=3)
    case_services.case_transition(case=case, to_status=CaseStatus.EXITED, reasons="Fictional",
                                  acting_user=coordinator, changes={"exit_date": exit_date})
    assert case.retain_until == add_months(exit_date, 72)
    assert case.retention_policy.record_type == RecordType.CASE_EXITED_OR_TRANSFERRED


def test_a_case_reopened_loses_its_date(coordinator):
    case = case_in(CaseStatus.CONSENT_SOUGHT)
    case_services.case_transition(case=case, to_status=CaseStatus.CONSENT_REFUSED, reasons="Fictional",
                                  acting_user=coordinator)
    assert case.retain_until is None
    case_services.case_close(case=case, reason=ClosureReason.CONSENT_REFUSED, details="Fictional",
                             acting_user=coordinator)
    assert case.retain_until == add_months(timezone.localdate(), 72)
    assert case.retention_policy.record_type == RecordType.CASE_CLOSED_OTHERWISE


def test_a_changed_policy_applies_to_records_closing_after_it_takes_effect(administrator):
    today = timezone.localdate()
    retention_policy_change(record_type=RecordType.REFERRAL_CLOSED, period_months=24,
                            effective_from=today + datetime.timedelta(days=30),
                            reason="Shorter after a fictional review", acting_user=administrator)
    assert retain_until(RecordType.REFERRAL_CLOSED, today)[0] == add_months(today, 36)
    later = today + datetime.timedelta(days=31)
    assert retain_until(RecordType.REFERRAL_CLOSED, later)[0] == add_months(later, 24)
    assert policy_in_force(RecordType.REFERRAL_CLOSED, later).recorded_by == administrator
    event = AuditEvent.objects.filter(object_type="retention.retentionpolicy").get()
    assert event.details["period_months"] == 24


@pytest.mark.parametrize("change, field", [
    ({"period_months": None}, "period_months"),
    ({"period_months": 121}, "period_months"),
    ({"effective_from": datetime.date(2020, 1, 1)}, "effective_from"),
    ({"reason": "   "}, "reason"),
    ({"reason": "x" * 2001}, "reason"),
    ({"record_type": "shoe_size"}, "record_type"),
    ({"record_type": RecordType.REFERRAL_DRAFT}, "record_type"),
    ({"record_type": RecordType.PERSON_WITHOUT_RECORDS}, "record_type"),
])
def test_a_bad_policy_change_is_refused_and_changes_nothing(administrator, change, field):
    arguments = {"record_type": RecordType.COMPLAINT, "period_months": 60,
                 "effective_from": timezone.localdate(), "reason": "Fictional review"}
    before = RetentionPolicy.objects.count()
    with pytest.raises(ValidationError) as raised:
        retention_policy_change(**{**arguments, **change}, acting_user=administrator)
    assert field in raised.value.message_dict
    assert RetentionPolicy.objects.count() == before


def test_two_changes_on_one_day_are_refused(administrator):
    arguments = {"record_type": RecordType.COMPLAINT, "period_months": 60,
                 "effective_from": timezone.localdate(), "reason": "Fictional review"}
    retention_policy_change(**arguments, acting_user=administrator)
    with pytest.raises(ValidationError) as raised:
        retention_policy_change(**arguments, acting_user=administrator)
    assert "effective_from" in raised.value.message_dict


def test_the_referral_and_case_pages_say_until_when_they_are_kept(staff_client, coordinator):
    from django.urls import reverse

    from prevent_hub.core.formatting import govuk_date

    referral = shared_referral()
    decided = timezone.localdate()
    referral_gateway_outcome_record(referral=referral, outcome=GatewayOutcome.NO_FURTHER_ACTION,
                                    reasons="Fictional", decided_on=decided, acting_user=coordinator)
    reader = staff_client(Role.PREVENT_COORDINATOR)
    page = reader.get(reverse("triage:referral", kwargs={"reference": referral.reference}))
    assert (f"{govuk_date(add_months(decided, 36))}, then deleted (referral closed with no further action "
            "or signposted: 3 years from the gateway outcome)") in page.text
    open_case = case_in(CaseStatus.SUPPORT)
    page = reader.get(reverse("channel:case-detail", kwargs={"pk": open_case.pk}))
    assert "While the case is open; the retention period starts when it ends" in page.text


def test_the_schedule_and_a_single_lookup_agree_on_every_date(administrator):
    from prevent_hub.retention.selectors import policies_in_force

    today = timezone.localdate()
    for days, months in ((5, 48), (40, 12)):
        retention_policy_change(record_type=RecordType.COMPLAINT, period_months=months,
                                effective_from=today + datetime.timedelta(days=days),
                                reason="Fictional review", acting_user=administrator)
    for offset in (-4000, 0, 5, 6, 39, 40, 400):
        on = today + datetime.timedelta(days=offset)
        assert policies_in_force(on) == [policy_in_force(kind, on) for kind in RecordType.values]
