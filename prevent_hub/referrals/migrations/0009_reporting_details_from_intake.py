"""Fill in the reporting details referrals already received plainly give,
as referral_submit now does for each new one."""

from django.db import migrations

from prevent_hub.referrals.reporting import reporting_details_from_intake

FIELDS = ["age_at_referral", "reported_gender", "mental_health_or_neurodiversity", "sector"]


def backfill(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    changed = []
    for referral in Referral.objects.select_related("submitted_by__organisation").iterator(chunk_size=2000):
        organisation = getattr(referral.submitted_by, "organisation", None)
        reporting_details_from_intake(referral, organisation_type=getattr(organisation, "type", ""))
        changed.append(referral)
        if len(changed) == 2000:
            Referral.objects.bulk_update(changed, FIELDS)
            changed = []
    Referral.objects.bulk_update(changed, FIELDS)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0008_reporting_details"), ("accounts", "0007_training_lead_role")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
