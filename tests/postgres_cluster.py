"""A throwaway PostgreSQL cluster that a test may stop and start, and ways to run the app on it.

Used by the outage and backup tests: the suite's own database must never go down, so
these tests run `manage.py` and gunicorn in subprocesses against a cluster of their own
(initdb/pg_ctl, as TESTING.md and .ci/run do).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "outage-test-editor-pass"
TEMPLATE = "framescope_demo"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin")
    return versions[-1]


def _as_postgres(args: list[str]) -> list[str]:
    # initdb refuses to run as root; the cluster belongs to the postgres user then.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run manage.py in a subprocess with `env` added; raises with its output if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


class PostgresCluster:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="framescope-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.port = free_port()
        self.bin = _pg_bin()
        subprocess.run(
            _as_postgres(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.dir / "data"),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(
                [
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.dir / "data"),
                    "-l",
                    str(self.dir / "log"),
                    "-w",
                    "-o",
                    options,
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        """Stop at once, as a crash or a lost network would: no goodbye to the clients."""
        subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop"]),
            check=True,
            capture_output=True,
        )

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [
                str(self.bin / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-XAtc",
                statement,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()

    def demo_database(self, name: str) -> str:
        """A new database holding the migrated schema and the demo (users included); its URL."""
        if self.sql(f"SELECT count(*) FROM pg_database WHERE datname = '{TEMPLATE}'") == "0":
            self.sql(f"CREATE DATABASE {TEMPLATE}")
            env = {"DATABASE_URL": self.url(TEMPLATE), "DEMO_EDITOR_PASSWORD": DEMO_PASSWORD}
            manage("migrate", "--noinput", "-v0", env=env)
            manage("load_demo", env=env)
        self.sql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)


@contextlib.contextmanager
def gunicorn(database_url: str) -> Iterator[int]:
    """Serve the app under production settings on a free port; yields the port."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "outage-test-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "CRITICAL",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request("GET", port, "/login/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


class Response:
    def __init__(self, raw: http.client.HTTPResponse, elapsed: float) -> None:
        self.status = raw.status
        self.headers = raw.headers
        self.body = raw.read().decode("utf-8", "replace")
        self.elapsed = elapsed
        self.cookies = {
            value.split("=", 1)[0]: value.split("=", 1)[1].split(";", 1)[0]
            for value in raw.headers.get_all("Set-Cookie") or []
        }


def request(
    method: str, port: int, path: str, body: str | None = None, cookies: dict[str, str] | None = None
) -> Response:
    """One HTTP request, no redirects followed, cookies sent as given (they are `Secure` under
    production settings, which a cookie jar would keep off plain HTTP)."""
    headers = {"Host": "127.0.0.1"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    started = time.monotonic()
    try:
        connection.request(method, path, body=body, headers=headers)
        return Response(connection.getresponse(), time.monotonic() - started)
    finally:
        connection.close()
