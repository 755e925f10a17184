from django.conf import settings
from django.db import migrations, models


def assign_council(apps, schema_editor):
    """Users created before organisations existed belong to the council."""
    User = apps.get_model("accounts", "User")
    Organisation = apps.get_model("accounts", "Organisation")
    orphans = User.objects.filter(organisation__isnull=True)
    if orphans.exists():
        council, _ = Organisation.objects.get_or_create(
            name=settings.COUNCIL_NAME, defaults={"type": "local_authority"}
        )
        orphans.update(organisation=council)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_organisations_roles_sessions")]

    operations = [
        migrations.RunPython(assign_council, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="organisation",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT, related_name="users", to="accounts.organisation"
            ),
        ),
    ]
