"""manage.py backup_database FILE: the whole database in one file (see coverage/backups.py)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coverage.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the whole database to FILE (pg_dump custom format on PostgreSQL, an SQLite file on SQLite)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="Where to write the backup; must not exist yet.")
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args: Any, file: Path, database: str, **options: Any) -> None:
        try:
            backup(file, database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up the {database} database to {file} ({file.stat().st_size:,} bytes).")
