"""Loading a trail that already happened (audit_events_load, used by
generate_synthetic): the loaded events join the same chain, and verify_audit
cannot tell them from appended ones."""

import datetime

import pytest
from django.utils import timezone

from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.audit.services import audit_event_record, audit_events_load
from prevent_hub.audit.verify import audit_chain_verify

from .helpers import seal

pytestmark = pytest.mark.django_db


def loaded_rows(count, start):
    for index in range(count):
        yield (start + datetime.timedelta(seconds=index, microseconds=(index % 2) * 123), None,
               "auditor@example.invalid", None, "", AuditAction.VIEW, "channel.channelcase", index,
               ["plan", "consent"] if index % 3 else [], {"query": "Exampleton é"} if index % 5 else {},
               "", "192.0.2.7" if index % 2 else None, "Benchmark browser", f"/staff/cases/{index}/")


def test_loaded_events_extend_the_chain_in_batches_and_verify():
    audit_event_record(action=AuditAction.VIEW, object_type="people.person", object_id="1")
    start = timezone.now() - datetime.timedelta(days=3)
    batches = []

    assert audit_events_load(loaded_rows(2500, start), batch_size=1000, progress=batches.append) == 2500
    audit_event_record(action=AuditAction.VIEW, object_type="people.person", object_id="2")

    assert batches == [1000, 2000, 2500]
    seal()
    report = audit_chain_verify()
    assert report.intact, report.message()
    assert report.events == 2502
    loaded = AuditEvent.objects.filter(object_type="channel.channelcase")
    second = loaded.get(object_id="1")
    assert second.changed_fields == ["consent", "plan"]
    assert second.details == {"query": "Exampleton é"}
    assert second.ip_address == "192.0.2.7"
    assert second.occurred_at == start + datetime.timedelta(seconds=1, microseconds=123)
    assert loaded.get(object_id="0").ip_address is None
    # Loaded in the order given, one after another in the chain.
    positions = list(loaded.order_by("sequence").values_list("chain_position", flat=True))
    assert positions == list(range(positions[0], positions[0] + 2500))

