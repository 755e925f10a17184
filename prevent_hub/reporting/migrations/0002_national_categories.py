"""The national release's categories, with the type-of-concern categories that
replaced the earlier ones from 1 April 2024 and what each earlier one counts
as afterwards."""

import datetime

from django.db import migrations

NEW_SCHEME = datetime.date(2024, 4, 1)
OLD_SCHEME_ENDS = datetime.date(2024, 3, 31)

CATEGORIES = {
    "sector": [
        ("education", "Education"), ("police", "Police"), ("local_authority", "Local authority"),
        ("health", "Health"), ("community", "Community"), ("friends_and_family", "Friends and family"),
        ("prisons", "Prisons"), ("probation", "Probation"), ("other", "Other"),
    ],
    "age_band": [
        ("10_or_under", "10 or under"), ("11_15", "11 to 15"), ("16_17", "16 to 17"),
        ("18_20", "18 to 20"), ("21_30", "21 to 30"), ("31_40", "31 to 40"), ("41_50", "41 to 50"),
        ("over_50", "Over 50"), ("not_known", "Not known"),
    ],
    "gender": [("male", "Male"), ("female", "Female"), ("other", "Other"), ("not_known", "Not known")],
    "gateway_outcome": [
        ("no_further_action", "No further action"), ("signposted", "Signposted to other services"),
        ("police_led", "Police-led management"), ("channel", "Proceed to Channel"),
    ],
    "consent": [
        ("given", "Consent given"), ("refused", "Consent refused"), ("withdrawn", "Consent withdrawn"),
        ("not_sought", "Consent not yet sought"),
    ],
    "ethnicity": [
        ("white", "White"), ("mixed", "Mixed or multiple ethnic groups"),
        ("asian", "Asian or Asian British"), ("black", "Black, Black British, Caribbean or African"),
        ("other", "Other ethnic group"), ("not_known", "Not known"),
    ],
    "mental_health_or_neurodiversity": [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")],
}

# (code, label, from, to, counted afterwards as)
CONCERNS = [
    ("islamist", "Islamist", None, None, None),
    ("extreme_right_wing", "Extreme right-wing", None, None, None),
    ("left_wing", "Left-wing, anarchist or single-issue", None, None, None),
    ("conflicted", "Conflicted", None, None, None),
    ("school_massacre", "School massacre", None, None, None),
    ("no_ideology_vulnerability", "No ideology or counter-terrorism risk, vulnerability present",
     None, OLD_SCHEME_ENDS, "no_ideology_other_susceptibility"),
    ("no_risk", "No risk, vulnerability or ideology present", None, OLD_SCHEME_ENDS,
     "no_ideology_identified"),
    ("high_ct_risk_no_ideology", "High counter-terrorism risk but no ideology present",
     None, OLD_SCHEME_ENDS, "no_ideology_other_susceptibility"),
    ("no_ideology_identified", "No ideology identified", NEW_SCHEME, None, None),
    ("no_ideology_other_susceptibility", "No ideology: other susceptibility", NEW_SCHEME, None, None),
    ("other", "Other", None, None, None),
]


def load(apps, schema_editor):
    ReportingCategory = apps.get_model("reporting", "ReportingCategory")
    for dimension, rows in CATEGORIES.items():
        for position, (code, label) in enumerate(rows, start=1):
            ReportingCategory.objects.update_or_create(
                dimension=dimension, code=code, defaults={"label": label, "position": position})
    made = {}
    for position, (code, label, starts, ends, _later) in enumerate(CONCERNS, start=1):
        made[code], _ = ReportingCategory.objects.update_or_create(
            dimension="concern", code=code,
            defaults={"label": label, "position": position, "effective_from": starts, "effective_to": ends})
    for code, *_rest, later in CONCERNS:
        if later:
            made[code].reports_as = made[later]
            made[code].save(update_fields=["reports_as"])


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
