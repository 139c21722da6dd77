"""Back up and restore the whole database: every table, users and history included.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --single-transaction`, so a
restore lands whole or not at all. SQLite: the online backup API, which copies a consistent
snapshot while the app keeps running, and copies a backup back the same way.
The commands are `manage.py backup_database FILE` and `manage.py restore_database FILE`
(docs/security.md, "Backups").
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from typing import Any

from django.db import connections


class BackupError(Exception):
    """A backup or restore that could not be made; the message says why."""


def _settings(alias: str) -> dict[str, Any]:
    return connections[alias].settings_dict


def _vendor(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups know PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not on PATH: install the PostgreSQL client (Debian: postgresql-client).")
    return found


def _pg_connection_args(alias: str) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore, and the environment carrying the password."""
    db = _settings(alias)
    args = [f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]  # never on the command line, where `ps` would show it
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed arguments, no shell
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip() or result.stdout.strip()}")


def backup(path: Path, alias: str = "default") -> None:
    """Write the whole database to `path`, which must not exist yet."""
    if path.exists():
        raise BackupError(f"{path} exists already; choose a new file name (a backup never overwrites one).")
    if _vendor(alias) == "postgresql":
        args, env = _pg_connection_args(alias)
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={path}", *args], env)
        return
    source = sqlite3.connect(_settings(alias)["NAME"])
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def restore(path: Path, alias: str = "default") -> None:
    """Replace the whole database with the backup at `path` (all of it, or nothing on error)."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    connections[alias].close()
    if _vendor(alias) == "postgresql":
        args, env = _pg_connection_args(alias)
        options = ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
        _run([_pg_tool("pg_restore"), *options, *args, str(path)], env)
        return
    _check_sqlite_backup(path)
    source = sqlite3.connect(path)
    target = sqlite3.connect(_settings(alias)["NAME"])
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _check_sqlite_backup(path: Path) -> None:
    """Refuse anything but an intact SQLite file holding a Django database."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as backup_file:
            (status,) = backup_file.execute("PRAGMA integrity_check").fetchone()
            migrated = backup_file.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not an SQLite database: {error}.") from None
    if status != "ok" or not migrated:
        raise BackupError(f"{path} is not an intact Framescope backup ({status}).")
