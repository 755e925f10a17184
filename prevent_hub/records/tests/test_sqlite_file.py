"""On SQLite, a deleted record must not stay readable in the database file
or its write-ahead log: secure_delete zeroes deleted rows, and a real run
checkpoints and truncates the WAL. Checked against a real file database in
a process of its own (the suite's own database may be in memory)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
MARKER = "Xyzzyplughmarker"

WRITE = f"""
import datetime
from prevent_hub.referrals.models import Referral, ReferralName
from prevent_hub.retention.models import RecordType
from prevent_hub.retention.selectors import policy_in_force
from django.utils import timezone
policy = policy_in_force(RecordType.REFERRAL_CLOSED, datetime.date(2020, 1, 1))
referral = Referral.objects.create(
    reference="PRV-2020-000001", kind="practitioner", status="decided", received_at=timezone.now(),
    subject_given_name="{MARKER}given", subject_family_name="{MARKER}family",
    concern_description="{MARKER} fictional concern " * 40, referrer_name="{MARKER} referrer",
    retain_until=datetime.date(2021, 1, 1), retention_policy=policy)
ReferralName.objects.create(referral=referral, given_name="{MARKER}other", family_name="Example")
"""


def _manage(env, *args, stdin=None):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin,  # noqa: S603
                          capture_output=True, text=True, check=True, timeout=300)


def _contains(path: Path, text: str) -> bool:
    return path.exists() and text.encode() in path.read_bytes()


# It makes its own SQLite file whatever the suite runs on, so the PostgreSQL
# pass would repeat the SQLite pass's run exactly (about a minute of CI).
@pytest.mark.skipif(connection.vendor != "sqlite",
                    reason="checks a SQLite file of its own: the same run as in the SQLite pass")
def test_deleted_rows_are_not_left_in_the_sqlite_file_or_its_wal(tmp_path):
    database = tmp_path / "retention.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": f"sqlite:///{database}", "MEDIA_ROOT": str(tmp_path / "media")}
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "shell", "-c", WRITE)
    wal = Path(f"{database}-wal")
    assert _contains(database, MARKER) or _contains(wal, MARKER), "the marker should be written first"
    out = _manage(env, "apply_retention").stdout
    assert "PRV-2020-000001" in out
    assert not _contains(database, MARKER), "a deleted referral is still readable in the database file"
    assert not _contains(wal, MARKER), "a deleted referral is still readable in the write-ahead log"
    # The tombstone and the run's report keep the reference, never the name.
    assert _contains(database, "PRV-2020-000001")
