"""Store every account's email address in its canonical form (NFKC, then
case-folded: core.email_addresses), which sign-in now matches exactly."""

import unicodedata

from django.db import migrations


def canonicalise(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for pk, email in User.objects.values_list("pk", "email").iterator():
        canonical = unicodedata.normalize("NFKC", email.strip()).casefold()
        if canonical != email:
            if User.objects.filter(email=canonical).exclude(pk=pk).exists():
                raise RuntimeError(
                    f"Two accounts have addresses that are the same once made canonical ({canonical}): "
                    "deactivate or change one, then migrate again.")
            User.objects.filter(pk=pk).update(email=canonical)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_every_user_has_an_organisation")]
    operations = [migrations.RunPython(canonicalise, migrations.RunPython.noop)]
