"""A backup is only as good as its restore: take one with
`manage.py backup_database` while the service could be running, restore it
the way docs/backup-and-restore.md says (SQLite: the file put in place of the
database; PostgreSQL: pg_restore into a fresh database), and open it in a
process of its own, as the restarted service would. It must hold the same
records, and its audit trail must verify."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.audit.services import audit_read
from prevent_hub.referrals.models import Referral
from prevent_hub.referrals.tests.factories import ReferralFactory

from .postgres import database_drop, database_url, dump_restore

ROOT = Path(__file__).resolve().parents[1]

READ_BACK = """
import json
from prevent_hub.audit.models import AuditEvent
from prevent_hub.audit.verify import audit_chain_verify
from prevent_hub.referrals.models import Referral
report = audit_chain_verify()
print(json.dumps({"references": sorted(Referral.objects.values_list("reference", flat=True)),
                  "events": AuditEvent.objects.count(), "intact": report.intact,
                  "message": report.message()}))
"""


def read_back(database_url_: str, tmp_path: Path) -> dict:
    """What the service started on `database_url_` finds, in a fresh process."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url_,
           "MEDIA_ROOT": str(tmp_path / "media")}
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", READ_BACK],  # noqa: S603
                            cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=300)
    return json.loads(result.stdout.strip().splitlines()[-1])


def restored(backup: Path, tmp_path: Path):
    """The backup restored as an operator would; yields the restored database's URL."""
    if connection.vendor == "sqlite":
        # Restore = stop the service, put the backup file in place, start it.
        database = tmp_path / "restored.sqlite3"
        shutil.copyfile(backup, database)
        yield f"sqlite:///{database}"
    else:
        name = f"{connection.settings_dict['NAME']}_restored"
        dump_restore(connection.settings_dict, backup, name)
        try:
            yield database_url(connection.settings_dict, name)
        finally:
            database_drop(connection.settings_dict, name)


# Committed for real: the backup (another process on PostgreSQL) must see it.
@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_has_the_same_records_and_an_audit_trail_that_verifies(tmp_path):
    referrals = ReferralFactory.create_batch(5)
    for referral in referrals:
        audit_read(action=AuditAction.VIEW, obj=referral)
    references = sorted(referral.reference for referral in referrals)
    events = AuditEvent.objects.count()
    backup = tmp_path / "prevent-hub.backup"

    call_command("backup_database", "--output", str(backup))
    # Written after the backup: the restore must not have it.
    ReferralFactory()

    for url in restored(backup, tmp_path):
        found = read_back(url, tmp_path)
        assert found["references"] == references
        assert found["events"] == events >= 5
        assert found["intact"], found["message"]
    assert Referral.objects.count() == 6, "backing up leaves the live database as it was"


@pytest.mark.django_db
def test_a_backup_never_overwrites_an_earlier_one(tmp_path):
    earlier = tmp_path / "earlier.backup"
    earlier.write_bytes(b"an earlier backup")

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup_database", "--output", str(earlier))
    assert earlier.read_bytes() == b"an earlier backup"


# It makes its own SQLite file whatever the suite runs on (as
# records/tests/test_sqlite_file.py does), so the PostgreSQL pass would only repeat it.
@pytest.mark.skipif(connection.vendor != "sqlite",
                    reason="backs up a SQLite file of its own: the same run as in the SQLite pass")
def test_a_sqlite_backup_is_taken_while_someone_is_writing_and_holds_only_what_was_committed(tmp_path):
    database = tmp_path / "live.sqlite3"
    live = sqlite3.connect(database, isolation_level=None)
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE fictional_record (name TEXT)")
    live.execute("INSERT INTO fictional_record VALUES ('Testina Exampleton')")
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO fictional_record VALUES ('Not yet committed')")
    backup = tmp_path / "backup.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": f"sqlite:///{database}", "MEDIA_ROOT": str(tmp_path / "media")}
    try:
        # While the writer holds the write lock: a backup that waited for it would time out here.
        subprocess.run([sys.executable, "manage.py", "backup_database", "--output", str(backup)],  # noqa: S603
                       cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120)
    finally:
        writer.execute("COMMIT")
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("SELECT name FROM fictional_record").fetchall() == [("Testina Exampleton",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",), "one file, no -wal beside it"
    finally:
        copy.close()
        live.close()
        writer.close()
    assert not Path(f"{backup}-wal").exists()
