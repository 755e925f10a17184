"""Events are appended unsealed and sealed later (docs/decisions/0026).

- `sequence` becomes an identity (PostgreSQL) / AUTOINCREMENT (SQLite) key,
  taken without a lock; PostgreSQL's sequence starts after the last event.
- `chain_position` is the order of the chain. Every existing event was
  chained in sequence order, so it gets chain_position = sequence, and every
  stored hash stays valid (the hash covers `sequence`, as before).
- `previous_hash`/`hash` may be NULL: not sealed yet.
- The trigger refuses every UPDATE except sealing an unsealed row.

On a large trail the UPDATE that numbers existing events rewrites every row
(minutes for tens of millions of events): plan the upgrade for a quiet hour.
"""

from django.db import migrations, models

# The one UPDATE allowed is sealing: an unsealed event gets its chain
# position and both hashes, and nothing else about it changes. Everything
# else is refused, whoever asks, as before; DELETE still needs the retention
# path's deletion permit in the same transaction.
CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_auditdeletionpermit) THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE'
       AND OLD.chain_position IS NULL AND OLD.previous_hash IS NULL AND OLD.hash IS NULL
       AND NEW.chain_position IS NOT NULL AND NEW.previous_hash IS NOT NULL AND NEW.hash IS NOT NULL
       AND (to_jsonb(NEW) - 'chain_position' - 'previous_hash' - 'hash')
           = (to_jsonb(OLD) - 'chain_position' - 'previous_hash' - 'hash') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""

OLD_TRIGGER = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_auditdeletionpermit) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)
    return run


# Django adds the identity but starts it at 1: the next append would clash
# with event #1. Carry on after the last event instead.
CONTINUE_KEYS = """
SELECT setval(pg_get_serial_sequence('audit_auditevent', 'sequence'),
              coalesce(max(sequence), 0) + 1, false)
FROM audit_auditevent
"""


def number_existing_events(apps, schema_editor):
    schema_editor.execute("UPDATE audit_auditevent SET chain_position = sequence", params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_refusal_tally")]

    operations = [
        migrations.RunPython(_on_postgresql(DROP_TRIGGER), _on_postgresql(OLD_TRIGGER)),
        migrations.AlterField(
            model_name="auditevent", name="sequence",
            field=models.BigAutoField(editable=False, primary_key=True, serialize=False),
        ),
        migrations.RunPython(_on_postgresql(CONTINUE_KEYS), migrations.RunPython.noop),
        migrations.AddField(
            model_name="auditevent", name="chain_position",
            field=models.BigIntegerField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent", name="previous_hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="auditevent", name="hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.RunPython(number_existing_events, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(condition=models.Q(chain_position__isnull=True), fields=["sequence"],
                               name="audit_unsealed"),
        ),
        migrations.RenameField(model_name="auditchainhead", old_name="sequence", new_name="chain_position"),
        migrations.RenameField(model_name="auditretentioncheckpoint", old_name="first_kept_sequence",
                               new_name="first_kept_position"),
        migrations.AlterModelOptions(name="auditretentioncheckpoint",
                                     options={"ordering": ["-first_kept_position"]}),
        migrations.RunPython(_on_postgresql(CREATE_TRIGGER), _on_postgresql(DROP_TRIGGER)),
    ]
