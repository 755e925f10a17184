"""Audit events are never changed or deleted, except by retention."""

import pytest
from django.db import DatabaseError, connection, transaction

from prevent_hub.audit.models import AuditDeletionPermit, AuditEvent, AuditTrailIsAppendOnly

from .helpers import raw_sql, verify, write_events

pytestmark = pytest.mark.django_db


def test_saving_an_existing_event_is_refused():
    event = write_events(1)[0]
    event.object_id = "999"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).object_id == "1"


def test_deleting_an_event_is_refused():
    event = write_events(1)[0]
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused():
    write_events(3)
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().update(object_id="999")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(sequence=2).delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 3
    assert set(AuditEvent.objects.values_list("object_id", flat=True)) == {"1"}


def test_raw_sql_update_and_delete():
    """PostgreSQL refuses at the database, whoever asks; SQLite has no such
    trigger, so there the change goes through and verify_audit catches it."""
    events = write_events(3)
    target = events[1]
    if connection.vendor == "postgresql":
        for sql in ("UPDATE {table} SET object_id = '999' WHERE sequence = %s",
                    "DELETE FROM {table} WHERE sequence = %s"):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                raw_sql(sql, [target.pk])
        assert AuditEvent.objects.get(pk=target.pk).object_id == "1"
        assert AuditEvent.objects.count() == 3
        assert verify()[0] == 0
    else:
        assert raw_sql("UPDATE {table} SET object_id = '999' WHERE sequence = %s", [target.pk]) == 1
        status, message = verify()
        assert status == 1
        assert message.startswith(f"Audit trail broken at event #{target.sequence} (id {target.pk})")


def test_on_postgresql_only_a_deletion_permit_lets_rows_go():
    """The retention path's permit opens deletion (not updating) for its own
    transaction; without it every database refuses through the model."""
    events = write_events(2)
    if connection.vendor == "postgresql":
        with transaction.atomic():
            AuditDeletionPermit.objects.create()
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                raw_sql("UPDATE {table} SET object_id = '999' WHERE sequence = %s", [events[0].pk])
            assert raw_sql("DELETE FROM {table} WHERE sequence = %s", [events[0].pk]) == 1
            AuditDeletionPermit.objects.all().delete()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw_sql("DELETE FROM {table} WHERE sequence = %s", [events[1].pk])
        assert list(AuditEvent.objects.values_list("pk", flat=True)) == [events[1].pk]
    else:
        with pytest.raises(AuditTrailIsAppendOnly):
            AuditEvent.objects.filter(pk=events[0].pk).delete()
        assert AuditEvent.objects.count() == 2
