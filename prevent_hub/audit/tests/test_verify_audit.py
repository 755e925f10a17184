"""manage.py verify_audit: intact chains pass, every kind of tampering is named."""

from io import StringIO

import pytest
from django.core.management import call_command

from prevent_hub.audit.chain import event_hash
from prevent_hub.audit.models import AuditChainHead, AuditEvent, AuditRetentionCheckpoint
from prevent_hub.audit.services import event_values
from prevent_hub.audit.verify import audit_chain_verify

from .helpers import append_only_trigger_disabled, raw_sql, verify, write_events

pytestmark = pytest.mark.django_db


def test_an_empty_trail_is_intact():
    assert verify() == (0, "Audit trail intact: 0 events")


def test_an_untouched_trail_is_intact(django_user_model):
    from prevent_hub.accounts.tests.factories import UserFactory

    user = UserFactory()
    write_events(3, user=user, changed_fields=["email", "full_name"], details={"note": "café ✓"})
    write_events(2, object_type="", object_id="")
    assert verify() == (0, "Audit trail intact: 5 events (#1 to #5)")


def test_an_edited_row_is_named():
    events = write_events(5)
    with append_only_trigger_disabled():
        raw_sql("UPDATE {table} SET object_id = '42' WHERE sequence = %s", [events[2].pk])
    status, message = verify()
    assert status == 1
    assert message == (f"Audit trail broken at event #3 (id {events[2].pk}): "
                       "its contents do not match its hash (the row was altered)")


@pytest.mark.parametrize("column", ["occurred_at", "actor_email", "details", "changed_fields",
                                    "ip_address", "action"])
def test_every_hashed_column_is_covered(column):
    events = write_events(3, changed_fields=["email"], details={"a": 1})
    value = {
        "occurred_at": "2001-01-01 00:00:00",
        "actor_email": "someone@else.example",
        "details": '{"a": 2}',
        "changed_fields": '["email", "phone"]',
        "ip_address": "198.51.100.1",
        "action": "update",
    }[column]
    with append_only_trigger_disabled():
        raw_sql(f"UPDATE {{table}} SET {column} = %s WHERE sequence = %s",  # noqa: S608 - fixed names
                [value, events[1].pk])
    status, message = verify()
    assert status == 1
    assert message.startswith(f"Audit trail broken at event #2 (id {events[1].pk}): its contents")


def test_a_row_rewritten_with_a_fresh_hash_breaks_the_next_link():
    events = write_events(4)
    target = events[1]
    target.object_id = "42"
    forged = event_hash(target.previous_hash, event_values(target))
    with append_only_trigger_disabled():
        raw_sql("UPDATE {table} SET object_id = '42', hash = %s WHERE sequence = %s", [forged, target.pk])
    status, message = verify()
    assert status == 1
    assert message.startswith(
        f"Audit trail broken at event #3 (id {events[2].pk}): its previous_hash does not match "
        "the hash of event #2")


def test_a_deleted_middle_row_is_named():
    events = write_events(5)
    with append_only_trigger_disabled():
        raw_sql("DELETE FROM {table} WHERE sequence = %s", [events[2].pk])
    status, message = verify()
    assert status == 1
    assert message == (f"Audit trail broken at event #4 (id {events[3].pk}): "
                       "event #3 is missing (deleted)")


def test_a_truncated_tail_is_detected():
    events = write_events(5)
    with append_only_trigger_disabled():
        raw_sql("DELETE FROM {table} WHERE chain_position >= 4")
    status, message = verify()
    assert status == 1
    assert message.startswith("Audit trail broken at event #4: events #4 to #5 are missing")
    assert f"the last event is #3 (id {events[2].pk}); the tail was truncated" in message


def test_a_wholly_emptied_trail_is_detected():
    write_events(2)
    with append_only_trigger_disabled():
        raw_sql("DELETE FROM {table}")
    status, message = verify()
    assert status == 1
    assert message.startswith("Audit trail broken at event #1: events #1 to #2 are missing")


def test_a_head_that_disagrees_with_the_last_event_is_detected():
    events = write_events(3)
    AuditChainHead.objects.filter(pk=1).update(hash="f" * 64)
    status, message = verify()
    assert status == 1
    assert message == (f"Audit trail broken at event #3 (id {events[2].pk}): "
                       "its hash differs from the one the chain head recorded")


def test_the_first_broken_link_is_the_one_named():
    events = write_events(6)
    with append_only_trigger_disabled():
        raw_sql("UPDATE {table} SET object_id = '42' WHERE sequence IN (%s, %s)",
                [events[1].pk, events[4].pk])
    assert verify()[1].startswith(f"Audit trail broken at event #2 (id {events[1].pk})")


def test_a_forged_retention_checkpoint_cannot_hide_an_edit():
    """Someone edits event #2, then claims retention removed #1-#2."""
    events = write_events(4)
    with append_only_trigger_disabled():
        raw_sql("UPDATE {table} SET object_id = '42' WHERE sequence = %s", [events[1].pk])
        raw_sql("DELETE FROM {table} WHERE chain_position <= 2")
    AuditRetentionCheckpoint.objects.create(
        first_kept_position=3, anchor_hash=events[1].hash, events_removed=2)
    status, message = verify()
    assert status == 1
    assert message.startswith("Audit trail broken at event #3: no retention event in the trail "
                              "records the retention checkpoint")


def test_progress_is_reported_on_stderr():
    write_events(5)
    seen = []
    report = audit_chain_verify(progress=lambda n, last: seen.append((n, last)), progress_every=2)
    assert report.intact
    assert seen == [(2, 2), (4, 4), (5, 5)]
    out, err = StringIO(), StringIO()
    call_command("verify_audit", "--progress", stdout=out, stderr=err)
    assert err.getvalue().strip() == "Checked 5 events (up to #5)"
    assert out.getvalue().strip() == "Audit trail intact: 5 events (#1 to #5)"


def test_the_quick_hash_is_never_the_last_word(monkeypatch):
    """If the quick recomputation ever disagreed with chain.event_hash, rows
    would be checked by event_hash itself: right answers, only slower."""
    events = write_events(150)
    monkeypatch.setattr("prevent_hub.audit.verify._Hasher._quick", lambda self, row: "0" * 64)
    assert verify() == (0, "Audit trail intact: 150 events (#1 to #150)")
    with append_only_trigger_disabled():
        raw_sql("UPDATE {table} SET object_id = '42' WHERE sequence = %s", [events[120].pk])
    assert verify()[1].startswith(f"Audit trail broken at event #121 (id {events[120].pk}): its contents")


def test_verification_reads_what_the_orm_reads():
    """Both ways of recomputing a hash see the values the events were hashed with."""
    from prevent_hub.audit.verify import _Hasher, _rows

    write_events(3, changed_fields=["b", "a"], details={"z": [1, {"y": None}], "ü": "ß"})
    write_events(1, object_type="", object_id="")
    hasher = _Hasher()
    rows = list(_rows(10))
    events = list(AuditEvent.objects.order_by("chain_position"))
    assert len(rows) == len(events) == 4
    for row, event in zip(rows, events, strict=True):
        assert event_hash(event.previous_hash, event_values(event)) == event.hash
        assert hasher.orm_values(row) == event_values(event)
        assert hasher._quick(row) == event.hash
    assert audit_chain_verify().intact
