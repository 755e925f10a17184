from django.db import migrations

from prevent_hub.directory.defaults import DEFAULT_CONTACTS

# Contacts the public information pages need that 0002 did not install.
ADDED_KEYS = [
    "prevent-referral-form",
    "prevent-duty-guidance",
    "channel-guidance",
    "keeping-children-safe-in-education",
    "working-together",
    "ico",
    "eass",
    "lgsco",
]


def load_added(apps, schema_editor):
    Contact = apps.get_model("directory", "Contact")
    by_key = {entry["key"]: entry for entry in DEFAULT_CONTACTS}
    for key in ADDED_KEYS:
        # Never overwrite what an administrator has already edited.
        Contact.objects.get_or_create(key=key, defaults=by_key[key])


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_default_contacts")]

    operations = [migrations.RunPython(load_added, migrations.RunPython.noop)]
