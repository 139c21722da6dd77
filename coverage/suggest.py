"""Machine suggestions for taggers, stored as `Statement` rows with status "suggested".

The rules live in `coverage/suggesting/` (pure, no database): quotes in English, German
and French typography, attribution frames in English and German, the speaker each names,
the article's language (the outlet's, or detected). This module reads the known sources,
stores the proposals never twice on a span, and measures them against hand tagging.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from .models import Article, Source, Statement, StatementStatus
from .suggesting import Evaluation, Proposal, find_proposals, kinds_match, spans_match
from .suggesting.scoring import Gold

__all__ = ["Evaluation", "Proposal", "evaluate", "find_proposals", "kinds_match", "source_named", "spans_match"]


def source_named(name: str, sources: Iterable[Source]) -> Source | None:
    """The source called `name` (by name or alias, ignoring case), if exactly one is."""
    wanted = name.strip().casefold()
    found = [s for s in sources if wanted in {n.casefold() for n in (s.name, *s.alias_list())}]
    return found[0] if len(found) == 1 else None


def article_language(article: Article) -> str | None:
    """The outlet's language code ("" when not set: the suggester detects it)."""
    return article.outlet.language if article.outlet_id else None


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
        for p in find_proposals(article.body, Source.objects.all(), article_language(article)):
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


def evaluate(articles: Iterable[Article]) -> Evaluation:
    """Run `find_proposals` on each article's body and compare with its accepted statements.

    A suggestion is a hit when it matches (`spans_match` and `kinds_match`) at least one
    hand-tagged statement; a hand-tagged statement is found when a suggestion matches it.
    """
    result = Evaluation()
    sources = list(Source.objects.all())
    for article in articles:
        gold = [
            Gold(
                s.start,
                s.end,
                s.kind,
                frozenset(n.casefold() for n in (s.source.name, *s.source.alias_list())),
                s.source_id,
            )
            if s.source
            else Gold(s.start, s.end, s.kind, frozenset())
            for s in article.statements.accepted().select_related("source")
        ]
        result.add(find_proposals(article.body, sources, article_language(article)), gold)
    return result
