"""The chain under concurrency, rollback and retention; what events hold."""

import json
import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, connections, transaction

from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditChainHead, AuditEvent, AuditRetentionCheckpoint
from prevent_hub.audit.services import audit_event_record, audit_events_purge_before, chain_start

from .helpers import append_only_trigger_disabled, raw_sql, seal, verify, write_events


def write_event_waiting_for_the_lock(object_id):
    """One event in its own transaction.

    The SQLite test database lives in memory with a cache shared between
    connections, where a second writer gets "database table is locked" at
    once instead of waiting up to busy_timeout as it does on the SQLite file
    the service uses; so here, and only there, the writer waits and retries
    its whole transaction, which is what busy_timeout does. PostgreSQL writers
    never wait on one another (test_sealer.py) and never retry.
    """
    while True:
        try:
            return write_events(1, object_id=object_id, sealed=False)[0]
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.001)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    """Two threads, each with its own database connection, write 200 events
    each at once. On PostgreSQL they append without waiting and the sealer
    (after each commit, and here once more at the end) chains them; on SQLite
    the database's single writer seals each as it is appended."""
    per_thread = 200
    start = threading.Barrier(2)
    errors = []

    def writer(name):
        try:
            start.wait()
            for _ in range(per_thread):
                write_event_waiting_for_the_lock(name)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    seal()
    positions = list(AuditEvent.objects.order_by("chain_position").values_list("chain_position", flat=True))
    assert positions == list(range(1, 2 * per_thread + 1))
    # Both writers really did interleave, or the test proves nothing.
    writers = AuditEvent.objects.order_by("chain_position").values_list("object_id", flat=True)
    switches = sum(1 for a, b in zip(writers, writers[1:], strict=False) if a != b)
    assert switches >= 1
    assert len(set(AuditEvent.objects.values_list("previous_hash", flat=True))) == 2 * per_thread
    assert AuditChainHead.objects.get(pk=1).chain_position == 2 * per_thread
    assert verify() == (0, f"Audit trail intact: {2 * per_thread} events (#1 to #{2 * per_thread})")


@pytest.mark.django_db
def test_an_event_rolls_back_with_its_transaction():
    write_events(2)
    head_before = AuditChainHead.objects.values_list("chain_position", "hash").get(pk=1)

    class Failed(Exception):
        pass

    with pytest.raises(Failed), transaction.atomic():
        audit_event_record(action=AuditAction.UPDATE, object_type="accounts.user", object_id="1",
                           changed_fields=["email"])
        raise Failed

    assert AuditEvent.objects.count() == 2
    seal()
    assert AuditChainHead.objects.values_list("chain_position", "hash").get(pk=1) == head_before
    write_events(1)
    assert verify() == (0, "Audit trail intact: 3 events (#1 to #3)")


@pytest.mark.django_db
def test_changed_fields_are_names_never_values():
    from prevent_hub.accounts.services import user_update

    admin = UserFactory()
    subject = UserFactory(full_name="Original Name")
    with transaction.atomic():
        # Handing it a {field: value} mapping still stores only the names.
        audit_event_record(action=AuditAction.UPDATE, obj=subject, actor=admin,
                           changed_fields={"full_name": "Secret Value", "job_title": "Spy"})
    user_update(acting_user=admin, user=subject, full_name="Another Secret")

    events = list(AuditEvent.objects.order_by("sequence").values())
    assert [event["changed_fields"] for event in events] == [["full_name", "job_title"], ["full_name"]]
    stored = json.dumps(events, default=str)
    for value in ("Secret Value", "Spy", "Another Secret", "Original Name"):
        assert value not in stored


@pytest.mark.django_db
def test_retention_keeps_the_chain_verifiable():
    auditor = UserFactory()
    events = write_events(6)
    cutoff = events[3].occurred_at  # events #1-#3 are older
    removed = audit_events_purge_before(cutoff=cutoff, acting_user=auditor)

    assert removed == 3
    positions = AuditEvent.objects.order_by("chain_position").values_list("chain_position", flat=True)
    assert list(positions) == [4, 5, 6, 7]
    assert chain_start() == (4, events[2].hash)
    assert AuditRetentionCheckpoint.objects.get().events_removed == 3
    retention = AuditEvent.objects.get(chain_position=7)
    assert (retention.action, retention.details["events_removed"]) == (AuditAction.DELETE, 3)
    assert verify() == (0, "Audit trail intact: 4 events (#4 to #7)")

    # And still guarded: an edit after retention is named.
    with append_only_trigger_disabled():
        raw_sql("UPDATE {table} SET object_id = '9' WHERE chain_position = 5")
    status, message = verify()
    assert status == 1
    assert message.startswith("Audit trail broken at event #5")


@pytest.mark.django_db
def test_retention_twice_and_new_events_after_it():
    auditor = UserFactory()
    events = write_events(4)
    audit_events_purge_before(cutoff=events[1].occurred_at, acting_user=auditor)
    later = write_events(3)
    audit_events_purge_before(cutoff=later[0].occurred_at, acting_user=auditor)
    write_events(1)
    first = AuditEvent.objects.order_by("chain_position").first().chain_position
    last = AuditChainHead.objects.get(pk=1).chain_position
    assert verify() == (0, f"Audit trail intact: {last - first + 1} events (#{first} to #{last})")


@pytest.mark.django_db
def test_retention_purge_with_nothing_old_removes_nothing():
    events = write_events(2)
    assert audit_events_purge_before(cutoff=events[0].occurred_at - timedelta(days=1),
                                     acting_user=UserFactory()) == 0
    assert verify()[0] == 0
    assert not AuditRetentionCheckpoint.objects.exists()


@pytest.mark.django_db
def test_database_vendor_is_reported():
    """Which database this run checked (the suite runs on SQLite and PostgreSQL)."""
    assert connection.vendor in {"sqlite", "postgresql"}
