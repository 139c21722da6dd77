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
from trafilatura.settings import Document

from .errors import Problems
from .text import ParsedArticle, check_text, decode_utf8

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# htmldate's output format: with the time when the page gives one.
_DATE_PARAMS = {"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


# Codecs that Python has but no web page is written in: they turn bytes into escapes,
# surrogates or other bytes rather than characters.
_NOT_PAGE_CHARSETS = {"unicode-escape", "raw-unicode-escape", "utf-7", "idna", "punycode", "undefined", "mbcs"}


def _decode(name: str, data: bytes, problems: Problems, header_charset: str | None = None) -> str | None:
    declared = _META_CHARSET.search(data[:4096])
    line = data.count(b"\n", 0, declared.start()) + 1 if declared else None
    charset = declared.group(1).decode("ascii") if declared else header_charset
    if not charset or charset.lower() in ("utf-8", "utf8"):
        return decode_utf8(name, data, problems)
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        problems.add(name, line, "encoding", f"unknown charset “{charset}”")
        return None
    # `_is_text_encoding` is how codecs itself tells rot13 or base64 from a character set.
    if not getattr(codec, "_is_text_encoding", True) or codec.name in _NOT_PAGE_CHARSETS:
        problems.add(name, line, "encoding", f"“{charset}” is not a character set a web page can be written in")
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


def read_html(
    name: str, data: bytes, problems: Problems, url: str | None = None, charset: str | None = None
) -> ParsedArticle | None:
    """One article from a saved page, or from a fetched one at `url` (which then is its URL)."""
    if not data.strip():
        problems.add(name, 1, "file", "the file is empty")
        return None
    page = _decode(name, data, problems, charset)
    if page is None or not check_text(name, page, problems):
        return None
    try:
        document = trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except (ValueError, TypeError, RecursionError) as error:  # lxml's and htmldate's refusals of odd markup
        problems.add(name, None, "body", f"the page could not be read ({type(error).__name__})")
        return None
    text = (document.text or "") if isinstance(document, Document) else ""
    if not isinstance(document, Document) or not text.strip():
        problems.add(name, None, "body", "no article text found in the page")
        return None
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    title = (document.title or "").strip()[:500]
    if lines and lines[0] == title:
        lines.pop(0)  # the page's <h1> repeats the title
    if not title and lines:
        title = lines.pop(0)[:500]
    if not lines:
        problems.add(name, None, "body", f"only a headline (“{title[:60]}”) and no body text")
        return None
    return ParsedArticle(
        file=name,
        headline=title,
        body="\n\n".join(lines),
        published_at=_parse_date(document.date),
        byline=(document.author or "").strip()[:300],
        # A fetched page keeps the address it came from; a saved one its canonical URL.
        url=url or document.url or None,
        original_text=page,
        site_name=(document.sitename or "").strip()[:200],
    )
