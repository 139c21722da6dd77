#!/usr/bin/env python
"""Time `manage.py import_articles` on a very long text, and the suggester on long bodies (docs/performance.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fs_bench .venv/bin/python scripts/bench_long_text.py

Writes a synthetic scraped text of --megabytes MB (a storm story, one paragraph repeated
with numbers changed), imports it with the command as it ships (refused: longer than one
article can be), then again with IMPORT_MAX_ARTICLE_CHARS raised so that it is imported,
and times the suggester on growing parts of the body, which is what used to run inside
the import's transaction. Deletes what it made. Prints the figures; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

NAMES = ["Anna Petrova", "Jonas Berg", "Maria Lind", "the harbour authority", "Tomas Vik"]


def write_text(path: Path, megabytes: float) -> None:
    target = int(megabytes * 1_000_000)
    with path.open("w", encoding="utf-8") as out:
        out.write("Harbour reopens after the storm\n\n3 March 2019 10:15\n\n")
        size, n = 0, 0
        while size < target:
            n += 1
            paragraph = (
                f"Paragraph {n}: the storm damaged the northern pier on Sunday, officials said. "
                f"“We will rebuild the pier within a month,” {NAMES[n % 5]} said on Monday. "
                f"Repairs will cost about {n % 97} million crowns, according to {NAMES[(n + 1) % 5]}. "
                "Fishermen waited on the quay for news of the ferry service.\n\n"
            )
            out.write(paragraph)
            size += len(paragraph.encode())


def run_command(path: Path, tag: str, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "import_articles",
        str(path),
        "--event",
        f"{tag}-event",
        "--create-event",
        "--event-date",
        "2019-03-03",
        "--outlet",
        f"{tag}-outlet",
        "--create-outlet",
        "--no-progress",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=50)
    parser.add_argument(
        "--suggester-sizes",
        default="100000,200000,400000,800000",
        help="Characters of the body to time the suggester on (comma-separated).",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from coverage.cleaning import clean_scraped_text
    from coverage.models import Article, Event, Outlet, Source
    from coverage.suggest import find_proposals

    call_command("migrate", verbosity=0)
    tag = f"bench-{uuid.uuid4().hex[:8]}"
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"Load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"Database: {engine} · Python {platform.python_version()} · {os.cpu_count()} CPU(s) · {platform.machine()}")
    env = {**os.environ}
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "long.txt"
            write_text(path, args.megabytes)
            print(f"Text: {path.stat().st_size / 1e6:.1f} MB")
            seconds, done = run_command(path, tag, env)
            message = (done.stderr.strip().splitlines() or [""])[-1]
            print(f"As shipped: exit {done.returncode} after {seconds:.1f} s: {message}")
            raised = {**env, "IMPORT_MAX_ARTICLE_CHARS": str(int(args.megabytes * 2_000_000))}
            seconds, done = run_command(path, tag, raised)
            print(f"With IMPORT_MAX_ARTICLE_CHARS raised: exit {done.returncode} after {seconds:.1f} s")
            print("  " + (done.stdout + done.stderr).strip().replace("\n", "\n  "))
            body = clean_scraped_text(path.read_text(encoding="utf-8")).body
        sources = list(Source.objects.all())
        print(f"Suggester on the first N characters of the body ({len(sources)} sources in the database):")
        for size in (int(n) for n in args.suggester_sizes.split(",")):
            started = time.perf_counter()
            proposals = find_proposals(body[:size], sources)
            print(f"  {size:>10,} characters: {time.perf_counter() - started:6.1f} s, {len(proposals):,} proposals")
        print(f"(The whole body is {len(body):,} characters.)")
    finally:
        Article.objects.filter(event__slug=f"{tag}-event").delete()
        Event.objects.filter(slug=f"{tag}-event").delete()
        Outlet.objects.filter(slug=f"{tag}-outlet").delete()
        connection.close()


if __name__ == "__main__":
    main()
