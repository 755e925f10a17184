"""Reading the audit trail, always through `access`.

Searches stay fast at millions of events because the filters that narrow a
search lead with an indexed column (audit_by_record, audit_by_actor,
occurred_at), results come newest first from those same indexes, and a page
never counts more than COUNT_CAP events. Action has no index of its own (one
fewer to write on every audited request): a search by action alone walks the
occurred_at index newest first, filtering as it goes.
"""

import math
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import connection

from prevent_hub.access import Action, can, scope
from prevent_hub.core.email_addresses import canonical_email

from .models import AuditAction, AuditEvent

PAGE_SIZE = 50
# Counting every match of a broad search over millions of rows is slow and
# tells an auditor nothing "more than 10,000" does not.
COUNT_CAP = 10_000
# A partial email address that matches more people than this is too vague.
MAX_MATCHING_USERS = 100

# What "who has accessed this record" lists: reads and changes of the record.
RECORD_ACCESS_ACTIONS = (
    AuditAction.VIEW, AuditAction.SEARCH, AuditAction.EXPORT, AuditAction.DOWNLOAD,
    AuditAction.UPDATE,
)

# Columns a results page shows (details, user agent and hashes stay unread).
LIST_COLUMNS = (
    "sequence", "occurred_at", "actor_id", "actor_email", "organisation_name", "action",
    "object_type", "object_id", "changed_fields", "ip_address", "request_id", "path",
)
EXPORT_COLUMNS = (
    "sequence", "occurred_at", "actor_email", "organisation_name", "action", "object_type",
    "object_id", "changed_fields", "details", "ip_address", "request_id", "path", "user_agent",
)
NEWEST_FIRST = ("-occurred_at", "-sequence")


class TooManyUsers(Exception):
    pass


def audit_events_for(user):
    """Every audit event `user` may read (all of them for auditors, else none)."""
    return scope(user, AuditEvent.objects.all())


def audit_record_types(*, user) -> list[str]:
    """The object types that occur in the trail, A to Z.

    A loose index scan over audit_by_record: one index probe per distinct
    type, so a handful of lookups rather than reading a million rows for
    SELECT DISTINCT. (Raw SQL because the ORM cannot say it; the same SQL
    runs on SQLite and PostgreSQL.)
    """
    if not can(user, Action.AUDIT_SEARCH):
        return []
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = f"""
        WITH RECURSIVE types(object_type) AS (
            SELECT (SELECT object_type FROM {table} ORDER BY object_type LIMIT 1)
            UNION ALL
            SELECT (SELECT e.object_type FROM {table} e
                    WHERE e.object_type > types.object_type
                    ORDER BY e.object_type LIMIT 1)
            FROM types WHERE types.object_type IS NOT NULL
        )
        SELECT object_type FROM types WHERE object_type IS NOT NULL AND object_type <> ''
    """  # noqa: S608 - only the table name is interpolated
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def users_matching_email(*, user, text: str) -> list[int]:
    """Ids of the users `user` may see whose email is `text`, or contains it.

    An exact match wins over partial ones. More than MAX_MATCHING_USERS
    partial matches raises TooManyUsers: the search would be too vague.
    """
    users = scope(user, get_user_model().objects.all())
    text = text.strip()
    exact = list(users.filter(email=canonical_email(text)).values_list("pk", flat=True)[:2])
    if len(exact) == 1:
        return exact
    partial = list(
        users.filter(email__icontains=text).order_by("pk")
        .values_list("pk", flat=True)[: MAX_MATCHING_USERS + 1]
    )
    if len(partial) > MAX_MATCHING_USERS:
        raise TooManyUsers(text)
    return partial


@dataclass(frozen=True)
class AuditFilters:
    """What to search for; every field optional."""

    actor_ids: tuple[int, ...] | None = None  # None: anyone; (): nobody matched
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    occurred_from: object = None  # aware datetime, inclusive
    occurred_before: object = None  # aware datetime, exclusive


def audit_events_search(*, user, filters: AuditFilters):
    """The events matching `filters` that `user` may read, newest first."""
    events = audit_events_for(user)
    if filters.actor_ids is not None:
        events = events.filter(actor_id__in=filters.actor_ids)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.occurred_from:
        events = events.filter(occurred_at__gte=filters.occurred_from)
    if filters.occurred_before:
        events = events.filter(occurred_at__lt=filters.occurred_before)
    return events.order_by(*NEWEST_FIRST)


@dataclass(frozen=True)
class EventPage:
    events: list[dict]
    number: int
    count: int  # capped at COUNT_CAP + 1
    page_size: int = PAGE_SIZE

    @property
    def more_than_cap(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(min(self.count, COUNT_CAP) / self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.events else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.page_size + len(self.events)


def audit_events_page(events, *, page_number, page_size: int = PAGE_SIZE) -> EventPage:
    """One page of `events` in two queries whatever the size of the trail:
    a count that stops at COUNT_CAP + 1, and the page's rows.

    Pages go as far as COUNT_CAP events; past that, narrow the search. A page
    number that is not a number means the first page, one too far the last.
    """
    # Only occurred_at, which every index above ends with: the count can be
    # answered from the index alone (an index-only scan on PostgreSQL once
    # autovacuum has marked the append-only table's pages all-visible).
    count = events.order_by().values("occurred_at")[: COUNT_CAP + 1].count()
    try:
        number = int(str(page_number))
    except ValueError:
        number = 1
    last = max(1, math.ceil(min(count, COUNT_CAP) / page_size))
    number = min(max(number, 1), last)
    offset = (number - 1) * page_size
    rows = list(events.values(*LIST_COLUMNS)[offset: offset + page_size])
    return EventPage(events=rows, number=number, count=count, page_size=page_size)


def audit_events_export(*, user, filters: AuditFilters):
    """The rows of a CSV export, streamed from the database (EXPORT_COLUMNS)."""
    return (audit_events_search(user=user, filters=filters)
            .values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000))


class RecordNotFound(Exception):
    """No such record, or not one the user may see: the same to the user."""


def record_for_access_log(*, user, object_type: str, object_id: str):
    """The record `object_type` ("app_label.model") `object_id` names, if
    `user` may see it; otherwise RecordNotFound, whether or not it exists."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        raise RecordNotFound(object_type) from None
    try:
        visible = scope(user, model._default_manager.all())
    except LookupError:  # no access rule for the model: nobody may list it
        raise RecordNotFound(object_type) from None
    try:
        pk = model._meta.pk.to_python(object_id)
        return visible.get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError, OverflowError):
        raise RecordNotFound(object_type) from None


def record_access_events(*, record):
    """Who read or changed `record`, newest first. The caller has checked the
    user may see the record and its access log (record_for_access_log and
    Action.RECORD_ACCESS_LOG), which is the rule for this list: the audit
    event scope (auditors only) does not apply."""
    return (
        AuditEvent.objects.filter(
            object_type=record._meta.label_lower, object_id=str(record.pk),
            action__in=RECORD_ACCESS_ACTIONS,
        ).order_by(*NEWEST_FIRST)
    )


def record_type_label(object_type: str) -> str:
    """"accounts.user" → "User"; unknown types as they are."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name).capitalize()
