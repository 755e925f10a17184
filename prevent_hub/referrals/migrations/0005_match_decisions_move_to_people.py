"""Match decisions belong to people (identifying the person is that app's
work): the model leaves referrals' state here and joins people's in
people/0005. The table and its rows stay exactly as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("referrals", "0004_submission_fingerprint"), ("people", "0004_fact_provenance")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="MatchDecision")],
            database_operations=[],
        ),
    ]
