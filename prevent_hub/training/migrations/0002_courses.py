from django.db import migrations

# The courses a council starts from: the Home Office e-learning, its
# refresher and a local workshop (docs/user-guide/training.md). Training
# administrators change these, and add their own, on the courses page.
COURSES = [
    # code, name, kind, refresh months, prerequisite, renews, counts, for leads, description
    ("prevent-awareness", "Prevent awareness", "home_office", 24, None, None, True, False,
     "Home Office e-learning: what Prevent is, how people are drawn into terrorism and how to notice "
     "and share a concern."),
    ("prevent-referrals", "Prevent referrals", "home_office", 24, "prevent-awareness", None, True, True,
     "Home Office e-learning for designated safeguarding leads and Prevent leads: making a good "
     "Prevent referral. Prevent awareness first."),
    ("channel-awareness", "Channel awareness", "home_office", 24, None, None, True, False,
     "Home Office e-learning: how the Channel panel supports people, for anyone who may sit on or "
     "contribute to a panel."),
    ("prevent-refresher", "Prevent awareness refresher", "refresher", 24, "prevent-awareness",
     "prevent-awareness", True, False,
     "Keeps Prevent awareness in date for someone who has completed it before."),
    ("local-workshop", "Local Prevent workshop", "local_workshop", 36, None, None, False, False,
     "The council's own face-to-face session on local procedures. Does not replace the Home Office "
     "courses."),
]


def load(apps, schema_editor):
    course = apps.get_model("training", "Course")
    made = {}
    for position, (code, name, kind, months, prerequisite, renews, counts, leads, text) in enumerate(COURSES):
        made[code], _ = course.objects.get_or_create(code=code, defaults={
            "name": name, "kind": kind, "refresh_months": months, "counts_for_compliance": counts,
            "for_leads": leads, "description": text, "position": position,
            "prerequisite": made.get(prerequisite), "renews": made.get(renews)})


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
