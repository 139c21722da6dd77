#!/usr/bin/env python
"""Time importing a generated bundle of many statements (docs/performance.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fs_bench .venv/bin/python scripts/bench_import.py

Migrates the database given by DATABASE_URL (SQLite next to the code by default), writes a
bundle of --statements statements over --articles articles to a temporary file, imports it,
imports it again (which must create nothing), exports the event, and then deletes
everything it made unless --keep is given. Prints the figures; it is not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def write_bundle(path: Path, tag: str, statements: int, articles: int, frames: list[str]) -> None:
    per_article = max(1, statements // articles)
    sources = max(1, statements // 200)
    topics = 20
    tagged_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC).isoformat()
    with path.open("w", encoding="utf-8") as out:

        def put(record: dict) -> None:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

        put({"format": "framescope-bundle", "version": 1})
        for n in range(5):
            put(
                {
                    "record": "outlet",
                    "slug": f"{tag}-outlet-{n}",
                    "name": f"Bench outlet {tag} {n}",
                    "colour": "#0072B2",
                }
            )
        put({"record": "event", "slug": f"{tag}-event", "name": f"Bench event {tag}", "date": "2017-05-02"})
        for n in range(topics):
            put({"record": "topic", "event": f"{tag}-event", "slug": f"topic-{n}", "name": f"Topic {n}", "number": n})
        for n in range(sources):
            put({"record": "source", "name": f"Bench source {tag} {n}", "affiliation": "Bench", "type": "official"})
        written = 0
        for a in range(articles):
            count = per_article if a < articles - 1 else statements - written
            sentences = [f"Sentence {s} of article {a} says “something” — and more, {s * a}." for s in range(count)]
            body = " ".join(sentences)
            body_hash = hashlib.sha256(body.encode("utf-8")).hexdigest()
            outlet = f"{tag}-outlet-{a % 5}"
            put(
                {
                    "record": "article",
                    "event": f"{tag}-event",
                    "outlet": outlet,
                    "url": None,
                    "headline": f"Bench article {a}",
                    "body": body,
                    "body_hash": body_hash,
                }
            )
            start = 0
            for s, sentence in enumerate(sentences):
                put(
                    {
                        "record": "statement",
                        "article": {"event": f"{tag}-event", "outlet": outlet, "body_hash": body_hash},
                        "start": start,
                        "end": start + len(sentence),
                        "text": sentence,
                        "kind": "quote",
                        "source": {"name": f"Bench source {tag} {(a + s) % sources}", "affiliation": "Bench"},
                        "topic": f"topic-{s % topics}",
                        "frame": {"codebook": "media-frames-corpus", "slug": frames[s % len(frames)]},
                        "tone": (s % 5) - 2,
                        "target": "",
                        "status": "accepted",
                        "tagged_by": None,
                        "tagged_at": tagged_at,
                    }
                )
                start += len(sentence) + 1
            written += count


def _phases(result) -> str:
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.timings.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--keep", action="store_true", help="Leave the imported rows in the database.")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from coverage.importers import ImportFile, import_files
    from coverage.importers.bundle import export_event
    from coverage.management.commands.import_articles import tqdm_progress
    from coverage.models import Article, Event, Frame, Outlet, Source, Statement

    call_command("migrate", verbosity=0)
    frames = list(Frame.objects.filter(codebook__slug="media-frames-corpus").values_list("slug", flat=True))
    tag = f"bench-{uuid.uuid4().hex[:8]}"
    progress = tqdm_progress(not args.no_progress and sys.stderr.isatty())
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"Load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"Database: {engine} {connection.Database.__name__} · Python {platform.python_version()} · "
        f"{os.cpu_count()} CPU(s) · {platform.machine()}"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.jsonl"
        started = time.perf_counter()
        write_bundle(path, tag, args.statements, args.articles, frames)
        size = path.stat().st_size
        print(
            f"Generated {args.statements:,} statements over {args.articles:,} articles: "
            f"{size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s"
        )
        data = path.read_bytes()
    try:
        started, cpu = time.perf_counter(), time.process_time()
        result, _ = import_files([ImportFile("bench.jsonl", data)], progress=progress)
        first, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"First import: {first:.1f} s ({args.statements / first:,.0f} statements/s; {_phases(result)}; "
            f"Python CPU {cpu:.1f} s). {result.summary()}"
        )
        started = time.perf_counter()
        result, _ = import_files([ImportFile("bench.jsonl", data)], progress=progress)
        print(
            f"Second import of the same bundle: {time.perf_counter() - started:.1f} s ({_phases(result)}). {result.summary()}"
        )
        started = time.perf_counter()
        with open(os.devnull, "w", encoding="utf-8") as sink:
            lines = export_event(Event.objects.get(slug=f"{tag}-event"), sink)
        print(f"Export of the event: {lines:,} lines in {time.perf_counter() - started:.1f} s")
    finally:
        if not args.keep:
            statements = Statement.objects.filter(article__event__slug=f"{tag}-event")
            Statement.history.filter(article__event__slug=f"{tag}-event").delete()
            statements._raw_delete(statements.db)  # no per-row history on the way out
            Article.objects.filter(event__slug=f"{tag}-event").delete()
            Event.objects.filter(slug=f"{tag}-event").delete()
            Source.objects.filter(name__startswith=f"Bench source {tag}").delete()
            Outlet.objects.filter(slug__startswith=f"{tag}-outlet").delete()


if __name__ == "__main__":
    main()
