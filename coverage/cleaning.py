"""Finds headline, date, byline and body in article text scraped from a web page.

Scraped text carries page furniture: a line of menu icon names, "Skip to main content",
a masthead, a section banner, photo credits and captions, like counters, share prompts,
"Related News", "Popular Video" glued to the end. The rules, in order (docs/importing.md):

1. Line endings become "\\n"; a byte-order mark and trailing spaces go.
2. Leading and trailing furniture lines go; furniture lines inside the text go too (they
   are whole lines that are not article text: captions, credits, counters, prompts); a
   section that ends an article ("Related News", "Comments") ends the body.
3. The head of the text (the lines before the first paragraph that reads like a lede) is
   scored: date lines and bylines are taken out, and the line that scores best as a
   headline becomes the headline. Lines above it are furniture (masthead, banner). When
   no line scores as a headline, there is none: no lede words are moved into it, and
   the caller is told (`CleanedText.warnings`).
4. The body is the remaining paragraphs, each as it was, separated by one blank line.
   Text inside a paragraph is never changed: quotes, dashes and spelling stay as they are.

This module is pure: it knows no models and no database.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType

from .furniture import (
    GLUED_TRAILERS,
    LEADING_FURNITURE,
    PHOTO_CREDIT,
    SECTION_ENDS,
    TRAILING_FURNITURE,
    is_furniture,
    is_head_furniture,
    is_icon_line,
    line_key,
)

_DATE_PREFIX = re.compile(
    r"^(?:(?:first |last )?(?:published|updated|posted|modified|created|date)(?: on| at)?|"
    r"veröffentlicht(?: am)?|aktualisiert(?: am)?|zuletzt aktualisiert(?: am)?|erstellt(?: am)?|stand|datum|"
    r"publié(?: le)?|mis à jour(?: le)?|publicado(?: el)?|actualizado(?: el)?|pubblicato(?: il)?)\s*[:|-]?\s*",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:by|von|par|por|di|door|av|written by|text(?: by)?|author|autor|autorin|auteur)\s*[:|]?\s+"
    r"(?P<name>[^\d:;.!?]{2,120})$",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s+[|•·—–]\s+|\s*\|\s*")
_SENTENCE_BREAK = re.compile(r"(\w+)[.!?][\"”’»“]?\s+[\"“„«‘'(]?[A-ZÄÖÜÀ-ÞА-Я]")
# Words whose full stop does not end a sentence ("Sen. Warren", "N. Korea").
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "sen",
    "rep",
    "gov",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "prof",
    "jr",
    "sr",
    "inc",
    "ltd",
    "co",
    "corp",
    "vs",
    "no",
    "nr",
    "bzw",
    "ca",
    "dt",
    "hr",
    "fr",
    "mme",
    "mlle",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "e.u",
}
_DATE_FORMATS = [
    "%d %B, %Y %H:%M",
    "%d %B %Y %H:%M",
    "%d %B, %Y",
    "%d %B %Y",
    "%B %d, %Y %H:%M",
    "%B %d, %Y",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
# dateparser reads these languages' month and day names; more would make it slower and
# let more ordinary words pass for dates.
DATE_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "ru", "pt", "pl"]
_DATEPARSER_SETTINGS = {
    "PARSERS": ["custom-formats", "absolute-time"],  # no "yesterday", no timestamps
    "REQUIRE_PARTS": ["day", "month", "year"],
    "STRICT_PARSING": True,
    "DATE_ORDER": "DMY",  # 03.05.2017 is 3 May in most of the world's newsrooms
}
HEAD_LINES = 10  # non-blank lines examined for date, byline and headline
HEADLINE_MIN_SCORE = 3
MAX_HEADLINE_WORDS = 25


@dataclass(frozen=True)
class CleanedText:
    headline: str
    published_at: datetime | None
    body: str
    byline: str = ""
    warnings: tuple[str, ...] = ()
    removed: tuple[str, ...] = field(default=(), compare=False)  # furniture lines, for the preview


class CleaningError(ValueError):
    """The text holds no article: nothing left after the furniture is removed."""


@functools.cache
def _dateparser() -> ModuleType:
    import dateparser  # imported on first use: it takes a second to load its language data

    return dateparser


def parse_date(line: str) -> datetime | None:
    """The date (and time) when `line` is only a date, with an optional "Published:"-like prefix."""
    text = _DATE_PREFIX.sub("", line.strip()).strip(" ,|-")
    if not text or len(text) > 60 or not any(c.isdigit() for c in text) or len(text.split()) > 9:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return _dateparser().parse(text, languages=DATE_LANGUAGES, settings=_DATEPARSER_SETTINGS)
    except (ValueError, OverflowError, TypeError):  # dateparser's own errors on odd input
        return None


def parse_byline(line: str) -> str | None:
    match = _BYLINE.match(line.strip())
    if not match:
        return None
    name = match.group("name").strip(" ,")
    words = name.split()
    if not 1 <= len(words) <= 10 or not any(w[:1].isupper() for w in words):
        return None
    return name


def _date_and_byline(line: str) -> tuple[datetime | None, str | None] | None:
    """A line that is a date, a byline, or both ("By Jane Doe | 3 May 2017"); else None."""
    if (date := parse_date(line)) is not None:
        return date, None
    if (name := parse_byline(line)) is not None:
        return None, name
    parts = [p for p in _SEPARATORS.split(line.strip()) if p.strip()]
    if len(parts) < 2 or len(parts) > 4:
        return None
    date, name = None, None
    for part in parts:
        if date is None and (found := parse_date(part)) is not None:
            date = found
        elif name is None and (found_name := parse_byline(part)) is not None:
            name = found_name
        elif len(part.split()) > 4:  # a clause of text, not an agency or a time
            return None
    return (date, name) if date or name else None


def headline_score(line: str) -> int:
    """How much a line reads like a headline: short, one sentence, no full stop."""
    text = line.strip()
    words = text.split()
    n = len(words)
    if n < 2:
        return 0
    # Most headlines have five to twenty words; a three-word line is as likely a masthead.
    score = 4 if 5 <= n <= 20 else 3 if 3 <= n <= 4 else 1 if n == 2 else 2 if n <= MAX_HEADLINE_WORDS else -3
    if text.endswith(".") and not text.endswith(("...", "…")):
        score -= 2
    if _sentence_breaks(text):
        score -= 2
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and n <= 5:
        score -= 2  # a masthead such as "WORLD NEWS"
    return score


def looks_like_lede(line: str) -> bool:
    text = line.strip()
    n = len(text.split())
    return n > MAX_HEADLINE_WORDS or (text.endswith(".") and n >= 12) or _sentence_breaks(text) >= 1


def _sentence_breaks(text: str) -> int:
    """Full stops followed by a capital that end a sentence (not "N. Korea" or "Sen. Warren")."""
    return sum(
        1
        for match in _SENTENCE_BREAK.finditer(text)
        if len(match.group(1)) > 1 and match.group(1).lower() not in _ABBREVIATIONS and not match.group(1).isupper()
    )


def clean_scraped_text(raw: str, mastheads: Iterable[str] = ()) -> CleanedText:
    """Apply the rules above; raise CleaningError when no body remains.

    `mastheads` are names that, standing alone on a line, are the outlet's name rather
    than a headline (the importer passes the outlet's name).
    """
    text = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    lines = _split_glued_trailer(lines)
    removed: list[str] = []
    masthead_keys = {line_key(name) for name in mastheads if name.strip()}

    while lines and (
        not lines[0].strip()
        or line_key(lines[0]) in LEADING_FURNITURE
        or is_icon_line(lines[0])
        or line_key(lines[0]) in masthead_keys
    ):
        if lines[0].strip():
            removed.append(lines[0].strip())
        lines.pop(0)
    lines = _cut_tail(lines, removed)

    head = _read_head(lines, masthead_keys)
    removed.extend(lines[i].strip() for i in head.furniture)
    dropped = set(head.furniture) | set(head.taken)
    if head.headline is not None:
        dropped.add(head.headline)
    kept = [line for i, line in enumerate(lines) if i not in dropped]
    body_lines = []
    for line in kept:
        if line.strip() and is_furniture(line):
            removed.append(line.strip())
            continue
        body_lines.append(line)
    paragraphs = [p.strip() for p in "\n".join(body_lines).split("\n\n")]
    body = "\n\n".join(p for p in paragraphs if p)
    headline = lines[head.headline].strip() if head.headline is not None else ""
    if not body:
        if headline:
            raise CleaningError(f"only a headline (“{headline[:60]}”) and no body text")
        raise CleaningError("no text left after removing page furniture")
    warnings = []
    if head.headline is None:
        warnings.append("no line looks like a headline (the text starts with its first paragraph); give one")
    if head.published_at is None:
        warnings.append("no date found in the text; the article is left out of date filters until one is given")
    return CleanedText(
        headline=headline,
        published_at=head.published_at,
        body=body,
        byline=head.byline,
        warnings=tuple(warnings),
        removed=tuple(removed),
    )


@dataclass
class _Head:
    headline: int | None = None
    published_at: datetime | None = None
    byline: str = ""
    taken: list[int] = field(default_factory=list)  # date and byline lines
    furniture: list[int] = field(default_factory=list)


def _read_head(lines: list[str], masthead_keys: set[str]) -> _Head:
    """Score the head of the text: date and byline lines out, the best headline line chosen."""
    head = _Head()
    candidates: list[tuple[int, int]] = []  # (index, score)
    seen = 0
    index = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > HEAD_LINES or looks_like_lede(line):
            break
        if _take_date_or_byline(head, index, line):
            continue
        if line_key(line) in masthead_keys or is_head_furniture(line):
            head.furniture.append(index)
            continue
        candidates.append((index, headline_score(line)))
    best = _choose_headline(lines, candidates)
    if best is None:
        return head
    head.headline = best[0]
    # Everything above the headline is the page's head: masthead, banner, kicker.
    head.furniture.extend(i for i, _ in candidates if i < best[0])
    # Date, byline and credit lines right under the headline belong to it too.
    after = 0
    for index in range(best[0] + 1, len(lines)):
        line = lines[index]
        if not line.strip() or index in head.taken:
            continue
        after += 1
        if after > 4 or not (_take_date_or_byline(head, index, line) or _credit_under_headline(head, index, line)):
            break
    return head


def _choose_headline(lines: list[str], candidates: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The first line that scores as a headline, unless it is short (a masthead such as "The
    Lyon Courier") and a later one scores better; a line with no text under it is never chosen."""
    last_text = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    usable = [c for c in candidates if c[1] >= HEADLINE_MIN_SCORE]
    if not usable:
        return None
    first = usable[0]
    if len(lines[first[0]].split()) <= 4:
        better = [c for c in usable[1:] if c[1] > first[1] and c[0] < last_text]
        if better:
            return better[0]
    return first


def _take_date_or_byline(head: _Head, index: int, line: str) -> bool:
    found = _date_and_byline(line)
    if found is None:
        return False
    date, name = found
    if (date is not None and head.published_at is not None) or (name is not None and head.byline):
        return False  # a second date line is the text's, not the page's
    head.published_at = date or head.published_at
    head.byline = name or head.byline
    head.taken.append(index)
    return True


def _credit_under_headline(head: _Head, index: int, line: str) -> bool:
    if is_furniture(line):
        head.furniture.append(index)
        return True
    return False


def _cut_tail(lines: list[str], removed: list[str]) -> list[str]:
    """Trailing furniture goes; the body ends where the page's own sections begin.

    A section banner counts only below the first paragraph: above it, "Comments" is a
    link in the page's navigation.
    """
    in_text = False
    for index, line in enumerate(lines):
        if in_text and line_key(line) in SECTION_ENDS:
            removed.extend(rest.strip() for rest in lines[index:] if rest.strip())
            lines = lines[:index]
            break
        in_text = in_text or looks_like_lede(line)
    # " / Photo credit: …" glued to a paragraph goes before the paragraph is judged.
    lines = [PHOTO_CREDIT.sub("", line) for line in lines]
    while lines and (not lines[-1].strip() or line_key(lines[-1]) in TRAILING_FURNITURE or is_furniture(lines[-1])):
        if lines[-1].strip():
            removed.append(lines[-1].strip())
        lines.pop()
    return lines


def _split_glued_trailer(lines: list[str]) -> list[str]:
    if not lines:
        return lines
    last = lines[-1]
    for furniture in sorted(GLUED_TRAILERS, key=len, reverse=True):
        if last.lower().endswith(furniture) and line_key(last) != furniture:
            head = last[: -len(furniture)]
            if head and not head.endswith(" "):
                return [*lines[:-1], head.rstrip(), last[-len(furniture) :]]
    return lines
