"""Saved web pages: main text, title, date, author and canonical URL via trafilatura.

The page is decoded by the charset its <meta> declares, or strictly as UTF-8 when it
declares none, so a mis-encoded file is refused with the line of the first bad byte
instead of being guessed at. Paragraphs are joined by one blank line, as in .txt imports.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re

import trafilatura

from .errors import Problems
from .text import ParsedArticle, decode_utf8

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# htmldate's output format: with the time when the page gives one.
_DATE_PARAMS = {"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


def _decode(name: str, data: bytes, problems: Problems) -> str | None:
    declared = _META_CHARSET.search(data[:4096])
    if not declared or declared.group(1).lower() in (b"utf-8", b"utf8"):
        return decode_utf8(name, data, problems)
    charset = declared.group(1).decode("ascii")
    try:
        codecs.lookup(charset)
    except LookupError:
        problems.add(name, data.count(b"\n", 0, declared.start()) + 1, "encoding", f"unknown charset “{charset}”")
        return None
    try:
        return data.decode(charset)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.add(
            name, line, "encoding", f"byte 0x{data[error.start]:02x} is not valid {charset}, as the page declares"
        )
        return None


def _parse_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def read_html(name: str, data: bytes, problems: Problems) -> ParsedArticle | None:
    page = _decode(name, data, problems)
    if page is None:
        return None
    document = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params=_DATE_PARAMS,
    )
    if document is None or not (document.text or "").strip():
        problems.add(name, None, "body", "no article text found in the page")
        return None
    lines = [line.strip() for line in document.text.split("\n") if line.strip()]
    title = (document.title or "").strip()
    if lines and lines[0] == title:
        lines.pop(0)  # the page's <h1> repeats the title
    if not title and lines:
        title = lines.pop(0)
    if not lines:
        problems.add(name, None, "body", f"only a headline (“{title[:60]}”) and no body text")
        return None
    return ParsedArticle(
        file=name,
        headline=title,
        body="\n\n".join(lines),
        published_at=_parse_date(document.date),
        byline=(document.author or "").strip(),
        url=document.url or None,
        original_text=page,
    )
