"""The contact directory as installed: valid, complete, and safe to re-run."""

import importlib
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from prevent_hub.directory.defaults import DEFAULT_CONTACTS
from prevent_hub.directory.models import Contact

ALLOWED_FIELDS = {
    "key", "name", "who_for", "phone", "phone_note", "web_address", "web_label", "email", "hours",
}

# County services are fictional: Ofcom drama numbers and .example domains.
COUNTY_KEYS = {
    "police-non-emergency", "childrens-duty", "emergency-duty-team", "adult-social-care",
    "prevent-team", "council-complaints", "data-protection-officer", "venue-bookings",
    "safeguarding-children-partnership", "safeguarding-adults-board", "prevent-referral-form",
}
DRAMA_NUMBER = re.compile(r"^01632 ?960 ?\d{3}$")
# Short national numbers that are not drama numbers but are not the county's own either.
NATIONAL_SHORT_NUMBERS = {"999", "101"}


def test_keys_are_unique_slugs():
    keys = [entry["key"] for entry in DEFAULT_CONTACTS]
    assert len(keys) == len(set(keys))
    for key in keys:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", key), key


@pytest.mark.parametrize("entry", DEFAULT_CONTACTS, ids=lambda entry: entry["key"])
def test_each_default_is_a_valid_contact(entry):
    assert set(entry) <= ALLOWED_FIELDS, set(entry) - ALLOWED_FIELDS
    assert entry["name"] and entry["who_for"]
    assert entry.get("phone") or entry.get("web_address") or entry.get("email"), (
        "a contact needs at least one way to reach it"
    )
    try:
        Contact(**entry).full_clean(validate_unique=False)
    except ValidationError as error:  # pragma: no cover - shows which field is wrong
        pytest.fail(f"{entry['key']}: {error.message_dict}")


@pytest.mark.parametrize(
    "entry",
    [entry for entry in DEFAULT_CONTACTS if entry["key"] in COUNTY_KEYS],
    ids=lambda entry: entry["key"],
)
def test_county_services_are_fictional(entry):
    phone = entry.get("phone", "")
    if phone and phone not in NATIONAL_SHORT_NUMBERS:
        assert DRAMA_NUMBER.match(phone), f"{entry['key']}: {phone} is not an Ofcom drama number"
    for field in ("web_address", "email"):
        value = entry.get(field, "")
        if value:
            host = value.split("@")[-1] if field == "email" else value.split("/")[2]
            assert host.endswith(".example"), f"{entry['key']}: {value} is not a .example address"


@pytest.mark.parametrize(
    "entry",
    [entry for entry in DEFAULT_CONTACTS if entry["key"] not in COUNTY_KEYS],
    ids=lambda entry: entry["key"],
)
def test_national_services_use_real_public_addresses(entry):
    for field in ("web_address", "email"):
        assert ".example" not in entry.get(field, ""), entry["key"]
    assert not entry.get("phone", "").startswith("01632 960"), entry["key"]
    if entry.get("web_address"):
        assert entry["web_address"].startswith("https://")


@pytest.mark.django_db
def test_migrations_install_every_default_contact():
    installed = dict(Contact.objects.values_list("key", "name"))
    for entry in DEFAULT_CONTACTS:
        assert installed.get(entry["key"]) == entry["name"], entry["key"]
    assert Contact.objects.filter(is_active=True).count() == len(DEFAULT_CONTACTS)


@pytest.mark.django_db
def test_the_added_contacts_migration_never_overwrites_an_edit():
    migration = importlib.import_module(
        "prevent_hub.directory.migrations.0003_public_pages_contacts"
    )
    defaults = {entry["key"] for entry in DEFAULT_CONTACTS}
    assert set(migration.ADDED_KEYS) <= defaults
    Contact.objects.filter(key="ico").update(phone="01632 960 999", hours="Edited by an admin")
    Contact.objects.filter(key="eass").delete()

    migration.load_added(apps, schema_editor=None)

    ico = Contact.objects.get(key="ico")
    assert (ico.phone, ico.hours) == ("01632 960 999", "Edited by an admin")
    assert Contact.objects.filter(key="eass").exists()
    assert Contact.objects.filter(key="ico").count() == 1
