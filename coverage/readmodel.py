"""The one read model: every number Framescope shows is read here.

The matrix, each chart with its CSV and JSON, the share pages, the compare page, the event
list and the outlets overview all call `read_figures` (or, for lists of statements,
`statement_page`) and hand its plain rows (`coverage.rows`) to the pure modules. The one
omission rule (`coverage.omissions`) is applied here, once per event read, and nowhere else.

Reads run a fixed number of queries whatever the number of outlets, topics or statements:
`event_dimensions` 3, `global_dimensions` 2, `read_figures` at most 4 (`READ_QUERIES`) and
1 more for the CLAIMS part, `statement_page` 1. Content counts come from one UNION ALL of
GROUP BY queries over the summary tables of accepted statements (`coverage.tallies`) where
they can answer the filters, else over the statements themselves; see docs/readmodel.md
("Summary tables").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import BigIntegerField, CharField, Count, F, Q, QuerySet, Sum, Value, Window
from django.db.models.functions import Cast, RowNumber, TruncDate

from .claim_models import ClaimOmission, ClaimStatement
from .models import (
    Article,
    Event,
    Frame,
    Outlet,
    Ownership,
    Source,
    SourceType,
    Statement,
    StatementKind,
    StatementStatus,
    Tone,
    Topic,
)
from .omissions import claim_omissions, event_omissions
from .rows import (
    CLAIMS,
    COVERAGE,
    DAYS,
    EVENTS,
    FRAMES,
    NAMED,
    SOURCES,
    TOPICS,
    ArticleInfo,
    ClaimCounts,
    EventInfo,
    Figures,
    FrameInfo,
    NamedSource,
    OutletCoverage,
    OutletInfo,
    SourceTypeCounts,
    StatementFilters,
    ToneCounts,
    TopicInfo,
)
from .tallies import CoverageTally, DayTally, FrameTally, KindTally, SourceTally, Tally, ToneTally, TopicTally

ALL_PARTS = frozenset({COVERAGE, EVENTS, TOPICS, FRAMES, SOURCES, NAMED})
OVERVIEW_PARTS = frozenset({COVERAGE, EVENTS, FRAMES, SOURCES, CLAIMS})
# The event page: the matrix (with its claim columns) and the charts.
MATRIX_PARTS = ALL_PARTS | {CLAIMS}
NO_FILTERS = StatementFilters()
NAMED_PER_TYPE = 8


# Dimensions: what filters choose among, read before the filters are validated ---------------


@dataclass(frozen=True)
class Dimensions:
    """The outlets, topics, frames (and, for one event, articles) a scope has.

    For one event: the outlets with an article on it (whatever its date), its topics, its
    codebook's frames and its articles (without bodies). Across events: every outlet and
    every frame; topics are chosen by id there and read with the figures.
    """

    event: EventInfo | None
    codebook: str
    outlets: tuple[OutletInfo, ...]
    topics: tuple[TopicInfo, ...]
    frames: tuple[FrameInfo, ...]
    articles: tuple[ArticleInfo, ...] = ()


def _outlet_info(o: Outlet) -> OutletInfo:
    return OutletInfo(o.pk, o.name, o.slug, o.colour, o.country, o.get_ownership_display())


def _event_info(e: Event) -> EventInfo:
    return EventInfo(e.pk, e.name, e.slug, e.date, e.description)


def _topic_info(t: Mapping[str, Any]) -> TopicInfo:
    return TopicInfo(t["id"], t["name"], t["slug"], t["is_key"], t["event_id"])


def _frames(codebook_id: int | None) -> tuple[FrameInfo, ...]:
    frames = Frame.objects.order_by("codebook__name", "number", "name", "pk")
    if codebook_id is not None:
        frames = frames.filter(codebook_id=codebook_id)
    rows = frames.values("id", "name", "slug", "codebook__name")
    return tuple(FrameInfo(f["id"], f["name"], f["slug"], f["codebook__name"]) for f in rows)


def event_dimensions(event: Event, *, frames: bool = True) -> Dimensions:
    """One event's dimensions in 3 queries (articles with their outlets, topics, frames), or 2
    without the frames (`frames=False`: pages that offer no frame filter, such as compare).

    `event` should come with its codebook (`select_related("codebook")`).
    """
    # Plain tuples, not model instances: the big events have thousands of articles.
    rows = (
        Article.objects.filter(event=event)
        .order_by("outlet__name", "published_at", "pk")
        .values_list(
            "id", "outlet_id", "headline", "published_at", "words", "tagging_status",
            "outlet__name", "outlet__slug", "outlet__colour", "outlet__country", "outlet__ownership",
        )
    )  # fmt: skip
    outlets: dict[int, OutletInfo] = {}
    articles = []
    for pk, outlet_id, headline, published_at, words, status, name, slug, colour, country, ownership in rows:
        if outlet_id not in outlets:
            outlets[outlet_id] = OutletInfo(outlet_id, name, slug, colour, country, str(Ownership(ownership).label))
        articles.append(ArticleInfo(pk, event.pk, outlet_id, headline, published_at, words, status))
    topics = Topic.objects.filter(event=event).order_by("number", "name", "pk")
    return Dimensions(
        event=_event_info(event),
        codebook=event.codebook.name,
        outlets=tuple(sorted(outlets.values(), key=lambda o: (o.name.lower(), o.id))),
        topics=tuple(_topic_info(t) for t in topics.values("id", "name", "slug", "is_key", "event_id")),
        frames=_frames(event.codebook_id) if frames else (),
        articles=tuple(articles),
    )


def global_dimensions(frames: bool = True) -> Dimensions:
    """Every outlet and (unless `frames` is false) every frame, in 2 queries: pages across events."""
    outlets = tuple(_outlet_info(o) for o in Outlet.objects.order_by("name", "pk"))
    return Dimensions(event=None, codebook="", outlets=outlets, topics=(), frames=_frames(None) if frames else ())


# Filters as query conditions -------------------------------------------------------------


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def _published_in(filters: StatementFilters, prefix: str = "") -> Q:
    """Articles published in the date range (UTC days, inclusive); undated ones are outside any range."""
    condition = Q()
    if filters.date_from or filters.date_to:
        condition &= Q(**{f"{prefix}published_at__isnull": False})
    if filters.date_from:
        condition &= Q(**{f"{prefix}published_at__gte": _day_start(filters.date_from)})
    if filters.date_to and filters.date_to < dt.date.max:
        condition &= Q(**{f"{prefix}published_at__lt": _day_start(filters.date_to + dt.timedelta(days=1))})
    return condition


def _statements(
    event_id: int | None,
    filters: StatementFilters,
    event_ids: Sequence[int] | None = None,
    article_ids: Sequence[int] | None = None,
) -> QuerySet[Statement]:
    """Accepted statements of one event (or all, or `event_ids`) that match `filters`: the base of every count.

    `article_ids`, when given, are the event's articles of the filtered outlets: PostgreSQL
    then reads their statements from the (article, status) index instead of scanning the table.
    """
    statements = Statement.objects.filter(status=StatementStatus.ACCEPTED)
    if article_ids is not None:
        statements = statements.filter(article_id__in=sorted(article_ids))
    elif event_id is not None:
        statements = statements.filter(article__event_id=event_id)
    elif event_ids is not None:
        statements = statements.filter(article__event_id__in=list(event_ids))
    statements = statements.filter(_published_in(filters, "article__"))
    conditions = {
        "article__outlet_id__in": filters.outlets if article_ids is None else (),
        "topic_id__in": filters.topics,
        "frame_id__in": filters.frames,
        "source__type__in": filters.source_types,
        "source_id__in": filters.sources,
        "tone__in": filters.tones,
        "kind__in": filters.kinds,
    }
    for lookup, values in conditions.items():
        if values:
            statements = statements.filter(**{lookup: sorted(values)})
    return statements.order_by()


# The grouped counts ------------------------------------------------------------------------

# Typed NULLs: PostgreSQL takes an untyped NULL in a UNION's first SELECT for text.
_NO_INT, _NO_TEXT = Cast(Value(None), BigIntegerField()), Cast(Value(None), CharField())
_COLUMNS = ("g_part", "g_outlet", "g_event", "g_article", "g_topic", "g_frame", "g_type", "g_kind", "g_tone")


def _grouped(rows: QuerySet, part: str, count, **columns) -> QuerySet:
    """One GROUP BY of the union: the same columns in the same order for every part.

    `rows` are statements (`count` is Count("id")) or a tally's rows (Sum("statements")).
    """
    given = {"g_part": Value(part, output_field=CharField())}
    for name in _COLUMNS[1:]:
        given[name] = columns.get(name, _NO_TEXT if name in ("g_type", "g_kind") else _NO_INT)
    return rows.values(**given).annotate(n=Cast(count, BigIntegerField()))


def _content_filters(filters: StatementFilters) -> frozenset[str]:
    """The names of the filters set, besides outlets (which every tally answers)."""
    names = {n for n in ("topics", "frames", "source_types", "sources", "tones", "kinds") if getattr(filters, n)}
    if filters.date_from or filters.date_to:
        names.add("date")
    return frozenset(names)


# What each tally can filter on (coverage/tallies.py); outlets and events always.
_ANSWERS = {
    ToneTally: frozenset({"tones"}),
    TopicTally: frozenset({"topics", "tones"}),
    FrameTally: frozenset({"frames", "tones"}),
    SourceTally: frozenset({"source_types", "sources", "kinds", "tones"}),
    KindTally: frozenset({"source_types", "kinds"}),
    DayTally: frozenset({"tones", "date"}),
}


def _tally(
    model: type[Tally], event_id: int | None, filters: StatementFilters, event_ids: Sequence[int] | None
) -> QuerySet | None:
    """The rows of `model` that stand for the accepted statements matching `filters`, or None
    when the tally cannot answer them (then the statements are grouped directly)."""
    if not _content_filters(filters) <= _ANSWERS[model]:
        return None
    rows = model._default_manager.all()
    if event_id is not None:
        rows = rows.filter(event_id=event_id)
    elif event_ids is not None:
        rows = rows.filter(event_id__in=list(event_ids))
    conditions = {
        "outlet_id__in": filters.outlets,
        "topic_id__in": filters.topics,
        "frame_id__in": filters.frames,
        "source_type__in" if model is KindTally else "source__type__in": filters.source_types,
        "source_id__in": filters.sources,
        "tone__in": filters.tones,
        "kind__in": filters.kinds,
    }
    for lookup, values in conditions.items():
        if values:
            rows = rows.filter(**{lookup: sorted(values)})  # type: ignore[type-var]  # ids, slugs or tones
    if filters.date_from:
        rows = rows.filter(**{"day__gte": filters.date_from})  # only DayTally, whose filters allow dates
    if filters.date_to and filters.date_to < dt.date.max:
        rows = rows.filter(**{"day__lte": filters.date_to})
    return rows.order_by()


def _covering(event_id: int | None, filters: StatementFilters, event_ids: Sequence[int] | None) -> QuerySet:
    """Coverage tallies (accepted statements per article and topic) of articles in the date range."""
    rows = CoverageTally.objects.filter(_published_in(filters, "article__"))
    if event_id is not None:
        rows = rows.filter(event_id=event_id)
    elif event_ids is not None:
        rows = rows.filter(event_id__in=list(event_ids))
    return rows.order_by()


_ARTICLES = "articles"  # accepted statements per article (one event), read with the coverage


def _counts_query(
    event_id: int | None, filters: StatementFilters, parts: frozenset[str], event_ids: Sequence[int] | None
) -> QuerySet | None:
    """One UNION ALL of a GROUP BY per part: each from its tally when the tally can answer the
    filters, else from the matching statements themselves."""
    matching = _statements(event_id, filters, event_ids)

    def grouped(models: Sequence[type], part: str, counted: dict, tallied: Callable[[type], dict]) -> QuerySet:
        """From the first (smallest) of `models` that answers the filters, else from the statements."""
        for model in models:
            rows = _tally(model, event_id, filters, event_ids)
            if rows is not None:
                return _grouped(rows, part, Sum("statements"), **tallied(model))
        return _grouped(matching, part, Count("id"), **counted)

    outlet, tone = F("article__outlet_id"), F("tone")
    t_outlet, t_event = F("outlet_id"), F("event_id")
    queries = []
    if COVERAGE in parts:
        covering = _covering(event_id, filters.coverage(), event_ids)
        columns = {"g_outlet": t_outlet, "g_topic": F("topic_id")}
        if event_id is None:
            columns["g_event"] = t_event
        queries.append(_grouped(covering, COVERAGE, Sum("statements"), **columns))
        if event_id is not None:
            # The article list's statement counts come with the coverage.
            queries.append(_grouped(covering, _ARTICLES, Sum("statements"), g_article=F("article_id")))
    if EVENTS in parts:
        counted = {"g_outlet": outlet, "g_event": F("article__event_id"), "g_tone": tone}
        # The day tally leaves out undated articles, which a date range leaves out too.
        dated = [DayTally] if "date" in _content_filters(filters) else []
        queries.append(
            grouped(
                [ToneTally, TopicTally, FrameTally, SourceTally, *dated],  # those counting by tone
                EVENTS,
                counted,
                lambda model: {"g_outlet": t_outlet, "g_event": t_event, "g_tone": tone},
            )
        )
    if TOPICS in parts:
        queries.append(
            grouped(
                [TopicTally],
                TOPICS,
                {"g_outlet": outlet, "g_topic": F("topic_id"), "g_tone": tone},
                lambda model: {"g_outlet": t_outlet, "g_topic": F("topic_id"), "g_tone": tone},
            )
        )
    if FRAMES in parts:
        queries.append(
            grouped(
                [FrameTally],
                FRAMES,
                {"g_outlet": outlet, "g_frame": F("frame_id"), "g_tone": tone},
                lambda model: {"g_outlet": t_outlet, "g_frame": F("frame_id"), "g_tone": tone},
            )
        )
    if SOURCES in parts:
        queries.append(
            grouped(
                [KindTally, SourceTally],
                SOURCES,
                {"g_outlet": outlet, "g_type": F("source__type"), "g_kind": F("kind")},
                lambda model: {
                    "g_outlet": t_outlet,
                    "g_type": F("source_type") if model is KindTally else F("source__type"),
                    "g_kind": F("kind"),
                },
            )
        )
    if not queries:
        return None
    return queries[0].union(*queries[1:], all=True).order_by() if len(queries) > 1 else queries[0]


def _named_sources(
    event_id: int | None, filters: StatementFilters, event_ids: Sequence[int] | None
) -> list[NamedSource]:
    """Each outlet's most-quoted sources per type, with how many sources of that type it quoted."""
    count: Sum | Count
    tallied = _tally(SourceTally, event_id, filters, event_ids)
    if tallied is not None:
        rows, outlet, count = tallied.exclude(source=None), "outlet_id", Sum("statements")
    else:
        rows, outlet, count = (
            _statements(event_id, filters, event_ids).exclude(source=None),
            "article__outlet_id",
            Count("id"),
        )
    partition = [F(outlet), F("source__type")]
    ranked = (
        rows.values(
            g_outlet=F(outlet),
            g_source=F("source_id"),
            g_name=F("source__name"),
            g_affiliation=F("source__affiliation"),
            g_type=F("source__type"),
        )
        .annotate(n=count)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=partition, order_by=[F("n").desc(), F("source__name"), F("source_id")]
            ),
            reverse_rank=Window(
                RowNumber(),
                partition_by=partition,
                order_by=[F("n").asc(), F("source__name").desc(), F("source_id").desc()],
            ),
        )
        .filter(rank__lte=NAMED_PER_TYPE)
    )
    return [
        NamedSource(
            r["g_outlet"],
            r["g_source"],
            r["g_name"],
            r["g_affiliation"],
            r["g_type"],
            r["n"],
            r["rank"],
            r["rank"] + r["reverse_rank"] - 1,
        )  # fmt: skip
        for r in ranked
    ]


def _day_counts(
    event_id: int | None, filters: StatementFilters, event_ids: Sequence[int] | None
) -> dict[tuple[int, dt.date], ToneCounts]:
    tallied = _tally(DayTally, event_id, filters, event_ids)
    if tallied is not None:
        rows = tallied.values(g_outlet=F("outlet_id"), g_day=F("day"), g_tone=F("tone")).annotate(n=Sum("statements"))
    else:
        rows = (
            _statements(event_id, filters, event_ids)
            .exclude(article__published_at=None)
            .values(
                g_outlet=F("article__outlet_id"),
                g_day=TruncDate("article__published_at", tzinfo=dt.UTC),
                g_tone=F("tone"),
            )
            .annotate(n=Count("id"))
        )
    by_tone: dict[tuple[int, dt.date], dict[int, int]] = defaultdict(dict)
    for r in rows:
        by_tone[(r["g_outlet"], r["g_day"])][r["g_tone"]] = r["n"]
    return {key: ToneCounts.of(tones) for key, tones in by_tone.items()}


def _claim_counts(event_ids: Iterable[int]) -> dict[tuple[int, int], ClaimCounts]:
    """Per (event, outlet): claims carried, claims only it carried, current claim omissions by status.

    One query, a UNION ALL of two GROUP BYs over what the last matching run stored: rows are
    events × outlets (× statuses), whatever the number of claims or statements.
    """
    ids = sorted(set(event_ids))
    if not ids:
        return {}
    carried = (
        ClaimStatement.objects.filter(event_id__in=ids)
        .order_by()
        .values(c_part=Value("carried", output_field=CharField()), c_event=F("event_id"), c_outlet=F("outlet_id"))
        .annotate(
            c_status=_NO_TEXT,
            n=Count("claim_id", distinct=True),
            only=Count("claim_id", distinct=True, filter=Q(claim__outlet_count=1)),
        )
    )
    left_out = (
        ClaimOmission.objects.filter(event_id__in=ids, current=True)
        .order_by()
        .values(c_part=Value("left_out", output_field=CharField()), c_event=F("event_id"), c_outlet=F("outlet_id"))
        .annotate(c_status=F("status"))
        .values("c_part", "c_event", "c_outlet", "c_status")
        .annotate(n=Count("id"), only=Value(0))
    )
    found: dict[tuple[int, int], list] = defaultdict(lambda: [0, 0, {}])
    for r in carried.union(left_out, all=True).order_by():
        counts = found[(r["c_event"], r["c_outlet"])]
        if r["c_part"] == "carried":
            counts[0], counts[1] = r["n"], r["only"]
        else:
            counts[2][r["c_status"]] = r["n"]
    return {key: ClaimCounts(carried, only, left_out) for key, (carried, only, left_out) in found.items()}


# Reading figures ---------------------------------------------------------------------------


def _in_range(published_at: dt.datetime | None, filters: StatementFilters) -> bool:
    if not (filters.date_from or filters.date_to):
        return True
    if published_at is None:
        return False
    day = published_at.astimezone(dt.UTC).date()
    return (not filters.date_from or day >= filters.date_from) and (not filters.date_to or day <= filters.date_to)


def _scope_articles(dims: Dimensions, filters: StatementFilters) -> list[ArticleInfo]:
    return [a for a in dims.articles if _in_range(a.published_at, filters)]


def _article_groups(filters: StatementFilters, event_ids: Sequence[int] | None = None) -> list[Mapping[str, Any]]:
    """Across events: articles per event, outlet and tagging status in the date range, with names."""
    articles = Article.objects.filter(_published_in(filters))
    if event_ids is not None:
        articles = articles.filter(event_id__in=event_ids)
    return list(
        articles.order_by()
        .values(
            "event_id",
            "event__name",
            "event__slug",
            "event__date",
            "outlet_id",
            "tagging_status",
        )  # fmt: skip
        .annotate(n=Count("id"))
    )


def read_figures(
    dims: Dimensions,
    filters: StatementFilters,
    parts: Iterable[str] = ALL_PARTS,
    event_ids: Sequence[int] | None = None,
) -> Figures:
    """The figures of `dims`' scope under `filters`, with the `parts` asked for.

    One event: 1 query for every part but NAMED and DAYS, plus 1 for each of those. Across
    events, 2 more: the articles per event and outlet, and the events' topics. `event_ids`
    narrows a read across events to those events (a page of the event list).
    """
    event_id = dims.event.id if dims.event else None
    # Topics belong to one event: across events there are no counts per topic to read.
    parts = frozenset(parts) - ({TOPICS} if event_id is None else set())
    by_event_outlet: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])  # articles, complete, started
    if dims.event is not None:
        articles = _scope_articles(dims, filters)
        for a in articles:
            counts = by_event_outlet[(a.event_id, a.outlet_id)]
            counts[0] += 1
            counts[1] += a.complete
            counts[2] += a.tagging_status != "not_started"
        events: tuple[EventInfo, ...] = (dims.event,) if articles else ()
        topics = dims.topics
    else:
        groups = _article_groups(filters, event_ids)
        seen: dict[int, EventInfo] = {}
        for g in groups:
            counts = by_event_outlet[(g["event_id"], g["outlet_id"])]
            counts[0] += g["n"]
            counts[1] += g["n"] if g["tagging_status"] == "complete" else 0
            counts[2] += g["n"] if g["tagging_status"] != "not_started" else 0
            seen[g["event_id"]] = EventInfo(g["event_id"], g["event__name"], g["event__slug"], g["event__date"])
        events = tuple(sorted(seen.values(), key=lambda e: (e.date, e.name, e.id), reverse=True))
        topics = ()
        if COVERAGE in parts:
            topic_rows = Topic.objects.filter(event_id__in=list(seen)).order_by("event_id", "number", "name", "pk")
            topics = tuple(_topic_info(t) for t in topic_rows.values("id", "name", "slug", "is_key", "event_id"))
        articles = []
    in_scope = {outlet_id for (_, outlet_id) in by_event_outlet}
    outlets = tuple(o for o in dims.outlets if o.id in in_scope)

    # The counts. Statements of articles outside the scope cannot appear: they share its filters.
    covered: dict[tuple[int, int], set[int]] = defaultdict(set)
    article_statements: dict[int, int] = defaultdict(int)
    tones: dict[str, dict[tuple, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    kinds: dict[tuple[int, str | None], dict[str, int]] = defaultdict(dict)
    query = _counts_query(event_id, filters, parts, event_ids) if events else None
    for r in query if query is not None else ():
        part, outlet = r["g_part"], r["g_outlet"]
        if part == _ARTICLES:
            article_statements[r["g_article"]] += r["n"]
        elif part == COVERAGE:
            if r["g_topic"] is not None:
                covered[(cast(int, r["g_event"] or event_id), outlet)].add(
                    r["g_topic"]
                )  # an event's read has no g_event
        elif part == EVENTS:
            tones[part][(outlet, r["g_event"])][r["g_tone"]] = r["n"]
        elif part == TOPICS:
            tones[part][(outlet, r["g_topic"])][r["g_tone"]] = r["n"]
        elif part == FRAMES:
            tones[part][(outlet, r["g_frame"])][r["g_tone"]] = r["n"]
        elif part == SOURCES:
            kinds[(outlet, r["g_type"])][r["g_kind"]] = r["n"]

    coverage = {
        key: OutletCoverage(n, complete, started, frozenset(covered.get(key, ())))
        for key, (n, complete, started) in by_event_outlet.items()
    }
    omissions = {}
    if COVERAGE in parts:
        keys: dict[int, list[int]] = defaultdict(list)
        for t in topics:
            if t.is_key:
                keys[t.event_id].append(t.id)
        per_event: dict[int, dict[int, OutletCoverage]] = defaultdict(dict)
        for (e, o), outlet_coverage in coverage.items():
            per_event[e][o] = outlet_coverage
        for e, outlets_coverage in per_event.items():
            for o, gaps in event_omissions(outlets_coverage, keys[e]).items():
                omissions[(e, o)] = gaps

    claims, claims_by_rule = {}, {}
    if CLAIMS in parts and events:
        claims = _claim_counts(e.id for e in events)
        claims_by_rule = claim_omissions(coverage, claims)

    def tone_counts(part: str) -> dict:
        return {key: ToneCounts.of(by_tone) for key, by_tone in tones[part].items()}

    return Figures(
        event=dims.event,
        filters=filters,
        parts=parts,
        outlets=outlets,
        topics=topics,
        frames=dims.frames,
        events=events,
        articles=tuple(
            ArticleInfo(
                a.id,
                a.event_id,
                a.outlet_id,
                a.headline,
                a.published_at,
                a.words,
                a.tagging_status,
                article_statements.get(a.id, 0),
            )  # fmt: skip
            for a in articles
        ),
        coverage=coverage,
        omissions=omissions,
        by_event=tone_counts(EVENTS),
        by_topic=tone_counts(TOPICS),
        by_frame=tone_counts(FRAMES),
        by_day=_day_counts(event_id, filters, event_ids) if DAYS in parts and events else {},
        by_source_type={key: SourceTypeCounts(by_kind) for key, by_kind in kinds.items()},
        named_sources=tuple(_named_sources(event_id, filters, event_ids)) if NAMED in parts and events else (),
        claims=claims,
        claim_omissions=claims_by_rule,
    )


# Statements behind a number ----------------------------------------------------------------


@dataclass(frozen=True)
class StatementCard:
    """One statement as a list shows it: its text and tags, never its article's body."""

    id: int
    article_id: int
    headline: str
    outlet_id: int
    start: int
    text: str
    kind: str
    tone: int
    target: str
    source: str  # name (and affiliation); "" when unattributed
    source_type: str | None
    topic: str
    frame: str

    @property
    def tone_label(self) -> str:
        return Tone(self.tone).label

    @property
    def kind_label(self) -> str:
        return StatementKind(self.kind).label

    @property
    def source_type_label(self) -> str:
        return SourceType(self.source_type).label if self.source_type else ""


def statement_page(dims: Dimensions, filters: StatementFilters, offset: int, limit: int) -> list[StatementCard]:
    """One page of the statements that match `filters`, by outlet, article and position (1 query).

    For one outlet (a row or a cell of the matrix) the page is read in the order of the
    statements' (article, start, end) index, among that outlet's articles: no sort of the event.
    """
    event_id = dims.event.id if dims.event else None
    if event_id is not None and len(filters.outlets) == 1:
        ids = [a.id for a in dims.articles if a.outlet_id in filters.outlets]
        statements = _statements(event_id, filters, article_ids=ids).order_by("article_id", "start", "end")
    else:
        statements = _statements(event_id, filters).order_by("article__outlet__name", "article_id", "start", "id")
    rows = (
        statements.values(
            "id",
            "article_id",
            "article__headline",
            "article__outlet_id",
            "start",
            "text",
            "kind",
            "tone",
            "target",
            "source__name",
            "source__affiliation",
            "source__type",
            "topic__name",
            "frame__name",
        )  # fmt: skip
    )[offset : offset + limit]
    return [
        StatementCard(
            r["id"],
            r["article_id"],
            r["article__headline"],
            r["article__outlet_id"],
            r["start"],
            r["text"],
            r["kind"],
            r["tone"],
            r["target"],
            (
                f"{r['source__name']}, {r['source__affiliation']}"
                if r["source__affiliation"]
                else r["source__name"] or ""
            ),
            r["source__type"],
            r["topic__name"] or "",
            r["frame__name"] or "",
        )  # fmt: skip
        for r in rows
    ]


def source_choices(ids: Iterable[int], event_id: int | None) -> dict[int, str]:
    """The sources among `ids` that exist (and, for one event, are quoted on it), by id (1 query)."""
    sources = Source.objects.filter(pk__in=list(ids))
    if event_id is not None:
        sources = sources.filter(statements__article__event_id=event_id)
    return {s.pk: str(s) for s in sources.distinct()}


def topic_names(ids: Iterable[int]) -> dict[int, str]:
    """The topics among `ids` that exist, named with their event (1 query): filters across events."""
    topics = Topic.objects.filter(pk__in=list(ids)).select_related("event")
    return {t.pk: f"{t.name} ({t.event.name})" for t in topics}
