"""Sending sealed audit events to a logically separate system (syslog, and
through it a SIEM), so the trail survives, and can be checked, outside the
application's own database (ASVS V16.4.3).

With AUDIT_FORWARD_SYSLOG set (`udp://host:514`, `tcp://host:6514` or
`unix:///dev/log`), each sealed event is sent, in chain order, as one RFC 5424
message (facility 13, "log audit"; severity notice) whose body is JSON: the
event's chain position, previous hash and hash, and the hashed fields
(chain.HASHED_FIELDS) exactly as they were hashed, so the far side can
recompute every hash and see that no position is missing. That is only what
the event already holds: ids, references and field names, never the values of
anyone's record.

The last position sent is stored (AuditForwardPosition) and moves only after
a batch was sent, so an outage of the far side delays forwarding but loses
nothing (an event may arrive twice, never not at all). The seal_audit loop and
the scheduled seal task forward after sealing; `manage.py forward_audit`
catches up by hand.
"""

import json
import logging
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .chain import HASHED_FIELDS, canonical_payload
from .models import AuditEvent, AuditForwardPosition

logger = logging.getLogger(__name__)

BATCH = 500
_PRI = 13 * 8 + 5  # facility "log audit", severity notice


def syslog_message(row: dict) -> bytes:
    """One RFC 5424 message for a sealed event (`row`: its chain fields and
    HASHED_FIELDS)."""
    values = tuple(row[field] for field in HASHED_FIELDS)
    body = json.dumps({
        "chain_position": row["chain_position"], "previous_hash": row["previous_hash"],
        "hash": row["hash"], "event": dict(zip(HASHED_FIELDS, json.loads(canonical_payload(values)),
                                               strict=True)),
    }, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    timestamp = row["occurred_at"].isoformat(timespec="microseconds")
    host = (socket.gethostname() or "-")[:255]
    return f"<{_PRI}>1 {timestamp} {host} prevent-hub - audit - {body}".encode()


class _Sender:
    def __init__(self, url: str):
        parts = urlsplit(url)
        self.scheme = parts.scheme
        if parts.scheme == "udp":
            self.sock = socket.socket(socket.AF_INET6 if ":" in (parts.hostname or "") else socket.AF_INET,
                                      socket.SOCK_DGRAM)
            self.sock.connect((parts.hostname, parts.port or 514))
        elif parts.scheme == "tcp":
            self.sock = socket.create_connection((parts.hostname, parts.port or 514), timeout=10)
        elif parts.scheme == "unix":
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self.sock.connect(parts.path)
        else:
            raise ValueError(f"AUDIT_FORWARD_SYSLOG must start udp://, tcp:// or unix://, not {url!r}")

    def send(self, message: bytes):
        if self.scheme == "tcp":
            # RFC 6587 octet counting: the message may hold any byte.
            self.sock.sendall(str(len(message)).encode() + b" " + message)
        else:
            self.sock.send(message)

    def close(self):
        self.sock.close()


def audit_forward(*, batch: int = BATCH) -> int:
    """Send every sealed event after the stored position, in chain order.
    Returns how many were sent; 0 when forwarding is off. Raises OSError if
    the far side cannot be reached (the position stays where it was)."""
    url = settings.AUDIT_FORWARD_SYSLOG
    if not url:
        return 0
    sent = 0
    sender = _Sender(url)
    try:
        while True:
            with transaction.atomic():
                # Locked, so two forwarders never send the same batch.
                position, _ = AuditForwardPosition.objects.select_for_update().get_or_create(pk=1)
                rows = list(AuditEvent.objects.filter(chain_position__gt=position.chain_position)
                            .order_by("chain_position")
                            .values("chain_position", "previous_hash", "hash", *HASHED_FIELDS)[:batch])
                for row in rows:
                    sender.send(syslog_message(row))
                if rows:
                    position.chain_position = rows[-1]["chain_position"]
                    position.forwarded_at = timezone.now()
                    position.save(update_fields=["chain_position", "forwarded_at"])
            sent += len(rows)
            if len(rows) < batch:
                return sent
    finally:
        sender.close()


def audit_forward_quietly() -> int:
    """audit_forward for the sealer: a far side that is down is logged and
    tried again next round, never a reason to stop sealing."""
    try:
        return audit_forward()
    except (OSError, ValueError):
        logger.exception("Forwarding audit events to %s failed; trying again next round",
                         settings.AUDIT_FORWARD_SYSLOG)
        return 0
