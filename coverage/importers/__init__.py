"""Importing articles from .txt, .html and .jsonl bundle files, all or nothing.

    result = import_files([ImportFile("a.txt", data)], event="my-event", outlet="rt")

Every file is read and every record checked before anything is written; the writes then
happen in one transaction, so an import with any problem writes nothing and raises
`ImportFailed` listing every problem by file, line and field. Rows already in the
database (matched on natural keys) are left as they are. See docs/importing.md and
docs/bundle-format.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.text import slugify

from coverage.models import Outlet, Statement

from .bundle import ImportFile, Progress, Record, no_progress, read_bundle
from .errors import COMMAND_LINE, ImportFailed, ImportProblem, Problems
from .feeds import FeedLink, NotAFeed, feed_links
from .html import read_html
from .plan import ALL_MODELS, ImportPlan, ImportResult
from .text import ParsedArticle, read_text
from .web import FetchError, fetch, host_of

__all__ = [
    "ALL_MODELS",
    "ImportFailed",
    "ImportFile",
    "ImportProblem",
    "ImportResult",
    "NewRow",
    "fetch_pages",
    "split_feeds",
    "import_files",
]

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
BUNDLE_SUFFIXES = {".jsonl"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | BUNDLE_SUFFIXES
# Every import takes this PostgreSQL advisory lock for its transaction, so two imports of
# the same rows run one after the other instead of colliding on a unique constraint.
IMPORT_LOCK = 0x6672616D65  # "frame"
NO_HEADLINE = "no line looks like a headline"
NO_DATE = "no date found"


@dataclass(frozen=True)
class NewRow:
    """An event or outlet to create for .txt/.html files and pages when asked (--create-event)."""

    type: str
    values: dict


@dataclass(frozen=True)
class Target:
    """Where the articles of .txt and .html files and fetched pages belong."""

    event: str | None = None
    outlet: str | None = None
    # For pages without --outlet: create an outlet for a site no outlet's website names.
    create_outlets: bool = False
    # How to say that the event or outlet is missing, in the words of the caller.
    hint: str = "use --event and --outlet"


def fetch_pages(urls: Sequence[str], problems: Problems) -> list[ImportFile]:
    """Fetch every URL (docs/importing.md); a page that cannot be had is a problem naming it."""
    allow_private = getattr(settings, "IMPORT_ALLOW_PRIVATE_HOSTS", False)
    pages = []
    for url in urls:
        try:
            page = fetch(url, allow_private=allow_private)
        except FetchError as error:
            problems.add(url, None, "url", str(error))
            continue
        pages.append(ImportFile(url, page.data, url=page.url, kind=page.kind, charset=page.charset))
    return pages


@dataclass(frozen=True)
class Feed:
    """A feed or sitemap that was fetched: the articles it lists, to pick from."""

    url: str
    links: list[FeedLink]


def split_feeds(files: Sequence[ImportFile], problems: Problems) -> tuple[list[ImportFile], list[Feed]]:
    """Fetched feeds and sitemaps apart from the articles; one that cannot be read is a problem."""
    articles, feeds = [], []
    for file in files:
        if file.kind != "feed":
            articles.append(file)
            continue
        try:
            links = feed_links(file.data)
        except NotAFeed as error:
            problems.add(file.name, None, "url", str(error))
            continue
        if not links:
            problems.add(file.name, None, "url", "the feed lists no article addresses")
            continue
        feeds.append(Feed(file.name, links))
    return articles, feeds


def _warnings(parsed: ParsedArticle) -> tuple[str, ...]:
    notes = []
    if not parsed.headline_found:
        notes.append(f"{NO_HEADLINE}; “{parsed.headline}” stands in for it until you give one")
    if parsed.published_at is None:
        notes.append(f"{NO_DATE}; the article is left out of date filters until one is given")
    return tuple(notes)


def _corrected(parsed: ParsedArticle, correction: Mapping[str, Any] | None) -> ParsedArticle:
    """The article with the headline and date a person gave in the preview."""
    if not correction:
        return parsed
    changes: dict[str, Any] = {}
    if headline := (correction.get("headline") or "").strip():
        changes.update(headline=headline, headline_found=True)
    if isinstance(correction.get("published_at"), dt.datetime):
        changes["published_at"] = correction["published_at"]
    return dataclasses.replace(parsed, **changes)


class _Reader:
    """Reads the files of one import into records; pages find their outlet by host."""

    def __init__(self, problems: Problems, target: Target, progress: Progress) -> None:
        self.problems, self.target, self.progress = problems, target, progress
        self.new_outlets: dict[str, NewRow] = {}
        self._sites: dict[str, list[tuple[str, str]]] | None = None

    def read(self, file: ImportFile, corrections: Mapping[str, Mapping[str, Any]]) -> list[Record]:
        suffix = PurePath(file.name).suffix.lower() if file.url is None else f".{file.kind}"
        if suffix in BUNDLE_SUFFIXES:
            return read_bundle(file.name, file.data, self.problems, self.progress)
        if suffix not in SUFFIXES:
            self.problems.add(
                file.name, None, "file", f"unknown kind of file “{suffix or file.name}”; give .txt, .html or .jsonl"
            )
            return []
        event, outlet = self.target.event, self.target.outlet
        if not event or (not outlet and file.url is None):
            missing = "event" if not event else "outlet"
            what = "web page" if file.url else ".txt or .html file"
            self.problems.add(file.name, None, missing, f"a {what} needs an event and an outlet; {self.target.hint}")
            return []
        if suffix in TEXT_SUFFIXES:
            # An empty file is refused before the database is asked anything.
            mastheads = self._mastheads(outlet) if file.data.strip() else ()
            parsed = read_text(file.name, file.data, self.problems, mastheads=mastheads)
        else:
            parsed = read_html(file.name, file.data, self.problems, url=file.url, charset=file.charset)
        if parsed is None:
            return []
        if len(parsed.body) > settings.IMPORT_MAX_ARTICLE_CHARS:
            self.problems.add(file.name, None, "body", _too_long(len(parsed.body)))
            return []
        if file.url is not None:
            parsed = dataclasses.replace(parsed, url=file.url)
            outlet = outlet or self._outlet_for_page(file, parsed)
        if outlet is None:  # a page whose host names no outlet (the problem is recorded)
            return []
        return [_article_record(_corrected(parsed, corrections.get(file.name)), event, outlet)]

    def _mastheads(self, outlet: str | None) -> tuple[str, ...]:
        """The outlet's name on a line of its own is its masthead, not a headline."""
        if not outlet:
            return ()
        return tuple(Outlet.objects.filter(slug=outlet).values_list("name", flat=True))

    def _outlet_for_page(self, file: ImportFile, parsed: ParsedArticle) -> str | None:
        host = host_of(file.url or "")
        if self._sites is None:
            self._sites = {}
            for slug, website in Outlet.objects.exclude(website="").values_list("slug", "website"):
                self._sites.setdefault(host_of(website), []).append((slug, website))
        found = self._sites.get(host, [])
        if len(found) == 1:
            return found[0][0]
        if len(found) > 1:
            names = ", ".join(slug for slug, _ in found)
            self.problems.add(
                file.name, None, "outlet", f"several outlets have the website {host} ({names}); choose one"
            )
            return None
        if not self.target.create_outlets:
            self.problems.add(
                file.name,
                None,
                "outlet",
                f"no outlet has the website {host}; choose the outlet, or create one ({self.target.hint})",
            )
            return None
        slug = slugify(host)[:100] or "outlet"
        if slug not in self.new_outlets:
            address = urlsplit(file.url or "")
            website = f"{address.scheme}://{address.netloc.lower()}/"
            self.new_outlets[slug] = NewRow(
                "outlet", {"slug": slug, "name": parsed.site_name or host, "website": website}
            )
        return slug


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
        notes=_warnings(parsed),
    )


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
    target: Target | None = None,
    new_rows: Sequence[NewRow] = (),
    create_users: bool = False,
    may_create: frozenset[str] = ALL_MODELS,
    user=None,
    progress: Progress = no_progress,
    dry_run: bool = False,
    corrections: Mapping[str, Mapping[str, Any]] | None = None,
    fetch_problems: Problems | None = None,
) -> tuple[ImportResult, list]:
    """Import `files` in one transaction; raise ImportFailed (writing nothing) on any problem.

    Returns the result and the article previews. With `dry_run` every check runs and the
    writes are rolled back: that is what the admin page shows before a tagger confirms.
    `corrections` maps a file's name to the headline and date a person gave for it.
    """
    problems = fetch_problems or Problems()
    target = target or Target(event=event, outlet=outlet)
    clock = time.perf_counter()
    reader = _Reader(problems, target, progress)
    read = [
        record
        for file in progress(files, len(files), "Reading files")
        for record in reader.read(file, corrections or {})
    ]
    rows = [*new_rows, *reader.new_outlets.values()]
    records = [Record(COMMAND_LINE, None, row.type, dict(row.values)) for row in rows] + read
    timings = {"read": time.perf_counter() - clock}
    if not files and not problems:
        problems.add(COMMAND_LINE, None, "file", "no files given")
    problems.raise_if_any()
    plan = ImportPlan(problems, may_create=may_create, create_users=create_users, user=user, progress=progress)
    plan.add(records)
    names = ", ".join(f.name for f in files)
    try:
        with transaction.atomic():
            _serialise_imports()
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
    except IntegrityError:
        # Another import wrote the same rows between our checks and our writes (SQLite has
        # no advisory lock): nothing of this one was written, and running it again is safe.
        raise ImportFailed(
            [
                ImportProblem(
                    names,
                    None,
                    "database",
                    "another import saved the same rows at the same moment; nothing was imported, run it again",
                )
            ]
        ) from None
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        raise ImportFailed(
            [
                ImportProblem(
                    names,
                    None,
                    "database",
                    "the database is busy with another import; nothing was imported, run it again",
                )
            ]
        ) from None
    # Committing is where PostgreSQL checks the deferred foreign keys of every new row.
    timings["commit"] = time.perf_counter() - clock
    result.fetched = [f for f in files if f.url is not None]
    return result, previews


def _serialise_imports() -> None:
    """PostgreSQL: wait for any other import to commit, so that this one sees its rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


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
