"""Direct quotes in English, German and French typography.

A mark opens a quote when it stands at the start of a paragraph or after a space or an
opening bracket or dash, with a non-space after it; it closes one when a non-space stands
before it and a space, punctuation or the end of the paragraph after it. Which closing
marks answer which opening mark:

| opens | closes | typography |
|---|---|---|
| “ | ” (or “ or ") | English |
| „ | “ (or ” or ") | German |
| » | « | German (inward guillemets) |
| « | » | French and Swiss (spaces inside allowed) |
| ‚ › ‹ ‘ | ‘ ’, ‹, ›, ’ | single marks of the same traditions |
| " | " | straight |
| '' or `` | '' | two apostrophes, from older systems |

A single closing mark between two letters (don’t, b’soffen) is an apostrophe, never a
closer. A double-mark quote left open runs to the end of its paragraph (the convention for
quotes that go on over several paragraphs); a single-mark one left open is no quote.
"""

from __future__ import annotations

from dataclasses import dataclass

_CLOSERS = {
    "“": '”“"',
    "„": '“”"',
    "»": "«",
    "«": "»",
    "”": "”",
    '"': '"',
    "''": "''",
    "``": "''",
    "‚": "‘’",
    "›": "‹",
    "‹": "›",
    "‘": "’",
}
_SINGLE = {"‚", "›", "‹", "‘"}
_BEFORE_OPENING = " \t([{—–-/:"
_AFTER_CLOSING = " \t.,;:!?)]}—–-…/"
_TRIM_END = " \t,;:–—-"
MIN_QUOTE_CHARS = 2


@dataclass(frozen=True)
class Quote:
    """The quoted words (`start`, `end`, marks and edge spaces excluded) and where the marks are."""

    start: int
    end: int
    open_at: int
    close_end: int  # just after the closing mark; the paragraph's end when left open
    closed: bool


def _opens(text: str, i: int, size: int, p_start: int) -> bool:
    after = i + size
    return (i == p_start or text[i - 1] in _BEFORE_OPENING or text[i - 1] in _CLOSERS) and (
        after < len(text)
        and not text[after].isspace()
        or text[i] in "«»"
        and after + 1 < len(text)
        and text[after] == " "
        and not text[after + 1].isspace()
    )


def _closes(text: str, j: int, size: int, p_end: int, single: bool) -> bool:
    before, after = text[j - 1], j + size
    if before.isspace() and text[j] not in "»«":
        return False
    if after >= p_end:
        return True
    nxt = text[after]
    if single and nxt.isalnum():
        return False  # an apostrophe inside a word
    return nxt in _AFTER_CLOSING or nxt.isspace() or nxt in "“”„\"«»‹›‘’'"


def _mark_at(text: str, i: int) -> str | None:
    two = text[i : i + 2]
    if two in ("''", "``"):
        return two
    return text[i] if text[i] in _CLOSERS else None


def quotes_in(text: str, p_start: int, p_end: int) -> list[Quote]:
    """The quotes of one paragraph `text[p_start:p_end]`, in order."""
    found: list[Quote] = []
    i = p_start
    while i < p_end:
        mark = _mark_at(text, i)
        if mark is None or not _opens(text, i, len(mark), p_start):
            i += 1
            continue
        single = mark in _SINGLE or mark == "'"
        close_at = _find_close(text, i + len(mark), p_end, mark, single)
        if close_at is None and single:
            i += 1
            continue
        start = i + len(mark)
        end = close_at if close_at is not None else p_end
        close_end = close_at + _closing_size(text, close_at) if close_at is not None else p_end
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1] in _TRIM_END or text[end - 1].isspace()):
            end -= 1
        if end - start >= MIN_QUOTE_CHARS:
            found.append(Quote(start, end, i, close_end, close_at is not None))
        i = close_end
    return found


def _closing_size(text: str, j: int) -> int:
    return 2 if text[j : j + 2] == "''" else 1


def _find_close(text: str, k: int, p_end: int, mark: str, single: bool) -> int | None:
    closers = _CLOSERS[mark]
    while k < p_end:
        if mark in ("''", "``"):
            if text[k : k + 2] == "''" and _closes(text, k, 2, p_end, single):
                return k
        elif text[k] in closers and _closes(text, k, 1, p_end, single):
            return k
        k += 1
    return None
