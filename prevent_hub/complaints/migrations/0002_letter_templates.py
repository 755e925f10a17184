"""Load the first wording of each letter to complainants
(complaints.defaults). Complaints officers edit it afterwards."""

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from prevent_hub.complaints.defaults import LETTERS

    template_model = apps.get_model("complaints", "LetterTemplate")
    now = timezone.now()
    for kind, (subject, body) in LETTERS.items():
        template_model.objects.get_or_create(kind=kind, defaults={"subject": subject, "body": body,
                                                                  "updated_at": now})


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
