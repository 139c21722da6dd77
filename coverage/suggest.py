"""Machine suggestions for taggers: direct quotes and attributed claims, with a guessed speaker.

The rules are plain text rules, written down so that a tagger can predict them:

- **Direct quotes.** Words between quotation marks, straight (") or curly (“ ”), in one
  paragraph. A quote opened and not closed in its paragraph runs to the paragraph's end
  (the typographic convention for quotes that go on over several paragraphs). The span is
  the quoted words without the marks and without a trailing comma, as in the hand tagging.
- **Attributed claims.** A sentence with an attribution marker ("said", "told",
  "according to", "the statement says", "added", "noted", "reported", ...) becomes an
  attributed paraphrase, unless a quote already takes up most of it.
- **Speaker.** Known sources are found by name or alias (`Source.alias_list()`) around the
  span, preferring the one that is the subject of the attribution verb ("X said",
  "X, a fellow at Y, told") or its object ("according to X", "said X"). A pronoun ("he
  added") points to the previous speaker. When no known source is named, a capitalised
  name next to the verb is proposed as a new source (`proposed_source_name`).

`find_proposals(body, sources)` is pure (no database); `suggest_for_article(article)`
stores the proposals as `Statement` rows with status "suggested", never twice on a span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from .models import Article, Source, Statement, StatementKind, StatementStatus

# Opening and closing marks. A straight quote opens when it follows a space, a bracket or
# the start of a paragraph, and closes otherwise.
_OPENERS = '“"'
_CLOSERS = '”"'
_MARKERS = re.compile(
    r"\b(?:said|says|say|saying|told|tells|according to|added|adds|noted|notes|stated|"
    r"reported|reports|reportedly|suggested|suggests|condemned|urged|urging|warned|warns|claimed|claims|"
    r"declared|described|describing|called for|calls for|referred to|insisted|denied|denies|hailed|"
    r"believes|argued|argues|explained|wrote|writes)\b",
    re.IGNORECASE,
)
# Verbs whose speaker comes after them: "according to the Kremlin", "reports Reuters".
_SPEAKER_AFTER = {"according to", "reports", "reported by"}
_PRONOUNS = {"he", "she", "it", "they", "we", "i"}
_NAME = r"(?:[A-Z][\w’'.-]+)(?:\s+(?:of\s+|the\s+)?[A-Z][\w’'.-]+){0,3}"
_NAME_BEFORE_VERB = re.compile(rf"({_NAME})\s*(?:,[^,]{{0,80}},)?\s*$")
_NAME_AFTER_VERB = re.compile(rf"^\s*(?:the\s+)?({_NAME})")
_TITLES = {
    "president",
    "vice",
    "prime",
    "foreign",
    "defence",
    "defense",
    "minister",
    "secretary",
    "ambassador",
    "chancellor",
    "senator",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "general",
    "mr",
    "mrs",
    "ms",
    "dr",
    "state",
    "of",
    "the",
    "us",
    "u.s.",
    "un",
}
_PRONOUN_BEFORE_VERB = re.compile(r"\b(he|she|it|they|we|i)\s*$", re.IGNORECASE)
# A quote longer than this share of its sentence stands for the sentence; no paraphrase then.
_QUOTE_SHARE_OF_SENTENCE = 0.5
# Nor when the words around a quote are few: they only say who spoke ("Lavrov told reporters").
_MIN_WORDS_AROUND_QUOTE = 12
_MIN_QUOTE_LENGTH = 3


@dataclass
class Proposal:
    start: int
    end: int
    kind: str
    source: Source | None = None
    proposed_source_name: str = ""

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass
class _Mention:
    start: int
    end: int
    source: Source


def spans_match(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Two spans are "the same statement" when they share at least half of the longer one."""
    overlap = min(a_end, b_end) - max(a_start, b_start)
    return overlap > 0 and overlap * 2 >= max(a_end - a_start, b_end - b_start)


def kinds_match(suggested_kind: str, tagged_kind: str) -> bool:
    """A suggested quote matches a tagged quote; a suggested paraphrase, a paraphrase or an assertion."""
    if suggested_kind == StatementKind.DIRECT_QUOTE:
        return tagged_kind == StatementKind.DIRECT_QUOTE
    return tagged_kind in (StatementKind.PARAPHRASE, StatementKind.ASSERTION)


# ---------------------------------------------------------------- text structure


def _paragraphs(body: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"\n\s*\n|\n", body):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(body)))
    return [(s, e) for s, e in spans if body[s:e].strip()]


_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’]?\s+(?=[“\"A-Z])")


def _sentences(body: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, never across a paragraph break."""
    result = []
    for p_start, p_end in _paragraphs(body):
        start = p_start
        for match in _SENTENCE_END.finditer(body, p_start, p_end):
            # "U.S. President": an abbreviation is not a sentence end when a name follows.
            if re.search(r"\b(?:[A-Z]\.){2,}$|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep)\.$", body[start : match.start()]):
                continue
            end = match.start() + (1 if body[match.start()] in '”"’' else 0)
            result.append((start, end))
            start = match.end()
        result.append((start, p_end))
    return [(s, e) for s, e in result if body[s:e].strip()]


def _quotes(body: str) -> list[tuple[int, int]]:
    """(start, end) of the quoted words of each direct quote, marks excluded."""
    found = []
    for p_start, p_end in _paragraphs(body):
        i = p_start
        while i < p_end:
            ch = body[i]
            opens = ch == "“" or (ch == '"' and (i == p_start or body[i - 1] in " \t([—–-"))
            if not opens:
                i += 1
                continue
            close = next((j for j in range(i + 1, p_end) if body[j] in _CLOSERS and body[j - 1] not in " \t"), None)
            start, end = i + 1, close if close is not None else p_end
            while end > start and body[end - 1] in " ,;:\t":
                end -= 1
            if end - start >= _MIN_QUOTE_LENGTH:
                found.append((start, end))
            i = (close if close is not None else p_end) + 1
    return found


# ---------------------------------------------------------------- speakers


def _person(name: str) -> str:
    """ "Foreign Minister Sergei Lavrov" → "Sergei Lavrov": titles are not part of a source's name."""
    words = name.rstrip(".,").split()
    while len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
        words.pop(0)
    return " ".join(words)


def _mentions(body: str, sources: Sequence[Source]) -> list[_Mention]:
    """Every place a source is named by name or alias, longest name first at any position."""
    candidates = []
    for source in sources:
        for name in {source.name, *source.alias_list()}:
            if len(name) < 3:
                continue
            for match in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", body, re.IGNORECASE if " " in name else 0):
                candidates.append(_Mention(match.start(), match.end(), source))
    candidates.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[_Mention] = []
    for mention in candidates:
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


def _markers(body: str, start: int, end: int) -> list[re.Match]:
    return list(_MARKERS.finditer(body, start, end))


def _is_anaphoric(body: str, mention: _Mention) -> bool:
    """ "the statement", "the state media": a generic alias that points back to the last speaker."""
    return bool(re.fullmatch(r"the [a-z][a-z ]*", body[mention.start : mention.end]))


def _speaker(
    body: str,
    span: tuple[int, int],
    sentence: tuple[int, int],
    mentions: list[_Mention],
    last: Proposal | None,
    quote: bool,
) -> tuple[Source | None, str]:
    """The speaker of `span` inside `sentence`: a known source, or a proposed name, or nothing.

    A quote's speaker is named outside the quoted words; a paraphrase's inside its sentence.
    """
    s_start, s_end = sentence

    def usable(start: int, end: int) -> bool:
        return s_start <= start and end <= s_end and (not quote or end <= span[0] or start >= span[1])

    def resolved(mention: _Mention) -> tuple[Source | None, str]:
        if _is_anaphoric(body, mention) and last is not None and last.source is not None:
            return last.source, ""
        return mention.source, ""

    named_here = [m for m in mentions if usable(m.start, m.end)]
    verbs = [v for v in _markers(body, s_start, s_end) if usable(v.start(), v.end())]
    for verb in verbs:
        if verb.group().lower() in _SPEAKER_AFTER:
            after = [m for m in named_here if 0 <= m.start - verb.end() <= 40]
            if after:
                return resolved(after[0])
            named = _NAME_AFTER_VERB.match(body, verb.end(), s_end)
            if named:
                return None, _person(named.group(1))
            continue
        # The subject: the first source named in the same clause before the verb.
        before = [m for m in named_here if 0 <= verb.start() - m.end <= 120 and "." not in body[m.end : verb.start()]]
        if before:
            return resolved(before[0])
        if _PRONOUN_BEFORE_VERB.search(body, s_start, verb.start()) and last is not None:
            return last.source, last.proposed_source_name
        named = _NAME_BEFORE_VERB.search(body, s_start, verb.start())
        if named and named.group(1).lower() not in _PRONOUNS and usable(named.start(1), named.end(1)):
            return None, _person(named.group(1))
        after = [m for m in named_here if 0 <= m.start - verb.end() <= 20]
        if after:
            return resolved(after[0])
    if named_here:
        nearest = min(named_here, key=lambda m: min(abs(m.start - span[1]), abs(span[0] - m.end)))
        return resolved(nearest)
    if quote and last is not None:
        # A quote with no attribution of its own goes on from the previous speaker's.
        return last.source, last.proposed_source_name
    return None, ""


def source_named(name: str, sources: Iterable[Source]) -> Source | None:
    """The source called `name` (by name or alias, ignoring case), if exactly one is."""
    wanted = name.strip().casefold()
    found = [s for s in sources if wanted in {n.casefold() for n in (s.name, *s.alias_list())}]
    return found[0] if len(found) == 1 else None


# ---------------------------------------------------------------- proposals


def find_proposals(body: str, sources: Iterable[Source]) -> list[Proposal]:
    """Proposed statements for `body`, in text order; no database access."""
    sources = list(sources)
    mentions = _mentions(body, sources)
    sentences = _sentences(body)
    quotes = _quotes(body)

    def sentence_of(position: int) -> tuple[int, int]:
        return next(((s, e) for s, e in sentences if s <= position < e), (position, position))

    spans: list[tuple[int, int, str]] = [(s, e, StatementKind.DIRECT_QUOTE) for s, e in quotes]
    for s_start, s_end in sentences:
        if not _markers(body, s_start, s_end):
            continue
        inside = [(max(s, s_start), min(e, s_end)) for s, e in quotes if s < s_end and e > s_start]
        quoted = sum(e - s for s, e in inside)
        if quoted > _QUOTE_SHARE_OF_SENTENCE * (s_end - s_start):
            continue
        around = body[s_start:s_end]
        for s, e in sorted(inside, reverse=True):
            around = around[: s - s_start] + " " + around[e - s_start :]
        if inside and len(around.split()) <= _MIN_WORDS_AROUND_QUOTE:
            continue
        spans.append((s_start, s_end, StatementKind.PARAPHRASE))

    proposals: list[Proposal] = []
    last: Proposal | None = None
    for start, end, kind in sorted(spans):
        # A quote's speaker is usually named in the sentence that holds its last words.
        sentence = sentence_of(max(start, end - 1))
        sentence = (min(sentence[0], sentence_of(start)[0]), max(sentence[1], end))
        source, proposed = _speaker(body, (start, end), sentence, mentions, last, kind == StatementKind.DIRECT_QUOTE)
        # "Lavrov said" after "Sergei Lavrov told": the same new source, by its fuller name.
        fuller = [p.proposed_source_name for p in proposals if p.proposed_source_name.endswith(" " + proposed)]
        if proposed and fuller:
            proposed = fuller[0]
        proposal = Proposal(start, end, kind, source, proposed if source is None else "")
        proposals.append(proposal)
        if source is not None or proposed:
            last = proposal
    return proposals


def suggest_for_article(article: Article) -> list[Statement]:
    """Store suggestions for `article`; returns the new rows.

    A proposal is skipped when a statement already has its exact span (whatever its
    status: a rejected suggestion is not proposed again), and when a tagged statement of
    a matching kind already covers it (`spans_match` and `kinds_match`).
    """
    existing = list(article.statements.values_list("start", "end", "kind", "status"))
    taken = {(s, e) for s, e, _, _ in existing}
    tagged = [(s, e, k) for s, e, k, status in existing if status == StatementStatus.ACCEPTED]
    created = []
    with transaction.atomic():
        for p in find_proposals(article.body, Source.objects.all()):
            if (p.start, p.end) in taken:
                continue
            if any(spans_match(p.start, p.end, s, e) and kinds_match(p.kind, k) for s, e, k in tagged):
                continue
            statement = Statement(
                article=article,
                start=p.start,
                end=p.end,
                text=article.body[p.start : p.end],
                kind=p.kind,
                source=p.source,
                proposed_source_name=p.proposed_source_name,
                status=StatementStatus.SUGGESTED,
            )
            statement._change_reason = "Suggested by the machine"
            statement.save()
            taken.add((p.start, p.end))
            created.append(statement)
    return created


# ---------------------------------------------------------------- measuring


@dataclass
class Evaluation:
    """The suggester against hand tagging. Recall counts quotes and paraphrases, the kinds it aims at."""

    suggestions: int = 0
    hits: int = 0
    tagged: int = 0
    found: int = 0
    tagged_all: int = 0
    found_all: int = 0
    hits_with_right_source: int = 0

    @property
    def precision(self) -> float:
        return self.hits / self.suggestions if self.suggestions else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.tagged if self.tagged else 0.0

    @property
    def recall_all(self) -> float:
        return self.found_all / self.tagged_all if self.tagged_all else 0.0

    @property
    def source_accuracy(self) -> float:
        return self.hits_with_right_source / self.hits if self.hits else 0.0


def evaluate(articles: Iterable[Article]) -> Evaluation:
    """Run `find_proposals` on each article's body and compare with its accepted statements.

    A suggestion is a hit when it matches (`spans_match` and `kinds_match`) at least one
    hand-tagged statement; a hand-tagged statement is found when a suggestion matches it.
    """
    result = Evaluation()
    sources = list(Source.objects.all())
    for article in articles:
        gold = list(article.statements.accepted())
        proposals = find_proposals(article.body, sources)
        result.suggestions += len(proposals)
        for p in proposals:
            matched = [g for g in gold if spans_match(p.start, p.end, g.start, g.end) and kinds_match(p.kind, g.kind)]
            if matched:
                result.hits += 1
                result.hits_with_right_source += any(
                    p.source is not None and p.source.pk == g.source_id for g in matched
                )
        for g in gold:
            found = any(spans_match(p.start, p.end, g.start, g.end) and kinds_match(p.kind, g.kind) for p in proposals)
            result.tagged_all += 1
            result.found_all += found
            if g.kind != StatementKind.ASSERTION:
                result.tagged += 1
                result.found += found
    return result
