"""Sealed audit events are sent to a separate log system (syslog over UDP,
TCP or a Unix socket) in chain order, resuming where forwarding stopped, with
what the far side needs to check the chain."""

import json
import socket

import pytest
from django.core.management import CommandError, call_command

from prevent_hub.audit.chain import GENESIS_HASH, HASHED_FIELDS, event_hash
from prevent_hub.audit.forwarding import audit_forward, audit_forward_quietly
from prevent_hub.audit.models import AuditAction, AuditEvent, AuditForwardPosition
from prevent_hub.audit.services import audit_chain_seal, audit_event_record

pytestmark = pytest.mark.django_db


def record(n):
    for index in range(n):
        audit_event_record(action=AuditAction.UPDATE, object_type="channel.channelcase", object_id=index,
                           changed_fields=["status"])
    audit_chain_seal()


@pytest.fixture
def udp(settings):
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(5)
    settings.AUDIT_FORWARD_SYSLOG = f"udp://127.0.0.1:{server.getsockname()[1]}"
    yield server
    server.close()


def body(message: bytes) -> dict:
    header, _, payload = message.decode().partition(" - audit - ")
    assert header.startswith("<109>1 ")  # RFC 5424, facility "log audit", severity notice
    return json.loads(payload)


def test_sealed_events_go_out_in_chain_order_with_what_checks_the_chain(udp):
    record(3)
    assert audit_forward() == 3
    received = [body(udp.recv(65536)) for _ in range(3)]
    assert [message["chain_position"] for message in received] == [1, 2, 3]
    previous = GENESIS_HASH
    for message in received:
        # The far side can recompute each hash from what it was sent.
        assert message["previous_hash"] == previous
        values = tuple(message["event"][field] for field in HASHED_FIELDS)
        assert event_hash(previous, values) == message["hash"]
        previous = message["hash"]
    assert received[0]["event"]["changed_fields"] == ["status"]
    assert AuditForwardPosition.objects.get().chain_position == 3


def test_forwarding_resumes_after_the_far_side_was_down(udp, settings):
    record(2)
    working = settings.AUDIT_FORWARD_SYSLOG
    settings.AUDIT_FORWARD_SYSLOG = "tcp://127.0.0.1:1"  # nobody listening
    assert audit_forward_quietly() == 0
    assert not AuditForwardPosition.objects.filter(chain_position__gt=0).exists()
    settings.AUDIT_FORWARD_SYSLOG = working
    assert audit_forward() == 2
    record(1)
    assert audit_forward() == 1  # only the new one
    positions = [body(udp.recv(65536))["chain_position"] for _ in range(3)]
    assert positions == [1, 2, 3]


def test_tcp_uses_octet_counting_framing(settings):
    server = socket.create_server(("127.0.0.1", 0))
    settings.AUDIT_FORWARD_SYSLOG = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    record(2)
    assert audit_forward() == 2
    conn, _ = server.accept()
    conn.settimeout(5)
    data = b""
    while data.count(b" - audit - ") < 2:
        data += conn.recv(65536)
    conn.close()
    server.close()
    length, _, rest = data.partition(b" ")
    first, second = rest[: int(length)], rest[int(length):]
    assert body(first)["chain_position"] == 1
    assert body(second.partition(b" ")[2])["chain_position"] == 2


def test_a_unix_socket(settings, tmp_path):
    path = str(tmp_path / "log")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(path)
    server.settimeout(5)
    settings.AUDIT_FORWARD_SYSLOG = f"unix://{path}"
    record(1)
    call_command("forward_audit", stdout=None)
    assert body(server.recv(65536))["hash"] == AuditEvent.objects.get().hash
    server.close()


def test_nothing_is_forwarded_when_unset(settings):
    settings.AUDIT_FORWARD_SYSLOG = ""
    record(1)
    assert audit_forward() == 0
    assert not AuditForwardPosition.objects.exists()
    with pytest.raises(CommandError, match="AUDIT_FORWARD_SYSLOG is not set"):
        call_command("forward_audit")


def test_the_sealer_forwards_what_it_seals(udp):
    audit_event_record(action=AuditAction.UPDATE, object_type="channel.channelcase", object_id=7)
    call_command("seal_audit", stdout=None)
    assert body(udp.recv(65536))["event"]["object_id"] == "7"
    assert AuditForwardPosition.objects.get().chain_position == AuditEvent.objects.get().chain_position
