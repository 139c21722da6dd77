"""A job's progress, written as the importer goes, and its cancellation, seen between batches.

`JobProgress` is the importers' progress protocol (`progress(items, total, description)`,
the one the command gives tqdm): it hands the items on and, at most every half second,
writes how far the stage is and checks whether someone pressed Cancel. When they did, it
raises `JobCancelled` between two items; the import's transaction then rolls back whole.

Inside that transaction the worker's own connection will not do: what it writes stays
invisible to the progress page until the commit, and while statements stream in with
COPY it can run no other query. On PostgreSQL progress and cancellation therefore go
through a second connection of the job's own, in autocommit. SQLite lets one connection
write at a time, and the import holds that lock: there the bar stays at the last stage
written before the transaction (reading the files) until it ends, and a Cancel waits for
it (docs/jobs.md).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from .models import Job

SAVE_EVERY = 0.5  # seconds between two progress writes (and cancellation checks)


class JobCancelled(Exception):
    """Someone cancelled the job; raised between batches so that the import writes nothing."""


class JobProgress:
    def __init__(self, job: Job, every: float | None = None) -> None:
        self.job = job
        self.every = SAVE_EVERY if every is None else every
        self._last = 0.0
        self._side: BaseDatabaseWrapper | None = None

    def __call__(self, items: Iterable, total: int, description: str) -> Iterator:
        self.report(0, total, description, force=True)
        done = 0
        for item in items:
            yield item
            done += 1
            self.report(done, total, description)
        self.report(done, max(done, total), description, force=True)

    def report(self, done: int, total: int, message: str, *, force: bool = False) -> None:
        """Write the progress (throttled unless forced), then raise JobCancelled if cancelled."""
        now = time.monotonic()
        if not force and now - self._last < self.every:
            return
        self._last = now
        self._save(min(done, total), total, message[:300])
        if self.cancel_requested():
            raise JobCancelled

    def cancel_requested(self) -> bool:
        if self._aside():
            sql = f"SELECT cancel_requested FROM {self._table()} WHERE id = %s"  # noqa: S608 - our own table's name
            return bool(self._run_aside(sql, [self.job.pk]))
        return Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists()

    def _save(self, done: int, total: int, message: str) -> None:
        values = {"progress_done": done, "progress_total": total, "message": message, "updated_at": timezone.now()}
        if self._aside():
            columns = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in values)
            sql = f"UPDATE {self._table()} SET {columns} WHERE id = %s"  # noqa: S608 - our own table and columns
            self._run_aside(sql, [*values.values(), self.job.pk])
        elif not connection.in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(**values)
        # Otherwise (SQLite inside the import's transaction) a second connection would wait
        # on the import's own write lock: the figures written before the transaction stay.

    @staticmethod
    def _aside() -> bool:
        return connection.in_atomic_block and connection.vendor == "postgresql"

    @staticmethod
    def _table() -> str:
        return connection.ops.quote_name(Job._meta.db_table)

    def _run_aside(self, sql: str, params: list) -> object:
        """Run one statement on the job's own connection; returns the first column of its row."""
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        with self._side.cursor() as cursor:
            # Only the model's own table and column names are in `sql`; values are parameters.
            cursor.execute(sql, params)
            row = cursor.fetchone() if cursor.description else None
        return row[0] if row else None

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
