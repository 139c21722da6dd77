"""The one read model (coverage/readmodel.py) against the brief's definitions, on real databases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coverage import readmodel
from coverage.models import Codebook, Event, Frame, Source, SourceType, Statement, StatementKind
from coverage.rows import ALL_PARTS_WITH_DAYS, EventInfo, FrameInfo, OutletInfo, StatementFilters, TopicInfo

from . import oracle
from .conftest import make_article, make_event, make_outlet, make_source, make_statement, make_topic

TYPES = [SourceType.OFFICIAL, SourceType.EXPERT, SourceType.REPORTER]
KINDS = list(StatementKind.values)
STATUSES = ["complete", "in_progress", "not_started"]
DAYS = [None, dt.date(2020, 3, 1), dt.date(2020, 3, 2), dt.date(2020, 3, 4)]


@st.composite
def coverage_worlds(draw):
    """A few events, outlets, articles (with tagging states and days) and statements, as plain records."""
    n_outlets = draw(st.integers(1, 4))
    n_events = draw(st.integers(1, 2))
    topics = [(e, t, draw(st.booleans())) for e in range(n_events) for t in range(draw(st.integers(1, 4)))]
    articles = []
    for e in range(n_events):
        for o in range(n_outlets):
            for _ in range(draw(st.integers(0, 2))):
                articles.append((e, o, draw(st.sampled_from(STATUSES)), draw(st.sampled_from(DAYS))))
    statements = []
    for index, (e, _, _, _) in enumerate(articles):
        event_topics = [t for t in topics if t[0] == e]
        for _ in range(draw(st.integers(0, 5))):
            statements.append(
                (
                    index,
                    draw(st.one_of(st.none(), st.sampled_from(event_topics))),
                    draw(st.integers(-2, 2)),
                    draw(st.sampled_from(KINDS)),
                    draw(st.one_of(st.none(), st.integers(0, 2))),
                    draw(st.one_of(st.none(), st.integers(0, 2))),
                    draw(st.sampled_from(["accepted", "accepted", "suggested"])),
                )
            )
    return n_outlets, n_events, topics, articles, statements


def _subset(draw, values):
    return (
        frozenset(draw(st.sets(st.sampled_from(values), max_size=2))) if values and draw(st.booleans()) else frozenset()
    )


@st.composite
def filter_choices(draw):
    """Which filters to set; turned into ids once the world is saved."""
    return {
        "outlets": draw(st.sets(st.integers(0, 3), max_size=2)),
        "topics": draw(st.sets(st.integers(0, 3), max_size=2)),
        "frames": draw(st.sets(st.integers(0, 2), max_size=2)),
        "source_types": draw(st.sets(st.sampled_from([t.value for t in TYPES]), max_size=2)),
        "sources": draw(st.sets(st.integers(0, 2), max_size=1)),
        "tones": draw(st.sets(st.integers(-2, 2), max_size=2)),
        "kinds": draw(st.sets(st.sampled_from(KINDS), max_size=2)),
        "date_from": draw(st.sampled_from([None, dt.date(2020, 3, 2)])),
        "date_to": draw(st.sampled_from([None, dt.date(2020, 3, 2), dt.date(2020, 3, 9)])),
    }


class World:
    """The records of a generated world, saved to the database, with both views of them."""

    def __init__(self, world):
        n_outlets, n_events, topics, articles, statements = world
        codebook = Codebook.objects.get(slug="media-frames-corpus")
        self.frames = list(Frame.objects.filter(codebook=codebook).order_by("number")[:3])
        self.sources = [make_source(name=f"Source {t}", type=t) for t in TYPES]
        self.outlets = [make_outlet(name=f"Outlet {o}") for o in range(n_outlets)]
        self.events = [make_event(date=dt.date(2020, 3, 1)) for _ in range(n_events)]
        self.topics = {(e, t): make_topic(self.events[e], is_key=key, number=t) for e, t, key in topics}
        self.articles = []
        self.records: list[oracle.A] = []
        for e, o, status, day in articles:
            published = dt.datetime.combine(day, dt.time(23, 30), tzinfo=dt.UTC) if day else None
            body = " ".join(f"Sentence {i} here." for i in range(8)) + f" Article {len(self.articles)}."
            article = make_article(
                self.events[e], self.outlets[o], body=body, tagging_status=status, published_at=published
            )
            self.articles.append(article)
            self.records.append(
                oracle.A(article.pk, article.event_id, article.outlet_id, status, day, article.headline, article.words)
            )
        self.statements: list[oracle.S] = []
        used: dict[int, int] = {}
        for index, topic, tone, kind, frame, source, status in statements:
            article = self.articles[index]
            n = used[index] = used.get(index, -1) + 1
            topic_obj = self.topics[(topic[0], topic[1])] if topic else None
            frame_obj = self.frames[frame] if frame is not None else None
            source_obj = self.sources[source] if source is not None else None
            make_statement(article, f"Sentence {n} here.", topic=topic_obj, tone=tone, kind=kind, frame=frame_obj,
                           source=source_obj, status=status)  # fmt: skip
            self.statements.append(
                oracle.S(article.pk, topic_obj.pk if topic_obj else None, tone, kind, frame_obj.pk if frame_obj else None,
                         source_obj.pk if source_obj else None, source_obj.type if source_obj else None,
                         source_obj.name if source_obj else "", status == "accepted")
            )  # fmt: skip

    def filters(self, choice: dict) -> StatementFilters:
        topics = list(self.topics.values())
        return StatementFilters(
            outlets=frozenset(self.outlets[i].pk for i in choice["outlets"] if i < len(self.outlets)),
            topics=frozenset(topics[i].pk for i in choice["topics"] if i < len(topics)),
            frames=frozenset(self.frames[i].pk for i in choice["frames"]),
            source_types=frozenset(choice["source_types"]),
            sources=frozenset(self.sources[i].pk for i in choice["sources"]),
            tones=frozenset(choice["tones"]),
            kinds=frozenset(choice["kinds"]),
            date_from=choice["date_from"],
            date_to=choice["date_to"],
        )

    def expected(self, event: Event | None, filters: StatementFilters):
        outlets = [
            OutletInfo(o.pk, o.name, o.slug, o.colour, o.country, o.get_ownership_display()) for o in self.outlets
        ]
        outlets.sort(key=lambda o: (o.name.lower(), o.id))
        topics = [TopicInfo(t.pk, t.name, t.slug, t.is_key, t.event_id) for t in self.topics.values()]
        topics = [t for t in topics if event is None or t.event_id == event.pk]
        infos = [EventInfo(e.pk, e.name, e.slug, e.date, e.description) for e in self.events]
        return oracle.figures(
            event=next((i for i in infos if event and i.id == event.pk), None),
            outlets=outlets,
            topics=topics,
            frames=[FrameInfo(f.pk, f.name, f.slug, f.codebook.name) for f in self.frames],
            articles=self.records,
            statements=self.statements,
            filters=filters,
            events=infos,
        )


def assert_same_figures(actual, expected):
    assert actual.coverage == expected.coverage
    assert actual.omissions == expected.omissions
    assert actual.by_event == expected.by_event
    assert actual.by_frame == expected.by_frame
    assert actual.by_source_type == expected.by_source_type
    assert actual.by_day == expected.by_day
    assert {(n.outlet_id, n.source_id, n.statements, n.rank, n.of_type) for n in actual.named_sources} == {
        (n.outlet_id, n.source_id, n.statements, n.rank, n.of_type) for n in expected.named_sources
    }
    assert [o.id for o in actual.outlets] == [o.id for o in expected.outlets]
    assert {e.id for e in actual.events} == {e.id for e in expected.events}


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(world=coverage_worlds(), choice=filter_choices())
def test_every_figure_agrees_with_the_briefs_definitions_under_any_filters(world, choice):
    with transaction.atomic():
        saved = World(world)
        filters = saved.filters(choice)
        for event in saved.events:
            dims = readmodel.event_dimensions(Event.objects.select_related("codebook").get(pk=event.pk))
            actual = readmodel.read_figures(dims, filters, ALL_PARTS_WITH_DAYS)
            expected = saved.expected(event, filters)
            assert_same_figures(actual, expected)
            assert actual.by_topic == expected.by_topic
            assert {(a.id, a.statements) for a in actual.articles} == {(a.id, a.statements) for a in expected.articles}
        across = readmodel.read_figures(readmodel.global_dimensions(), filters, ALL_PARTS_WITH_DAYS)
        assert_same_figures(across, saved.expected(None, filters))
        transaction.set_rollback(True)


def test_machine_suggestions_never_count(db):
    event = make_event()
    article = make_article(event, body="One. Two. Three.")
    make_statement(article, "One", status="accepted", topic=make_topic(event))
    make_statement(article, "Two", status="suggested", topic=make_topic(event))
    dims = readmodel.event_dimensions(Event.objects.select_related("codebook").get(pk=event.pk))
    figures = readmodel.read_figures(dims, StatementFilters())
    assert figures.total().statements == 1
    assert figures.articles[0].statements == 1
    assert len(next(iter(figures.coverage.values())).covered) == 1


def _world(outlets: int):
    event = make_event()
    topics = [make_topic(event, is_key=i == 0) for i in range(3)]
    expert = make_source(type=SourceType.EXPERT)
    for i in range(outlets):
        article = make_article(event, make_outlet(), body="First claim. Second claim. Third claim.")
        make_statement(article, "First claim", topic=topics[i % 3], source=expert, kind="quote")
        make_statement(article, "Second claim", topic=topics[(i + 1) % 3], tone=-1)
    return Event.objects.select_related("codebook").get(pk=event.pk)


@pytest.mark.parametrize("outlets", [2, 20])
def test_one_event_is_read_in_five_queries_however_many_outlets(db, django_assert_num_queries, outlets):
    event = _world(outlets)
    with django_assert_num_queries(5):  # articles with outlets, topics, frames; the counts; named sources
        figures = readmodel.read_figures(readmodel.event_dimensions(event), StatementFilters(tones=frozenset({-1})))
    assert len(figures.outlets) == outlets and figures.total().statements == outlets


@pytest.mark.parametrize("outlets", [2, 20])
def test_all_events_are_read_in_six_queries_however_many_outlets(db, django_assert_num_queries, outlets):
    _world(outlets)
    _world(outlets)
    with django_assert_num_queries(6):  # outlets, frames; articles per event; topics; the counts; named sources
        figures = readmodel.read_figures(readmodel.global_dimensions(), StatementFilters())
    assert len(figures.events) == 2 and figures.total().statements == 4 * outlets


def test_a_page_of_statements_is_one_query_and_never_reads_an_article_body(db, django_assert_num_queries):
    event = _world(3)
    dims = readmodel.event_dimensions(event)
    with django_assert_num_queries(1) as captured:
        cards = readmodel.statement_page(dims, StatementFilters(), 0, 4)
    assert len(cards) == 4
    assert '"body"' not in captured.captured_queries[0]["sql"]
    assert [c.text for c in cards] == [
        s.text
        for s in Statement.objects.filter(article__event=event).order_by(
            "article__outlet__name", "article_id", "start"
        )[:4]
    ]


def test_an_unknown_source_is_not_a_choice(db):
    event = _world(2)
    known = Source.objects.get()
    assert readmodel.source_choices([known.pk, 99999], event.pk) == {known.pk: str(known)}
    assert readmodel.source_choices([known.pk], make_event().pk) == {}
