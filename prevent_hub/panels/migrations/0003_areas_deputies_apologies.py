"""A panel's area and a police representative's area point at the channel
Area rows (reference data); panels gain deputy chairs; attendance records
apologies and who deputised for whom."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def areas_from_names(apps, schema_editor):
    Area = apps.get_model("channel", "Area")
    Panel = apps.get_model("panels", "Panel")
    Attendance = apps.get_model("panels", "Attendance")
    for panel in Panel.objects.all():
        panel.area_ref, _ = Area.objects.get_or_create(name=panel.area)
        panel.save(update_fields=["area_ref"])
    for name in Attendance.objects.exclude(police_area="").values_list("police_area", flat=True).distinct():
        area, _ = Area.objects.get_or_create(name=name)
        Attendance.objects.filter(police_area=name).update(police_area_ref=area)


def names_from_areas(apps, schema_editor):
    Panel = apps.get_model("panels", "Panel")
    Attendance = apps.get_model("panels", "Attendance")
    for panel in Panel.objects.select_related("area_ref"):
        Panel.objects.filter(pk=panel.pk).update(area=panel.area_ref.name)
    for row in Attendance.objects.filter(police_area_ref__isnull=False).select_related("police_area_ref"):
        Attendance.objects.filter(pk=row.pk).update(police_area=row.police_area_ref.name)


class Migration(migrations.Migration):

    dependencies = [
        ("channel", "0009_areas_as_reference_data"),
        ("panels", "0002_decisions_outside_meetings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="panel",
            name="area_ref",
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT,
                                       related_name="panel", to="channel.area"),
        ),
        migrations.AddField(
            model_name="attendance",
            name="police_area_ref",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="channel.area"),
        ),
        # Relaxed first so that, migrating back, the text column can be re-added
        # to existing rows and filled before it is unique again.
        migrations.AlterField(model_name="panel", name="area",
                              field=models.CharField(max_length=100, blank=True, default="")),
        migrations.RunPython(areas_from_names, names_from_areas),
        migrations.RemoveField(model_name="panel", name="area"),
        migrations.RemoveField(model_name="attendance", name="police_area"),
        migrations.RenameField(model_name="panel", old_name="area_ref", new_name="area"),
        migrations.RenameField(model_name="attendance", old_name="police_area_ref", new_name="police_area"),
        migrations.AlterField(
            model_name="panel",
            name="area",
            field=models.OneToOneField(help_text="The area the panel serves.",
                                       on_delete=django.db.models.deletion.PROTECT, related_name="panel",
                                       to="channel.area"),
        ),
        migrations.AddField(
            model_name="panel",
            name="deputy_chairs",
            field=models.ManyToManyField(blank=True, related_name="panels_deputy_chaired",
                                         to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="attendance",
            name="apologies",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="attendance",
            name="deputy_for",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="deputies", to="panels.attendance"),
        ),
    ]
