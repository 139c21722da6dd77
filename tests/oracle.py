"""A second, deliberately naive computation of Framescope's figures, to test the real one.

It loops over plain statement and article records and applies the brief's definitions
word by word (no shared code with coverage/readmodel.py or coverage/omissions.py), so a
test can compare what the read model and the pages show with what the brief says. It is
also a compact way to build `Figures` for the pure modules' unit tests.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coverage.omissions import OutletOmissions
from coverage.rows import (
    COVERAGE,
    DAYS,
    EVENTS,
    FRAMES,
    NAMED,
    SOURCES,
    TOPICS,
    ArticleInfo,
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

ALL = frozenset({COVERAGE, EVENTS, TOPICS, FRAMES, SOURCES, NAMED, DAYS})
NAMED_PER_TYPE = 8
NO_FILTERS = StatementFilters()


@dataclass(frozen=True)
class A:
    """An article: id, event, outlet, tagging status, publication day (UTC) or None."""

    id: int
    event: int
    outlet: int
    status: str = "complete"
    day: dt.date | None = None
    headline: str = "Headline"
    words: int = 0


@dataclass(frozen=True)
class S:
    """A statement of article `article`."""

    article: int
    topic: int | None = None
    tone: int = 0
    kind: str = "assertion"
    frame: int | None = None
    source: int | None = None
    source_type: str | None = None
    source_name: str = ""
    accepted: bool = True


def _in_range(day: dt.date | None, f: StatementFilters) -> bool:
    if f.date_from is None and f.date_to is None:
        return True
    return day is not None and (f.date_from is None or day >= f.date_from) and (f.date_to is None or day <= f.date_to)


def _matches(s: S, a: A, f: StatementFilters) -> bool:
    return (
        _in_range(a.day, f)
        and (not f.outlets or a.outlet in f.outlets)
        and (not f.topics or s.topic in f.topics)
        and (not f.frames or s.frame in f.frames)
        and (not f.source_types or s.source_type in f.source_types)
        and (not f.sources or s.source in f.sources)
        and (not f.tones or s.tone in f.tones)
        and (not f.kinds or s.kind in f.kinds)
    )


def omissions_by_definition(
    outlets: Iterable[int], covered: dict[int, set[int]], complete: dict[int, bool], key_topics: Iterable[int]
) -> dict[int, OutletOmissions]:
    """The brief's omission rule, as literally as possible."""
    outlets = list(outlets)
    keys = set(key_topics)
    result = {}
    for o in outlets:
        missing = {}
        candidates = set(keys).union(*(covered.get(x, set()) for x in outlets))
        for t in sorted(candidates):
            if t in covered.get(o, set()):
                continue
            others = tuple(sorted(x for x in outlets if x != o and t in covered.get(x, set())))
            if others or t in keys:
                missing[t] = others
        result[o] = OutletOmissions(complete=complete[o], covered=frozenset(covered.get(o, set())), missing=missing)
    return result


def figures(
    *,
    event: EventInfo | None,
    outlets: Sequence[OutletInfo],
    topics: Sequence[TopicInfo],
    frames: Sequence[FrameInfo] = (),
    articles: Sequence[A],
    statements: Sequence[S],
    filters: StatementFilters = NO_FILTERS,
    parts: Iterable[str] = ALL,
    events: Sequence[EventInfo] = (),
) -> Figures:
    """The figures the read model should give for these records (event None: across `events`)."""
    parts = frozenset(parts)
    article = {a.id: a for a in articles}
    scope = [a for a in articles if (event is None or a.event == event.id) and _in_range(a.day, filters)]
    in_scope = {a.id for a in scope}
    accepted = [s for s in statements if s.accepted and s.article in in_scope]
    matching = [s for s in accepted if _matches(s, article[s.article], filters)]

    pairs = sorted({(a.event, a.outlet) for a in scope})
    covered: dict[tuple[int, int], set[int]] = defaultdict(set)
    for s in accepted:
        if s.topic is not None:
            a = article[s.article]
            covered[(a.event, a.outlet)].add(s.topic)
    coverage = {}
    for e, o in pairs:
        mine = [a for a in scope if (a.event, a.outlet) == (e, o)]
        coverage[(e, o)] = OutletCoverage(
            articles=len(mine),
            complete_articles=sum(a.status == "complete" for a in mine),
            started_articles=sum(a.status != "not_started" for a in mine),
            covered=frozenset(covered[(e, o)]),
        )
    omissions = {}
    if COVERAGE in parts:
        for e in sorted({e for e, _ in pairs}):
            here = [o for ee, o in pairs if ee == e]
            keys = [t.id for t in topics if t.event_id == e and t.is_key]
            rule = omissions_by_definition(
                here,
                {o: covered[(e, o)] for o in here},
                {o: coverage[(e, o)].complete for o in here},
                keys,
            )
            for o, gaps in rule.items():
                omissions[(e, o)] = gaps

    def tally(key) -> dict:
        tones: dict = defaultdict(Counter)
        for s in matching:
            tones[key(s, article[s.article])][s.tone] += 1
        return {k: ToneCounts.of(v) for k, v in tones.items()}

    kinds: dict = defaultdict(Counter)
    for s in matching:
        kinds[(article[s.article].outlet, s.source_type)][s.kind] += 1
    named_counts: Counter = Counter()
    for s in matching:
        if s.source is not None:
            named_counts[(article[s.article].outlet, s.source, s.source_name, s.source_type)] += 1
    named = []
    groups: dict = defaultdict(list)
    for (o, source, name, type_), n in named_counts.items():
        groups[(o, type_)].append((-n, name, source))
    for (o, type_), items in groups.items():
        items.sort()
        for rank, (neg, name, source) in enumerate(items[:NAMED_PER_TYPE], start=1):
            named.append(NamedSource(o, source, name, "", type_, -neg, rank, len(items)))

    event_ids = {e for e, _ in pairs}
    present = {o for _, o in pairs}
    return Figures(
        event=event if event is not None and scope else event,
        filters=filters,
        parts=parts,
        outlets=tuple(o for o in outlets if o.id in present),
        topics=tuple(t for t in topics if event is not None or t.event_id in event_ids),
        frames=tuple(frames),
        events=tuple(e for e in events if e.id in event_ids) if event is None else ((event,) if scope else ()),
        articles=tuple(
            ArticleInfo(
                a.id,
                a.event,
                a.outlet,
                a.headline,
                None,
                a.words,
                a.status,
                sum(1 for s in accepted if s.article == a.id),
            )
            for a in scope
        )
        if event is not None
        else (),  # fmt: skip
        coverage=coverage,
        omissions=omissions,
        by_event=tally(lambda s, a: (a.outlet, a.event)) if EVENTS in parts else {},
        by_topic=tally(lambda s, a: (a.outlet, s.topic)) if TOPICS in parts else {},
        by_frame=tally(lambda s, a: (a.outlet, s.frame)) if FRAMES in parts else {},
        by_day={k: v for k, v in tally(lambda s, a: (a.outlet, a.day)).items() if k[1] is not None}
        if DAYS in parts
        else {},
        by_source_type={k: SourceTypeCounts(dict(v)) for k, v in kinds.items()} if SOURCES in parts else {},
        named_sources=tuple(named) if NAMED in parts else (),
    )
