"""Authenticator codes accepted only in their own 30-second step (ASVS V6.5.5):
tolerance 0 on the devices set up before, as second_factor.TOTP_TOLERANCE
gives new ones. Each device's learnt drift is kept, so a phone whose clock
runs a step slow or fast, and worked before, still works."""

from django.db import migrations


def no_tolerance(apps, schema_editor):
    apps.get_model("otp_totp", "TOTPDevice").objects.update(tolerance=0)


def default_tolerance(apps, schema_editor):
    apps.get_model("otp_totp", "TOTPDevice").objects.update(tolerance=1)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0008_recovery_codes_hashed"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(no_tolerance, default_tolerance)]
