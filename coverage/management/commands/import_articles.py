"""Import articles from .txt, .html and .jsonl bundle files and web pages by URL, all or nothing (docs/importing.md)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from coverage.importers import (
    Feed,
    ImportFailed,
    ImportFile,
    NewRow,
    Target,
    fetch_pages,
    import_files,
    split_feeds,
)
from coverage.importers.errors import Problems
from coverage.importers.web import is_url
from coverage.models import Ownership


def tqdm_progress(enabled: bool):
    """A progress wrapper for the importer: a bar on stderr, only on a terminal."""

    def progress(items, total: int, description: str):
        return tqdm(
            items,
            total=total,
            desc=description,
            file=sys.stderr,
            disable=not enabled,
            unit="rec",
            leave=False,
            mininterval=0.5,
        )

    return progress


READ_CHUNK = 1 << 20  # bytes read at a time, so that a large file shows progress as it comes in


def read_file(path: Path, show_progress: bool) -> ImportFile:
    """The file's bytes, read in chunks behind a progress bar in bytes (on a terminal)."""
    with (
        path.open("rb") as handle,
        tqdm(
            total=path.stat().st_size,
            desc=f"Reading {path.name}",
            file=sys.stderr,
            disable=not show_progress,
            unit="B",
            unit_scale=True,
            leave=False,
            mininterval=0.5,
        ) as bar,
    ):
        chunks = []
        while chunk := handle.read(READ_CHUNK):
            chunks.append(chunk)
            bar.update(len(chunk))
    return ImportFile(path.name, b"".join(chunks))


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--event-date {value!r} is not a date like 2017-05-02") from None


class Command(BaseCommand):
    help = (
        "Import articles from .txt (scraped text), .html (saved pages) and .jsonl (Framescope bundle) "
        "files, and from web pages by their http(s) URL. Everything is checked first; any problem writes "
        "nothing. Re-importing a file changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE_OR_URL")
        parser.add_argument("--event", help="Slug of the event the .txt/.html articles and pages belong to.")
        parser.add_argument(
            "--outlet",
            help="Slug of the outlet that published the .txt/.html articles. Pages by URL without it go to "
            "the outlet whose website has the page's host.",
        )
        parser.add_argument("--create-event", action="store_true", help="Create the event if it does not exist.")
        parser.add_argument("--event-name", help="Name of the event to create (default: its slug).")
        parser.add_argument("--event-date", type=_date, help="Date of the event to create, e.g. 2017-05-02.")
        parser.add_argument(
            "--create-outlet",
            action="store_true",
            help="Create the outlet if it does not exist; without --outlet, create one for each site of the "
            "URLs that no outlet's website names (named by the page's site name).",
        )
        parser.add_argument("--outlet-name", help="Name of the outlet to create (default: its slug).")
        parser.add_argument("--outlet-country", default="")
        parser.add_argument("--outlet-language", default="")
        parser.add_argument("--outlet-ownership", choices=Ownership.values, default=str(Ownership.OTHER.value))
        parser.add_argument("--outlet-website", default="")
        parser.add_argument(
            "--create-users",
            action="store_true",
            help="Create taggers named in a bundle that do not exist (with no password).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check everything, write nothing.")
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="No progress bar (it is off anyway when stderr is not a terminal).",
        )

    def handle(self, *args, **options) -> None:
        show_progress = not options["no_progress"] and sys.stderr.isatty()
        urls = [name for name in options["files"] if is_url(name)]
        files = [self._read(name, show_progress) for name in options["files"] if not is_url(name)]
        new_rows = self._new_rows(options, bool(urls))
        progress = tqdm_progress(show_progress)
        fetch_problems = Problems()
        pages, feeds = split_feeds(fetch_pages(urls, fetch_problems), fetch_problems)
        if feeds and not fetch_problems:
            self._list_feeds(feeds, bool(files or pages))
            return
        files += pages
        target = Target(
            event=options["event"],
            outlet=options["outlet"],
            create_outlets=options["create_outlet"] and not options["outlet"],
            hint="use --event and --outlet (or --create-outlet)",
        )
        try:
            result, _ = import_files(
                files,
                target=target,
                fetch_problems=fetch_problems,
                new_rows=new_rows,
                create_users=options["create_users"],
                progress=progress,
                dry_run=options["dry_run"],
            )
        except ImportFailed as failure:
            raise CommandError(failure.report()) from None
        for warning in result.warnings:
            self.stderr.write(f"Note: {warning}")
        if result.jobs:
            self.stderr.write("Note: background jobs run on the worker: manage.py db_worker (make run starts it).")
        prefix = "Dry run, nothing written. Would have: " if options["dry_run"] else ""
        self.stdout.write(prefix + result.summary())

    def _list_feeds(self, feeds: list[Feed], with_articles: bool) -> None:
        """A feed or sitemap is not imported: its articles are listed, to pick from."""
        if with_articles:
            raise CommandError(
                "Give feeds and sitemaps alone: their articles are listed to pick from, then imported by their URLs."
            )
        for feed in feeds:
            self.stdout.write(f"{feed.url} lists {len(feed.links)} article(s); import the ones you want by URL:")
            for link in feed.links:
                self.stdout.write(f"  {link.url}" + (f"  {link.title}" if link.title else ""))

    def _read(self, name: str, show_progress: bool) -> ImportFile:
        try:
            return read_file(Path(name), show_progress)
        except OSError as error:
            raise CommandError(f"{name}, whole file, field “file”: cannot read it ({error.strerror})") from None

    def _new_rows(self, options, has_urls: bool) -> list[NewRow]:
        rows = []
        if options["create_event"]:
            if not options["event"] or not options["event_date"]:
                raise CommandError(
                    "--create-event needs --event SLUG and --event-date YYYY-MM-DD (and optionally --event-name)"
                )
            rows.append(
                NewRow(
                    "event",
                    {
                        "slug": options["event"],
                        "name": options["event_name"] or options["event"],
                        "date": options["event_date"].isoformat(),
                    },
                )
            )
        if options["create_outlet"] and not (has_urls and not options["outlet"]):
            if not options["outlet"]:
                raise CommandError(
                    "--create-outlet needs --outlet SLUG (and optionally --outlet-name and the other --outlet-* options)"
                )
            rows.append(
                NewRow(
                    "outlet",
                    {
                        "slug": options["outlet"],
                        "name": options["outlet_name"] or options["outlet"],
                        "country": options["outlet_country"],
                        "language": options["outlet_language"],
                        "ownership": options["outlet_ownership"],
                        "website": options["outlet_website"],
                    },
                )
            )
        return rows
