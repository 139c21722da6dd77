"""Importing articles from .txt, .html and .jsonl bundle files, all or nothing.

    result = import_files([ImportFile("a.txt", data)], event="my-event", outlet="rt")

Every file is read and every record checked before anything is written; the writes then
happen in one transaction, so an import with any problem writes nothing and raises
`ImportFailed` listing every problem by file, line and field. Rows already in the
database (matched on natural keys) are left as they are. See docs/importing.md and
docs/bundle-format.md.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.db import transaction

from coverage.models import Statement

from .bundle import Progress, Record, no_progress, read_bundle
from .errors import ImportFailed, ImportProblem, Problems
from .html import read_html
from .plan import ALL_MODELS, ImportPlan, ImportResult
from .text import ParsedArticle, read_text

__all__ = ["ImportFailed", "ImportFile", "ImportProblem", "ImportResult", "import_files", "ALL_MODELS"]

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
BUNDLE_SUFFIXES = {".jsonl"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | BUNDLE_SUFFIXES


@dataclass(frozen=True)
class ImportFile:
    name: str
    data: bytes


@dataclass(frozen=True)
class NewRow:
    """An event or outlet to create for .txt/.html files when asked (--create-event)."""

    type: str
    values: dict


def _article_record(parsed: ParsedArticle, event: str, outlet: str) -> Record:
    return Record(
        parsed.file,
        None,
        "article",
        {
            "event": event,
            "outlet": outlet,
            "url": parsed.url,
            "headline": parsed.headline,
            "published_at": parsed.published_at,
            "byline": parsed.byline,
            "body": parsed.body,
            "original_text": parsed.original_text,
        },
    )


def read_files(
    files: Sequence[ImportFile],
    problems: Problems,
    event: str | None,
    outlet: str | None,
    progress: Progress = no_progress,
) -> list[Record]:
    records: list[Record] = []
    for file in progress(files, len(files), "Reading files"):
        suffix = PurePath(file.name).suffix.lower()
        if suffix in BUNDLE_SUFFIXES:
            records.extend(read_bundle(file.name, file.data, problems, progress))
            continue
        if suffix not in SUFFIXES:
            problems.add(
                file.name, None, "file", f"unknown kind of file “{suffix or file.name}”; give .txt, .html or .jsonl"
            )
            continue
        if not event or not outlet:
            problems.add(
                file.name,
                None,
                "event" if not event else "outlet",
                "a .txt or .html file needs an event and an outlet (--event and --outlet)",
            )
            continue
        parsed = (read_text if suffix in TEXT_SUFFIXES else read_html)(file.name, file.data, problems)
        if parsed is not None and len(parsed.body) > settings.IMPORT_MAX_ARTICLE_CHARS:
            problems.add(file.name, None, "body", _too_long(len(parsed.body)))
        elif parsed is not None:
            records.append(_article_record(parsed, event, outlet))
    return records


def _too_long(length: int) -> str:
    return (
        f"the article's text is {length:,} characters, more than one article can be "
        f"({settings.IMPORT_MAX_ARTICLE_CHARS:,} at most; a long feature is about 100,000): "
        "check that the file holds one article, and split it if not"
    )


def import_files(
    files: Sequence[ImportFile],
    *,
    event: str | None = None,
    outlet: str | None = None,
    new_rows: Sequence[NewRow] = (),
    create_users: bool = False,
    may_create: frozenset[str] = ALL_MODELS,
    user=None,
    progress: Progress = no_progress,
    dry_run: bool = False,
) -> tuple[ImportResult, list]:
    """Import `files` in one transaction; raise ImportFailed (writing nothing) on any problem.

    Returns the result and the article previews. With `dry_run` every check runs and the
    writes are rolled back: that is what the admin page shows before a tagger confirms.
    """
    problems = Problems()
    clock = time.perf_counter()
    records = [Record("command line", None, row.type, dict(row.values)) for row in new_rows]
    records += read_files(files, problems, event, outlet, progress)
    timings = {"read": time.perf_counter() - clock}
    if not files:
        problems.add("command line", None, "file", "no files given")
    problems.raise_if_any()
    plan = ImportPlan(problems, may_create=may_create, create_users=create_users, user=user, progress=progress)
    plan.add(records)
    with transaction.atomic():
        clock = time.perf_counter()
        plan.validate()
        problems.raise_if_any()
        previews = plan.previews()
        timings["check"] = time.perf_counter() - clock
        clock = time.perf_counter()
        result = plan.write()
        timings["write"] = time.perf_counter() - clock
        result.timings = timings
        if dry_run:
            transaction.set_rollback(True)
        else:
            _after_import(result, user)
        clock = time.perf_counter()
    # Committing is where PostgreSQL checks the deferred foreign keys of every new row.
    timings["commit"] = time.perf_counter() - clock
    return result, previews


def _after_import(result: ImportResult, user=None) -> None:
    """Called once per import, inside its transaction, with its result (and new articles).

    Articles that arrive untagged (text and HTML files, or bundle articles without
    statements) get machine suggestions for their quotes and attributed claims; an article
    that came with its tagging keeps exactly that, review decisions included. Long bodies
    get theirs from a background job, queued in this transaction (a note says which).
    """
    from coverage.jobs.tasks import suggest_now_or_later

    articles = result.new_articles
    tagged = set(Statement.objects.filter(article__in=articles).values_list("article_id", flat=True).distinct())
    for article in articles:
        if article.pk not in tagged:
            suggesting = suggest_now_or_later(article, user)
            if suggesting.note:
                result.warnings.append(suggesting.note)
            if suggesting.job:
                result.jobs.append(suggesting.job)
