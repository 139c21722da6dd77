"""Measuring the suggester: the matching rule, the figures, and the labelled evaluation set.

**Matching rule.** A suggestion *hits* a hand-tagged statement when the two spans share at
least half of the longer one and the kinds fit (a suggested quote a tagged quote; a
suggested paraphrase a tagged paraphrase or reporter's assertion). *Precision*: hits
among suggestions. *Recall*: hand-tagged quotes and paraphrases that some suggestion hits.
*Speaker right*: hits whose speaker is the hand-tagged one, either the same source or a
proposed new name equal (ignoring case) to that source's name or one of its aliases.

The labelled set lives in `coverage/evaluation/<language>/*.json` (see its README).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .proposals import PARAPHRASE, QUOTE, Proposal, find_proposals

ASSERTION = "assertion"
EVALUATION_DIR = Path(__file__).resolve().parent.parent / "evaluation"


def spans_match(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Two spans are "the same statement" when they share at least half of the longer one."""
    overlap = min(a_end, b_end) - max(a_start, b_start)
    return overlap > 0 and overlap * 2 >= max(a_end - a_start, b_end - b_start)


def kinds_match(suggested_kind: str, tagged_kind: str) -> bool:
    """A suggested quote matches a tagged quote; a suggested paraphrase, a paraphrase or an assertion."""
    if suggested_kind == QUOTE:
        return tagged_kind == QUOTE
    return tagged_kind in (PARAPHRASE, ASSERTION)


@dataclass(frozen=True)
class Gold:
    """One hand-tagged statement: span, kind and the names its source goes by."""

    start: int
    end: int
    kind: str
    speaker_names: frozenset[str]  # casefolded name and aliases
    source_key: Any = None  # the source's primary key, when it is one


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

    def add(self, proposals: Sequence[Proposal], gold: Sequence[Gold]) -> None:
        self.suggestions += len(proposals)
        for p in proposals:
            matched = [g for g in gold if spans_match(p.start, p.end, g.start, g.end) and kinds_match(p.kind, g.kind)]
            if matched:
                self.hits += 1
                self.hits_with_right_source += any(_right_speaker(p, g) for g in matched)
        for g in gold:
            found = any(spans_match(p.start, p.end, g.start, g.end) and kinds_match(p.kind, g.kind) for p in proposals)
            self.tagged_all += 1
            self.found_all += found
            if g.kind != ASSERTION:
                self.tagged += 1
                self.found += found


def _right_speaker(p: Proposal, g: Gold) -> bool:
    if p.source is not None:
        key = getattr(p.source, "pk", None)
        if key is not None and g.source_key is not None:
            return key == g.source_key
        return p.source.name.casefold() in g.speaker_names
    return bool(p.proposed_source_name) and p.proposed_source_name.casefold() in g.speaker_names


# ---------------------------------------------------------------- the labelled set


@dataclass(frozen=True)
class NamedSource:
    """A source as the labelled set names it (the suggester needs only a name and aliases)."""

    name: str
    aliases: tuple[str, ...] = ()

    def alias_list(self) -> list[str]:
        return list(self.aliases)


@dataclass
class LabelledArticle:
    path: Path
    language: str
    body: str
    sources: list[NamedSource]
    gold: list[Gold]
    meta: dict[str, Any] = field(default_factory=dict)


def load_labelled(directory: Path = EVALUATION_DIR) -> list[LabelledArticle]:
    """Every article of the labelled set, checked: each label's text is the body at its offsets."""
    articles = []
    for path in sorted(directory.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        body = data["body"]
        sources = [NamedSource(s["name"], tuple(s["aliases"])) for s in data["speakers"]]
        names = {s.name: frozenset(n.casefold() for n in (s.name, *s.aliases)) for s in sources}
        gold = []
        for item in data["statements"]:
            if body[item["start"] : item["end"]] != item["text"]:
                raise ValueError(f"{path.name}: the text at {item['start']}–{item['end']} is not “{item['text'][:60]}”")
            if item["speaker"] not in names:
                raise ValueError(f"{path.name}: the speaker “{item['speaker']}” is not among its speakers")
            gold.append(Gold(item["start"], item["end"], item["kind"], names[item["speaker"]]))
        meta = {k: v for k, v in data.items() if k not in ("body", "statements", "speakers")}
        articles.append(LabelledArticle(path, data["language"], body, sources, gold, meta))
    return articles


def score_labelled(
    articles: Iterable[LabelledArticle], known_sources: bool = True, use_language: bool = True
) -> dict[str, Evaluation]:
    """Figures per language. `known_sources`: the speakers exist as sources (as once an
    event's sources are entered); otherwise every speaker must be proposed by name.
    `use_language`: pass the article's language, as an outlet's would be; otherwise detect it."""
    results: dict[str, Evaluation] = {}
    for article in articles:
        sources = article.sources if known_sources else []
        proposals = find_proposals(article.body, sources, article.language if use_language else None)
        results.setdefault(article.language, Evaluation()).add(proposals, article.gold)
    return results
