"""`make run` serves through scripts/serve: the server and the worker start together and stop together on Ctrl+C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from coverage.jobs.models import Job, JobState
from coverage.jobs.tasks import suggest_now_or_later

from .conftest import make_article
from .worker import ROOT, restore_migration_data, worker_env

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(check, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


def _serves(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - a local http URL we built
            return response.status == 200
    except OSError:
        return False


def test_the_server_and_the_worker_start_together_and_ctrl_c_stops_both(settings):
    restore_migration_data()
    settings.SUGGEST_INLINE_MAX_CHARS = 10
    article = make_article(body="“We will rebuild the pier within a month,” Anna Petrova said on Monday.")
    job = suggest_now_or_later(article).job
    port = _free_port()
    serve = subprocess.Popen(
        [str(ROOT / "scripts" / "serve"), f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**worker_env(), "PY": sys.executable},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, as a terminal's foreground job has
    )
    try:
        assert _wait_for(lambda: _serves(f"http://127.0.0.1:{port}/login/")), "the server did not start"
        assert _wait_for(lambda: Job.objects.get(pk=job.pk).state == JobState.DONE), "the worker did not run the job"
        os.killpg(serve.pid, signal.SIGINT)  # what Ctrl+C sends to the terminal's foreground group
        serve.wait(timeout=30)
        assert _wait_for(lambda: not _group_alive(serve.pid), 15), "a process of the group is still running"
        assert not _serves(f"http://127.0.0.1:{port}/login/")
    finally:
        if _group_alive(serve.pid):
            os.killpg(serve.pid, signal.SIGKILL)
    assert article.statements.get().text == "We will rebuild the pier within a month"


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True
