"""Load the first version of the booking conditions and the letter wording
(venues.defaults). Officers change both afterwards from their own pages."""

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from prevent_hub.venues.defaults import CLAUSES, CONDITIONS_INTRODUCTION, LETTERS

    conditions_model = apps.get_model("venues", "BookingConditions")
    clause_model = apps.get_model("venues", "ConditionsClause")
    template_model = apps.get_model("venues", "LetterTemplate")
    now = timezone.now()
    if not conditions_model.objects.exists():
        conditions = conditions_model.objects.create(
            version=1, introduction=CONDITIONS_INTRODUCTION, published_at=now,
            change_summary="The first version.")
        clause_model.objects.bulk_create(
            clause_model(conditions=conditions, number=number, position=position, heading=heading, text=text)
            for position, (number, heading, text) in enumerate(CLAUSES, start=1))
    for kind, (subject, body) in LETTERS.items():
        template_model.objects.get_or_create(kind=kind, defaults={"subject": subject, "body": body,
                                                                  "updated_at": now})


class Migration(migrations.Migration):
    dependencies = [("venues", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
