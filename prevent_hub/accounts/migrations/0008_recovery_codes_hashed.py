"""Recovery codes stored hashed (ASVS V6.5.2): the codes people already hold
keep working, but from here on only their salted PBKDF2 hashes are kept and
django-otp's plain-text StaticToken rows are deleted.

Irreversible: the codes cannot be read back out of their hashes.
Takes about a tenth of a second per code (RECOVERY_CODE_HASH_ITERATIONS).
"""

import django.db.models.deletion
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import migrations, models


def hash_existing_codes(apps, schema_editor):
    from django.conf import settings

    StaticToken = apps.get_model("otp_static", "StaticToken")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    hasher = PBKDF2PasswordHasher()
    iterations = settings.RECOVERY_CODE_HASH_ITERATIONS
    batch = []
    for token in StaticToken.objects.order_by("pk").iterator():
        typed = "".join(token.token.split()).replace("-", "").lower()
        batch.append(RecoveryCode(device_id=token.device_id,
                                  code_hash=hasher.encode(typed, hasher.salt(), iterations)))
    RecoveryCode.objects.bulk_create(batch, batch_size=500)
    StaticToken.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_training_lead_role'),
        ('otp_static', '0003_add_timestamps'),
    ]

    operations = [
        migrations.CreateModel(
            name='RecoveryCodeDevice',
            fields=[
            ],
            options={
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('otp_static.staticdevice',),
        ),
        migrations.CreateModel(
            name='RecoveryCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code_hash', models.CharField(max_length=200)),
                ('device', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recovery_codes', to='otp_static.staticdevice')),
            ],
        ),
        migrations.RunPython(hash_existing_codes, elidable=False),
    ]
