"""Key rotation, and (re-)encrypting the values of a column.

Both rotations are resumable: re-wrapping only touches data keys not yet
under the current KEK, and re-encrypting only rows not yet under the current
data key, in batches by primary key, each batch committed on its own. Run
the command again after an interruption and it carries on where it stopped.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record

from . import cipher, keys
from .fields import REGISTRY, BlindIndexField, EncryptedJSONField, column_label
from .models import DataKey, KeyPurpose

BATCH = 500


@dataclass(frozen=True)
class Column:
    """Where an encrypted field's values are, in SQL terms."""

    label: str              # app.Model.field: the associated data
    table: str
    pk: str
    column: str
    index_column: str = ""  # its blind index, kept in step


def encrypted_columns() -> list[Column]:
    """Every encrypted field of every installed model, in label order."""
    return [column for _, (model, name) in sorted(REGISTRY.items()) for column in columns_of(model, [name])]


def json_labels() -> set[str]:
    return {label for label, (model, name) in REGISTRY.items()
            if isinstance(model._meta.get_field(name), EncryptedJSONField)}


def reencrypt_column(column: Column, *, key_id: str | None = None, batch: int = BATCH,
                     max_batches: int | None = None, advance: Callable[[int], None] | None = None,
                     using=None) -> int:
    """Encrypt under data key `key_id` (the current one) every value of
    `column` that is in plaintext or under another key; its blind index is
    written again from the plaintext. Returns how many rows were rewritten.
    Each batch commits on its own: an interrupted run loses at most one."""
    conn = using or connection
    key_id = key_id or cipher.current_key_id()
    quote = conn.ops.quote_name
    table, pk, col = quote(column.table), quote(column.pk), quote(column.column)
    select = (f"SELECT {pk}, {col} FROM {table} WHERE {col} IS NOT NULL AND {col} <> '' "  # noqa: S608
              f"AND {col} NOT LIKE %s")
    order = f" ORDER BY {pk} LIMIT {int(batch)}"
    sets = f"{col} = %s" + (f", {quote(column.index_column)} = %s" if column.index_column else "")
    update = f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608
    under_key = f"{cipher.PREFIX}{key_id}:%"
    done, batches, after = 0, 0, None
    while max_batches is None or batches < max_batches:
        with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
            if after is None:
                cursor.execute(select + order, [under_key])
            else:
                cursor.execute(select + f" AND {pk} > %s" + order, [under_key, after])
            rows = cursor.fetchall()
            if not rows:
                return done
            updates = []
            for row_pk, stored in rows:
                plaintext = cipher.decrypt(stored, column.label)
                values = [cipher.encrypt(plaintext, column.label, key_id=key_id)]
                if column.index_column:
                    values.append(cipher.blind_index(plaintext, column.label))
                updates.append((*values, row_pk))
            cursor.executemany(update, updates)
        after = rows[-1][0]
        done += len(rows)
        batches += 1
        if advance:
            advance(len(rows))
    return done


def pending_rows(column: Column, *, key_id: str) -> int:
    """Rows of `column` not yet encrypted under `key_id`."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(column.table)} WHERE {quote(column.column)} "  # noqa: S608
                       f"IS NOT NULL AND {quote(column.column)} <> '' AND {quote(column.column)} NOT LIKE %s",
                       [f"{cipher.PREFIX}{key_id}:%"])
        return cursor.fetchone()[0]


def data_keys_rewrap() -> int:
    """Wrap every data key not yet under the current KEK under it; the old
    KEK can then be removed from the configuration. Returns how many."""
    current = keys.current_kek_id()
    moved = 0
    with transaction.atomic():
        for row in DataKey.objects.select_for_update().exclude(kek_id=current).order_by("pk"):
            key = cipher.unwrap(row)
            old = row.kek_id
            row.kek_id = current
            row.wrapped = cipher.wrap(key, key_id=row.id, purpose=row.purpose, kek_id=current)
            row.save(update_fields=["kek_id", "wrapped"])
            moved += 1
            audit_event_record(action=AuditAction.UPDATE, obj=row, changed_fields=["kek_id", "wrapped"],
                               details={"rotation": "rewrap", "from_kek": old, "to_kek": current})
    cipher.forget_keys()
    return moved


def data_key_replace() -> DataKey:
    """Retire the current data key and make a new one current. Values move
    to it with `reencrypt_column` (the command does every column)."""
    with transaction.atomic():
        retiring = list(DataKey.objects.select_for_update().filter(purpose=KeyPurpose.DATA,
                                                                   retired_at__isnull=True))
        DataKey.objects.filter(pk__in=[row.pk for row in retiring]).update(retired_at=timezone.now())
        row = cipher.new_key(KeyPurpose.DATA)
        audit_event_record(action=AuditAction.CREATE, obj=row, changed_fields=["id", "kek_id", "wrapped"],
                           details={"rotation": "new data key", "retired": [r.pk for r in retiring]})
    cipher.forget_keys()
    return row


def values_reencrypt(*, batch: int = BATCH, max_batches: int | None = None,
                     progress: Callable[[str, int], Callable[[int], None]] | None = None) -> dict[str, int]:
    """Every encrypted column's values under the current data key. Returns
    rows rewritten per column. Audited once at the end (counts, no values)."""
    key_id = cipher.current_key_id()
    rewritten = {}
    for column in encrypted_columns():
        advance = progress(column.label, pending_rows(column, key_id=key_id)) if progress else None
        rewritten[column.label] = reencrypt_column(column, key_id=key_id, batch=batch,
                                                   max_batches=max_batches, advance=advance)
    with transaction.atomic():
        audit_event_record(action=AuditAction.UPDATE, object_type="encryption.datakey", object_id=key_id,
                           details={"rotation": "re-encrypted", "rows": sum(rewritten.values())})
    return rewritten


def retired_keys_unused_delete() -> list[str]:
    """Delete retired data keys that no value uses any more (after a
    completed re-encryption): a copy of an old backup's key table then
    cannot open newer copies of the data."""
    from .selectors import rows_by_key

    used = {key for counts in rows_by_key().values() for key in counts}
    with transaction.atomic():
        unused = list(DataKey.objects.filter(purpose=KeyPurpose.DATA, retired_at__isnull=False)
                      .exclude(pk__in=used).values_list("pk", flat=True))
        for key_id in unused:
            audit_event_record(action=AuditAction.DELETE, object_type="encryption.datakey", object_id=key_id,
                               details={"rotation": "retired key no longer used"})
        DataKey.objects.filter(pk__in=unused).delete()
    return unused


def columns_of(model, names) -> list[Column]:
    """Columns of `model` (a real or a migration's historical model)."""
    found = []
    for name in names:
        field = model._meta.get_field(name)
        index = next((other.column for other in model._meta.concrete_fields
                      if isinstance(other, BlindIndexField) and other.source == name), "")
        found.append(Column(label=column_label(model, name), table=model._meta.db_table,
                            pk=model._meta.pk.column, column=field.column, index_column=index))
    return found


def migration_encrypting(app_label: str, fields_by_model: dict[str, list[str]]):
    """A RunPython function encrypting the values already in these fields
    (written before they were encrypted), and filling their blind indexes."""

    def run(apps, schema_editor):
        # The index key too, made here once rather than by the first write.
        cipher.current_key_id(KeyPurpose.INDEX)
        for model_name, names in fields_by_model.items():
            model = apps.get_model(app_label, model_name)
            for column in columns_of(model, names):
                reencrypt_column(column, using=schema_editor.connection)

    return run
