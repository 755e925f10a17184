"""Appending without waiting, and the sealer that chains events afterwards
(docs/decisions/0026-audit-sealer.md)."""

import queue
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from prevent_hub.audit.context import acting_as
from prevent_hub.audit.models import AuditAction, AuditEvent, AuditTrailIsAppendOnly
from prevent_hub.audit.services import audit_event_record, audit_events_record_many

from .helpers import raw_sql, seal, verify, write_events

on_postgresql_only = pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="needs two open write transactions at once, which SQLite never allows")


class _RollBack(Exception):
    pass


class Request(threading.Thread):
    """An audited request on its own database connection: appends events in
    one transaction that stays open until it is told to commit or roll back."""

    def __init__(self, name, *, lock_timeout=None):
        super().__init__(daemon=True)
        self.label, self.lock_timeout = name, lock_timeout
        self.commands, self.answers = queue.Queue(), queue.Queue()
        self.start()

    def run(self):
        try:
            if self.lock_timeout:
                with connection.cursor() as cursor:
                    # Waiting on any lock longer than this is an error: the
                    # proof, without timing anything, that the append never
                    # waited for the other request's transaction.
                    cursor.execute(f"SET lock_timeout = '{self.lock_timeout}'")
                    cursor.execute(f"SET statement_timeout = '{self.lock_timeout}'")
            with transaction.atomic():
                while (command := self.commands.get()) == "append":
                    with acting_as(None, request_id=self.label):
                        event = audit_event_record(action=AuditAction.VIEW, object_type="accounts.user",
                                                   object_id=self.label)
                    self.answers.put(event)
                if command == "roll back":
                    raise _RollBack
            self.answers.put("committed")
        except _RollBack:
            self.answers.put("rolled back")
        except Exception as error:  # noqa: BLE001 - handed to the test thread
            self.answers.put(error)
        finally:
            connection.close()

    def do(self, command):
        self.commands.put(command)
        answer = self.answers.get(timeout=30)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def no_seal_after_commit(settings):
    """Only the test seals, so it decides what is sealed when."""
    settings.AUDIT_SEAL_AFTER_COMMIT_EVERY = 10**9


def chain():
    """(object_id, chain position) of every sealed event, in chain order."""
    return list(AuditEvent.objects.filter(chain_position__isnull=False).order_by("chain_position")
                .values_list("object_id", "chain_position"))


@on_postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_append_never_waits_for_another_requests_transaction(no_seal_after_commit):
    first, second = Request("first"), Request("second", lock_timeout="2s")
    first.do("append")
    # The first request's transaction is still open. Under the old design the
    # second append queued on the chain head's row lock until it ended.
    event = second.do("append")
    assert event.pk and event.hash is None
    assert second.do("commit") == "committed"
    assert first.do("commit") == "committed"
    assert seal() == 2
    assert verify() == (0, "Audit trail intact: 2 events (#1 to #2)")


@on_postgresql_only
@pytest.mark.django_db(transaction=True)
def test_events_committing_out_of_order_are_sealed_in_the_order_they_commit(no_seal_after_commit):
    earlier, later = Request("earlier"), Request("later")
    taken_first = earlier.do("append")
    taken_second = later.do("append")
    assert taken_first.pk < taken_second.pk
    later.do("commit")
    assert seal() == 1
    earlier.do("commit")
    assert seal() == 1
    assert chain() == [("later", 1), ("earlier", 2)]
    assert verify() == (0, "Audit trail intact: 2 events (#1 to #2)")


@on_postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_event_leaves_no_hole_in_the_chain(no_seal_after_commit):
    failed, kept = Request("failed"), Request("kept")
    failed.do("append")
    kept.do("append")
    assert failed.do("roll back") == "rolled back"
    kept.do("commit")
    write_events(1, object_id="after")
    assert chain() == [("kept", 1), ("after", 2)]
    assert verify() == (0, "Audit trail intact: 2 events (#1 to #2)")


@on_postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_late_commit_is_reported_unsealed_then_sealed_after_the_rest(no_seal_after_commit):
    slow = Request("slow")
    slow.do("append")
    write_events(2, object_id="quick")
    slow.do("commit")
    status, message = verify()
    assert status == 0
    assert message.startswith("Audit trail intact: 2 events (#1 to #2); 1 newer events not sealed "
                              "into the chain yet (the oldest ")
    assert seal() == 1
    assert chain() == [("quick", 1), ("quick", 2), ("slow", 3)]
    assert verify() == (0, "Audit trail intact: 3 events (#1 to #3)")


@pytest.mark.django_db(transaction=True)
def test_after_commit_a_request_seals_what_is_waiting(settings):
    settings.AUDIT_SEAL_AFTER_COMMIT_EVERY = 0
    event = write_events(1, sealed=False)[0]
    event.refresh_from_db()
    assert event.chain_position == 1
    assert verify() == (0, "Audit trail intact: 1 events (#1 to #1)")


@pytest.fixture
def sealing_later(settings):
    """SQLite seals at append; this makes it append unsealed as PostgreSQL
    does, so the sealer itself is tested on both databases."""
    settings.AUDIT_SEAL_AT_APPEND = False
    settings.AUDIT_SEAL_AFTER_COMMIT_EVERY = 10**9


@pytest.mark.django_db
def test_the_sealer_chains_waiting_events_in_sequence_order(sealing_later):
    events = write_events(3, sealed=False)
    assert [event.hash for event in events] == [None, None, None]
    status, message = verify()
    assert status == 0
    assert message.startswith("Audit trail intact: 0 events; 3 newer events not sealed into the chain yet")
    assert seal() == 3
    assert [(e.pk, e.chain_position) for e in AuditEvent.objects.order_by("chain_position")] == [
        (event.pk, position) for position, event in enumerate(events, start=1)]
    assert seal() == 0
    assert verify() == (0, "Audit trail intact: 3 events (#1 to #3)")


@pytest.mark.django_db
def test_verify_names_a_stalled_sealer_with_its_own_exit_status(sealing_later, settings):
    write_events(2, sealed=True)
    write_events(1, sealed=False)
    # Any wait counts as too long here, as a 5-minute wait would in service.
    settings.AUDIT_UNSEALED_ALERT_SECONDS = -1
    status, message = verify()
    assert status == 3
    assert message.startswith("Audit trail intact: 2 events (#1 to #2); 1 newer events not sealed")
    assert "check `manage.py seal_audit --loop`" in message
    seal()
    assert verify() == (0, "Audit trail intact: 3 events (#1 to #3)")


@pytest.mark.django_db
def test_bulk_events_go_in_sealed_ahead_of_those_waiting(sealing_later):
    waiting = write_events(2, sealed=False, object_id="waiting")
    with transaction.atomic():
        assert audit_events_record_many([
            {"action": AuditAction.CREATE, "object_type": "accounts.user", "object_id": str(n)}
            for n in range(3)]) == 3
    assert chain() == [("0", 1), ("1", 2), ("2", 3)]
    assert seal() == 2
    assert chain()[3:] == [("waiting", 4), ("waiting", 5)]
    assert {event.pk for event in waiting} < set(AuditEvent.objects.values_list("pk", flat=True))
    assert verify() == (0, "Audit trail intact: 5 events (#1 to #5)")


@pytest.mark.django_db
def test_seal_audit_seals_once_and_says_how_many(sealing_later):
    write_events(2, sealed=False)
    out = StringIO()
    call_command("seal_audit", stdout=out)
    assert out.getvalue().strip() == "Sealed 2 audit events"
    assert verify() == (0, "Audit trail intact: 2 events (#1 to #2)")


@pytest.mark.django_db
def test_the_database_allows_sealing_and_no_other_change(sealing_later):
    """PostgreSQL's trigger lets an unsealed event get its seal and refuses
    every other UPDATE, sealed or not; SQLite has no trigger, so there the
    model refuses, and verify_audit names what raw SQL changed."""
    unsealed, other = write_events(2, sealed=False)
    refused = [
        ("UPDATE {table} SET object_id = '999' WHERE sequence = %s", [unsealed.pk]),
        ("UPDATE {table} SET chain_position = 1 WHERE sequence = %s", [unsealed.pk]),
        ("UPDATE {table} SET chain_position = 1, previous_hash = 'a', hash = 'b', object_id = '9' "
         "WHERE sequence = %s", [unsealed.pk]),
    ]
    if connection.vendor == "postgresql":
        for sql, params in refused:
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                raw_sql(sql, params)
        assert seal() == 2
        for sql, params in [
            ("UPDATE {table} SET hash = %s WHERE sequence = %s", ["f" * 64, unsealed.pk]),
            ("UPDATE {table} SET chain_position = NULL, previous_hash = NULL, hash = NULL "
             "WHERE sequence = %s", [other.pk]),
            ("UPDATE {table} SET chain_position = 7 WHERE sequence = %s", [other.pk]),
        ]:
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                raw_sql(sql, params)
        assert verify() == (0, "Audit trail intact: 2 events (#1 to #2)")
    else:
        with pytest.raises(AuditTrailIsAppendOnly):
            AuditEvent.objects.filter(pk=unsealed.pk).update(object_id="999")
        assert seal() == 2
        raw_sql("UPDATE {table} SET chain_position = NULL, previous_hash = NULL, hash = NULL "
                "WHERE sequence = %s", [unsealed.pk])
        status, message = verify()
        assert status == 1
        assert message.startswith(f"Audit trail broken at event #2 (id {other.pk}): event #1 is missing")


@pytest.mark.django_db
def test_retention_seals_what_waits_before_it_purges(sealing_later):
    from prevent_hub.accounts.tests.factories import UserFactory
    from prevent_hub.audit.services import audit_events_purge_before

    events = write_events(4, sealed=False)
    with transaction.atomic():
        removed = audit_events_purge_before(cutoff=events[2].occurred_at, acting_user=UserFactory())
    assert removed == 2
    assert not AuditEvent.objects.filter(chain_position__isnull=True).exists()
    assert verify() == (0, "Audit trail intact: 3 events (#3 to #5)")
