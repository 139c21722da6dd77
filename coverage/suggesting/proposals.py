"""Proposed statements for a body: direct quotes and attributed paraphrases, each with a speaker.

- **Quotes** (`quotes.py`). A quote's speaker comes from, in this order: an attribution
  right after it ("…,” said X", "…“, sagte X", "…», so X", "…,” X, a fellow at Y, told");
  the last attribution before it in its sentence ("X said: “…”", "Laut X „…“", "X sprach
  von einer „…“"); one later in its sentence ("“…” on the peninsula, the statement said");
  a headline's "Name: „…“". A quote that opens its sentence with no attribution goes on
  from the previous speaker (within two paragraphs).
- **Not statements.** A quote of at most four words with no speaker of its own is a term
  or a scare quote ("the “needle”", „Rasern“), never inherited; nor is a short quote right
  after a definite article or "gegenüber"/"so-called" (a newspaper's or a film's name).
- **Paraphrases.** A sentence with a claim verb ("said", "told", "according to",
  "sagte", "teilte … mit", "laut", "hieß es", …) whose speaker is found, unless a quote
  takes up more than half of it or the words around its quotes are 12 or fewer (they only
  say who spoke). In German, a sentence in reported speech (Konjunktiv I: "sei", "habe",
  "werde", …) right after an attributed one goes on from its speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .language import choose_language
from .lexicon import LEXICONS
from .quotes import Quote
from .speakers import Frame, Reader, Voice, find_mentions
from .text import paragraphs, quotes, sentences

QUOTE, PARAPHRASE = "quote", "paraphrase"
_QUOTE_SHARE_OF_SENTENCE = 0.5
_MIN_WORDS_AROUND_QUOTE = 12
_SHORT_QUOTE_WORDS = 4
_INHERIT_PARAGRAPHS = 2
_NAME_BEFORE = re.compile(
    r"(?:\b(?:the|der|die|das|dem|den|des|gegenüber|so-called|sogenannte[nrms]?|titled|entitled|named|dubbed)"
    r")\s*$",
    re.IGNORECASE,
)
_KONJUNKTIV = re.compile(
    r"\b(?:sei|seien|habe|werde|könne|müsse|solle|dürfe|wolle|gebe|stehe|liege|gehe|komme|bleibe|brauche|fehle|wisse)\b"
)
_HEADLINE = re.compile(r"(?:^|[–—|]\s*)([^–—|:]{2,60}):\s*$")


@dataclass
class Proposal:
    start: int
    end: int
    kind: str
    source: Any = None
    proposed_source_name: str = ""

    @property
    def length(self) -> int:
        return self.end - self.start


def find_proposals(body: str, sources: Iterable[Any], language: str | None = None) -> list[Proposal]:
    """Proposed statements for `body`, in text order; no database access.

    `sources` are the known sources (anything with `.name` and `.alias_list()`);
    `language` is the outlet's ("en", "de", "de-AT", …), detected from the text when
    missing or not one the suggester has rules for.
    """
    lexicon = LEXICONS[choose_language(language, body)]
    found_quotes = quotes(body)
    reader = Reader(body, lexicon, find_mentions(body, list(sources)), found_quotes)
    paragraph_starts = [s for s, _ in paragraphs(body)]
    proposals: list[Proposal] = []
    previous_attributed: tuple[int, Voice] | None = None  # (sentence end, voice) of the last attributed sentence

    for s_start, s_end in sentences(body, found_quotes):
        frames = reader.frames(s_start, s_end)
        inside = reader.quotes_opening_in(s_start, s_end)
        sentence_voice: Voice | None = None
        for quote in inside:
            if _is_a_name(body, quote):
                continue
            voice, own = _quote_voice(reader, quote, s_start, s_end, frames, paragraph_starts)
            if not own and not _may_stand_alone(body, quote, s_start):
                continue
            proposals.append(_proposal(quote.start, quote.end, QUOTE, voice))
            reader.spoke(quote.start, voice)
            sentence_voice = sentence_voice or (voice if own else None)
        claim = next((f for f in frames if f.claim and f.voice and f.verb_start not in reader.consumed), None)
        if claim is not None and _paraphrase_allowed(body, s_start, s_end, inside):
            proposals.append(_proposal(s_start, _trim(body, s_start, s_end), PARAPHRASE, claim.voice))
        elif not frames and not inside and previous_attributed and lexicon is LEXICONS["de"]:
            if _continues_reported_speech(body, s_start, s_end, previous_attributed[0]):
                proposals.append(_proposal(s_start, _trim(body, s_start, s_end), PARAPHRASE, previous_attributed[1]))
        for frame in frames:
            reader.spoke(frame.verb_start, frame.voice)
        reader.subject(s_start, s_end)
        attributed = (claim.voice if claim else None) or sentence_voice
        previous_attributed = (s_end, attributed) if attributed else None

    return _with_fullest_names(sorted(proposals, key=lambda p: (p.start, p.end)))


def _proposal(start: int, end: int, kind: str, voice: Voice) -> Proposal:
    return Proposal(start, end, kind, voice.source, voice.name if voice.source is None else "")


def _trim(body: str, start: int, end: int) -> int:
    while end > start and body[end - 1].isspace():
        end -= 1
    return end


def _quote_voice(
    reader: Reader, quote: Quote, s_start: int, s_end: int, frames: list[Frame], paragraph_starts: list[int]
) -> tuple[Voice, bool]:
    """(speaker, whether the quote's own sentence names it)."""
    body = reader.body
    if quote.closed:
        voice = _attribution_after(reader, quote, s_start)
        if voice is not None:
            return voice, True
    before = [f for f in frames if f.verb_end <= quote.open_at]
    if before:
        if re.fullmatch(r"[^.!?]{0,60}:\s*", body[before[-1].verb_end : quote.open_at]):
            reader.consumed.add(before[-1].verb_start)  # "X told supporters in London: ‘…’"
        return before[-1].voice, True
    later = [f for f in frames if f.verb_start >= quote.close_end]
    if later:
        return later[0].voice, True
    headline = _HEADLINE.search(body, s_start, quote.open_at)
    if headline and not frames and "\n" not in body[headline.start(1) : quote.open_at]:
        voice = reader.first_name_in(headline.start(1), headline.end(1))
        if voice:
            return voice, True
    last = reader.last_voice
    paragraphs_back = bisect_right(paragraph_starts, quote.open_at) - bisect_right(
        paragraph_starts, reader.last_voice_at
    )
    if last and paragraphs_back < _INHERIT_PARAGRAPHS:
        return last, False
    return Voice(), False


def _attribution_after(reader: Reader, quote: Quote, s_start: int) -> Voice | None:
    """ "…,” said X", "…“, sagte X", "…,” X, a fellow at Y, told": an attribution right after the quote."""
    body = reader.body
    limit = body.find("\n", quote.close_end)
    limit = len(body) if limit < 0 else limit
    following = reader.quotes_opening_in(quote.close_end, limit)
    next_quote = following[0].open_at if following else limit
    limit = min(limit, next_quote)
    start = quote.close_end
    while start < limit and body[start] in " \t,;:–—-":
        start += 1
    verb = reader.verbs.search(body, start, limit)
    if re.match(r"(?:and|or|but|und|oder|aber|sondern)\b", body[start:limit]):
        return None  # "… „schweren Fehler“ und forderte": a second verb of the sentence's subject
    if verb is None or re.search(r"[.!?]\s", body[start : verb.start()]) or verb.start() - start > 160:
        return None
    if _ends_a_sentence(body, quote) and not _only_attribution(reader, start, verb):
        return None
    end = body.find(".", verb.end(), limit)
    frames = reader.frames(start, limit if end < 0 else end + 1)
    first = next((f for f in frames if f.verb_start == verb.start()), None)
    if first:
        if not body[s_start : quote.open_at].strip():
            reader.consumed.add(first.verb_start)  # the sentence is the quote and who said it
        return first.voice  # may be empty: "…,” the minister said" with no minister named before
    return None


def _ends_a_sentence(body: str, quote: Quote) -> bool:
    return body[quote.end - 1 : quote.end] in ".!?" or body[quote.close_end : quote.close_end + 1] in (".", "!", "?")


def _only_attribution(reader: Reader, start: int, verb: re.Match[str]) -> bool:
    """After a quote that ends its sentence, "Peter Berdowski, chief executive of Boskalis, said" still
    attributes it; "It suggested Russia could …" is a new sentence."""
    end = reader.body.find(".", verb.end())
    words = reader.body[start : end if end > 0 else len(reader.body)].split()
    subject = [c for c in reader.np_before(start, verb.start()) if not c[2]]
    return len(words) <= 16 and any(reader.voice_of(s, e)[0] <= 1 for s, e, _ in subject)


def _may_stand_alone(body: str, quote: Quote, s_start: int) -> bool:
    """A quote without its own attribution: a whole sentence or more, opening its sentence."""
    words = body[quote.start : quote.end].split()
    if len(words) <= _SHORT_QUOTE_WORDS and body[quote.end - 1 : quote.end] not in ".!?":
        return False
    return not body[s_start : quote.open_at].strip()


def _is_a_name(body: str, quote: Quote) -> bool:
    words = body[quote.start : quote.end].split()
    return len(words) <= _SHORT_QUOTE_WORDS and bool(
        _NAME_BEFORE.search(body, max(0, quote.open_at - 40), quote.open_at)
    )


def _paraphrase_allowed(body: str, s_start: int, s_end: int, inside: list[Quote]) -> bool:
    spans = [(max(q.start, s_start), min(q.end, s_end)) for q in inside]
    if sum(e - s for s, e in spans) > _QUOTE_SHARE_OF_SENTENCE * (s_end - s_start):
        return False
    around = body[s_start:s_end]
    for q in sorted(inside, key=lambda q: q.open_at, reverse=True):
        around = around[: max(q.open_at - s_start, 0)] + " " + around[q.close_end - s_start :]
    return not inside or len(around.split()) > _MIN_WORDS_AROUND_QUOTE


def _continues_reported_speech(body: str, s_start: int, s_end: int, previous_end: int) -> bool:
    between = body[previous_end:s_start]
    return between.count("\n") == 0 and bool(_KONJUNKTIV.search(body, s_start, s_end))


def _with_fullest_names(proposals: list[Proposal]) -> list[Proposal]:
    """ "Lavrov said" after "Sergei Lavrov told": the same new source, by its fuller name."""
    names = list(dict.fromkeys(p.proposed_source_name for p in proposals if p.proposed_source_name))
    fullest = {name: next((n for n in names if n.endswith(" " + name)), name) for name in names}
    for p in proposals:
        if p.proposed_source_name:
            p.proposed_source_name = fullest[p.proposed_source_name]
    return proposals
