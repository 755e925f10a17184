from django.db import migrations

from prevent_hub.directory.defaults import DEFAULT_ROUTING_RULES

CONDITION_FIELDS = ("when_danger", "when_online", "when_who", "when_age")


def load_rules(apps, schema_editor):
    Contact = apps.get_model("directory", "Contact")
    RoutingRule = apps.get_model("directory", "RoutingRule")
    RoutingRuleContact = apps.get_model("directory", "RoutingRuleContact")
    contacts = {contact.key: contact for contact in Contact.objects.all()}
    for entry in DEFAULT_ROUTING_RULES:
        defaults = {
            "title": entry["title"],
            "advice": entry["advice"],
            "position": entry["position"],
            "offer": entry.get("offer", ""),
            **{field: list(entry.get(field, [])) for field in CONDITION_FIELDS},
        }
        # Never overwrite what an administrator has already edited.
        rule, created = RoutingRule.objects.get_or_create(key=entry["key"], defaults=defaults)
        if not created:
            continue
        keys = [key for key in entry["contacts"] if key in contacts]
        for position, key in enumerate(keys, start=1):
            RoutingRuleContact.objects.create(rule=rule, contact=contacts[key], position=position)


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_routing_rules")]

    operations = [migrations.RunPython(load_rules, migrations.RunPython.noop)]
