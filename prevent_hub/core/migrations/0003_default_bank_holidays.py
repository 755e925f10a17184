import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "bank-holidays-england-and-wales.json"


def load(apps, schema_editor):
    BankHoliday = apps.get_model("core", "BankHoliday")
    for event in json.loads(DATA.read_text(encoding="utf-8"))["events"]:
        BankHoliday.objects.get_or_create(date=event["date"], defaults={"title": event["title"]})


class Migration(migrations.Migration):
    dependencies = [("core", "0002_bankholiday")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
