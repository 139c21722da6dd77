"""The Framescope bundle: JSON Lines, one record per line, a header first (docs/bundle-format.md).

Reading only splits and checks the shape of the lines; `plan.ImportPlan` resolves the
references and writes. Writing (`export_event`) emits every row one event needs, with
references by natural key, so that importing it into an empty database recreates it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from coverage.models import Article, Event, Frame, Outlet, Source, Statement, Topic

from .errors import Problems, show
from .text import decode_utf8

# A record's fields nest at most two levels ({"article": {"url": …}}); far deeper is not a record.
MAX_DEPTH = 8

FORMAT = "framescope-bundle"
VERSION = 1
SUPPORTED_VERSIONS = {1}
RECORD_TYPES = ("codebook", "frame", "outlet", "event", "topic", "source", "article", "statement")

Progress = Callable[[Iterable, int, str], Iterable]


def no_progress(items: Iterable, total: int, description: str) -> Iterable:
    return items


@dataclass(frozen=True)
class ImportFile:
    """One file to import, or a page fetched by URL (then `url`, `kind` and `charset` are set)."""

    name: str
    data: bytes
    url: str | None = None  # where a fetched page was found, after redirects
    kind: str = ""  # "html" or "txt" for a fetched page; files go by their suffix
    charset: str | None = None  # a fetched page's Content-Type charset


@dataclass
class Record:
    """One record of an import, from a bundle line or made from a .txt/.html file."""

    file: str
    line: int | None
    type: str
    data: dict[str, Any]
    notes: tuple[str, ...] = ()  # what reading the file could not find (no headline, no date)


def read_bundle(name: str, data: bytes, problems: Problems, progress: Progress = no_progress) -> list[Record]:
    text = decode_utf8(name, data, problems)
    if text is None:
        return []
    if not text.strip():
        problems.add(name, 1, "file", "the file is empty")
        return []
    lines = text.split("\n")
    records: list[Record] = []
    header_seen = False
    record_lines = 0
    for number, line in enumerate(progress(lines, len(lines), f"Reading {name}"), start=1):
        if not line.strip():
            continue
        record_lines += header_seen
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            problems.add(name, number, "json", f"not valid JSON ({error.msg} at column {error.colno})")
            continue
        except RecursionError:
            problems.add(name, number, "json", f"nested too deeply to read (a record nests at most {MAX_DEPTH} levels)")
            continue
        except ValueError as error:  # e.g. an integer of more than 4,300 digits
            problems.add(name, number, "json", f"not readable JSON ({error})"[:300])
            continue
        if not isinstance(value, dict):
            problems.add(name, number, "record", "each line must be a JSON object")
            continue
        if (trouble := _unstorable(value)) is not None:
            problems.add(name, number, *trouble)
            continue
        if not header_seen:
            header_seen = True
            _check_header(name, number, value, problems)
            continue
        record_type = value.pop("record", None)
        if not isinstance(record_type, str) or record_type not in RECORD_TYPES:
            problems.add(
                name,
                number,
                "record",
                f"unknown record type {show(record_type)}; expected one of {', '.join(RECORD_TYPES)}",
            )
            continue
        records.append(Record(name, number, record_type, value))
    if header_seen and not record_lines:
        problems.add(name, 1, "file", "the bundle holds only its header and no records")
    return records


def _unstorable(record: dict) -> tuple[str, str] | None:
    """(field, message) when a record nests too deep or holds text no database can store."""
    stack: list[tuple[str, Any, int]] = [(key, value, 1) for key, value in record.items()]
    stack += [(key, key, 1) for key in record]
    while stack:
        field, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return field, f"nested more than {MAX_DEPTH} levels deep; no record field nests like that"
        if isinstance(value, dict):
            stack.extend((field, v, depth + 1) for v in value.values())
            stack.extend((field, k, depth + 1) for k in value)
        elif isinstance(value, list):
            stack.extend((field, v, depth + 1) for v in value)
        elif isinstance(value, str):
            if "\x00" in value:
                return field, "holds a NUL character (\\u0000), which the database cannot store"
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:
                char = f"\\u{ord(value[error.start]):04x}"
                return field, f"holds a lone surrogate ({char}), which is not a character"
    return None


def _check_header(name: str, line: int, header: dict, problems: Problems) -> None:
    version = header.get("version")
    if header.get("format") != FORMAT:
        problems.add(
            name, line, "format", f'the first line must be the header {{"format": "{FORMAT}", "version": {VERSION}}}'
        )
    elif not isinstance(version, int) or isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        problems.add(name, line, "version", f"version {show(version)} is not one this Framescope reads ({VERSION})")


# Export --------------------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def article_ref(article: Article) -> dict[str, str]:
    """How other records point at an article: its URL, or event, outlet and body hash."""
    if article.url:
        return {"url": article.url}
    return {"event": article.event.slug, "outlet": article.outlet.slug, "body_hash": article.body_hash}


def event_records(event: Event) -> Iterator[dict]:
    """Every record of the bundle for one event, header first."""
    codebook = event.codebook
    yield {"format": FORMAT, "version": VERSION, "event": event.slug}
    yield {"record": "codebook", "slug": codebook.slug, "name": codebook.name, "description": codebook.description}
    for frame in Frame.objects.filter(codebook=codebook).order_by("number", "slug"):
        yield {
            "record": "frame",
            "codebook": codebook.slug,
            "slug": frame.slug,
            "name": frame.name,
            "number": frame.number,
            "description": frame.description,
        }
    articles = list(
        Article.objects.filter(event=event)
        .select_related("outlet", "event")
        .order_by("outlet__slug", "url", "body_hash")
    )
    for outlet in Outlet.objects.filter(articles__event=event).distinct().order_by("slug"):
        yield {
            "record": "outlet",
            "slug": outlet.slug,
            "name": outlet.name,
            "country": outlet.country,
            "language": outlet.language,
            "ownership": outlet.ownership,
            "website": outlet.website,
            "colour": outlet.colour,
        }
    yield {
        "record": "event",
        "slug": event.slug,
        "name": event.name,
        "date": event.date.isoformat(),
        "description": event.description,
        "codebook": codebook.slug,
    }
    for topic in Topic.objects.filter(event=event).order_by("number", "slug"):
        yield {
            "record": "topic",
            "event": event.slug,
            "slug": topic.slug,
            "name": topic.name,
            "is_key": topic.is_key,
            "description": topic.description,
            "number": topic.number,
        }
    for source in Source.objects.filter(statements__article__event=event).distinct().order_by("name", "affiliation"):
        yield {
            "record": "source",
            "name": source.name,
            "affiliation": source.affiliation,
            "type": source.type,
            "aliases": source.aliases,
        }
    for article in articles:
        yield {
            "record": "article",
            "event": event.slug,
            "outlet": article.outlet.slug,
            "url": article.url,
            "headline": article.headline,
            "published_at": _iso(article.published_at),
            "byline": article.byline,
            "body": article.body,
            "body_hash": article.body_hash,
            "original_text": article.original_text,
            "created_at": _iso(article.created_at),
            "tagging_status": article.tagging_status,
        }
    # Plain rows, not model instances: an event may hold 100,000 statements.
    statements: dict[int, list[tuple]] = {}
    for row in (
        Statement.objects.filter(article__event=event)
        .order_by("article_id", "start", "end")
        .values_list(
            "article_id",
            "start",
            "end",
            "text",
            "kind",
            "source__name",
            "source__affiliation",
            "topic__slug",
            "frame__codebook__slug",
            "frame__slug",
            "tone",
            "target",
            "status",
            "proposed_source_name",
            "tagged_by__username",
            "tagged_at",
        )
        .iterator(chunk_size=5000)
    ):
        statements.setdefault(row[0], []).append(row)
    for article in articles:
        ref = article_ref(article)
        for (
            _,
            start,
            end,
            text,
            kind,
            source_name,
            affiliation,
            topic,
            codebook,
            frame,
            tone,
            target,
            status,
            proposed_source_name,
            username,
            tagged_at,
        ) in statements.get(article.pk, []):
            yield {
                "record": "statement",
                "article": ref,
                "start": start,
                "end": end,
                "text": text,
                "kind": kind,
                "source": {"name": source_name, "affiliation": affiliation} if source_name is not None else None,
                "topic": topic,
                "frame": {"codebook": codebook, "slug": frame} if frame is not None else None,
                "tone": tone,
                "target": target,
                "status": status,
                "proposed_source_name": proposed_source_name,
                "tagged_by": username,
                "tagged_at": _iso(tagged_at),
            }


class Writable(Protocol):
    """Where an export goes: a file, or a management command's stdout."""

    def write(self, text: str, /) -> object: ...


def export_event(event: Event, stream: Writable) -> int:
    """Write the event's bundle to `stream`; return the number of lines written."""
    count = 0
    for record in event_records(event):
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
