#!/usr/bin/env python
"""Time the answers during a database outage (docs/security.md, "Database outage").

    .venv/bin/python scripts/bench_outage.py

Starts a throwaway PostgreSQL cluster (as the tests do), serves the demo with gunicorn
under production settings, then times: /healthz with the database up; every page of
tests/test_outage.py while the cluster is stopped; the first page once it is back; and
/healthz against a port that accepts connections and never answers. Prints the figures;
it is not a test.
"""

from __future__ import annotations

import socket
import statistics
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.postgres_cluster import PostgresCluster, free_port, gunicorn, request  # noqa: E402 - after the path
from tests.test_outage import PAGES, log_in  # noqa: E402 - after the path


def main() -> None:
    cluster = PostgresCluster()
    cluster.start()
    try:
        with gunicorn(cluster.demo_database("bench_outage")) as port:
            cookies = log_in(port)
            up = [request("GET", port, "/healthz").elapsed for _ in range(20)]
            cluster.stop()
            down = [request("GET", port, path, cookies=cookies).elapsed for _ in range(5) for path in PAGES]
            cluster.start()
            back = request("GET", port, "/", cookies=cookies)
    finally:
        cluster.destroy()
    print(f"/healthz, database up:          median {statistics.median(up) * 1000:.0f} ms (n={len(up)})")
    print(
        f"503 while stopped:              median {statistics.median(down) * 1000:.0f} ms, max {max(down) * 1000:.0f} ms (n={len(down)})"
    )
    print(f"first page after restart:       {back.status} in {back.elapsed * 1000:.0f} ms")

    silent = socket.socket()
    silent.bind(("127.0.0.1", free_port()))
    silent.listen(16)
    held: list[socket.socket] = []
    threading.Thread(target=lambda: [held.append(silent.accept()[0]) for _ in range(10)], daemon=True).start()
    with gunicorn(f"postgres://postgres@127.0.0.1:{silent.getsockname()[1]}/framescope") as port:
        hung = [request("GET", port, "/healthz").elapsed for _ in range(3)]
    print(f"503 while the server hangs:     median {statistics.median(hung):.2f} s (n={len(hung)})")


if __name__ == "__main__":
    main()
