"""Writing many rows fast: COPY on PostgreSQL (psycopg's `cursor.copy`),
executemany on SQLite, with ids chosen here so that related rows can point
at each other without reading anything back.

Rows are plain tuples in the order of the columns given; no model instances
are built (at national scale that alone would take longer than the writes).
Values are Python dates, aware datetimes, strings, numbers, booleans, None,
and lists or dicts for JSON columns; each column's conversion for the
database is worked out once from its model field.
"""

import json

from django.core.management.color import no_style
from django.db import connection, models

from prevent_hub.encryption import cipher
from prevent_hub.encryption.fields import BlindIndexField, EncryptedMixin, column_label

BATCH = 10_000


def _converter(field, postgres: bool):
    if isinstance(field, EncryptedMixin):
        # Encrypted here, in Python, under the data key the process has
        # unwrapped once: the database never receives the plaintext.
        label = field.label
        if isinstance(field, models.JSONField):
            return lambda value: None if value is None else cipher.encrypt(
                json.dumps(value, ensure_ascii=False), label)
        return lambda value: value if value in (None, "") else cipher.encrypt(str(value), label)
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value, ensure_ascii=False)
    if postgres:
        return None
    if isinstance(field, models.DateTimeField):
        # As Django's SQLite backend stores them: naive UTC, ISO with a space.
        return lambda value: None if value is None else value.replace(tzinfo=None).isoformat(" ")
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else value.isoformat()
    if isinstance(field, models.TimeField):
        return lambda value: None if value is None else value.isoformat()
    return None


class Table:
    """Rows for one model's table. `add(*values)` takes the values of
    `columns` (attnames, without the primary key) and returns the new id."""

    def __init__(self, model, columns, *, counts: dict, with_id: bool = True):
        self.model = model
        self.columns = list(columns)
        self.with_id = with_id
        self.counts = counts
        self.postgres = connection.vendor == "postgresql"
        fields = {field.attname: field for field in model._meta.concrete_fields}
        unknown = [column for column in self.columns if column not in fields]
        if unknown:
            raise ValueError(f"{model._meta.label} has no {', '.join(unknown)}")
        # Blind indexes of given columns are worked out from their values.
        self._indexes = [(field.column, self.columns.index(field.source), column_label(model, field.source))
                         for field in model._meta.concrete_fields
                         if isinstance(field, BlindIndexField) and field.source in self.columns]
        self._convert = [(index, conv) for index, column in enumerate(self.columns)
                         if (conv := _converter(fields[column], self.postgres))]
        # Columns not given take their field's default, as the ORM would
        # write it; a NOT NULL column without one must be given.
        self.defaults = []
        for field in model._meta.concrete_fields:
            if (field.primary_key or field.attname in self.columns or field.null
                    or field.column in {column for column, _, _ in self._indexes}):
                continue
            default = field.get_default()
            if default is None:
                raise ValueError(f"{model._meta.label}.{field.name} needs a value")
            conv = _converter(field, self.postgres)
            self.defaults.append((field.column, conv(default) if conv else default))
        self._tail = tuple(value for _, value in self.defaults)
        pk = model._meta.pk.column
        names = (([pk] if with_id else []) + [fields[column].column for column in self.columns]
                 + [column for column, _, _ in self._indexes] + [column for column, _ in self.defaults])
        self.table = model._meta.db_table
        self.column_sql = ", ".join(connection.ops.quote_name(name) for name in names)
        self.next_id = self._max_id() + 1 if with_id else None
        self.rows = []

    def _max_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({self.model._meta.pk.column}) FROM {self.table}")  # noqa: S608
            return cursor.fetchone()[0] or 0

    def add(self, *values):
        if len(values) != len(self.columns):
            raise ValueError(f"{self.model._meta.label}: {len(values)} values, {len(self.columns)} columns")
        if self._indexes:
            indexes = tuple(cipher.blind_index(values[at] or "", label) for _, at, label in self._indexes)
        if self._convert:
            values = list(values)
            for index, conv in self._convert:
                values[index] = conv(values[index])
        if self._indexes:
            values = (*values, *indexes)
        if self.with_id:
            new_id = self.next_id
            self.next_id += 1
            self.rows.append((new_id, *values, *self._tail))
        else:
            new_id = None
            self.rows.append((*values, *self._tail))
        if len(self.rows) >= BATCH:
            self.flush()
        return new_id

    def flush(self):
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {self.table} ({self.column_sql}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.rows[0]))
                cursor.executemany(
                    f"INSERT INTO {self.table} ({self.column_sql}) VALUES ({marks})",  # noqa: S608
                    self.rows)
        label = self.model._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(self.rows)
        self.rows = []


def sequences_reset(model_classes) -> None:
    """After writing ids ourselves, move PostgreSQL's sequences past them
    (SQLite's AUTOINCREMENT follows the largest id by itself)."""
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
