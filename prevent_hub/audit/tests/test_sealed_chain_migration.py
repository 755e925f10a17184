"""Upgrading a trail chained by the old design (one locked head, the chain in
key order) to the sealer's: every stored hash stays valid, and new events
carry on after the old ones."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from prevent_hub.audit.chain import GENESIS_HASH, event_hash
from prevent_hub.audit.models import AuditAction, AuditEvent

from .helpers import seal, verify, write_events

BEFORE = [("audit", "0003_refusal_tally")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes("audit")


@pytest.mark.django_db(transaction=True)
def test_an_old_trail_verifies_after_the_upgrade_and_new_events_follow_it():
    target = latest()
    migrate(BEFORE)
    try:
        previous = GENESIS_HASH
        when = datetime.datetime(2026, 1, 5, 9, 30, tzinfo=datetime.UTC)
        with connection.cursor() as cursor:
            for sequence in (1, 2, 3):
                values = (sequence, when, None, "", None, "", "view", "people.person", str(sequence), [], {},
                          "", None, "", "")
                digest = event_hash(previous, values)
                cursor.execute(
                    "INSERT INTO audit_auditevent (sequence, occurred_at, actor_id, actor_email, "
                    "organisation_id, organisation_name, action, object_type, object_id, changed_fields, "
                    "details, request_id, ip_address, user_agent, path, previous_hash, hash) "
                    "VALUES (%s, %s, NULL, '', NULL, '', 'view', 'people.person', %s, '[]', '{}', '', NULL, "
                    "'', '', %s, %s)",
                    [sequence, when if connection.vendor == "postgresql" else str(when.replace(tzinfo=None)),
                     str(sequence), previous, digest])
                previous = digest
            cursor.execute("UPDATE audit_auditchainhead SET sequence = 3, hash = %s WHERE id = 1", [previous])
            if cursor.rowcount == 0:
                cursor.execute("INSERT INTO audit_auditchainhead (id, sequence, hash, previous_hash) "
                               "VALUES (1, 3, %s, '')", [previous])
    finally:
        migrate(target)

    assert verify() == (0, "Audit trail intact: 3 events (#1 to #3)")
    new = write_events(1, action=AuditAction.UPDATE)[0]
    seal()
    assert new.pk == 4
    assert AuditEvent.objects.get(pk=4).chain_position == 4
    assert verify() == (0, "Audit trail intact: 4 events (#1 to #4)")
