"""Paragraphs and sentences of an article body, as character spans."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from .quotes import Quote, quotes_in

Span = tuple[int, int]

_SENTENCE_END = re.compile(r"(?<=[.!?…])[”“\"’'»«›‹]*\s+(?=[„“\"‚‘'«»‹›(A-ZÄÖÜÉ0-9])")
# "U.S. President", "Mr. Lavrov", "z. B.", "am 15. April", "des 19. Jahrhunderts": no sentence end.
_NOT_AN_END = re.compile(
    r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Prof|Nr|Hr|Fr|bzw|ca|vgl|etc|Jan|Feb|Aug|Sept|Oct|Nov|Dec|Okt|Dez)\.|\b\d{1,2}\.)$"
)


def paragraphs(body: str) -> list[Span]:
    """Non-blank lines (a news body keeps one paragraph per line)."""
    spans, start = [], 0
    for match in re.finditer(r"\n", body):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(body)))
    return [(s, e) for s, e in spans if body[s:e].strip()]


def quotes(body: str) -> list[Quote]:
    return [q for p_start, p_end in paragraphs(body) for q in quotes_in(body, p_start, p_end)]


def sentences(body: str, found_quotes: Sequence[Quote] = ()) -> list[Span]:
    """(start, end) of each sentence: never across a paragraph, never ending inside a quote."""
    opens = [q.open_at for q in found_quotes]
    result = []
    for p_start, p_end in paragraphs(body):
        start = p_start
        for match in _SENTENCE_END.finditer(body, p_start, p_end):
            cut = match.start()
            i = bisect_left(opens, cut) - 1  # the last quote opened before the cut
            if _NOT_AN_END.search(body, start, cut) or (i >= 0 and cut < found_quotes[i].close_end - 1):
                continue
            end = cut + len(match.group().rstrip())
            result.append((start, end))
            start = match.end()
        result.append((start, p_end))
    return [(s, e) for s, e in result if body[s:e].strip()]
