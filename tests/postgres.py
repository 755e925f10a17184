"""Making and dropping PostgreSQL databases beside the suite's own, with the
client programs an operator would use (createdb, pg_dump, pg_restore)."""

import subprocess
from pathlib import Path
from urllib.parse import quote

from prevent_hub.core.management.commands.backup_database import postgresql_environment


def _run(settings_dict: dict, *command: str) -> None:
    subprocess.run(command, env=postgresql_environment(settings_dict), check=True,  # noqa: S603
                   capture_output=True, text=True, timeout=300)


def database_create(settings_dict: dict, name: str) -> None:
    _run(settings_dict, "dropdb", "--if-exists", "--force", name)
    _run(settings_dict, "createdb", name)


def database_drop(settings_dict: dict, name: str) -> None:
    _run(settings_dict, "dropdb", "--if-exists", "--force", name)


def dump_restore(settings_dict: dict, dump: Path, name: str) -> None:
    """Restore a `pg_dump --format=custom` file into a new database `name`."""
    database_create(settings_dict, name)
    _run(settings_dict, "pg_restore", "--no-owner", "--exit-on-error", f"--dbname={name}", str(dump))


def database_url(settings_dict: dict, name: str) -> str:
    user = quote(settings_dict.get("USER") or "")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{name}"
