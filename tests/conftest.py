"""Factories and fixtures shared by the whole suite."""

from __future__ import annotations

import datetime as dt
import itertools
import os

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from coverage.models import (
    MEDIA_FRAMES_CODEBOOK_SLUG,
    Article,
    Codebook,
    Event,
    Frame,
    Outlet,
    Source,
    SourceType,
    Statement,
    TaggingStatus,
    Topic,
)
from coverage.roles import EDITORS, TAGGERS

# Playwright's sync API runs an event loop in the test thread; the ORM calls that browser
# tests make for set-up are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_counter = itertools.count(1)


def make_outlet(**fields) -> Outlet:
    n = next(_counter)
    fields.setdefault("name", f"Outlet {n}")
    fields.setdefault("slug", f"outlet-{n}")
    fields.setdefault("country", "Testland")
    return Outlet.objects.create(**fields)


def make_event(**fields) -> Event:
    n = next(_counter)
    fields.setdefault("name", f"Event {n}")
    fields.setdefault("slug", f"event-{n}")
    fields.setdefault("date", dt.date(2017, 5, 2))
    fields.setdefault("codebook", Codebook.objects.get(slug=MEDIA_FRAMES_CODEBOOK_SLUG))
    return Event.objects.create(**fields)


def make_topic(event: Event, **fields) -> Topic:
    n = next(_counter)
    fields.setdefault("name", f"Topic {n}")
    fields.setdefault("slug", f"topic-{n}")
    return Topic.objects.create(event=event, **fields)


def make_source(**fields) -> Source:
    n = next(_counter)
    fields.setdefault("name", f"Source {n}")
    fields.setdefault("type", SourceType.OFFICIAL)
    return Source.objects.create(**fields)


def make_article(event: Event | None = None, outlet: Outlet | None = None, **fields) -> Article:
    n = next(_counter)
    fields.setdefault("headline", f"Headline {n}")
    fields.setdefault("body", f"Article {n} says something. “A quote,” said someone. The end.")
    # Most tests are about fully tagged coverage; tests of partial tagging say so.
    fields.setdefault("tagging_status", TaggingStatus.COMPLETE)
    return Article.objects.create(event=event or make_event(), outlet=outlet or make_outlet(), **fields)


def make_statement(article: Article, text: str | None = None, **fields) -> Statement:
    """A statement on the first occurrence of `text` (default: the body's first sentence)."""
    text = text or article.body.split(". ")[0]
    start = article.body.index(text)
    fields.setdefault("kind", "assertion")
    if "frame" not in fields:
        fields["frame"] = Frame.objects.filter(codebook=article.event.codebook).first()
    return Statement.objects.create(article=article, start=start, end=start + len(text), text=text, **fields)


def make_user(username: str, group: str | None = None, **fields):
    user = get_user_model().objects.create_user(username=username, password="pw-for-tests-only", **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """A deliberately slow hash makes every login and every made user cost a second; tests
    need the checks, not the cost (tests of the hashing itself would override this)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    return make_user("ed", EDITORS)


@pytest.fixture
def tagger(db):
    return make_user("tag", TAGGERS, is_staff=True)


@pytest.fixture
def admin_user(db):
    return make_user("root", None, is_staff=True, is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def demo(db):
    """The real demo event, loaded as `manage.py load_demo` loads it (without users)."""
    call_command("load_demo", "--no-users", stdout=open(os.devnull, "w"))
    return Event.objects.get(slug="putin-trump-call-2017-05-02")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, tmp_path_factory):
    """On SQLite, test in a file rather than in memory.

    An in-memory database is one connection that the live server's request threads share;
    two concurrent requests from a browser page (htmx, a drill-down) can then block each
    other for good. A file gives each thread its own connection and SQLite's own locking.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")


@pytest.fixture(scope="session")
def throwaway_postgres():
    """A PostgreSQL cluster of the tests' own, which they may stop and start (tests/postgres_cluster.py)."""
    from tests.postgres_cluster import PostgresCluster

    cluster = PostgresCluster()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright cannot download its own browser on these machines."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def pytest_sessionfinish(session, exitstatus):
    """With FRAMESCOPE_NO_SKIPS set (CI), a skipped test fails the run: a skip checks nothing."""
    if os.environ.get("FRAMESCOPE_NO_SKIPS") and exitstatus == 0:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter and reporter.stats.get("skipped"):
            session.exitstatus = 1


def _is_transactional(item) -> bool:
    from pytest_django.plugin import validate_django_db

    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", [])
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    if marker:
        transactional = transactional or validate_django_db(marker)[0]
    return transactional


@pytest.fixture(autouse=True)
def migration_data(request):
    """A transactional test's flush empties every table, rows made by data migrations
    included: before each such test, put the default codebook and the roles back."""
    if not _is_transactional(request.node):
        return
    import importlib

    from django.apps import apps

    from coverage.roles import sync_roles

    request.getfixturevalue("transactional_db")
    importlib.import_module("coverage.migrations.0002_media_frames_codebook").install(apps, None)
    sync_roles(apps)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Database tests first, transactional ones (browser, worker) after them, then the rest.

    pytest-django sorts so, but pytest then regroups tests by their parametrized session
    fixtures (the browser tests' browser name) and can move database tests after the
    transactional ones, whose flush empties the rows the migrations made (groups, codebook).
    """

    def order(item) -> int:
        if _is_transactional(item):
            return 1
        marker = item.get_closest_marker("django_db")
        return 0 if marker or "db" in getattr(item, "fixturenames", []) else 2

    items.sort(key=order)
