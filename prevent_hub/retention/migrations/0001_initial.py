import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The defaults a council starts from (docs/retention.md says why each one).
DEFAULTS = [
    ("referral_closed", 36, "Default: a referral closed with no further action or signposted is kept "
                            "3 years from the gateway outcome."),
    ("referral_police_led", 72, "Default: kept as long as a Channel case that exits, since police-led "
                                "management may bring the person back to Channel."),
    ("case_not_adopted", 36, "Default: a case the panel did not adopt is kept 3 years."),
    ("case_exited_or_transferred", 72, "Default: a case that exited or was transferred is kept 6 years "
                                       "from the exit or transfer."),
    ("case_closed_otherwise", 72, "Default: treated like an exited case (consent refused, or closed "
                                  "for another reason)."),
    ("venue_booking", 24, "Default: a venue booking is kept 2 years from the event."),
    ("complaint", 72, "Default: a complaint is kept 6 years from closure."),
    ("data_rights_request", 24, "Default: a data protection rights request and its bundle are kept "
                                "2 years from completion, for any complaint to the ICO."),
    ("referral_draft", None, "Set by the intake setting REFERRAL_DRAFT_EXPIRY_DAYS."),
    ("person_without_records", 0, "Default: a person is deleted with their last referral or case."),
]


def load_defaults(apps, schema_editor):
    policy = apps.get_model("retention", "RetentionPolicy")
    start = datetime.date(2020, 1, 1)
    for record_type, months, reason in DEFAULTS:
        policy.objects.get_or_create(record_type=record_type, effective_from=start,
                                     defaults={"period_months": months, "reason": reason})


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RetentionPolicy",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("record_type", models.CharField(choices=[
                    ("referral_closed", "Referral closed with no further action or signposted"),
                    ("referral_police_led", "Referral passed to police-led management"),
                    ("case_not_adopted", "Channel case not adopted"),
                    ("case_exited_or_transferred", "Channel case exited or transferred"),
                    ("case_closed_otherwise", "Channel case closed for another reason"),
                    ("venue_booking", "Venue booking"), ("complaint", "Complaint"),
                    ("data_rights_request", "Data protection rights request"),
                    ("referral_draft", "Unsubmitted referral draft"),
                    ("person_without_records", "Person with no remaining records")], max_length=40)),
                ("period_months", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("effective_from", models.DateField()),
                ("reason", models.TextField(max_length=2000)),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                ("recorded_by", models.ForeignKey(blank=True, null=True,
                                                  on_delete=django.db.models.deletion.PROTECT,
                                                  related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["record_type", "-effective_from", "-pk"]},
        ),
        migrations.AddConstraint(
            model_name="retentionpolicy",
            constraint=models.UniqueConstraint(fields=("record_type", "effective_from"),
                                               name="one_retention_policy_per_type_and_day"),
        ),
        migrations.RunPython(load_defaults, migrations.RunPython.noop),
    ]
