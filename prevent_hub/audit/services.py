"""Writing the audit trail. Call these inside the transaction of the action
being recorded: if the action rolls back, so does its audit event."""

import datetime
import json
import time
from hashlib import sha256

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from . import context
from .chain import GENESIS_HASH, HASHED_FIELDS, event_hash
from .models import (
    AuditAction,
    AuditChainHead,
    AuditDeletionPermit,
    AuditEvent,
    AuditRetentionCheckpoint,
    RefusalTally,
)

_IP_FIELD = AuditEvent._meta.get_field("ip_address")


def object_type_of(obj) -> str:
    return obj._meta.label_lower if obj is not None else ""


def audit_event_record(
    *,
    action: AuditAction,
    obj=None,
    object_type: str = "",
    object_id: str | int = "",
    changed_fields=(),
    details: dict | None = None,
    actor=None,
) -> AuditEvent:
    """Append one event to the chain, now, in the caller's transaction.

    `obj` (a model instance) or `object_type`/`object_id` say which record.
    `changed_fields` are field names only: values never enter the trail.
    The acting user and request facts come from the audit context unless
    `actor` is given (e.g. a failed sign-in, where nobody is signed in yet).
    """
    event = _event(action=action, obj=obj, object_type=object_type, object_id=object_id,
                   changed_fields=changed_fields, details=details, actor=actor)
    with transaction.atomic(savepoint=False):
        _append(event)
    return event


def audit_read(
    *, action: AuditAction, obj=None, object_type: str = "", object_id: str | int = "",
    details: dict | None = None,
) -> AuditEvent:
    """Record a read: a view, search, export or download of personal data.

    During a request, and outside any transaction, the event is written just
    before the response leaves the server, inside the session update's own
    transaction (accounts.middleware.SessionMiddleware and models.Session):
    no extra commit on every record page. If that write fails, the response
    becomes an error page, so nothing is shown without its audit event.
    Anywhere else (commands, tasks, inside a transaction) it is written at once.
    """
    page = context.current().page
    if page is not None:
        if page["part"] and action == AuditAction.VIEW:
            details = {"part": page["part"], **(details or {})}
        page["viewed"].add((object_type or object_type_of(obj),
                            str(object_id or (obj.pk if obj is not None else ""))))
    event = _event(action=action, obj=obj, object_type=object_type, object_id=object_id,
                   details=details)
    pending = context.current().pending
    if pending is not None and not connection.in_atomic_block:
        pending.append(event)
    else:
        with transaction.atomic(savepoint=False):
            _append(event)
    return event


def audit_security_event(*, action: AuditAction, details: dict, obj=None) -> AuditEvent:
    """A security event that must outlive the caller's transaction (an upload
    refused for malware is refused by raising, which rolls back the service
    that checked it). During a request it waits with the request's reads and
    is written as the response leaves (see audit_read); anywhere else, at once."""
    event = _event(action=action, obj=obj, object_type="", object_id="", details=details)
    pending = context.current().pending
    if pending is not None:
        pending.append(event)
    else:
        with transaction.atomic(savepoint=False):
            _append(event)
    return event


def audit_pending_write(pending: list) -> None:
    """Write the reads a request recorded (see audit_read), inside the caller's
    transaction. The list empties only once that transaction commits, so a
    rolled-back attempt leaves them to be written again."""
    for event in pending:
        _append(event)
    transaction.on_commit(pending.clear)


def _event(*, action, obj, object_type, object_id, changed_fields=(), details=None, actor=None):
    request = context.current()
    actor = actor if actor is not None else request.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    organisation = getattr(actor, "organisation", None) if actor else None
    if request.details:
        details = {**request.details, **(details or {})}
    return AuditEvent(
        occurred_at=timezone.now(),
        actor=actor,
        actor_email=actor.email if actor else "",
        organisation_id=organisation.pk if organisation else None,
        organisation_name=organisation.name if organisation else "",
        action=action,
        object_type=object_type or object_type_of(obj),
        object_id=str(object_id or (obj.pk if obj is not None else "")),
        changed_fields=sorted(changed_fields),
        # Round-trip so the hash covers exactly what the database returns.
        details=json.loads(json.dumps(details or {}, default=str)),
        request_id=request.request_id,
        ip_address=_IP_FIELD.to_python(request.ip_address),
        user_agent=(request.user_agent or "")[:300],
        path=(request.path or "")[:300],
    )


# Every audited page view writes an event, so the write is plain SQL: building
# the statements through the ORM costs several times more than running them,
# and each statement is a round trip to the database (see docs/benchmarks.md,
# "Cost of auditing a record view").
_EVENT_TABLE = AuditEvent._meta.db_table
_HEAD_TABLE = AuditChainHead._meta.db_table
_EVENT_FIELDS = [
    AuditEvent._meta.get_field(name)
    for name in ("sequence", "occurred_at", "actor", "actor_email", "organisation_id",
                 "organisation_name", "action", "object_type", "object_id", "changed_fields",
                 "details", "request_id", "ip_address", "user_agent", "path", "chain_position",
                 "previous_hash", "hash")
]
# What an append writes: everything but the key (the database gives it) and
# the seal (the sealer adds it).
_UNSEALED_FIELDS = _EVENT_FIELDS[1:-3]
_SEAL_FIELDS = ("chain_position", "previous_hash", "hash")

# One INSERT, no lock on anything shared: concurrent appends never wait on one
# another (docs/decisions/0026-audit-sealer.md).
_APPEND = (
    f"INSERT INTO {_EVENT_TABLE} ({', '.join(field.column for field in _UNSEALED_FIELDS)}) "  # noqa: S608
    f"VALUES ({', '.join(['%s'] * len(_UNSEALED_FIELDS))}) RETURNING sequence"
)
_ALL_COLUMNS = ", ".join(field.column for field in _EVENT_FIELDS)
_INSERT_SEALED = (
    f"INSERT INTO {_EVENT_TABLE} ({_ALL_COLUMNS}) "  # noqa: S608
    f"VALUES ({', '.join(['%s'] * len(_EVENT_FIELDS))})"
)
_HEAD = f"SELECT chain_position, hash FROM {_HEAD_TABLE} WHERE id = 1"  # noqa: S608
_HEAD_LOCKED = _HEAD + " FOR UPDATE"
_MOVE_HEAD = (
    f"UPDATE {_HEAD_TABLE} SET chain_position = %s, previous_hash = %s, hash = %s WHERE id = 1"  # noqa: S608
)
_SEAL_ONE = (
    f"UPDATE {_EVENT_TABLE} SET chain_position = %s, previous_hash = %s, hash = %s "  # noqa: S608
    "WHERE sequence = %s AND chain_position IS NULL"
)
_SEAL_MANY_POSTGRESQL = (
    f"UPDATE {_EVENT_TABLE} AS event SET chain_position = seal.position, "  # noqa: S608
    "previous_hash = seal.previous_hash, hash = seal.hash "
    "FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[]) "
    "AS seal(sequence, position, previous_hash, hash) "
    "WHERE event.sequence = seal.sequence AND event.chain_position IS NULL"
)
# Any constant will do, as long as nothing else in the database uses it.
SEALER_LOCK = 2_026_0026
_SEAL_BATCH = 5000


def _append(event):
    if getattr(settings, "AUDIT_BENCHMARK_SKIP_WRITES", False):
        # Benchmarks only (config/settings/benchmark.py): the same page without
        # its audit write, the baseline that "audit overhead" is measured against.
        return
    with connection.cursor() as cursor:
        event.sequence = _insert(cursor, event)
        if _seals_at_append():
            _seal_one(cursor, event)
        else:
            # Within seconds, by whichever comes first: this (at most once a
            # second per process, and never waiting for another sealer), the
            # seal_audit loop, or the scheduled seal task.
            transaction.on_commit(_seal_after_commit, robust=True)
    event._state.adding = False
    event._state.db = connection.alias


def _insert(cursor, event) -> int:
    cursor.execute(_APPEND, [field.get_db_prep_save(getattr(event, field.attname), connection)
                             for field in _UNSEALED_FIELDS])
    return cursor.fetchone()[0]


def _seals_at_append() -> bool:
    """SQLite already lets one writer at a time in, so there the event is
    sealed in its own transaction and is never seen unsealed. On PostgreSQL
    that would bring back the queue this design removes."""
    return connection.vendor == "sqlite" and getattr(settings, "AUDIT_SEAL_AT_APPEND", True)


def _seal_one(cursor, event):
    """Seal `event`, just appended in this (SQLite) write transaction, hashing
    the values Python holds (chain.event_hash; verify_audit recomputes them
    from the stored row and finds the same)."""
    position, previous = _head(cursor)
    event.chain_position, event.previous_hash = position + 1, previous
    event.hash = event_hash(previous, event_values(event))
    cursor.execute(_SEAL_ONE, [event.chain_position, event.previous_hash, event.hash, event.sequence])
    cursor.execute(_MOVE_HEAD, [event.chain_position, previous, event.hash])


def _head(cursor, *, lock=False):
    cursor.execute(_HEAD_LOCKED if lock and connection.vendor == "postgresql" else _HEAD)
    row = cursor.fetchone()
    if row is None:
        _create_chain_head()
        return _head(cursor, lock=lock)
    return row


def _create_chain_head():
    # Only on an empty trail (a migration creates the row; a test flush may
    # remove it). If events existed, chain position 1 would clash loudly.
    AuditChainHead.objects.get_or_create(pk=1, defaults={"chain_position": 0, "hash": GENESIS_HASH})


_last_seal_after_commit = 0.0


def _seal_after_commit():
    global _last_seal_after_commit  # noqa: PLW0603 - one timestamp per process, races harmless
    now = time.monotonic()
    if now - _last_seal_after_commit < getattr(settings, "AUDIT_SEAL_AFTER_COMMIT_EVERY", 1.0):
        return
    _last_seal_after_commit = now
    audit_chain_seal(wait=False)


def audit_chain_seal(*, wait: bool = True, batch: int = _SEAL_BATCH) -> int:
    """Extend the hash chain over every committed unsealed event; returns how
    many were sealed.

    Unsealed events are taken in sequence order, a batch at a time, each
    batch in its own transaction; each event gets the next chain position,
    the hash of the event before it in the chain and its own hash
    (chain.event_hash over the stored values). Sequence values can commit out
    of order, so an event that commits after later ones were sealed is simply
    sealed in a later batch: the chain's order is seal order. Only sealers
    (and the bulk paths and retention, which extend the chain themselves)
    take the sealer lock; with `wait=False` a sealer that finds it taken
    returns at once, since the holder will seal what is there.
    """
    sealed = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            if not _sealer_lock(cursor, wait=wait):
                return sealed
            done = _seal_batch(cursor, batch)
        sealed += done
        if done < batch:
            return sealed


def _sealer_lock(cursor, *, wait: bool) -> bool:
    """Held until the transaction ends. SQLite needs none: a write transaction
    there already excludes every other writer."""
    if connection.vendor != "postgresql":
        return True
    if wait:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEALER_LOCK])
        return True
    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEALER_LOCK])
    return cursor.fetchone()[0]


def _seal_batch(cursor, limit: int) -> int:
    """Seal up to `limit` unsealed events (the caller holds the sealer lock)."""
    # On this connection, whatever a database router would choose: the seal
    # must hash the rows it is about to update, never a replica's copy.
    rows = list(AuditEvent.objects.using(connection.alias).filter(chain_position__isnull=True)
                .order_by("sequence").values_list(*HASHED_FIELDS)[:limit])
    if not rows:
        return 0
    position, previous = _head(cursor, lock=True)
    sequences, positions, previous_hashes, hashes = [], [], [], []
    for values in rows:
        position += 1
        digest = event_hash(previous, values)
        sequences.append(values[0])
        positions.append(position)
        previous_hashes.append(previous)
        hashes.append(digest)
        previous = digest
    if connection.vendor == "postgresql":
        cursor.execute(_SEAL_MANY_POSTGRESQL, [sequences, positions, previous_hashes, hashes])
    else:
        cursor.executemany(_SEAL_ONE, list(zip(positions, previous_hashes, hashes, sequences, strict=True)))
    if cursor.rowcount != len(rows) and connection.vendor == "postgresql":
        # Another sealer without the lock would have to exist: refuse rather
        # than leave a head that names positions nobody holds.
        raise RuntimeError("audit events changed while they were being sealed")
    cursor.execute(_MOVE_HEAD, [position, previous_hashes[-1], hashes[-1]])
    return len(rows)


def event_values(event) -> tuple:
    return tuple(getattr(event, field) for field in HASHED_FIELDS)


def audit_view(obj, **details):
    """Record that the current user saw `obj` (see audit_read)."""
    return audit_read(action=AuditAction.VIEW, obj=obj, details=details or None)


def audit_page_view(declared, kwargs) -> None:
    """The view event of a page that declared the record it shows (audit.shows),
    unless the view recorded its own read of that record."""
    page = context.current().page
    if declared.many:
        # A list page writes its own search event, and none while it lists
        # nothing (an empty search form): there is no one record to name.
        return
    value = kwargs.get(declared.kwarg)
    if value is None:
        return
    object_id = str(value)
    if declared.lookup != "pk":
        model = apps.get_model(declared.record)
        object_id = str(model._default_manager.filter(**{declared.lookup: value})
                        .values_list("pk", flat=True).first() or value)
    if (declared.record, object_id) in page["viewed"]:
        return
    audit_read(action=AuditAction.VIEW, object_type=declared.record, object_id=object_id)


def audit_permission_denied(*, action, obj=None):
    """A refused attempt, recorded even though the request goes no further."""
    audit_refusal(status=403, obj=obj, details={"needed": str(action)})


def audit_refusal(*, status: int, obj=None, object_type: str = "", object_id="", details=None):
    """A refused look-up (403, or 404 from a record URL), with flood control.

    The first refusal a client gets in a minute is written at once. Later ones
    in that minute are only counted (RefusalTally), and written as one event
    when the minute is over (audit_refusal_tallies_write, run every minute and
    at the client's next refusal), so hammering bad ids or tokens costs the
    trail one event a minute instead of one a request.
    """
    request = context.current()
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    who = f"user:{user.pk}" if user else f"address:{request.ip_address or 'unknown'}"
    client = f"{status}|{who}"
    minute = _minute(time.time())
    details = {"status": status, **(details or {})}
    with transaction.atomic():
        _refusal_tallies_write(RefusalTally.objects.filter(client=client, minute__lt=minute))
        tally, created = RefusalTally.objects.get_or_create(
            client=client, minute=minute,
            defaults={"user": user, "ip_address": request.ip_address, "status": status},
        )
        if created:
            audit_event_record(action=AuditAction.PERMISSION_DENIED, obj=obj,
                               object_type=object_type, object_id=object_id, details=details)
        else:
            RefusalTally.objects.filter(pk=tally.pk).update(
                count=F("count") + 1, last_path=(request.path or "")[:300])


def audit_refusal_tallies_write(*, now: float | None = None) -> int:
    """Write the counted refusals of every minute that is over (one event per
    client and minute) and forget the tallies. Returns how many were written."""
    minute = _minute(time.time() if now is None else now)
    with transaction.atomic():
        return _refusal_tallies_write(RefusalTally.objects.filter(minute__lt=minute))


def _minute(seconds: float) -> int:
    return int(seconds // 60)


def _refusal_tallies_write(tallies) -> int:
    written = 0
    for tally in tallies.select_related("user").select_for_update(of=("self",)):
        if tally.count:
            with context.acting_as(tally.user, ip_address=tally.ip_address,
                                   path=tally.last_path):
                audit_event_record(
                    action=AuditAction.PERMISSION_DENIED,
                    details={"status": tally.status, "refusals_counted": tally.count,
                             "minute_starting": datetime.datetime.fromtimestamp(
                                 tally.minute * 60, tz=datetime.UTC).isoformat()},
                )
            written += 1
        tally.delete()
    return written


@transaction.atomic
def audit_events_purge_before(*, cutoff, acting_user) -> int:
    """The one path that deletes audit events: retention.

    Seals what is waiting, deletes every sealed event from the start of the
    chain to the last one that occurred before `cutoff`, records where the
    surviving chain now starts (so verify_audit can check it from there) and
    writes an audit event saying so, sealed before this commits so the chain
    itself vouches for the checkpoint. Holds the sealer lock throughout.
    """
    with connection.cursor() as cursor:
        _sealer_lock(cursor, wait=True)
        while _seal_batch(cursor, _SEAL_BATCH) == _SEAL_BATCH:
            pass
    doomed = AuditEvent.objects.filter(occurred_at__lt=cutoff, chain_position__isnull=False)
    last_doomed = doomed.order_by("-chain_position").values("chain_position", "hash").first()
    if last_doomed is None:
        return 0
    count = doomed.count()
    AuditRetentionCheckpoint.objects.create(
        first_kept_position=last_doomed["chain_position"] + 1,
        anchor_hash=last_doomed["hash"],
        events_removed=count,
    )
    permit = AuditDeletionPermit.objects.create()
    AuditEvent.objects.filter(chain_position__lte=last_doomed["chain_position"])._purge()
    permit.delete()
    audit_event_record(
        action=AuditAction.DELETE, object_type="audit.auditevent", actor=acting_user,
        details={"retention_cutoff": cutoff.isoformat(), "events_removed": count},
    )
    with connection.cursor() as cursor:
        _seal_batch(cursor, _SEAL_BATCH)
    return count


def chain_start():
    """(first chain position, hash it must follow) for verifying the chain."""
    checkpoint = AuditRetentionCheckpoint.objects.first()
    if checkpoint:
        return checkpoint.first_kept_position, checkpoint.anchor_hash
    return 1, GENESIS_HASH


# Many events at once, for bulk writes (a training import creates tens of
# thousands of records, each of which gets its own event). Appending them one
# by one costs a round trip or three per event; here the sealer lock and the
# head are taken once, the events get their sequence values in one query,
# every hash is worked out in Python exactly as chain.event_hash does for a
# single seal (verify_audit cannot tell the paths apart), the events go in
# already sealed with one executemany per batch, and the head moves once.
# Events other requests append meanwhile wait unsealed and are sealed after
# these (the sealer lock is held until the caller's transaction ends).

_MANY_BATCH = 2000


def _sequences(cursor, count: int) -> list[int]:
    """`count` new values of the event key, as an append would take them."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'sequence')) "
                       "FROM generate_series(1, %s)", [_EVENT_TABLE, count])
        return [row[0] for row in cursor.fetchall()]
    # SQLite, inside the write transaction: AUTOINCREMENT carries on after
    # the largest key ever used (explicit keys move it on too).
    cursor.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
        f"coalesce((SELECT max(sequence) FROM {_EVENT_TABLE}), 0))", [_EVENT_TABLE])
    last = cursor.fetchone()[0]
    return list(range(last + 1, last + count + 1))


def audit_events_record_many(events, *, actor=None) -> int:
    """Append one event per item of `events` (dicts of audit_event_record's
    keyword arguments except `actor`: action, obj or object_type/object_id,
    changed_fields, details), in order, in the caller's transaction, all
    with the same actor, request facts and time. Returns how many were
    written. Field names only, as everywhere."""
    events = list(events)
    if not events:
        return 0
    # What every event shares, built as a single event would be.
    shared = _event(action=AuditAction.CREATE, obj=None, object_type="", object_id="", actor=actor)
    extra = context.current().details or {}
    by_name = {field.name: field for field in _EVENT_FIELDS}
    json_fields = (by_name["changed_fields"], by_name["details"])
    constant = {field.name: field.get_db_prep_save(getattr(shared, field.attname), connection)
                for field in _EVENT_FIELDS if field.name not in (
                    "sequence", "action", "object_type", "object_id", "changed_fields", "details",
                    *_SEAL_FIELDS)}
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        _sealer_lock(cursor, wait=True)
        position, previous = _head(cursor, lock=True)
        before_last, rows = previous, []
        for sequence, item in zip(_sequences(cursor, len(events)), events, strict=True):
            obj = item.get("obj")
            position += 1
            action = str(item["action"])
            object_type = item.get("object_type") or object_type_of(obj)
            object_id = str(item.get("object_id") or (obj.pk if obj is not None else ""))
            changed = sorted(item.get("changed_fields", ()))
            details = item.get("details")
            details = json.loads(json.dumps({**extra, **(details or {})} if extra else (details or {}),
                                            default=str))
            values = (sequence, shared.occurred_at, shared.actor_id, shared.actor_email,
                      shared.organisation_id, shared.organisation_name, action, object_type, object_id,
                      changed, details, shared.request_id, shared.ip_address, shared.user_agent, shared.path)
            digest = event_hash(previous, values)
            rows.append([sequence, constant["occurred_at"], constant["actor"], constant["actor_email"],
                         constant["organisation_id"], constant["organisation_name"], action, object_type,
                         object_id, json_fields[0].get_db_prep_save(changed, connection),
                         json_fields[1].get_db_prep_save(details, connection), constant["request_id"],
                         constant["ip_address"], constant["user_agent"], constant["path"], position,
                         previous, digest])
            before_last, previous = previous, digest
        for start in range(0, len(rows), _MANY_BATCH):
            cursor.executemany(_INSERT_SEALED, rows[start:start + _MANY_BATCH])
        cursor.execute(_MOVE_HEAD, [position, before_last, previous])
    return len(rows)


# Loading a trail that already happened: synthetic data for benchmarks
# (manage.py generate_synthetic) loads millions of events, each with its own
# time, actor and request. Same chain, same hashes as an append; COPY on
# PostgreSQL and executemany on SQLite, and no model instances per event.

LOADED_FIELDS = ("occurred_at", "actor_id", "actor_email", "organisation_id", "organisation_name",
                 "action", "object_type", "object_id", "changed_fields", "details", "request_id",
                 "ip_address", "user_agent", "path")


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def audit_events_load(rows, *, batch_size: int = 50_000, progress=None) -> int:
    """Append events that already happened, in the order given.

    Each row is a tuple of LOADED_FIELDS: an aware `occurred_at`, the
    actor's id and snapshots, the action, the record, changed field names (a
    list), details (a dict of plain JSON values) and the request facts. Each
    batch is hashed onto the chain and written in its own transaction (a
    savepoint inside the caller's), so memory stays flat however many rows
    come. `progress(events_written)` is called after every batch. Returns how
    many events were written."""
    postgresql = connection.vendor == "postgresql"
    encode = json.JSONEncoder(ensure_ascii=False).encode
    written = 0
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= batch_size:
            written += _load_batch(batch, postgresql, encode)
            batch = []
            if progress:
                progress(written)
    if batch:
        written += _load_batch(batch, postgresql, encode)
        if progress:
            progress(written)
    return written


def _load_batch(batch, postgresql, encode) -> int:
    # As audit_events_record_many: under the sealer lock, the rows go in
    # already sealed after the head, keys taken from the database's sequence.
    utc = datetime.UTC
    with transaction.atomic(), connection.cursor() as cursor:
        _sealer_lock(cursor, wait=True)
        position, previous = _head(cursor, lock=True)
        before_last, prepared = previous, []
        for sequence, (when, actor_id, actor_email, organisation_id, organisation_name, action, object_type,
                       object_id, changed, details, request_id, ip_address, user_agent, path) in zip(
                _sequences(cursor, len(batch)), batch, strict=True):
            position += 1
            when = when.astimezone(utc)
            changed = sorted(changed)
            # chain.event_hash, with the encoder made once rather than per event.
            payload = _CANONICAL([
                sequence, when.isoformat(timespec="microseconds"), actor_id, actor_email, organisation_id,
                organisation_name, str(action), object_type, str(object_id), changed, details, request_id,
                ip_address, user_agent, path])
            digest = sha256(f"{previous}\n{payload}".encode()).hexdigest()
            prepared.append((
                sequence, when if postgresql else str(when.replace(tzinfo=None)), actor_id, actor_email,
                organisation_id, organisation_name, str(action), object_type, str(object_id),
                encode(changed) if changed else "[]", encode(details) if details else "{}", request_id,
                ip_address, user_agent, path, position, previous, digest))
            before_last, previous = previous, digest
        if postgresql:
            with cursor.cursor.copy(f"COPY {_EVENT_TABLE} ({_ALL_COLUMNS}) FROM STDIN") as copy:
                for values in prepared:
                    copy.write_row(values)
        else:
            cursor.executemany(_INSERT_SEALED, prepared)
        cursor.execute(_MOVE_HEAD, [position, before_last, previous])
    return len(prepared)
