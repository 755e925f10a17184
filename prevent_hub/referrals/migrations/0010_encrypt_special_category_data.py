"""Special-category data in referrals encrypted at rest (docs/encryption.md): the
columns become text holding ciphertext, three category codes gain blind
indexes, and the values already stored are encrypted."""

import prevent_hub.encryption.fields
from django.db import migrations

from prevent_hub.encryption.services import migration_encrypting

ENCRYPTED = {
    "Referral": ["subject_description", "concern_description", "concern_how_noticed",
                 "special_educational_needs", "mental_health_needs", "neurodiversity",
                 "complex_needs_details", "other_agencies", "police_shared_notes", "gateway_reasons",
                 "concern_type", "ethnicity", "mental_health_or_neurodiversity"],
    "ReferralDraft": ["data"],
}


class Migration(migrations.Migration):

    dependencies = [
        ('encryption', '0001_initial'),
        ('referrals', '0009_reporting_details_from_intake'),
    ]

    operations = [
        migrations.AddField(
            model_name='referral',
            name='concern_type_index',
            field=prevent_hub.encryption.fields.BlindIndexField(source='concern_type'),
        ),
        migrations.AddField(
            model_name='referral',
            name='ethnicity_index',
            field=prevent_hub.encryption.fields.BlindIndexField(source='ethnicity'),
        ),
        migrations.AddField(
            model_name='referral',
            name='mental_health_or_neurodiversity_index',
            field=prevent_hub.encryption.fields.BlindIndexField(source='mental_health_or_neurodiversity'),
        ),
        migrations.AlterField(
            model_name='referral',
            name='complex_needs_details',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=2000),
        ),
        migrations.AlterField(
            model_name='referral',
            name='concern_description',
            field=prevent_hub.encryption.fields.EncryptedTextField(max_length=10000, verbose_name='what happened'),
        ),
        migrations.AlterField(
            model_name='referral',
            name='concern_how_noticed',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=2000, verbose_name='how it came to notice'),
        ),
        migrations.AlterField(
            model_name='referral',
            name='concern_type',
            field=prevent_hub.encryption.fields.EncryptedCharField(blank=True, max_length=40, verbose_name='type of concern'),
        ),
        migrations.AlterField(
            model_name='referral',
            name='ethnicity',
            field=prevent_hub.encryption.fields.EncryptedCharField(blank=True, max_length=40),
        ),
        migrations.AlterField(
            model_name='referral',
            name='gateway_reasons',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='referral',
            name='mental_health_needs',
            field=prevent_hub.encryption.fields.EncryptedCharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('unknown', 'Not known')], max_length=10),
        ),
        migrations.AlterField(
            model_name='referral',
            name='mental_health_or_neurodiversity',
            field=prevent_hub.encryption.fields.EncryptedCharField(blank=True, max_length=40),
        ),
        migrations.AlterField(
            model_name='referral',
            name='neurodiversity',
            field=prevent_hub.encryption.fields.EncryptedCharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('unknown', 'Not known')], max_length=10),
        ),
        migrations.AlterField(
            model_name='referral',
            name='other_agencies',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=2000, verbose_name='other agencies involved'),
        ),
        migrations.AlterField(
            model_name='referral',
            name='police_shared_notes',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=2000),
        ),
        migrations.AlterField(
            model_name='referral',
            name='special_educational_needs',
            field=prevent_hub.encryption.fields.EncryptedCharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('unknown', 'Not known')], max_length=10),
        ),
        migrations.AlterField(
            model_name='referral',
            name='subject_description',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=1000, verbose_name='description of the person'),
        ),
        migrations.AlterField(
            model_name='referraldraft',
            name='data',
            field=prevent_hub.encryption.fields.EncryptedJSONField(blank=True, default=dict),
        ),
        migrations.RunPython(migration_encrypting("referrals", ENCRYPTED), migrations.RunPython.noop),
    ]
