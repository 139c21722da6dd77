"""Running the real task worker (django-tasks-db) in tests, in this process or as `manage.py db_worker`.

Tests that use it are transactional: the worker reads what the test committed, from its
own connection or its own process, as it does beside the web server.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker

from coverage.roles import sync_roles

ROOT = Path(__file__).resolve().parent.parent


def restore_migration_data() -> None:
    """A transactional test's flush empties every table, rows made by data migrations included."""
    importlib.import_module("coverage.migrations.0002_media_frames_codebook").install(apps, None)
    sync_roles(apps)


def run_worker_here() -> None:
    """django-tasks-db's worker, in this process: run every queued task, then return."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def worker_database_url() -> str:
    """DATABASE_URL of the test database, for a worker in another process."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


def worker_command(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload", "--no-startup-delay", *args]


def worker_env() -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": worker_database_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}


def run_db_worker(timeout: float = 120) -> subprocess.CompletedProcess:
    """`manage.py db_worker --batch` against the test database: runs what is queued, then exits."""
    return subprocess.run(
        worker_command("--batch", "--interval", "0"),
        cwd=ROOT,
        env=worker_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
