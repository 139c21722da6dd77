"""Benchmark of claim matching: one event, 100 articles, 10,000 accepted statements (docs/alignment.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fs_bench .venv/bin/python scripts/bench_claims.py
    .venv/bin/python scripts/bench_claims.py --outlets 100   # one article per outlet

It generates the event in the database named by DATABASE_URL (statements written with
bulk_create, so no run is scheduled), runs `match_event` twice (a first run, and a run
with nothing changed), prints the time of each and of the pure matching alone, and
deletes what it made. Sentences are drawn from a Zipf-distributed vocabulary of real
English words and rarer compounds, so that common words are shared by most statements as
in real text; 60% of each article's
statements report one of a pool of shared claims in its own words (a fifth of the words
replaced), the rest are its own.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402 - settings must be named first

django.setup()

from django.db import connection, transaction  # noqa: E402

from coverage.alignment import match_statements, words  # noqa: E402
from coverage.claim_models import Claim, ClaimOmission, ClaimStatement, StatementMatch  # noqa: E402
from coverage.claims import _statement_texts, match_event  # noqa: E402
from coverage.demo.loader import SEEDS  # noqa: E402
from coverage.models import (  # noqa: E402
    MEDIA_FRAMES_CODEBOOK_SLUG,
    Article,
    Codebook,
    Event,
    Outlet,
    Source,
    Statement,
    TaggingStatus,
    Topic,
    content_hash,
)
from tests.claim_fixtures import ARTEMIS, EVER_GIVEN  # noqa: E402

ARTICLES = 100
PER_ARTICLE = 100
SHARED = 0.6


def _vocabulary(rng: random.Random, size: int = 20000) -> tuple[list[str], list[float]]:
    """Real English words (from the demo seeds and the test fixtures), most frequent first,
    then rarer made-up compounds of them (names, places, numbers in real text), Zipf-weighted:
    common words are in most statements, most words are rare."""
    text = " ".join(path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt")))
    text += " ".join(a.body for event in (EVER_GIVEN, ARTEMIS) for a in event.articles)
    common = [word for word, _ in Counter(words(text)).most_common()]
    rare: set[str] = set()
    while len(common) + len(rare) < size:
        rare.add(rng.choice(common[50:]) + rng.choice(common[50:]))
    ordered = common + sorted(rare)
    weights = [1 / (rank + 1) for rank in range(len(ordered))]
    return ordered, weights


def _sentence(rng: random.Random, vocabulary, weights) -> list[str]:
    return rng.choices(vocabulary, weights=weights, k=rng.randint(12, 28))


def _generate(rng: random.Random, outlets: int) -> list[list[str]]:
    """Sentences per article: shared claims reworded, and the article's own."""
    vocabulary, weights = _vocabulary(rng)
    pool = [_sentence(rng, vocabulary, weights) for _ in range(1500)]
    articles = []
    for _ in range(ARTICLES):
        sentences = []
        for _ in range(PER_ARTICLE):
            if rng.random() < SHARED:
                words = list(rng.choice(pool))
                for k in rng.sample(range(len(words)), len(words) // 5):
                    words[k] = rng.choices(vocabulary, weights=weights)[0]
            else:
                words = _sentence(rng, vocabulary, weights)
            sentences.append(" ".join(words).capitalize() + ".")
        articles.append(sentences)
    return articles


@transaction.atomic
def _create(outlet_count: int, seed: int) -> Event:
    rng = random.Random(seed)
    codebook = Codebook.objects.get(slug=MEDIA_FRAMES_CODEBOOK_SLUG)
    event = Event.objects.create(
        name="Claims benchmark", slug=f"claims-bench-{seed}", date="2024-01-01", codebook=codebook
    )
    topics = Topic.objects.bulk_create([Topic(event=event, name=f"Topic {n}", slug=f"topic-{n}") for n in range(20)])
    sources = Source.objects.bulk_create([Source(name=f"Bench source {seed}-{n}", type="official") for n in range(300)])
    outlets = [
        Outlet.objects.create(name=f"Bench outlet {seed}-{n}", slug=f"bench-{seed}-{n}") for n in range(outlet_count)
    ]
    generated = _generate(rng, outlet_count)
    # bulk_create sends no signals: generating the event schedules no matching run.
    articles = Article.objects.bulk_create(
        [
            Article(
                event=event,
                outlet=outlets[number % outlet_count],
                headline=f"Article {number}",
                body=" ".join(sentences),
                body_hash=content_hash(" ".join(sentences)),
                tagging_status=TaggingStatus.COMPLETE,
            )
            for number, sentences in enumerate(generated)
        ]
    )
    rows = []
    for article, sentences in zip(articles, generated, strict=True):
        body = article.body
        position = 0
        for sentence in sentences:
            start = body.index(sentence, position)
            position = start + len(sentence)
            rows.append(
                Statement(
                    article=article,
                    start=start,
                    end=position,
                    text=sentence,
                    kind=rng.choice(["quote", "paraphrase", "assertion"]),
                    source=rng.choice(sources),
                    topic=rng.choice(topics),
                )
            )
    Statement.objects.bulk_create(rows, batch_size=2000)
    return event


def _delete(event: Event) -> None:
    with transaction.atomic():
        ClaimOmission.objects.filter(event=event)._raw_delete(connection.alias)
        StatementMatch.objects.filter(event=event).delete()
        ClaimStatement.objects.filter(event=event).delete()
        Claim.objects.filter(event=event).delete()
        outlets = list(Outlet.objects.filter(articles__event=event).distinct())
        Statement.objects.filter(article__event=event)._raw_delete(connection.alias)
        Article.objects.filter(event=event)._raw_delete(connection.alias)  # no signals: no run scheduled
        Source.objects.filter(name__startswith="Bench source").delete()
        Outlet.objects.filter(pk__in=[o.pk for o in outlets]).delete()
        event.delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outlets", type=int, default=20, help="outlets sharing the 100 articles (default 20)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    out = sys.stdout
    clock = time.perf_counter()
    event = _create(args.outlets, args.seed)
    out.write(
        f"{connection.vendor}: generated {ARTICLES} articles, {Statement.objects.filter(article__event=event).count()} statements, {args.outlets} outlets in {time.perf_counter() - clock:.1f} s\n"
    )
    try:
        statements = _statement_texts(event.pk)
        clock = time.perf_counter()
        matches = match_statements(statements)
        out.write(f"pure matching: {time.perf_counter() - clock:.1f} s, {len(matches)} matches\n")
        for label in ("first run", "second run, nothing changed"):
            clock = time.perf_counter()
            report = match_event(event.pk)
            phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.timings.items())
            out.write(
                f"match_event, {label}: {time.perf_counter() - clock:.1f} s ({phases}) — {report.matches} matches, "
                f"{report.claims} claims, {report.candidates_added} candidates added\n"
            )
        out.write(f"omission candidates stored: {ClaimOmission.objects.filter(event=event).count()}\n")
    finally:
        _delete(event)


if __name__ == "__main__":
    main()
