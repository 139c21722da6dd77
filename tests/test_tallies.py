"""The summary tables (coverage/tallies.py) always equal the aggregates they stand for.

Random writes of every kind that changes what is counted: statements created, edited,
moved between articles and deleted one by one, articles moved, re-dated and deleted, the
tagging admin's bulk actions and review, merging sources, a source's type changed, and an import (bulk insert on
SQLite, COPY on PostgreSQL). After each run every table is compared, row for row, with the
aggregate of the statements themselves.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coverage import readmodel, tallies
from coverage.merging import merge_sources
from coverage.models import Article, Event, Frame, Source, SourceType, Statement, StatementKind
from coverage.rows import ALL_PARTS_WITH_DAYS, StatementFilters
from coverage.tagging_admin import bulk_set, review_statements

from .conftest import make_article, make_event, make_outlet, make_source, make_topic, make_user

SENTENCES = [f"Sentence {i} here." for i in range(6)]
BODY = " ".join(SENTENCES)
DAYS = [None, dt.datetime(2020, 3, 1, 23, 30, tzinfo=dt.UTC), dt.datetime(2020, 3, 2, 0, 30, tzinfo=dt.UTC)]


def tally_rows(model) -> Counter:
    names = ["event_id", "outlet_id", *model.columns, "statements"]
    return Counter(tuple(row) for row in model.objects.values_list(*names))


def direct_rows(model) -> Counter:
    return Counter(tuple(row.values()) for row in tallies.direct(model))


def assert_tallies_right() -> None:
    for model in tallies.TALLIES:
        assert tally_rows(model) == direct_rows(model), model.__name__


class World:
    def __init__(self):
        self.frames = list(Frame.objects.filter(codebook__slug="media-frames-corpus").order_by("number")[:2])
        self.sources = [make_source(type=t) for t in (SourceType.OFFICIAL, SourceType.EXPERT, SourceType.EXPERT)]
        self.outlets = [make_outlet() for _ in range(2)]
        self.events = [make_event() for _ in range(2)]
        self.topics = [make_topic(e) for e in self.events for _ in range(2)]
        self.user = make_user("tally-tagger")
        for event in self.events:
            for outlet in self.outlets:
                make_article(event, outlet, body=f"{BODY} {event.slug} {outlet.slug}.", published_at=DAYS[1])

    def articles(self) -> list[Article]:
        return list(Article.objects.order_by("pk"))

    def statements(self) -> list[Statement]:
        return list(Statement.objects.select_related("article").order_by("pk"))


def _pick(data, items):
    return data.draw(st.sampled_from(items)) if items else None


def _free_span(article: Article, data) -> tuple[int, str] | None:
    used = set(Statement.objects.filter(article=article).values_list("start", flat=True))
    free = [s for s in SENTENCES if BODY.index(s) not in used]
    text = _pick(data, free)
    return (BODY.index(text), text) if text else None


OPERATIONS = [
    "create",
    "edit",
    "move",
    "delete",
    "move_article",
    "redate_article",
    "delete_article",
    "bulk_tone",
    "bulk_topic",
    "review",
    "merge",
    "retype_source",
]


def apply(world: World, operation: str, data) -> None:
    statements, articles = world.statements(), world.articles()
    if operation == "create" and articles:
        article = _pick(data, articles)
        span = _free_span(article, data)
        if span:
            start, text = span
            Statement.objects.create(
                article=article,
                start=start,
                end=start + len(text),
                text=text,
                kind=_pick(data, list(StatementKind.values)),
                tone=data.draw(st.integers(-2, 2)),
                topic=_pick(data, [None, *world.topics]),
                frame=_pick(data, [None, *world.frames]),
                source=_pick(data, [None, *Source.objects.order_by("pk")]),
                status=_pick(data, ["accepted", "accepted", "suggested"]),
            )
    elif operation == "edit" and statements:
        statement = _pick(data, statements)
        field = _pick(data, ["tone", "topic", "frame", "source", "kind", "status"])
        value = {
            "tone": lambda: data.draw(st.integers(-2, 2)),
            "topic": lambda: _pick(data, [None, *world.topics]),
            "frame": lambda: _pick(data, [None, *world.frames]),
            "source": lambda: _pick(data, [None, *Source.objects.order_by("pk")]),
            "kind": lambda: _pick(data, list(StatementKind.values)),
            "status": lambda: _pick(data, ["accepted", "suggested", "rejected"]),
        }[field]()
        setattr(statement, field, value)
        statement.save()
    elif operation == "move" and statements and articles:
        statement, article = _pick(data, statements), _pick(data, articles)
        if not Statement.objects.filter(article=article, start=statement.start).exists():
            statement.article = article
            statement.save()
    elif operation == "delete" and statements:
        _pick(data, statements).delete()
    elif operation == "move_article" and articles:
        article = _pick(data, articles)
        article.event, article.outlet = _pick(data, world.events), _pick(data, world.outlets)
        article.body = f"{BODY} {article.pk}."  # stays unique per event and outlet; spans still match
        article.save()
    elif operation == "redate_article" and articles:
        article = Article.objects.get(pk=_pick(data, articles).pk)  # loaded afresh, as admin does
        article.published_at = _pick(data, DAYS)
        article.save(update_fields=["published_at"])
    elif operation == "delete_article" and articles:
        _pick(data, articles).delete()
    elif operation in ("bulk_tone", "bulk_topic") and statements:
        chosen = data.draw(st.sets(st.sampled_from([s.pk for s in statements]), min_size=1))
        field, value = ("tone", data.draw(st.integers(-2, 2)))
        if operation == "bulk_topic":
            field, value = ("topic", _pick(data, world.topics))
        bulk_set(Statement.objects.filter(pk__in=chosen), field, value, world.user)
    elif operation == "review" and statements:
        chosen = data.draw(st.sets(st.sampled_from([s.pk for s in statements]), min_size=1))
        review_statements(Statement.objects.filter(pk__in=chosen), _pick(data, ["accepted", "rejected"]), world.user)
    elif operation == "retype_source":
        source = Source.objects.get(pk=_pick(data, list(Source.objects.values_list("pk", flat=True))))
        source.type = _pick(data, [SourceType.OFFICIAL, SourceType.EXPERT, SourceType.MEDIA])
        source.save()
    elif operation == "merge":
        sources = list(Source.objects.order_by("pk"))
        if len(sources) > 1:
            survivor = _pick(data, sources)
            merge_sources(survivor, [s for s in sources if s != survivor][:1], world.user)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
@pytest.mark.django_db
def test_every_tally_equals_the_direct_aggregate_after_random_writes(data):
    with transaction.atomic():
        world = World()
        for _ in range(data.draw(st.integers(4, 12))):
            apply(world, "create", data)
        for operation in data.draw(st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=10)):
            apply(world, operation, data)
        assert_tallies_right()
        transaction.set_rollback(True)


def test_a_suggestion_never_counts_until_accepted(db):
    article = make_article(body=BODY)
    statement = Statement.objects.create(
        article=article, start=0, end=len(SENTENCES[0]), text=SENTENCES[0], kind="quote", status="suggested"
    )
    assert not tallies.TopicTally.objects.exists()
    review_statements(Statement.objects.filter(pk=statement.pk), "accepted", make_user("reviewer"))
    assert list(tallies.TopicTally.objects.values_list("statements", flat=True)) == [1]
    assert_tallies_right()


def test_an_imported_bundle_is_tallied(demo, tmp_path):
    """An import writes statements in bulk (COPY on PostgreSQL) and then tallies them."""
    path = tmp_path / "demo.jsonl"
    call_command("export_event", demo.slug, "-o", str(path), stdout=io.StringIO())
    for model in tallies.TALLIES:
        model.objects.all().delete()
    Statement.objects.all().delete()
    Article.objects.all().delete()
    call_command("import_articles", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert tallies.TopicTally.objects.exists()
    assert_tallies_right()


def test_refresh_puts_back_every_row(demo):
    expected = {model: tally_rows(model) for model in tallies.TALLIES}
    for model in tallies.TALLIES:
        model.objects.all().delete()
    tallies.refresh_tallies()
    assert {model: tally_rows(model) for model in tallies.TALLIES} == expected


def _read_everything(event: Event, filters: StatementFilters):
    dims = readmodel.event_dimensions(Event.objects.select_related("codebook").get(pk=event.pk))
    return readmodel.read_figures(dims, filters, ALL_PARTS_WITH_DAYS)


@pytest.mark.parametrize(
    "filters",
    [
        StatementFilters(),
        StatementFilters(tones=frozenset({-1, 0})),
        StatementFilters(source_types=frozenset({"expert"}), kinds=frozenset({"quote"})),
        StatementFilters(date_from=dt.date(2017, 5, 2), date_to=dt.date(2017, 5, 3)),
    ],
)
def test_the_tallies_give_the_figures_the_statements_give(demo, filters, monkeypatch):
    """The read model's answer from the tallies equals its answer grouping statements directly."""
    from_tallies = _read_everything(demo, filters)
    monkeypatch.setattr(readmodel, "_tally", lambda *args: None)
    assert _read_everything(demo, filters) == from_tallies


def test_deleting_a_selection_refreshes_each_pair_once(db):
    world = World()
    article = world.articles()[0]
    for n, text in enumerate(SENTENCES):
        start = BODY.index(text)
        Statement.objects.create(
            article=article, start=start, end=start + len(text), text=text, kind="quote", tone=n % 5 - 2
        )
    selection = Statement.objects.filter(article=article)
    with tallies.batched():
        selection.delete()
    assert_tallies_right()
    assert not tallies.TopicTally.objects.filter(event=article.event_id, outlet=article.outlet_id).exists()


def test_a_batch_that_fails_refreshes_nothing_and_leaves_no_batch_open(db):
    article = make_article(body=BODY)
    with pytest.raises(RuntimeError), tallies.batched():
        Statement.objects.create(article=article, start=0, end=len(SENTENCES[0]), text=SENTENCES[0], kind="quote")
        raise RuntimeError
    Statement.objects.create(article=article, start=len(BODY) - 7, end=len(BODY), text=BODY[-7:], kind="quote")
    assert_tallies_right()
