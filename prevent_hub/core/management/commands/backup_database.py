"""A consistent copy of the database, taken while the service runs.

    manage.py backup_database --output FILE [--database ALIAS]

SQLite: SQLite's own online backup (the same as `sqlite3 DB ".backup FILE"`),
copied in one step so the copy is one moment's database even while the web
server and the worker write (in WAL mode writers carry on meanwhile; a
stepwise copy would restart whenever they did). The copy is a single
self-contained file (no -wal beside it), checked with `PRAGMA quick_check`.

PostgreSQL: `pg_dump --format=custom` (restore with `pg_restore` into a fresh
database), which reads one snapshot without stopping anyone. For
point-in-time recovery use WAL archiving and base backups instead
(docs/backup-and-restore.md).

The copy is written beside FILE and renamed into place when complete, so a
file at FILE is always a whole backup; an existing FILE is never overwritten.
Uploaded files are not in the database: back them up alongside.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections


class Command(BaseCommand):
    help = "Back up the database to a file while the service runs (SQLite or PostgreSQL)."
    # A backup must work while someone holds SQLite's write lock (an import,
    # a retention run): the system checks open a write transaction of their
    # own, wait for it, and then fail.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="The backup file to write.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Which database (default: default).")

    def handle(self, *args, output: Path, database: str, **options):
        if output.exists():
            raise CommandError(f"{output} already exists: choose a new name (a backup is never overwritten).")
        if not output.parent.is_dir():
            raise CommandError(f"{output.parent} is not a directory.")
        connection = connections[database]
        partial = output.with_name(f".{output.name}.partial")
        partial.unlink(missing_ok=True)
        try:
            if connection.vendor == "sqlite":
                sqlite_backup(connection, partial)
            elif connection.vendor == "postgresql":
                postgresql_dump(connection.settings_dict, partial)
            else:
                raise CommandError(f"Cannot back up a {connection.vendor} database.")
            partial.rename(output)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"Backed up the {connection.vendor} database to {output} "
                          f"({output.stat().st_size:,} bytes)")


def sqlite_backup(connection, target: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # pages=-1: all at once, one snapshot (see the module docstring).
        connection.connection.backup(copy, pages=-1)
        # One file to keep and restore: no write-ahead log beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        result = copy.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        copy.close()
    if result != "ok":
        raise CommandError(f"The copy failed its integrity check: {result}")


def postgresql_environment(settings_dict: dict) -> dict:
    """libpq's environment for the database in `settings_dict`: the password
    stays out of the command line (and so out of `ps`)."""
    options = settings_dict.get("OPTIONS", {})
    found = {
        "PGHOST": settings_dict.get("HOST") or "", "PGPORT": str(settings_dict.get("PORT") or ""),
        "PGUSER": settings_dict.get("USER") or "", "PGPASSWORD": settings_dict.get("PASSWORD") or "",
        "PGSSLMODE": options.get("sslmode", ""), "PGDATABASE": settings_dict["NAME"],
    }
    return {**os.environ, **{name: value for name, value in found.items() if value}}


def postgresql_dump(settings_dict: dict, target: Path) -> None:
    result = subprocess.run(  # noqa: S603 - fixed program, arguments are ours
        ["pg_dump", "--format=custom", f"--file={target}", settings_dict["NAME"]],  # noqa: S607
        env=postgresql_environment(settings_dict), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
