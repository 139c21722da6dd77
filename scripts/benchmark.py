#!/usr/bin/env python
"""Measure the dashboard through a real server (docs/performance.md, "Dashboard at a million statements").

    # once: a million synthetic statements in an empty PostgreSQL database
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/fs_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py generate_synthetic --statements 1000000 --seed 1
    # then, as often as needed
    .venv/bin/python scripts/benchmark.py --output /tmp/bench.md

Starts gunicorn on the database in DATABASE_URL under production settings (DEBUG off), logs
in a bench editor and a bench admin (users `bench-editor`, `bench-admin`, made if missing),
and requests each page --requests times, one request at a time, after one warm-up request.
For every URL it reports p50 and p95 of the wall time seen by the client, the response
size, the number of SQL queries the view runs (the same request replayed in this process
under CaptureQueriesContext) and the floor: the time those same SQL statements take alone
on a plain connection (median of --floor-repeats runs, inside a transaction rolled back).
After the run it reports the resident memory of every gunicorn worker.

--small makes a throwaway database beside the one in DATABASE_URL (a new PostgreSQL
database on the same server, or a temporary SQLite file), writes about 10,000 synthetic
statements into it, measures with fewer requests, and drops it. CI runs that mode: it
asserts no time, but exits non-zero if any URL answers anything but 200.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

SEARCH_TERM = "sanctions"
MIN_REQUESTS = 10  # with --max-seconds, never fewer requests than this


@dataclass
class Target:
    """One URL to measure."""

    page: str
    path: str
    role: str = "editor"  # whose session asks: editor (dashboard) or admin (Django admin)
    htmx: bool = False


@dataclass
class Result:
    target: Target
    times: list[float] = field(default_factory=list)
    status: int = 0
    size: int = 0
    queries: int = 0
    floor: float = 0.0
    error: str = ""

    def row(self) -> list[str]:
        ms = sorted(t * 1000 for t in self.times)
        p50 = statistics.median(ms) if ms else 0
        p95 = statistics.quantiles(ms, n=20, method="inclusive")[18] if len(ms) > 1 else p50
        path = self.target.path + (" (htmx)" if self.target.htmx else "")
        status = "" if self.status == 200 else f" **{self.status} {self.error}**"
        return [
            self.target.page + status,
            f"`{path}`",
            f"{p50:.0f}",
            f"{p95:.0f}",
            str(len(self.times)),
            str(self.queries),
            f"{self.size:,}",
            f"{self.floor * 1000:.0f}",
        ]


# ---------------------------------------------------------------- the database


def server_env(database_url: str) -> dict[str, str]:
    """Production settings for gunicorn and for the replay in this process."""
    return {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",  # no collectstatic needed; the pages are what is measured
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",  # whitenoise, without collectstatic
    }


@contextlib.contextmanager
def throwaway_database(database_url: str) -> Iterator[str]:
    """A new empty database beside `database_url` (same PostgreSQL server, or a temporary SQLite file)."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.sqlite3"
        return
    import psycopg

    name = f"framescope_bench_{secrets.token_hex(4)}"
    parts = urllib.parse.urlsplit(database_url)
    maintenance = urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    # whitenoise warns about the missing collectstatic directory for every test client made
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def sessions() -> dict[str, str]:
    """Session keys of a bench editor and a bench admin, made if missing."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from coverage.roles import EDITORS

    User = get_user_model()
    editor, _ = User.objects.get_or_create(username="bench-editor")
    editor.groups.add(Group.objects.get(name=EDITORS))
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True})
    keys = {}
    for role, user in (("editor", editor), ("admin", admin)):
        client = Client()
        client.force_login(user)
        keys[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


def targets() -> list[Target]:
    """Every page the issue names, for a small event, the big one and across events."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from coverage.models import Article, ChartKind, Event, Statement, StatementStatus

    accepted = Q(articles__statements__status=StatementStatus.ACCEPTED)
    events = Event.objects.annotate(
        n=Count("articles__statements", filter=accepted), outlets=Count("articles__outlet", distinct=True)
    )
    big = events.order_by("-n").first()
    small = events.filter(outlets__gte=2, n__gt=0).exclude(pk=big.pk).order_by("n").first() or big
    out: list[Target] = []
    for label, event in (("small event", small), ("big event", big)):
        statements = Statement.objects.accepted().filter(article__event=event)
        top = list(statements.values_list("article__outlet__slug").annotate(n=Count("id")).order_by("-n")[:2])
        outlet = top[0][0]
        other = top[-1][0]
        topic = (
            statements.filter(article__outlet__slug=outlet, topic__isnull=False)
            .values_list("topic__slug")
            .annotate(n=Count("id"))
            .order_by("-n")[0][0]
        )
        page = reverse("coverage:event_detail", args=[event.slug])
        drill = reverse("coverage:event_statements", args=[event.slug])
        out += [
            Target(f"Event page, {label}", page),
            Target(f"Matrix partial, {label}", page, htmx=True),
            Target(f"Cell drill-down, {label}", f"{drill}?outlet={outlet}&topic={topic}", htmx=True),
            Target(f"Row drill-down, {label}", f"{drill}?outlet={outlet}", htmx=True),
            Target(
                f"Compare, {label}", reverse("coverage:event_compare", args=[event.slug]) + f"?a={outlet}&b={other}"
            ),
        ]
        for kind in ChartKind.values:
            for suffix, what in (("", "page"), ("_json", "JSON"), ("_csv", "CSV")):
                url = reverse(f"coverage:chart{suffix}", args=[event.slug, kind])
                out.append(Target(f"Chart {kind} {what}, {label}", url))
    for kind in ChartKind.values:
        for suffix, what in (("", "page"), ("_json", "JSON"), ("_csv", "CSV")):
            url = reverse(f"coverage:chart_across_events{suffix}", args=[kind])
            out.append(Target(f"Chart {kind} {what}, across events", url))
    admin_list = reverse("admin:coverage_statement_changelist")
    article = (
        Article.objects.filter(event=big)
        .annotate(n=Count("statements"))
        .order_by("-n")
        .values_list("pk", flat=True)
        .first()
    )
    out += [
        Target("Outlets overview", reverse("coverage:outlet_overview")),
        Target("Outlets overview CSV", reverse("coverage:outlet_overview_csv")),
        Target("Admin statement list", admin_list, role="admin"),
        Target("Admin statement list, search", f"{admin_list}?q={SEARCH_TERM}", role="admin"),
        Target("Article page (big event, most statements)", reverse("coverage:article_detail", args=[article])),
    ]
    return out


# ---------------------------------------------------------------- measuring


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    server = subprocess.Popen([*command, "--log-level", "warning"], cwd=ROOT, env={**os.environ, **env})
    for _ in range(150):
        with contextlib.suppress(OSError):
            if request(port, "/login/", {})[0] == 200:
                return server
        if server.poll() is not None:
            raise SystemExit("gunicorn did not start")
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /login/")


def request(port: int, path: str, headers: dict[str, str]) -> tuple[int, int, float]:
    """Status, body bytes and wall time of one GET on a new connection (gunicorn closes each)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, len(body), time.perf_counter() - started


def headers_for(target: Target, keys: dict[str, str]) -> dict[str, str]:
    from django.conf import settings

    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={keys[target.role]}"}
    if target.htmx:
        headers["HX-Request"] = "true"
    return headers


def replay(target: Target, keys: dict[str, str]) -> tuple[int, list[str]]:
    """The request run in this process: its status and the SQL it ran."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = keys[target.role]
    extra = {"HX-Request": "true"} if target.htmx else {}
    client.get(target.path, headers=extra)  # a session renewal or a cold cache is not the page
    with CaptureQueriesContext(connection) as captured:
        response = client.get(target.path, headers=extra)
    return response.status_code, [q["sql"] for q in captured.captured_queries]


def floor(sqls: list[str], repeats: int) -> float:
    """Median time of running these statements alone, rows fetched, in a transaction rolled back."""
    from django.db import connection, transaction

    runs = []
    for _ in range(repeats):
        with transaction.atomic():
            with connection.cursor() as cursor:
                started = time.perf_counter()
                for sql in sqls:
                    if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
                        continue
                    cursor.execute(sql)
                    if cursor.description is not None:
                        cursor.fetchall()
                runs.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return statistics.median(runs)


def measure(
    target: Target, port: int, keys: dict[str, str], requests: int, floor_repeats: int, budget: float | None
) -> Result:
    result = Result(target)
    headers = headers_for(target, keys)
    result.status, result.size, _ = request(port, target.path, headers)  # warm-up
    if result.status != 200:
        result.error = "from gunicorn"
        return result
    started = time.monotonic()
    for _ in range(requests):
        if budget and len(result.times) >= MIN_REQUESTS and time.monotonic() - started > budget:
            break  # a slow page on a busy machine: fewer requests, and the table says how many
        status, size, seconds = request(port, target.path, headers)
        if status != 200:
            result.status, result.error = status, "during the run"
            return result
        result.times.append(seconds)
    status, sqls = replay(target, keys)
    if status != 200:
        result.status, result.error = status, "replayed in process"
        return result
    result.queries = len(sqls)
    result.floor = floor(sqls, floor_repeats)
    return result


def worker_rss(master: int) -> list[float]:
    """Resident memory (MB) of each gunicorn worker."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        kb = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
        sizes.append(kb / 1024)
    return sizes


def dataset() -> str:
    from django.db.models import Count

    from coverage.models import Article, Event, Outlet, Statement

    sizes = Statement.objects.values("article__event").annotate(n=Count("id")).values_list("n", flat=True)
    return (
        f"{Statement.objects.count():,} statements, {Article.objects.count():,} articles, "
        f"{Event.objects.count():,} events (the biggest {max(sizes, default=0):,} statements), "
        f"{Outlet.objects.count():,} outlets"
    )


def markdown(results: list[Result], rss: list[float], header: list[str]) -> str:
    lines = [*header, ""]
    lines.append("| Page | URL | p50 ms | p95 ms | requests | queries | bytes | floor ms |")
    lines.append("|---|---|--:|--:|--:|--:|--:|--:|")
    lines += ["| " + " | ".join(r.row()) + " |" for r in results]
    lines.append("")
    if rss:
        workers = ", ".join(f"{mb:.0f} MB" for mb in rss)
        lines.append(f"gunicorn worker RSS after the run: {workers} (max {max(rss):.0f} MB).")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, database_url: str) -> int:
    env = server_env(database_url)
    setup_django(env)
    from django.core.management import call_command
    from django.db import connection

    if args.small:
        call_command("migrate", verbosity=0)
        call_command("generate_synthetic", statements=args.statements, seed=1, events=20, outlets=6, verbosity=0)
    keys = sessions()
    chosen = [t for t in targets() if re.search(args.only, t.page)] if args.only else targets()
    port = args.port or free_port()
    budget = (
        f" (or fewer, not under {MIN_REQUESTS}, once a URL has taken {args.max_seconds:g} s)"
        if args.max_seconds
        else ""
    )
    header = [
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {connection.vendor}: {dataset()}.",
        f"gunicorn with {args.workers} sync workers, DEBUG off; one client, {args.requests} requests a URL after "
        f"one warm-up{budget}; floor = the view's SQL alone, median of {args.floor_repeats}. "
        f"{os.cpu_count()} CPUs, load average before the run {os.getloadavg()[0]:.1f}.",
    ]
    print("\n".join(header), flush=True)
    server = start_gunicorn(env, port, args.workers)
    results: list[Result] = []
    rss: list[float] = []
    try:
        for target in chosen:
            result = measure(target, port, keys, args.requests, args.floor_repeats, args.max_seconds)
            results.append(result)
            print(" | ".join(result.row()), flush=True)
        rss = worker_rss(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    header.append(f"Load average after the run {os.getloadavg()[0]:.1f}.")
    report = markdown(results, rss, header)
    print(report)
    if args.output:
        Path(args.output).write_text(report, encoding="utf-8")
    failed = [r for r in results if r.status != 200]
    for r in failed:
        print(f"FAIL: {r.target.page} {r.target.path} answered {r.status} ({r.error})", file=sys.stderr)
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="Throwaway database of --statements statements.")
    parser.add_argument("--statements", type=int, default=10_000, help="Statements for --small (default 10,000).")
    parser.add_argument("--requests", type=int, help="Requests per URL (default 30; 3 with --small).")
    parser.add_argument("--floor-repeats", type=int, help="Runs of the SQL alone (default 10; 2 with --small).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
    parser.add_argument("--port", type=int, help="Port for gunicorn (default: a free one).")
    parser.add_argument("--only", help="Measure only pages whose name matches this regular expression.")
    parser.add_argument(
        "--max-seconds",
        type=float,
        help=f"Stop measuring a URL after this many seconds (but not before {MIN_REQUESTS} requests); "
        "for slow pages on a busy machine. Default: always --requests.",
    )
    parser.add_argument("--output", help="Also write the Markdown table to this file.")
    args = parser.parse_args()
    args.requests = args.requests or (3 if args.small else 30)
    args.floor_repeats = args.floor_repeats or (2 if args.small else 10)
    database_url = os.environ.get("DATABASE_URL", "")
    if args.small:
        with throwaway_database(database_url) as url:
            return run(args, url)
    if not database_url:
        raise SystemExit("Set DATABASE_URL to the database that generate_synthetic filled (or give --small).")
    return run(args, database_url)


if __name__ == "__main__":
    sys.exit(main())
