"""Plain-text articles scraped from a page: decoded strictly as UTF-8, then cleaned.

Cleaning is `coverage.cleaning.clean_scraped_text`, the same rules the demo loader uses,
so a seed file imported here gives exactly the demo's body (docs/importing.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coverage.cleaning import CleaningError, clean_scraped_text

from .errors import Problems


@dataclass(frozen=True)
class ParsedArticle:
    """One article read from a .txt or .html file, not yet saved."""

    file: str
    headline: str
    body: str
    published_at: dt.datetime | None = None
    byline: str = ""
    url: str | None = None
    original_text: str = ""
    site_name: str = ""
    headline_found: bool = True


def untitled(name: str) -> str:
    """The stand-in headline of an article whose text has none (a warning says so)."""
    return f"(no headline: {name})"[:500]


def decode_utf8(name: str, data: bytes, problems: Problems) -> str | None:
    """The text of `data`, or None with a problem naming the line of the first bad byte."""
    if not data.strip():
        problems.add(name, 1, "file", "the file is empty")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        problems.add(
            name,
            line,
            "encoding",
            f"byte 0x{data[error.start]:02x} at column {column} is not UTF-8; "
            "save the file as UTF-8 (it looks like another encoding, e.g. Latin-1 or Windows-1252)",
        )
        return None


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """Dates found in text carry no zone; like the demo, take them as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def read_text(name: str, data: bytes, problems: Problems, mastheads: tuple[str, ...] = ()) -> ParsedArticle | None:
    raw = decode_utf8(name, data, problems)
    if raw is None or not check_text(name, raw, problems):
        return None
    try:
        cleaned = clean_scraped_text(raw, mastheads=mastheads)
    except CleaningError as error:
        problems.add(name, None, "body", str(error))
        return None
    return ParsedArticle(
        file=name,
        headline=cleaned.headline or untitled(name),
        body=cleaned.body,
        published_at=as_utc(cleaned.published_at),
        byline=cleaned.byline[:300],
        original_text=raw,
        headline_found=bool(cleaned.headline),
    )


def check_text(name: str, text: str, problems: Problems) -> bool:
    """Text the database can store: no NUL character (PostgreSQL refuses it), no lone surrogate."""
    if (index := text.find("\x00")) >= 0:
        problems.add(
            name,
            text.count("\n", 0, index) + 1,
            "encoding",
            f"column {index - (text.rfind(chr(10), 0, index) + 1) + 1} holds a NUL character (\\x00), "
            "which the database cannot store; remove it from the file",
        )
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        problems.add(
            name,
            text.count("\n", 0, error.start) + 1,
            "encoding",
            f"holds a lone surrogate (\\u{ord(text[error.start]):04x}), which is not a character; fix the file",
        )
        return False
    return True
