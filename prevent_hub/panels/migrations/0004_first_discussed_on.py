"""Fill in ChannelCase.first_discussed_on for decisions already recorded: the
earliest meeting that decided an item on the case, or decision taken outside
a meeting."""

from django.db import migrations


def backfill(apps, schema_editor):
    AgendaItem = apps.get_model("panels", "AgendaItem")
    OutsideMeetingDecision = apps.get_model("panels", "OutsideMeetingDecision")
    ChannelCase = apps.get_model("channel", "ChannelCase")
    first = {}
    for case_id, day in (AgendaItem.objects.exclude(decision="")
                         .values_list("case_id", "meeting__date")):
        if day and (case_id not in first or day < first[case_id]):
            first[case_id] = day
    for case_id, day in OutsideMeetingDecision.objects.values_list("case_id", "decided_on"):
        if case_id not in first or day < first[case_id]:
            first[case_id] = day
    for case_id, day in first.items():
        ChannelCase.objects.filter(pk=case_id).update(first_discussed_on=day)


class Migration(migrations.Migration):
    dependencies = [("panels", "0003_areas_deputies_apologies"), ("channel", "0011_reporting_details")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
