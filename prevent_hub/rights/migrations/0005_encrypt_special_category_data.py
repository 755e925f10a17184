"""rights: special-category free text encrypted at rest (docs/encryption.md); the values
already stored are encrypted."""

import prevent_hub.encryption.fields
from django.db import migrations

from prevent_hub.encryption.services import migration_encrypting

ENCRYPTED = {
    "SubjectAccessBundle": ["document"],
}


class Migration(migrations.Migration):

    dependencies = [
        ('encryption', '0001_initial'),
        ('rights', '0004_learner_link'),
    ]

    operations = [
        migrations.AlterField(
            model_name='subjectaccessbundle',
            name='document',
            field=prevent_hub.encryption.fields.EncryptedJSONField(),
        ),
        migrations.RunPython(migration_encrypting('rights', ENCRYPTED), migrations.RunPython.noop),
    ]
