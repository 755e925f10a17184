"""Checking the whole audit chain (`manage.py verify_audit`).

Walks every sealed event in chain order, from where the chain starts (the
first event, or the retention checkpoint), and checks each link:

- chain positions follow on with no gap (a deleted row leaves one);
- each event's previous_hash is the hash of the event before it;
- each event's stored hash is the hash of its own contents (an edited row);
- the chain head names the last event (a truncated tail leaves the head
  pointing past the end);
- when retention has removed old events, a retention event in the surviving
  chain vouches for the checkpoint it left (a forged checkpoint cannot hide
  an edit by "starting" the chain after it).

Fast enough for millions of events: one streamed query of plain tuples (no
model instances, no per-field converters), read with a server-side cursor on
PostgreSQL, each JSON column decoded once, and one sha256 per event (see
_Hasher for how that stays exactly chain.event_hash).

What a hash chain cannot do: somebody who can write to the database directly
can rewrite every event after the one they changed, and the head. Copy the
head's hash somewhere they cannot write (the nightly log, the SIEM) to catch
that too.

Events not sealed yet (appended in the last second or so; see
services.audit_chain_seal) are not part of the chain: they are counted and
the oldest one's age reported, and an unsealed event older than
AUDIT_UNSEALED_ALERT_SECONDS (5 minutes) means the sealer is not running,
which the command reports as a problem of its own.
"""

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Min, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .chain import HASHED_FIELDS, event_hash
from .models import AuditAction, AuditChainHead, AuditEvent
from .services import chain_start

COLUMNS = ("pk", *HASHED_FIELDS, "previous_hash", "hash", "chain_position")
_HASHED = slice(1, 1 + len(HASHED_FIELDS))
_PREVIOUS_HASH = 1 + len(HASHED_FIELDS)
_HASH = _PREVIOUS_HASH + 1
_POSITION = _HASH + 1
_ACTION = 1 + HASHED_FIELDS.index("action")
_OBJECT_TYPE = 1 + HASHED_FIELDS.index("object_type")
# Positions within the hashed values.
_WHEN = HASHED_FIELDS.index("occurred_at")
_CHANGED = HASHED_FIELDS.index("changed_fields")
_DETAILS = HASHED_FIELDS.index("details")

RETENTION_OBJECT_TYPE = "audit.auditevent"
_OCCURRED_AT = f'"{AuditEvent._meta.db_table}"."occurred_at"'


@dataclass(frozen=True)
class ChainReport:
    events: int
    first_sequence: int | None
    last_sequence: int | None
    # Set when the chain is broken: which link, and what is wrong with it.
    broken_sequence: int | None = None
    broken_id: int | None = None
    problem: str = ""
    # Events appended but not sealed yet, and how long the oldest has waited.
    unsealed: int = 0
    oldest_unsealed_age: datetime.timedelta | None = None
    unsealed_alert_after: datetime.timedelta = datetime.timedelta(minutes=5)

    @property
    def intact(self) -> bool:
        return not self.problem

    @property
    def sealer_behind(self) -> bool:
        """An unsealed event has waited longer than the sealer ever should."""
        return bool(self.unsealed) and self.oldest_unsealed_age > self.unsealed_alert_after

    def message(self) -> str:
        if self.intact:
            if not self.events:
                sealed = "Audit trail intact: 0 events"
            else:
                sealed = (f"Audit trail intact: {self.events:,} events "
                          f"(#{self.first_sequence} to #{self.last_sequence})")
            return sealed + self.unsealed_message()
        where = f"event #{self.broken_sequence}" if self.broken_sequence is not None else "its start"
        which = f" (id {self.broken_id})" if self.broken_id is not None else ""
        return f"Audit trail broken at {where}{which}: {self.problem}" + self.unsealed_message()

    def unsealed_message(self) -> str:
        if not self.unsealed:
            return ""
        seconds = int(self.oldest_unsealed_age.total_seconds())
        age = f"{seconds} s" if seconds < 120 else f"{seconds // 60} min"
        told = (f"; {self.unsealed:,} newer events not sealed into the chain yet "
                f"(the oldest {age} old)")
        if self.sealer_behind:
            limit = int(self.unsealed_alert_after.total_seconds() // 60)
            told += (f". Events wait more than {limit} min only if the sealer is not running: "
                     "check `manage.py seal_audit --loop` (bin/serve starts it)")
        return told


class _Broken(Exception):
    def __init__(self, sequence, pk, problem):
        super().__init__(problem)
        self.sequence, self.pk, self.problem = sequence, pk, problem


def audit_chain_verify(
    *, chunk_size: int = 10_000, progress: Callable[[int, int], None] | None = None,
    progress_every: int = 100_000,
) -> ChainReport:
    """Check the whole chain; `progress(events_checked, last_sequence)` is
    called every `progress_every` events."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # One snapshot for the head and every event, and a plain (not WITH
        # HOLD) server-side cursor, which only exists inside a transaction.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return _verify(chunk_size, progress, progress_every)
    # SQLite (or an enclosing transaction): a single SELECT already reads one
    # snapshot, and an atomic block here would take SQLite's write lock for
    # the whole walk. The head is read first, so events appended while we
    # walk are simply checked too.
    return _verify(chunk_size, progress, progress_every)


def _rows(chunk_size):
    """Every sealed event as a tuple of COLUMNS, in chain order, streamed, as the
    database driver returns them, except occurred_at, which comes as text:
    SQLite's stored UTC text (through a CAST, so no datetime is parsed), or on
    PostgreSQL the UTC time already in ISO form."""
    queryset = AuditEvent.objects.filter(chain_position__isnull=False).order_by("chain_position")
    if connection.vendor == "postgresql":
        # Constant SQL: nothing from outside goes into it.
        when = RawSQL(  # noqa: S611
            f"to_char({_OCCURRED_AT} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')",
            (), output_field=TextField())
    else:
        when = Cast("occurred_at", TextField())
    queryset = queryset.annotate(occurred_at_text=when)
    columns = [("occurred_at_text" if name == "occurred_at" else name) for name in COLUMNS]
    sql, params = queryset.values_list(*columns).query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(chunk_size):
            yield from chunk


class _Hasher:
    """Recomputes each event's hash from a row of _rows.

    The quick way builds chain.event_hash's canonical JSON straight from what
    the driver returned: the JSON encoder made once rather than per event,
    SQLite's stored time turned into its ISO form by slicing, the common
    empty JSON values not decoded. A quick hash equal to the stored one is
    proof enough (sha256 of the same canonical text). A quick hash that
    differs is never trusted: the row is converted exactly as the ORM would
    convert it and hashed with chain.event_hash itself, which decides. (If
    chain.py ever hashes differently, every row takes that slow path, so the
    answer stays right and only gets slower; after a run of such rows the
    quick way is dropped.)
    """

    _ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
    _EMPTY = {"[]": (), "{}": {}}

    def __init__(self):
        self.postgresql = connection.vendor == "postgresql"
        self.timezone = connection.timezone
        self.utc = self.timezone.utcoffset(datetime.datetime(2000, 1, 1)) == datetime.timedelta(0)
        self.quick_misses = 0

    def matches(self, row) -> bool:
        stored = row[_HASH]
        if self.quick_misses < 100:
            if self._quick(row) == stored:
                return True
            self.quick_misses += 1
        return event_hash(row[_PREVIOUS_HASH], self.orm_values(row)) == stored

    def _quick(self, row):
        values = list(row[_HASHED])
        when = values[_WHEN]
        if not self.utc or when is None:
            return None
        if self.postgresql:
            when = f"{when}+00:00"
        elif len(when) in (19, 26) and when[10] == " ":
            # Django's SQLite backend stores str() of the naive UTC time.
            when = f"{when[:10]}T{when[11:]}{'' if len(when) == 26 else '.000000'}+00:00"
        else:
            return None
        values[_WHEN] = when
        for index in (_CHANGED, _DETAILS):
            text = values[index]
            empty = self._EMPTY.get(text)
            values[index] = json.loads(text) if empty is None else empty
        payload = self._ENCODE(values)
        return hashlib.sha256(f"{row[_PREVIOUS_HASH]}\n{payload}".encode()).hexdigest()

    def orm_values(self, row) -> tuple:
        """The row's hashed fields as an AuditEvent read through the ORM holds them."""
        values = list(row[_HASHED])
        when = values[_WHEN]
        if when is not None:
            if self.postgresql:
                when = datetime.datetime.fromisoformat(f"{when}+00:00").astimezone(self.timezone)
            else:
                when = parse_datetime(when)
                if when is not None and timezone.is_naive(when):
                    when = timezone.make_aware(when, self.timezone)
        values[_WHEN] = when
        for index in (_CHANGED, _DETAILS):
            values[index] = json.loads(values[index]) if values[index] is not None else None
        return tuple(values)

    @staticmethod
    def details(row):
        try:
            return json.loads(row[1 + _DETAILS] or "null")
        except ValueError:
            return None


def _verify(chunk_size, progress, progress_every) -> ChainReport:
    start_sequence, anchor_hash = chain_start()
    head = AuditChainHead.objects.filter(pk=1).values_list("chain_position", "hash").first()
    head_sequence, head_hash = head if head else (None, None)
    retained_from_checkpoint = start_sequence != 1
    rows = _rows(chunk_size)
    hasher = _Hasher()

    events = 0
    first = last = last_pk = None
    expected_sequence, expected_previous = start_sequence, anchor_hash
    checkpoint_vouched = False
    next_report = progress_every
    try:
        for row in rows:
            # "sequence" below is the chain position: the number the messages
            # give an event ("#n"; its key is the "id").
            pk, sequence = row[0], row[_POSITION]
            if sequence != expected_sequence:
                if sequence < expected_sequence:
                    raise _Broken(sequence, pk, (
                        f"it comes before #{start_sequence}, where the retention checkpoint says "
                        "the chain starts: retention removes every event before that"
                        if retained_from_checkpoint
                        else f"it comes before #{start_sequence}, the first event of the chain"))
                missing = (f"event #{expected_sequence} is" if sequence == expected_sequence + 1
                           else f"events #{expected_sequence} to #{sequence - 1} are")
                raise _Broken(sequence, pk, f"{missing} missing (deleted)")
            if row[_PREVIOUS_HASH] != expected_previous:
                before = (f"event #{sequence - 1}" if events else
                          "the retention checkpoint's anchor" if retained_from_checkpoint
                          else "the genesis hash")
                raise _Broken(sequence, pk, (
                    f"its previous_hash does not match the hash of {before} "
                    f"(that event, or this one, was altered or replaced)"))
            if not hasher.matches(row):
                raise _Broken(sequence, pk, "its contents do not match its hash (the row was altered)")
            if sequence == head_sequence and row[_HASH] != head_hash:
                raise _Broken(sequence, pk, "its hash differs from the one the chain head recorded")
            if (retained_from_checkpoint and not checkpoint_vouched
                    and row[_ACTION] == AuditAction.DELETE
                    and row[_OBJECT_TYPE] == RETENTION_OBJECT_TYPE
                    and "events_removed" in (hasher.details(row) or {})):
                checkpoint_vouched = True
            events += 1
            if first is None:
                first = sequence
            last, last_pk = sequence, pk
            expected_sequence, expected_previous = sequence + 1, row[_HASH]
            if progress and events >= next_report:
                progress(events, sequence)
                next_report += progress_every

        if head_sequence is None:
            if events:
                raise _Broken(last, last_pk, "the chain head is missing, so a truncated tail "
                                             "could not be detected")
        elif last is None:
            if head_sequence >= start_sequence:
                raise _Broken(start_sequence, None, (
                    f"events #{start_sequence} to #{head_sequence} are missing: the chain head "
                    f"says the trail ends at #{head_sequence}, but there are no events"))
        elif head_sequence > last:
            missing = (f"event #{last + 1} is" if head_sequence == last + 1
                       else f"events #{last + 1} to #{head_sequence} are")
            raise _Broken(last + 1, None, (
                f"{missing} missing: the chain head says the trail ends at #{head_sequence}, "
                f"but the last event is #{last} (id {last_pk}); the tail was truncated"))
        if retained_from_checkpoint and not checkpoint_vouched:
            raise _Broken(start_sequence, None, (
                "no retention event in the trail records the retention checkpoint that says "
                f"the chain starts at #{start_sequence}; the checkpoint may be forged"))
    except _Broken as broken:
        return ChainReport(events, first, last, broken.sequence, broken.pk, broken.problem,
                           **_unsealed_tail())
    if progress and events % progress_every:
        progress(events, last)
    return ChainReport(events, first, last, **_unsealed_tail())


def _unsealed_tail() -> dict:
    """How many events wait to be sealed, and the oldest one's age (read in
    the same snapshot as the chain on PostgreSQL; the audit_unsealed index
    holds only these rows)."""
    tail = AuditEvent.objects.filter(chain_position__isnull=True).aggregate(
        count=Count("pk"), oldest=Min("occurred_at"))
    alert = datetime.timedelta(seconds=getattr(settings, "AUDIT_UNSEALED_ALERT_SECONDS", 300))
    if not tail["count"]:
        return {"unsealed_alert_after": alert}
    return {"unsealed": tail["count"], "oldest_unsealed_age": max(timezone.now() - tail["oldest"],
                                                                    datetime.timedelta(0)),
            "unsealed_alert_after": alert}
