"""What is encrypted under which key (for `encryption_status`): counts only,
never a value."""

from dataclasses import dataclass

from django.db import connection

from . import cipher
from .models import DataKey
from .services import encrypted_columns

PLAINTEXT = "plaintext"
EMPTY = "empty"


def rows_by_key() -> dict[str, dict[str, int]]:
    """{app.Model.field: {data key id | "plaintext" | "empty": rows}}."""
    quote = connection.ops.quote_name
    found = {}
    start = len(cipher.PREFIX) + 1
    for column in encrypted_columns():
        col = quote(column.column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT CASE WHEN {col} IS NULL OR {col} = '' THEN '{EMPTY}' "  # noqa: S608
                f"WHEN {col} LIKE %s THEN SUBSTR({col}, {start}, 12) "
                f"ELSE '{PLAINTEXT}' END, COUNT(*) FROM {quote(column.table)} GROUP BY 1",
                [f"{cipher.PREFIX}%"])
            found[column.label] = dict(cursor.fetchall())
    return found


@dataclass(frozen=True)
class KeyState:
    id: str
    purpose: str
    kek_id: str
    retired: bool
    kek_available: bool


def data_keys() -> list[KeyState]:
    from .keys import keks

    available = keks()
    return [KeyState(id=row.id, purpose=row.purpose, kek_id=row.kek_id,
                     retired=row.retired_at is not None,
                     kek_available=row.kek_id in available)
            for row in DataKey.objects.order_by("purpose", "created_at")]
