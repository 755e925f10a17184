"""complaints: special-category free text encrypted at rest (docs/encryption.md); the values
already stored are encrypted."""

import prevent_hub.encryption.fields
from django.db import migrations

from prevent_hub.encryption.services import migration_encrypting

ENCRYPTED = {
    "Complaint": ["what_happened", "adjustments"],
}


class Migration(migrations.Migration):

    dependencies = [
        ('encryption', '0001_initial'),
        ('complaints', '0002_letter_templates'),
    ]

    operations = [
        migrations.AlterField(
            model_name='complaint',
            name='adjustments',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=2000),
        ),
        migrations.AlterField(
            model_name='complaint',
            name='what_happened',
            field=prevent_hub.encryption.fields.EncryptedTextField(max_length=10000),
        ),
        migrations.RunPython(migration_encrypting('complaints', ENCRYPTED), migrations.RunPython.noop),
    ]
