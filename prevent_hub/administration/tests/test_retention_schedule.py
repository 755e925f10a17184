"""The retention schedule's administration pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.retention.models import RecordType, RetentionPolicy

pytestmark = pytest.mark.django_db

EDIT = reverse("administration:retention-edit", kwargs={"record_type": RecordType.COMPLAINT})


def date_fields(day: datetime.date) -> dict:
    return {"effective_from-day": day.day, "effective_from-month": day.month, "effective_from-year": day.year}


def test_the_schedule_lists_every_policy_in_force(staff_client):
    admin = staff_client(Role.SYSTEM_ADMINISTRATOR)
    page = admin.get(reverse("administration:retention"))
    assert page.status_code == 200
    for label in RecordType.labels:
        assert label in page.text
    assert "3 years from the gateway outcome" in page.text
    assert "28 days from the last change to the draft" in page.text


def test_an_administrator_changes_a_period_from_a_date(staff_client):
    admin = staff_client(Role.SYSTEM_ADMINISTRATOR)
    start = timezone.localdate() + datetime.timedelta(days=7)
    response = admin.post(EDIT, {"period_months": "84", "reason": "Schedule reviewed (fictional)",
                                 **date_fields(start)}, follow=True)
    assert "complaint records closing are kept 7 years from closure" in response.text
    assert "7 years from closure from" in response.text  # shown as a change to come
    history = admin.get(reverse("administration:retention-history",
                                kwargs={"record_type": RecordType.COMPLAINT}))
    assert "Schedule reviewed (fictional)" in history.text
    assert admin.user.full_name in history.text


@pytest.mark.parametrize("posted, message", [
    ({"period_months": "", "reason": "x"}, "Enter the number of months"),
    ({"period_months": "three", "reason": "x"}, "The number of months must be a whole number, like 36"),
    ({"period_months": "-1", "reason": "x"}, "The number of months must be 0 or more"),
    ({"period_months": "99999", "reason": "x"}, "The number of months must be 120 or fewer"),
    ({"period_months": "36", "reason": ""}, "Enter why the policy is changing"),
    ({"period_months": "36", "reason": "<script>alert(1)</script>" * 200},
     "The reason must be 2,000 characters or fewer"),
])
def test_bad_input_is_refused_with_a_message_and_keeps_what_was_typed(staff_client, posted, message):
    admin = staff_client(Role.SYSTEM_ADMINISTRATOR)
    before = RetentionPolicy.objects.count()
    response = admin.post(EDIT, {**posted, **date_fields(timezone.localdate())})
    assert response.status_code == 200
    assert message in response.text
    assert "<script>alert" not in response.text
    assert RetentionPolicy.objects.count() == before


def test_a_date_in_the_past_is_refused(staff_client):
    admin = staff_client(Role.SYSTEM_ADMINISTRATOR)
    response = admin.post(EDIT, {"period_months": "36", "reason": "Fictional",
                                 **date_fields(timezone.localdate() - datetime.timedelta(days=1))})
    assert "The policy must take effect today or later" in response.text
    assert 'value="36"' in response.text


def test_drafts_and_unknown_record_types_have_no_change_page(staff_client):
    admin = staff_client(Role.SYSTEM_ADMINISTRATOR)
    drafts = reverse("administration:retention-edit", kwargs={"record_type": RecordType.REFERRAL_DRAFT})
    assert admin.get(drafts).status_code == 404
    people = reverse("administration:retention-edit",
                     kwargs={"record_type": RecordType.PERSON_WITHOUT_RECORDS})
    assert admin.get(people).status_code == 404
    unknown = reverse("administration:retention-history", kwargs={"record_type": "shoe-size"})
    assert admin.get(unknown).status_code == 404


def test_a_coordinator_cannot_change_the_schedule(staff_client):
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    before = RetentionPolicy.objects.count()
    response = coordinator.post(EDIT, {"period_months": "1", "reason": "Fictional",
                                       **date_fields(timezone.localdate())})
    assert response.status_code == 403
    assert RetentionPolicy.objects.count() == before
