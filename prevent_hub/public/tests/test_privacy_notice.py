"""The privacy notice states the retention periods from the schedule itself."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.retention.models import RecordType
from prevent_hub.retention.services import retention_policy_change

pytestmark = pytest.mark.django_db


def test_the_notice_lists_every_period_in_force(client):
    page = client.get(reverse("public:privacy"))
    assert page.status_code == 200
    text = page.text
    assert "Referral closed with no further action or signposted: 3 years from the gateway outcome" in text
    assert "Channel case exited or transferred: 6 years from exit from Channel or the transfer" in text
    assert "Person with no remaining records: deleted with their last referral or case" in text


def test_a_changed_period_shows_on_the_notice_the_day_it_takes_effect(client):
    retention_policy_change(record_type=RecordType.REFERRAL_CLOSED, period_months=24,
                            effective_from=timezone.localdate(), reason="Schedule reviewed (fictional)",
                            acting_user=UserFactory(roles=[Role.SYSTEM_ADMINISTRATOR]))
    text = client.get(reverse("public:privacy")).text
    assert "Referral closed with no further action or signposted: 2 years from the gateway outcome" in text
    assert "3 years from the gateway outcome" not in text


def test_staff_whose_training_is_recorded_are_told_what_is_held_who_sees_it_and_for_how_long(client):
    text = html.unescape(client.get(reverse("public:privacy")).text)
    assert "your organisation's training lead sees the records of your organisation's staff only" in text
    assert "Training record of a learner: 6 years from the learner leaving their organisation" in text
