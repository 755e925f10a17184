"""Writing and tampering with audit events in tests."""

from contextlib import contextmanager
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection, transaction

from prevent_hub.audit.context import acting_as
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.audit.services import audit_chain_seal, audit_event_record

TABLE = AuditEvent._meta.db_table
TRIGGER = "audit_event_append_only"


def write_events(count, *, user=None, action=AuditAction.VIEW, object_type="accounts.user",
                 object_id="1", sealed=True, **fields):
    """`count` events through the real write path, each in its own
    transaction, then sealed into the chain (unless `sealed=False`): see seal()."""
    events = []
    with acting_as(user, ip_address="192.0.2.10", request_id="test-request", path="/staff/test/"):
        for _ in range(count):
            with transaction.atomic():
                events.append(audit_event_record(
                    action=action, object_type=object_type, object_id=object_id, **fields))
    if sealed:
        seal()
        for event in events:
            event.refresh_from_db(fields=["chain_position", "previous_hash", "hash"])
    return events


def seal():
    """Seal every event waiting, as the sealer would within a second or so.

    On PostgreSQL events are appended unsealed and sealed after their
    transaction commits; a test's transaction never commits, so tests that
    look at the chain seal first. (SQLite seals at append already; this then
    finds nothing to do.) Returns how many were sealed."""
    return audit_chain_seal()


def verify():
    """(exit status, message) of `manage.py verify_audit`."""
    out = StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=StringIO())
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue().strip()


@contextmanager
def append_only_trigger_disabled():
    """Let raw SQL change audit rows, as an attacker with database access could.

    Only PostgreSQL has the trigger; ALTER TABLE is transactional there, so a
    failing test cannot leave it disabled either.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")


def raw_sql(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", TABLE), params)
        return cursor.rowcount
