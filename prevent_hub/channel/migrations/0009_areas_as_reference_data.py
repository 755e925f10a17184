"""Areas become reference data: the case's area, a text copy of a panel's
area until now, points at an Area row, so renaming an area keeps its cases."""

import django.db.models.deletion
from django.db import migrations, models


def areas_from_names(apps, schema_editor):
    Area = apps.get_model("channel", "Area")
    ChannelCase = apps.get_model("channel", "ChannelCase")
    Panel = apps.get_model("panels", "Panel")
    names = set(Panel.objects.values_list("area", flat=True))
    names |= set(ChannelCase.objects.exclude(area="").values_list("area", flat=True))
    for name in sorted(names):
        area, _ = Area.objects.get_or_create(name=name)
        ChannelCase.objects.filter(area=name).update(area_ref=area)


def names_from_areas(apps, schema_editor):
    ChannelCase = apps.get_model("channel", "ChannelCase")
    for case in ChannelCase.objects.filter(area_ref__isnull=False).select_related("area_ref"):
        ChannelCase.objects.filter(pk=case.pk).update(area=case.area_ref.name)


class Migration(migrations.Migration):

    dependencies = [
        ("channel", "0008_assessment_at_exit"),
        ("panels", "0002_decisions_outside_meetings"),
    ]

    operations = [
        migrations.CreateModel(
            name="Area",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, unique=True)),
                ("is_active", models.BooleanField(default=True)),
            ],
            options={"ordering": ["name"]},
        ),
        migrations.AddField(
            model_name="channelcase",
            name="area_ref",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="cases", to="channel.area"),
        ),
        migrations.RunPython(areas_from_names, names_from_areas),
        migrations.RemoveField(model_name="channelcase", name="area"),
        migrations.RenameField(model_name="channelcase", old_name="area_ref", new_name="area"),
    ]
