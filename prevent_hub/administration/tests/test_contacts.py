import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prevent_hub.administration.selectors import (
    CONTACT_CHECK_DUE_AFTER_MONTHS,
    CheckStatus,
    contact_check_status,
    months_before,
)
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.directory.models import Contact

from .helpers import HOSTILE, assert_escaped, banner_text, error_summary, input_value

LIST = reverse("administration:contacts")


def edit_url(key):
    return reverse("administration:contact-edit", args=[Contact.objects.get(key=key).pk])


def mark_checked_url(key):
    return reverse("administration:contact-mark-checked", args=[Contact.objects.get(key=key).pk])


def form_data(contact, **changes):
    data = {
        "name": contact.name, "who_for": contact.who_for, "phone": contact.phone,
        "phone_note": contact.phone_note, "web_address": contact.web_address,
        "web_label": contact.web_label, "email": contact.email, "hours": contact.hours,
        "is_active": "true" if contact.is_active else "",
    }
    if contact.last_checked:
        data.update({"last_checked-day": contact.last_checked.day,
                     "last_checked-month": contact.last_checked.month,
                     "last_checked-year": contact.last_checked.year})
    data.update(changes)
    return {name: value for name, value in data.items() if value not in ("", None)}


def _rows(response):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content, "html5lib")
    return {
        row.select_one("th").get_text(" ", strip=True).split(" Key: ")[0]: [
            cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in soup.select("tbody tr")
    }


def test_list_shows_each_contact_with_its_check_status(admin_client):
    today = timezone.localdate()
    Contact.objects.filter(key="emergency").update(last_checked=today - datetime.timedelta(days=3))
    Contact.objects.filter(key="act-early").update(last_checked=today - datetime.timedelta(days=400))
    response = admin_client.get(LIST)
    rows = _rows(response)
    assert len(rows) == Contact.objects.count()
    emergency = rows["Emergency services"]
    assert emergency[0] == "999"
    assert emergency[2] == "Checked"
    act_early = rows["ACT Early support line"]
    assert act_early[0] == "0800 011 3764 https://actearly.uk/"
    assert act_early[2] == "Check due"
    assert rows["NSPCC helpline"][1:3] == ["Never", "Not checked"]
    html = response.content.decode()
    assert "Key: act-early" in html
    assert f"{Contact.objects.count() - 1} of {Contact.objects.count()} contacts need checking" in html


@pytest.mark.parametrize(("last_checked", "expected"), [
    (None, CheckStatus.NOT_CHECKED),
    (datetime.date(2025, 3, 30), CheckStatus.CHECKED),  # exactly six months ago
    (datetime.date(2025, 3, 29), CheckStatus.CHECK_DUE),
    (datetime.date(2025, 9, 30), CheckStatus.CHECKED),
])
def test_check_status(last_checked, expected):
    contact = Contact(last_checked=last_checked)
    assert contact_check_status(contact, today=datetime.date(2025, 9, 30)) == expected


def test_months_before_handles_short_months_and_years():
    assert CONTACT_CHECK_DUE_AFTER_MONTHS == 6
    assert months_before(datetime.date(2025, 8, 31), 6) == datetime.date(2025, 2, 28)
    assert months_before(datetime.date(2025, 3, 15), 6) == datetime.date(2024, 9, 15)
    assert months_before(datetime.date(2024, 8, 29), 6) == datetime.date(2024, 2, 29)


def test_edit_contact_shows_on_the_public_get_help_page_at_once(admin_client):
    contact = Contact.objects.get(key="act-early")
    page = admin_client.get(edit_url("act-early"))
    assert input_value(page, "phone") == "0800 011 3764"
    assert input_value(page, "key") is None  # the key cannot be changed
    response = admin_client.post(edit_url("act-early"), form_data(
        contact, phone="0800 000 1234", hours="8am to 8pm, every day"))
    assert response.status_code == 302 and response["Location"] == LIST
    contact.refresh_from_db()
    assert contact.phone == "0800 000 1234" and contact.key == "act-early"
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="directory.contact")
    assert event.object_id == str(contact.pk)
    assert set(event.changed_fields) == {"phone", "hours"}
    assert "Public pages show the change now" in banner_text(admin_client.get(LIST))

    public = Client().get(reverse("public:get-help")).content.decode()
    assert "0800 000 1234" in public and "8am to 8pm, every day" in public
    assert "0800 011 3764" not in public


def test_hiding_a_contact_removes_it_from_public_pages(admin_client):
    contact = Contact.objects.get(key="act-early")
    assert contact.name in Client().get(reverse("public:get-help")).content.decode()
    admin_client.post(edit_url("act-early"), form_data(contact, is_active=""))
    assert contact.name not in Client().get(reverse("public:get-help")).content.decode()
    assert "Hidden" in admin_client.get(LIST).content.decode()


def test_edit_contact_errors_keep_what_was_typed(admin_client):
    contact = Contact.objects.get(key="act-early")
    response = admin_client.post(edit_url("act-early"), form_data(
        contact, name="", web_address="javascript:alert(1)", email="not an email",
        phone="0800 999 9999", **{"last_checked-day": "31", "last_checked-month": "2",
                                  "last_checked-year": "2025"}))
    assert response.status_code == 200
    assert error_summary(response) == [
        "Enter the contact's name",
        "Enter a full web address, starting with https://",
        "Enter an email address in the correct format, like name@example.org",
        "Last checked must be a real date",
    ]
    assert input_value(response, "phone") == "0800 999 9999"
    assert input_value(response, "web_address") == "javascript:alert(1)"
    assert input_value(response, "last_checked-day") == "31"
    contact.refresh_from_db()
    assert contact.phone == "0800 011 3764"
    assert not AuditEvent.objects.filter(object_type="directory.contact").exists()


def test_link_text_needs_a_web_address(admin_client):
    contact = Contact.objects.get(key="emergency")
    response = admin_client.post(edit_url("emergency"), form_data(contact, web_label="Website"))
    assert error_summary(response) == ["Enter the web address the link text is for"]


def test_mark_as_checked_today(admin_client):
    url = mark_checked_url("nspcc-helpline")
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)
    assert response.status_code == 302 and response["Location"] == LIST
    contact = Contact.objects.get(key="nspcc-helpline")
    assert contact.last_checked == timezone.localdate()
    assert _rows(admin_client.get(LIST))["NSPCC helpline"][2] == "Checked"
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="directory.contact")
    assert event.changed_fields == ["last_checked"]
    # A second click records nothing more.
    admin_client.post(url)
    assert AuditEvent.objects.filter(object_type="directory.contact").count() == 1


def test_unknown_contact_is_a_404(admin_client):
    assert admin_client.get(reverse("administration:contact-edit", args=[999999])).status_code == 404
    assert admin_client.post(
        reverse("administration:contact-mark-checked", args=[999999])).status_code == 404


def test_hostile_contact_text_is_escaped_in_admin_and_public_pages(admin_client):
    contact = Contact.objects.get(key="act-early")
    response = admin_client.post(edit_url("act-early"), form_data(
        contact, name=HOSTILE, who_for=HOSTILE, hours=HOSTILE, phone_note=HOSTILE))
    assert response.status_code == 302
    assert_escaped(admin_client.get(LIST).content.decode())
    assert_escaped(admin_client.get(edit_url("act-early")).content.decode())
    assert_escaped(Client().get(reverse("public:get-help")).content.decode())
