"""A database outage, for real: the app runs under gunicorn on a PostgreSQL cluster that the
test stops and starts again. Every page answers the styled 503 with Retry-After, /healthz
says "unavailable", and once the database is back everything works without a restart."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from tests.postgres_cluster import DEMO_PASSWORD, free_port, gunicorn, request

EVENT = "/events/putin-trump-call-2017-05-02/"
PAGES = ["/", EVENT, f"{EVENT}statements/?tone=-1", "/outlets/", "/charts/tone-over-time/", "/admin/", "/s/some-token/"]


def log_in(port: int) -> dict[str, str]:
    page = request("GET", port, "/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    cookies = dict(page.cookies)
    form = urlencode({"username": "editor", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token})
    response = request("POST", port, "/login/", form, cookies)
    assert response.status == 302, response.body[:300]
    return {**cookies, **response.cookies}


def assert_unavailable_page(response) -> None:
    assert response.status == 503
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Framescope is temporarily unavailable" in response.body
    assert '<link rel="stylesheet" href="/static/coverage/site.css">' in response.body  # styled like every page
    assert "Content-Security-Policy" in response.headers
    assert "Server Error" not in response.body and "Traceback" not in response.body


@pytest.fixture
def served(throwaway_postgres) -> Iterator[int]:
    with gunicorn(throwaway_postgres.demo_database("outage")) as port:
        yield port


def test_every_page_answers_503_while_the_database_is_down_and_recovers_without_a_restart(throwaway_postgres, served):
    port = served
    cookies = log_in(port)
    assert request("GET", port, EVENT, cookies=cookies).status == 200
    assert json.loads(request("GET", port, "/healthz").body) == {"database": "ok"}

    throwaway_postgres.stop()
    try:
        for path in PAGES:
            assert_unavailable_page(request("GET", port, path, cookies=cookies))
        assert_unavailable_page(request("GET", port, "/s/some-token/"))  # public, no session at all
        health = request("GET", port, "/healthz")
        assert (health.status, json.loads(health.body), health.headers["Retry-After"]) == (
            503,
            {"database": "unavailable"},
            "30",
        )
        # A login needs the database too (django-axes reads the attempts first).
        page = request("GET", port, "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
        form = urlencode({"username": "editor", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token})
        assert_unavailable_page(request("POST", port, "/login/", form, page.cookies))
    finally:
        throwaway_postgres.start()

    # Same server process, same session: the persistent connection is replaced by itself.
    assert json.loads(request("GET", port, "/healthz").body) == {"database": "ok"}
    for path in PAGES[:-2]:
        assert request("GET", port, path, cookies=cookies).status == 200, path


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers: a database host that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", free_port()))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def hold() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


def test_a_database_that_hangs_gives_the_503_after_the_connect_timeout_not_a_stuck_worker(silent_server):
    with gunicorn(f"postgres://postgres@127.0.0.1:{silent_server}/framescope") as port:
        for path in ("/s/some-token/", "/healthz"):
            response = request("GET", port, path)
            assert response.status == 503, path
            assert response.headers["Retry-After"] == "30"
            # The client gives up after 20 s (tests/postgres_cluster.py), psycopg's own default
            # is 130 s: an answer at all shows that DB_CONNECT_TIMEOUT (2 s) applies.


def test_the_503_page_reads_neither_the_session_nor_the_user(db, rf, django_assert_num_queries):
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.functional import SimpleLazyObject

    from coverage.outage import unavailable_response

    request = rf.get("/outlets/")
    request.session = SessionStore(session_key="a" * 32)  # loading it would query
    request.user = SimpleLazyObject(lambda: pytest.fail("the 503 page loaded the user"))
    with django_assert_num_queries(0):
        response = unavailable_response(request)
    assert response.status_code == 503 and "temporarily unavailable" in response.content.decode()
    assert not request.session.accessed
