"""Match decisions, moved here from referrals (referrals/0005): state only;
the table keeps its name (referrals_matchdecision), its rows and constraint."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_fact_provenance"),
        ("referrals", "0005_match_decisions_move_to_people"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MatchDecision",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("answer", models.CharField(choices=[("confirmed", "Same person"),
                                                             ("rejected", "Not the same person")],
                                                    max_length=10)),
                        ("decided_at", models.DateTimeField()),
                        ("decided_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                         related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("person", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                     related_name="+", to="people.person")),
                        ("referral", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                       related_name="match_decisions",
                                                       to="referrals.referral")),
                    ],
                    options={
                        "db_table": "referrals_matchdecision",
                        "constraints": [models.UniqueConstraint(fields=("referral", "person"),
                                                                name="one_match_decision_per_person")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
