"""Names already stored lose the controls that reorder text (bidi embeddings,
overrides and isolates), as new ones do where they come in
(core.names.neutralise_bidi): referrals' names, person records' names and
staff names. Only rows that hold such a control are touched."""

import re

from django.db import migrations

CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
FIELDS = {
    ("referrals", "Referral"): ["referrer_name", "subject_given_name", "subject_family_name",
                                "subject_other_names", "carer_name", "dsl_name"],
    ("people", "Person"): ["given_name", "family_name"],
    ("people", "PersonName"): ["given_name", "family_name"],
    ("accounts", "User"): ["full_name"],
}


def neutralise(apps, schema_editor):
    for (app_label, model_name), fields in FIELDS.items():
        model = apps.get_model(app_label, model_name)
        for row in model.objects.only("pk", *fields).iterator():
            changed = {field: CONTROLS.sub("", getattr(row, field)) for field in fields
                       if CONTROLS.search(getattr(row, field) or "")}
            if changed:
                model.objects.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0005_match_decisions_move_to_people"),
        ("people", "0005_match_decisions_from_referrals"),
        ("accounts", "0004_canonical_emails"),
    ]
    operations = [migrations.RunPython(neutralise, migrations.RunPython.noop)]
