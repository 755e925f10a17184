"""Restriction of processing (UK GDPR Article 18): the person's records can be
read, with a banner saying why, and every change is refused until it is lifted."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditEvent
from prevent_hub.channel import services as case_services
from prevent_hub.channel.models import CaseStatus, Note
from prevent_hub.channel.tests.factories_reviews import case_in
from prevent_hub.people.services import person_restriction_set

pytestmark = pytest.mark.django_db

REASON = "DPR-2026-000001: the accuracy of the record is contested (fictional)"


@pytest.fixture
def restricted_case():
    case = case_in(CaseStatus.SUPPORT)
    dpo = UserFactory(roles=[Role.DATA_PROTECTION_OFFICER])
    person_restriction_set(person=case.person, restricted=True, reason=REASON, acting_user=dpo)
    return case


def test_the_case_and_person_pages_say_so_and_offer_no_change(staff_client, restricted_case):
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    case_page = coordinator.get(reverse("channel:case-detail", kwargs={"pk": restricted_case.pk}))
    assert case_page.status_code == 200
    assert "Processing of this person’s records has been restricted" in case_page.text
    assert REASON in case_page.text
    person_page = coordinator.get(reverse("people:detail", kwargs={"pk": restricted_case.person_id}))
    assert "can be read but not changed" in person_page.text
    assert reverse("people:edit", kwargs={"pk": restricted_case.person_id}) not in person_page.text


def test_changes_are_refused_on_the_pages(staff_client, restricted_case):
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    note = coordinator.post(reverse("channel:case-note-add", kwargs={"pk": restricted_case.pk}),
                            {"text": "A fictional note"})
    assert note.status_code == 403
    assert not Note.objects.filter(case=restricted_case).exists()
    edit = coordinator.post(reverse("people:edit", kwargs={"pk": restricted_case.person_id}),
                            {"given_name": "Changed", "family_name": "Fictional", "reasons": "Test"})
    assert edit.status_code == 403
    restricted_case.person.refresh_from_db()
    assert restricted_case.person.given_name != "Changed"


def test_the_case_cannot_move_even_through_a_service(restricted_case):
    chair = UserFactory(roles=[Role.CHANNEL_CHAIR])
    with pytest.raises(ValidationError) as raised:
        case_services.case_transition(case=restricted_case, to_status=CaseStatus.EXITED,
                                      reasons="Fictional", acting_user=chair)
    assert "restricted" in raised.value.message_dict["status"][0]
    restricted_case.refresh_from_db()
    assert restricted_case.status == CaseStatus.SUPPORT


def test_lifting_the_restriction_allows_changes_again_and_both_are_audited(staff_client, restricted_case):
    dpo = UserFactory(roles=[Role.DATA_PROTECTION_OFFICER])
    person_restriction_set(person=restricted_case.person, restricted=False,
                           reason="DPR-2026-000001: accuracy checked and confirmed", acting_user=dpo)
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    page = coordinator.get(reverse("channel:case-detail", kwargs={"pk": restricted_case.pk}))
    assert "has been restricted" not in page.text
    events = AuditEvent.objects.filter(object_type="people.person", object_id=str(restricted_case.person_id))
    changes = [event for event in events.order_by("sequence") if "restricted_at" in event.changed_fields]
    assert [event.details["change"] for event in changes] == ["processing restricted", "restriction lifted"]
    assert all(REASON not in str(event.details) for event in changes)


def test_a_restriction_needs_a_reason(restricted_case):
    with pytest.raises(ValidationError) as raised:
        person_restriction_set(person=restricted_case.person, restricted=False, reason="  ",
                               acting_user=UserFactory(roles=[Role.DATA_PROTECTION_OFFICER]))
    assert "reason" in raised.value.message_dict
    restricted_case.person.refresh_from_db()
    assert restricted_case.person.restricted_at is not None
