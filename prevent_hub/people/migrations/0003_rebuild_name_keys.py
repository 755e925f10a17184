"""Every stored name key made again the new way: names transliterated to
ASCII (anyascii) before their phonetic keys are made, so "Łukasz" and
"Lukasz" (and "محمد" and "Mohammed") share a key; addresses and postcodes of
people and referral subjects keyed; every name each referral gives recorded
with its keys (referrals.ReferralName)."""

import sys

from django.db import migrations


def rebuild(apps, schema_editor):
    from prevent_hub.people.keys import progress_printer, rebuild_name_keys

    rebuild_name_keys(
        person_model=apps.get_model("people", "Person"),
        person_name_model=apps.get_model("people", "PersonName"),
        referral_model=apps.get_model("referrals", "Referral"),
        referral_name_model=apps.get_model("referrals", "ReferralName"),
        report=progress_printer(lambda line: print(line, file=sys.stdout, flush=True)),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0002_records_kept_by_coordinators"),
        ("referrals", "0003_subject_keys_and_names"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]
