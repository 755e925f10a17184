import datetime

from django.db import migrations, models


def load_default(apps, schema_editor):
    policy = apps.get_model("retention", "RetentionPolicy")
    policy.objects.get_or_create(
        record_type="training_record", effective_from=datetime.date(2020, 1, 1),
        defaults={"period_months": 72,
                  "reason": "Default: a learner's training record is kept while they are in post and 6 years "
                            "after they leave, to show the Prevent duty was met."})


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="retentionpolicy",
            name="record_type",
            field=models.CharField(choices=[
                ("referral_closed", "Referral closed with no further action or signposted"),
                ("referral_police_led", "Referral passed to police-led management"),
                ("case_not_adopted", "Channel case not adopted"),
                ("case_exited_or_transferred", "Channel case exited or transferred"),
                ("case_closed_otherwise", "Channel case closed for another reason"),
                ("venue_booking", "Venue booking"), ("complaint", "Complaint"),
                ("data_rights_request", "Data protection rights request"),
                ("training_record", "Training record of a learner"),
                ("referral_draft", "Unsubmitted referral draft"),
                ("person_without_records", "Person with no remaining records")], max_length=40),
        ),
        migrations.RunPython(load_default, migrations.RunPython.noop),
    ]
