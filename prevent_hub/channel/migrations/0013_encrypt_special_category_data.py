"""channel: special-category free text encrypted at rest (docs/encryption.md); the values
already stored are encrypted."""

import prevent_hub.encryption.fields
from django.db import migrations

from prevent_hub.encryption.services import migration_encrypting

ENCRYPTED = {
    "ChannelCase": ["health_social_care_notes", "exit_reasons", "closure_details"],
    "CaseTransition": ["reasons"],
    "InformationRequest": ["question", "response", "decline_reason"],
    "Consent": ["capacity_notes", "child_views", "notes", "withdrawal_notes"],
    "FactorEvidence": ["evidence"],
    "DimensionJudgement": ["judgement"],
    "SupportPlan": ["consent_how", "nature_of_support", "how_and_when_provided"],
    "PlanAction": ["description"],
    "SupportSession": ["notes"],
    "Review": ["outcome"],
    "Note": ["text"],
    "Transfer": ["reasons"],
}


class Migration(migrations.Migration):

    dependencies = [
        ('encryption', '0001_initial'),
        ('channel', '0012_case_list_order'),
    ]

    operations = [
        migrations.AlterField(
            model_name='casetransition',
            name='reasons',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='channelcase',
            name='closure_details',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='channelcase',
            name='exit_reasons',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='channelcase',
            name='health_social_care_notes',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=2000),
        ),
        migrations.AlterField(
            model_name='consent',
            name='capacity_notes',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=2000),
        ),
        migrations.AlterField(
            model_name='consent',
            name='child_views',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=2000, verbose_name="the child's own views"),
        ),
        migrations.AlterField(
            model_name='consent',
            name='notes',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=2000),
        ),
        migrations.AlterField(
            model_name='consent',
            name='withdrawal_notes',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=2000),
        ),
        migrations.AlterField(
            model_name='dimensionjudgement',
            name='judgement',
            field=prevent_hub.encryption.fields.EncryptedTextField(max_length=10000),
        ),
        migrations.AlterField(
            model_name='factorevidence',
            name='evidence',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='informationrequest',
            name='decline_reason',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=2000),
        ),
        migrations.AlterField(
            model_name='informationrequest',
            name='question',
            field=prevent_hub.encryption.fields.EncryptedTextField(max_length=5000, verbose_name='what is asked'),
        ),
        migrations.AlterField(
            model_name='informationrequest',
            name='response',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=10000),
        ),
        migrations.AlterField(
            model_name='note',
            name='text',
            field=prevent_hub.encryption.fields.EncryptedTextField(max_length=10000),
        ),
        migrations.AlterField(
            model_name='planaction',
            name='description',
            field=prevent_hub.encryption.fields.EncryptedTextField(max_length=2000),
        ),
        migrations.AlterField(
            model_name='review',
            name='outcome',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='supportplan',
            name='consent_how',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=2000, verbose_name='how consent is to be requested'),
        ),
        migrations.AlterField(
            model_name='supportplan',
            name='how_and_when_provided',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=5000, verbose_name='how and when it is provided'),
        ),
        migrations.AlterField(
            model_name='supportplan',
            name='nature_of_support',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=5000, verbose_name='the nature of the support'),
        ),
        migrations.AlterField(
            model_name='supportsession',
            name='notes',
            field=prevent_hub.encryption.fields.EncryptedTextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='transfer',
            name='reasons',
            field=prevent_hub.encryption.fields.EncryptedTextField(max_length=5000),
        ),
        migrations.RunPython(migration_encrypting('channel', ENCRYPTED), migrations.RunPython.noop),
    ]
