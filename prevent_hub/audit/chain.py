"""How an audit event is hashed. Changing this breaks every stored chain."""

import hashlib
import json

GENESIS_HASH = "0" * 64

# The fields an event's hash covers, in order.
HASHED_FIELDS = (
    "sequence", "occurred_at", "actor_id", "actor_email", "organisation_id",
    "organisation_name", "action", "object_type", "object_id", "changed_fields",
    "details", "request_id", "ip_address", "user_agent", "path",
)


def canonical_payload(values: tuple) -> str:
    """The hashed fields as compact JSON, keys sorted, times in ISO form."""
    canonical = [
        value.isoformat(timespec="microseconds") if hasattr(value, "isoformat") else value
        for value in values
    ]
    return json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(previous_hash: str, values: tuple) -> str:
    """sha256 over the previous hash and the event's hashed fields."""
    return hashlib.sha256(f"{previous_hash}\n{canonical_payload(values)}".encode()).hexdigest()

