from django.db import migrations

from prevent_hub.directory.defaults import DEFAULT_CONTACTS


def load_defaults(apps, schema_editor):
    Contact = apps.get_model("directory", "Contact")
    for entry in DEFAULT_CONTACTS:
        # Never overwrite what an administrator has already edited.
        Contact.objects.get_or_create(key=entry["key"], defaults=entry)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
