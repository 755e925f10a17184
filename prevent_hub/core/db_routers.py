"""Reads for reports go to the read replica; everything else to the primary.

A router sees a model, never the page or the purpose of a query, and the same
models (referrals, cases, complaints) are read both for a report and for a
decision someone is about to take. So the purpose is declared where it is
known: the report selectors run inside `reading_for_report()` (or are
decorated with `@report_read`), and only reads made inside it go to the
`replica` alias. Everything else — every write, the audit event the report
page itself writes, and any read outside that scope — goes to the primary.

Reports may lag the primary by the replica's replication delay (usually well
under a second, more under heavy load): acceptable for counts over months and
years, never for a page someone acts on. docs/deployment.md says which pages
read from the replica.

Without DATABASE_REPLICA_URL there is no `replica` alias and no router:
nothing changes.
"""

import contextvars
import functools
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# A contextvar rather than a thread-local: correct under threads (gunicorn's
# gthread workers) and async views alike, and reset on the way out even when
# the report raises.
_reading_for_report = contextvars.ContextVar("reading_for_report", default=False)


@contextmanager
def reading_for_report():
    """Reads inside this block are for a report: the replica may serve them."""
    token = _reading_for_report.set(True)
    try:
        yield
    finally:
        _reading_for_report.reset(token)


def report_read(function):
    """`function` only reads, for a report, and evaluates its queries before
    it returns (a lazy queryset handed back would run later, outside the scope,
    on the primary)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with reading_for_report():
            return function(*args, **kwargs)

    return wrapper


def is_reading_for_report() -> bool:
    return _reading_for_report.get()


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReportReplicaRouter:
    """Report reads → `replica`; all else → `default` (the primary)."""

    def db_for_read(self, model, **hints):
        # Named explicitly (not None) outside a report: otherwise Django would
        # follow a related object fetched from the replica back to the replica.
        if _reading_for_report.get() and replica_configured():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: an object read from one may
        # refer to an object read from the other.
        return True

    def allow_migrate(self, db, app_label, **hints):
        # The replica takes its schema from the primary by replication;
        # `migrate --database=replica` must not write to it.
        return db != REPLICA
