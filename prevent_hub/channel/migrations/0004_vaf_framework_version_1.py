"""Version 1 of the Vulnerability Assessment Framework's wording: three
dimensions and 22 factors, after the Home Office guidance. Administrators can
publish new wording as a new version; assessments keep the version they used."""

from django.db import migrations
from django.utils import timezone

DIMENSIONS = [
    ("engagement", "Engagement with a group, cause or ideology", [
        ("grievance-injustice", "Feelings of grievance and injustice"),
        ("feeling-under-threat", "Feeling under threat"),
        ("identity-meaning-belonging", "A need for identity, meaning and belonging"),
        ("desire-for-status", "A desire for status"),
        ("excitement-adventure", "A desire for excitement and adventure"),
        ("dominate-control", "A need to dominate and control others"),
        ("susceptibility-indoctrination", "Susceptibility to indoctrination"),
        ("political-moral-change", "A desire for political or moral change"),
        ("opportunistic-involvement", "Opportunistic involvement"),
        ("family-friends-involved", "Family or friends involved in extremism"),
        ("transitional-time", "Being at a transitional time of life"),
        ("influenced-controlled", "Being influenced or controlled by a group"),
        ("mental-health", "Relevant mental health issues"),
    ]),
    ("intent", "Intent to cause harm", [
        ("over-identification", "Over-identification with a group or ideology"),
        ("them-and-us", "‘Them and us’ thinking"),
        ("dehumanisation", "Dehumanisation of the enemy"),
        ("attitudes-justify-offending", "Attitudes that justify offending"),
        ("harmful-means", "Harmful means to an end"),
        ("harmful-objectives", "Harmful objectives"),
    ]),
    ("capability", "Capability to cause harm", [
        ("knowledge-skills", "Individual knowledge, skills and competencies"),
        ("networks-funding-equipment", "Access to networks, funding or equipment"),
        ("criminal-capability", "Criminal capability"),
    ]),
]


def load(apps, schema_editor):
    VafFramework = apps.get_model("channel", "VafFramework")
    VafDimension = apps.get_model("channel", "VafDimension")
    VafFactor = apps.get_model("channel", "VafFactor")
    if VafFramework.objects.exists():
        return
    framework = VafFramework.objects.create(
        version=1, published_at=timezone.now(),
        notes="Wording shipped with Prevent Hub. Check it against the current Home Office guidance.",
    )
    for position, (key, name, factors) in enumerate(DIMENSIONS, start=1):
        dimension = VafDimension.objects.create(framework=framework, key=key, name=name, position=position)
        for factor_position, (factor_key, wording) in enumerate(factors, start=1):
            VafFactor.objects.create(dimension=dimension, key=factor_key, wording=wording,
                                     position=factor_position)


class Migration(migrations.Migration):
    dependencies = [("channel", "0003_case_management")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
