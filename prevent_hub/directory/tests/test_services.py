import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.directory.models import Contact
from prevent_hub.directory.selectors import contacts_by_key
from prevent_hub.directory.services import contact_mark_checked, contact_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(full_name="Directory Admin")


@pytest.fixture
def contact():
    return Contact.objects.get(key="act-early")


def contact_events():
    return AuditEvent.objects.filter(object_type="directory.contact")


def test_update_saves_and_records_which_fields_changed(admin, contact):
    contact_update(acting_user=admin, contact=contact, phone="0800 000 1111", hours="Always",
                   name=contact.name)
    saved = Contact.objects.get(pk=contact.pk)
    assert (saved.phone, saved.hours) == ("0800 000 1111", "Always")
    event = contact_events().get()
    assert event.action == AuditAction.UPDATE
    assert event.object_id == str(contact.pk)
    assert event.changed_fields == ["hours", "phone"]
    assert event.actor == admin
    assert "0800 000 1111" not in str(event.details)  # names of fields, never values
    assert contacts_by_key()["act-early"].phone == "0800 000 1111"


def test_update_without_changes_records_nothing(admin, contact):
    contact_update(acting_user=admin, contact=contact, phone=contact.phone)
    assert not contact_events().exists()


def test_update_cannot_change_the_key(admin, contact):
    with pytest.raises(ValueError, match="Cannot change key"):
        contact_update(acting_user=admin, contact=contact, key="something-else")
    assert Contact.objects.filter(key="act-early").exists()


def test_invalid_update_rolls_back_whole(admin, contact):
    with pytest.raises(ValidationError):
        contact_update(acting_user=admin, contact=contact, phone="0800 1", web_address="not a url")
    saved = Contact.objects.get(pk=contact.pk)
    assert saved.phone == "0800 011 3764"
    assert not contact_events().exists()


def test_hiding_a_contact_takes_it_out_of_the_directory(admin, contact):
    contact_update(acting_user=admin, contact=contact, is_active=False)
    assert "act-early" not in contacts_by_key()


def test_mark_checked_records_today_once(admin, contact):
    contact_mark_checked(acting_user=admin, contact=contact)
    assert Contact.objects.get(pk=contact.pk).last_checked == timezone.localdate()
    contact_mark_checked(acting_user=admin, contact=contact)
    event = contact_events().get()
    assert event.changed_fields == ["last_checked"]
    assert event.details == {"marked_checked": True}


def test_mark_checked_on_a_given_day(admin, contact):
    contact_mark_checked(acting_user=admin, contact=contact, checked_on=datetime.date(2025, 1, 2))
    assert Contact.objects.get(pk=contact.pk).last_checked == datetime.date(2025, 1, 2)
