"""Backups: `backup_database` then `restore_database` gives back every row, on SQLite and on
PostgreSQL, both over a damaged database and into an empty one. Each round trip runs the
commands as an operator would, in subprocesses, against a database of its own."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.postgres_cluster import manage

TABLES = [
    "coverage_statement",
    "coverage_article",
    "coverage_source",
    "coverage_event",
    "auth_user",
    "django_migrations",
]


def sqlite_rows(path: Path) -> dict[str, list[tuple]]:
    with closing(sqlite3.connect(path)) as db:
        return {table: db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in TABLES}


@pytest.fixture(scope="module")
def sqlite_demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-demo") / "framescope.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{path}", "DEMO_EDITOR_PASSWORD": "backup-test-editor-pass"}
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_demo", env=env)
    return path


@pytest.fixture
def sqlite_demo(sqlite_demo_template, tmp_path) -> tuple[Path, dict[str, str]]:
    """A migrated SQLite database with the demo and its users, of this test's own."""
    path = tmp_path / "framescope.sqlite3"
    shutil.copy(sqlite_demo_template, path)
    return path, {"DATABASE_URL": f"sqlite:///{path}"}


def test_a_sqlite_backup_restores_every_row_over_a_damaged_database(sqlite_demo, tmp_path):
    path, env = sqlite_demo
    before = sqlite_rows(path)
    assert len(before["coverage_statement"]) > 20
    backup = tmp_path / "backup.sqlite3"
    assert "Backed up the default database" in manage("backup_database", str(backup), env=env).stdout

    with closing(sqlite3.connect(path)) as db, db:
        db.execute("DELETE FROM coverage_statement")
        db.execute("UPDATE coverage_article SET headline = 'damaged'")
    assert sqlite_rows(path) != before

    manage("restore_database", str(backup), "--no-input", env=env)
    assert sqlite_rows(path) == before


def test_a_sqlite_backup_restores_into_a_new_empty_database(sqlite_demo, tmp_path):
    path, env = sqlite_demo
    backup = tmp_path / "backup.sqlite3"
    manage("backup_database", str(backup), env=env)
    fresh = tmp_path / "fresh.sqlite3"
    manage("restore_database", str(backup), "--no-input", env={**env, "DATABASE_URL": f"sqlite:///{fresh}"})
    assert sqlite_rows(fresh) == sqlite_rows(path)


def test_backups_never_overwrite_and_a_bad_file_is_refused_without_harm(sqlite_demo, tmp_path):
    path, env = sqlite_demo
    before = sqlite_rows(path)
    existing = tmp_path / "existing"
    existing.write_text("keep me")
    with pytest.raises(AssertionError, match="exists already"):
        manage("backup_database", str(existing), env=env)
    assert existing.read_text() == "keep me"
    with pytest.raises(AssertionError, match="is not an SQLite database|not an intact Framescope backup"):
        manage("restore_database", str(existing), "--no-input", env=env)
    assert sqlite_rows(path) == before


def pg_rows(cluster, database: str) -> dict[str, str]:
    """A digest of every row of each table, in id order."""
    return {
        table: cluster.sql(
            f"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM {table} t",
            database,
        )
        for table in TABLES
    }


def test_a_postgresql_backup_restores_every_row_over_a_damaged_database_and_into_a_new_one(
    throwaway_postgres, tmp_path
):
    cluster = throwaway_postgres
    env = {"DATABASE_URL": cluster.demo_database("backup_source")}
    before = pg_rows(cluster, "backup_source")
    assert int(before["coverage_statement"].split(":")[0]) > 20
    backup = tmp_path / "framescope.dump"
    manage("backup_database", str(backup), env=env)

    # CASCADE: the demo's claims (matched when it loads) refer to its statements.
    cluster.sql(
        "TRUNCATE coverage_statement CASCADE; UPDATE coverage_article SET headline = 'damaged'", "backup_source"
    )
    assert pg_rows(cluster, "backup_source") != before
    manage("restore_database", str(backup), "--no-input", env=env)
    assert pg_rows(cluster, "backup_source") == before

    cluster.sql("CREATE DATABASE backup_fresh")
    manage("restore_database", str(backup), "--no-input", env={"DATABASE_URL": cluster.url("backup_fresh")})
    assert pg_rows(cluster, "backup_fresh") == before


def test_a_failed_postgresql_restore_changes_nothing(throwaway_postgres, tmp_path):
    cluster = throwaway_postgres
    env = {"DATABASE_URL": cluster.demo_database("restore_target")}
    before = pg_rows(cluster, "restore_target")
    truncated = tmp_path / "truncated.dump"
    manage("backup_database", str(truncated), env=env)
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    with pytest.raises(AssertionError, match="pg_restore failed"):
        manage("restore_database", str(truncated), "--no-input", env=env)
    assert pg_rows(cluster, "restore_target") == before
