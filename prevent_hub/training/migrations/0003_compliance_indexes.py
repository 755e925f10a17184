"""Learners' indexes hold every column the compliance rules read, so the
counts per organisation and per role read an index alone
(benchmarks/training.py measures it)."""

from django.db import migrations, models

STANDING = ["trained_until", "referrals_course_until", "left_on", "is_safeguarding_lead", "is_prevent_lead"]


class Migration(migrations.Migration):

    dependencies = [
        ("training", "0002_courses"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="learner", name="learner_by_org_trained_until"),
        migrations.RemoveIndex(model_name="learner", name="learner_by_role_trained_until"),
        migrations.AddIndex(
            model_name="learner",
            index=models.Index(fields=["organisation", *STANDING], name="learner_org_standing"),
        ),
        migrations.AddIndex(
            model_name="learner",
            index=models.Index(fields=["job_role", *STANDING], name="learner_role_standing"),
        ),
    ]
