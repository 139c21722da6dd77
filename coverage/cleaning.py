"""Finds headline, date and body in article text scraped from a web page.

Scraped text carries page furniture: a line of menu icon names, "Skip to main content",
a photo credit, "Popular Video" glued to the end. The rules, in order (docs/importing.md):

1. Line endings become "\\n"; a byte-order mark and trailing spaces go.
2. Leading furniture lines go: "Skip to main content" and the like, and any line that is
   mostly icon names (three or more words ending in "icon").
3. A line among the first few that is only a date (and time) becomes the publication date.
4. The first remaining line is the headline.
5. Trailing furniture lines go ("Popular Video", share widgets, "Advertisement"), and a
   " / Photo credit: ..." tail is cut from the last line.
6. The body is the remaining paragraphs, each as it was, separated by one blank line.
   Text inside a paragraph is never changed: quotes, dashes and spelling stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

LEADING_FURNITURE = {
    "skip to main content",
    "skip to content",
    "skip to navigation",
    "menu",
    "search",
    "advertisement",
}
TRAILING_FURNITURE = {
    "popular video",
    "popular videos",
    "advertisement",
    "share this article",
    "share this",
    "share on facebook",
    "share on twitter",
    "tweet",
    "related articles",
    "read more",
    "comments",
}
_ICON_WORD = re.compile(r"\S*icon\b", re.IGNORECASE)
_PHOTO_CREDIT = re.compile(r"\s*/\s*Photo credit:.*$", re.IGNORECASE)
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
_DATE_SEARCH_LINES = 4


@dataclass(frozen=True)
class CleanedText:
    headline: str
    published_at: datetime | None
    body: str


class CleaningError(ValueError):
    """The text holds no article: nothing left after the furniture is removed."""


def is_icon_line(line: str) -> bool:
    return len(_ICON_WORD.findall(line)) >= 3


def parse_date(line: str) -> datetime | None:
    text = line.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _key(line: str) -> str:
    return " ".join(line.split()).lower()


def clean_scraped_text(raw: str) -> CleanedText:
    """Apply the rules above; raise CleaningError when no headline and body remain."""
    text = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    # Furniture glued to the end of the last line without a line break.
    lines = _split_glued_trailer(lines)

    while lines and (not lines[0].strip() or _key(lines[0]) in LEADING_FURNITURE or is_icon_line(lines[0])):
        lines.pop(0)
    while lines and (not lines[-1].strip() or _key(lines[-1]) in TRAILING_FURNITURE):
        lines.pop()
    if lines:
        lines[-1] = _PHOTO_CREDIT.sub("", lines[-1])

    published_at = None
    for index, line in enumerate(lines[:_DATE_SEARCH_LINES]):
        if line.strip() and (parsed := parse_date(line)):
            published_at = parsed
            del lines[index]
            break

    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise CleaningError("no text left after removing page furniture")
    headline = lines.pop(0).strip()
    paragraphs = [p.strip() for p in "\n".join(lines).split("\n\n")]
    body = "\n\n".join(p for p in paragraphs if p)
    if not body:
        raise CleaningError(f"only a headline (“{headline[:60]}”) and no body text")
    return CleanedText(headline=headline, published_at=published_at, body=body)


def _split_glued_trailer(lines: list[str]) -> list[str]:
    if not lines:
        return lines
    last = lines[-1]
    for furniture in sorted(TRAILING_FURNITURE, key=len, reverse=True):
        if last.lower().endswith(furniture) and _key(last) != furniture:
            head = last[: -len(furniture)]
            if head and not head.endswith(" "):
                return [*lines[:-1], head.rstrip(), last[-len(furniture) :]]
    return lines
