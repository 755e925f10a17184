"""panels: special-category free text encrypted at rest (docs/encryption.md); the values
already stored are encrypted."""

import prevent_hub.encryption.fields
from django.db import migrations

from prevent_hub.encryption.services import migration_encrypting

ENCRYPTED = {
    "AgendaItem": ["reasons", "minute"],
    "OutsideMeetingDecision": ["why_not_at_meeting", "reasons", "summary"],
    "Minutes": ["general_notes"],
    "MinutesAddendum": ["text"],
}


class Migration(migrations.Migration):

    dependencies = [
        ('encryption', '0001_initial'),
        ('panels', '0004_first_discussed_on'),
    ]

    operations = [
        migrations.AlterField(
            model_name='agendaitem',
            name='minute',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=20000),
        ),
        migrations.AlterField(
            model_name='agendaitem',
            name='reasons',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='minutes',
            name='general_notes',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=20000),
        ),
        migrations.AlterField(
            model_name='minutesaddendum',
            name='text',
            field=prevent_hub.encryption.fields.EncryptedTextField(max_length=10000),
        ),
        migrations.AlterField(
            model_name='outsidemeetingdecision',
            name='reasons',
            field=prevent_hub.encryption.fields.EncryptedTextField(max_length=5000),
        ),
        migrations.AlterField(
            model_name='outsidemeetingdecision',
            name='summary',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=20000),
        ),
        migrations.AlterField(
            model_name='outsidemeetingdecision',
            name='why_not_at_meeting',
            field=prevent_hub.encryption.fields.EncryptedTextField(max_length=2000),
        ),
        migrations.RunPython(migration_encrypting('panels', ENCRYPTED), migrations.RunPython.noop),
    ]
