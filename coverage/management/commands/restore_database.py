"""manage.py restore_database FILE: replace the whole database with a backup (see coverage/backups.py)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from coverage.backups import BackupError, restore


class Command(BaseCommand):
    help = "Replace every table of the database with the backup in FILE (made by backup_database)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="A file written by manage.py backup_database.")
        parser.add_argument("--database", default="default", help="Database alias (default: default).")
        parser.add_argument("--no-input", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: Any, file: Path, database: str, no_input: bool, **options: Any) -> None:
        name = connections[database].settings_dict["NAME"]
        if not no_input:
            answer = input(f"This replaces everything in database {name!s} with {file}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            restore(file, database)
        except BackupError as error:
            raise CommandError(f"{error} The database was left as it was.") from None
        self.stdout.write(f"Restored database {name!s} from {file}.")
