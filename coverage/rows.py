"""The plain values that the read model hands to the pure rules, figures and downloads.

No ORM here: `coverage/readmodel.py` fills these from the database, and `omissions.py`,
`matrix.py`, `charts.py` and `exports.py` read them. Every number a page shows is a sum of
`ToneCounts` in a `Figures`, so two pages that read the same `Figures` cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .omissions import OutletClaimOmissions, OutletOmissions

TONES = (-2, -1, 0, 1, 2)

# The parts of a read (`coverage.readmodel.read_figures`); each page asks for those it shows.
COVERAGE = "coverage"  # what each outlet covers on each event, and the omissions
EVENTS = "events"  # statements per outlet and event, by tone (every outlet total comes from here)
TOPICS = "topics"  # statements per outlet and topic, by tone (one event)
FRAMES = "frames"  # statements per outlet and frame, by tone
SOURCES = "sources"  # statements per outlet and source type, by kind
NAMED = "named"  # each outlet's most-quoted sources per type
DAYS = "days"  # statements per outlet and publication day, by tone
CLAIMS = "claims"  # per outlet and event: claims carried, claims only it carried, claims it left out
ALL_PARTS_WITH_DAYS = frozenset({COVERAGE, EVENTS, TOPICS, FRAMES, SOURCES, NAMED, DAYS})


@dataclass(frozen=True)
class StatementFilters:
    """Which accepted statements a page counts; empty sets filter nothing.

    Ids, not model instances, so that the models and the pure modules never see a form.
    `date_from`/`date_to` narrow by the article's publication day (UTC), both inclusive;
    an article without a date is outside any date range.
    """

    outlets: frozenset[int] = frozenset()
    topics: frozenset[int] = frozenset()
    frames: frozenset[int] = frozenset()
    source_types: frozenset[str] = frozenset()
    sources: frozenset[int] = frozenset()
    tones: frozenset[int] = frozenset()
    kinds: frozenset[str] = frozenset()
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def narrows_content(self) -> bool:
        """Whether any filter other than the date range is set (outlets included)."""
        return bool(self.outlets or self.narrows_statements)

    @property
    def narrows_statements(self) -> bool:
        """Whether a filter chooses among an outlet's statements (topic, frame, source, tone, kind)."""
        return bool(self.topics or self.frames or self.source_types or self.sources or self.tones or self.kinds)

    def coverage(self) -> StatementFilters:
        """The filters that decide what counts as covered: the date range only (the omission rule)."""
        return StatementFilters(date_from=self.date_from, date_to=self.date_to)


@dataclass(frozen=True)
class OutletInfo:
    id: int
    name: str
    slug: str
    colour: str
    country: str = ""
    ownership: str = ""  # the ownership's label, e.g. "State-funded"


@dataclass(frozen=True)
class TopicInfo:
    id: int
    name: str
    slug: str = ""
    is_key: bool = False
    event_id: int = 0


@dataclass(frozen=True)
class FrameInfo:
    id: int
    name: str
    slug: str = ""
    codebook: str = ""


@dataclass(frozen=True)
class EventInfo:
    id: int
    name: str
    slug: str
    date: dt.date
    description: str = ""


@dataclass(frozen=True)
class ArticleInfo:
    """An article without its body: what lists and the matrix show of it."""

    id: int
    event_id: int
    outlet_id: int
    headline: str
    published_at: dt.datetime | None
    words: int
    tagging_status: str  # "not_started", "in_progress" or "complete"
    statements: int = 0  # accepted statements, whatever the filters

    @property
    def complete(self) -> bool:
        return self.tagging_status == "complete"


@dataclass(frozen=True)
class ToneCounts:
    """Accepted statements counted by tone, −2 … +2. Everything else is derived from these five."""

    counts: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)

    @classmethod
    def of(cls, by_tone: Mapping[int, int]) -> ToneCounts:
        at = by_tone.get
        return cls((int(at(-2, 0)), int(at(-1, 0)), int(at(0, 0)), int(at(1, 0)), int(at(2, 0))))

    @classmethod
    def total(cls, many: Iterable[ToneCounts]) -> ToneCounts:
        a = b = c = d = e = 0
        for item in many:
            a, b, c, d, e = (
                a + item.counts[0],
                b + item.counts[1],
                c + item.counts[2],
                d + item.counts[3],
                e + item.counts[4],
            )
        return cls((a, b, c, d, e))

    def __add__(self, other: ToneCounts) -> ToneCounts:
        return ToneCounts.total((self, other))

    def __bool__(self) -> bool:
        return self.statements > 0

    @property
    def statements(self) -> int:
        return sum(self.counts)

    @property
    def negative(self) -> int:
        return self.counts[0] + self.counts[1]

    @property
    def neutral(self) -> int:
        return self.counts[2]

    @property
    def positive(self) -> int:
        return self.counts[3] + self.counts[4]

    @property
    def mean(self) -> float | None:
        n = self.statements
        return sum(t * c for t, c in zip(TONES, self.counts, strict=True)) / n if n else None

    def at(self, tone: int) -> int:
        return self.counts[TONES.index(tone)]


@dataclass(frozen=True)
class SourceTypeCounts:
    """One outlet's statements from one source type (None: unattributed), by statement kind."""

    by_kind: Mapping[str, int] = field(default_factory=dict)

    @property
    def statements(self) -> int:
        return sum(self.by_kind.values())

    @property
    def quotes(self) -> int:
        return self.by_kind.get("quote", 0)


@dataclass(frozen=True)
class NamedSource:
    """A source one outlet quoted, with its rank among the outlet's sources of that type."""

    outlet_id: int
    source_id: int
    name: str
    affiliation: str
    type: str
    statements: int
    rank: int  # 1 = the outlet's most-quoted source of this type
    of_type: int  # how many different sources of this type the outlet quoted

    @property
    def label(self) -> str:
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name


@dataclass(frozen=True)
class OutletCoverage:
    """What one outlet's articles on one event cover, from statements in the date range only.

    `complete` is true when every one of those articles is completely tagged: only then can
    the omission rule claim that the outlet left a topic out.
    """

    articles: int
    complete_articles: int = 0
    started_articles: int = 0  # in progress or complete
    covered: frozenset[int] = frozenset()  # topic ids with at least one accepted statement

    @property
    def complete(self) -> bool:
        return self.articles > 0 and self.complete_articles == self.articles

    @property
    def tagging_state(self) -> str:
        """ "complete" (every article), "not_started" (no article started) or "in_progress"."""
        if self.complete:
            return "complete"
        return "in_progress" if self.started_articles or self.covered else "not_started"


@dataclass(frozen=True)
class ClaimCounts:
    """One outlet's claims on one event, as the last matching run stored them (coverage/claims.py).

    `carried`: claims with a statement of the outlet; `only_here`: those no other outlet on
    the event carried; `left_out`: the current claim omissions of the outlet (claims others
    carried and it did not) by their stored review status, "candidate", "confirmed" or
    "dismissed". The omission rule (`omissions.claim_omissions`) turns these into what is
    claimed, with the tagging status.
    """

    carried: int = 0
    only_here: int = 0
    left_out: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class EventStatus:
    """The tagging state of one event's coverage, for lists of events."""

    articles: int
    complete: int
    not_started: int

    @property
    def in_progress(self) -> int:
        return self.articles - self.complete - self.not_started


@dataclass(frozen=True)
class Figures:
    """Every number of one scope (one event, or all events) under one set of filters.

    Read by `coverage.readmodel.read_figures`; only the parts asked for are filled, the
    others stay empty. Keys are ids. Content counts (`by_*`, `named_sources`) obey every
    filter; `coverage` and `omissions` obey the date range only (the omission rule).

    - `outlets`: outlets with an article in the scope and date range, by name; `shown_outlets`
      those the outlet filter keeps (all when it is empty).
    - `topics`: the scope's topics in their order (across events: every event's topics).
    - `events`: the events with an article in the date range (one for an event page).
    - `coverage[(event_id, outlet_id)]`, `omissions[(event_id, outlet_id)]`: the rule's input and output.
    - `by_event[(outlet_id, event_id)]`, `by_topic[(outlet_id, topic_id or None)]`,
      `by_frame[(outlet_id, frame_id or None)]`, `by_day[(outlet_id, day)]`: ToneCounts.
    - `by_source_type[(outlet_id, source type or None)]`: counts by statement kind.
    - `named_sources`: each outlet's most-quoted sources per type (`NAMED_PER_TYPE` at most).
    - `claims[(event_id, outlet_id)]`: the outlet's claims (CLAIMS part), read over the whole
      event whatever the filters (the matching ran over all of it); `claim_omissions`: the
      omission rule applied to them with the outlet's tagging status.
    """

    event: EventInfo | None
    filters: StatementFilters
    parts: frozenset[str]
    outlets: tuple[OutletInfo, ...] = ()
    topics: tuple[TopicInfo, ...] = ()
    frames: tuple[FrameInfo, ...] = ()
    events: tuple[EventInfo, ...] = ()
    articles: tuple[ArticleInfo, ...] = ()
    coverage: Mapping[tuple[int, int], OutletCoverage] = field(default_factory=dict)
    omissions: Mapping[tuple[int, int], OutletOmissions] = field(default_factory=dict)
    by_event: Mapping[tuple[int, int], ToneCounts] = field(default_factory=dict)
    by_topic: Mapping[tuple[int, int | None], ToneCounts] = field(default_factory=dict)
    by_frame: Mapping[tuple[int, int | None], ToneCounts] = field(default_factory=dict)
    by_day: Mapping[tuple[int, dt.date], ToneCounts] = field(default_factory=dict)
    by_source_type: Mapping[tuple[int, str | None], SourceTypeCounts] = field(default_factory=dict)
    named_sources: tuple[NamedSource, ...] = ()
    claims: Mapping[tuple[int, int], ClaimCounts] = field(default_factory=dict)
    claim_omissions: Mapping[tuple[int, int], OutletClaimOmissions] = field(default_factory=dict)

    @property
    def shown_outlets(self) -> tuple[OutletInfo, ...]:
        chosen = self.filters.outlets
        return tuple(o for o in self.outlets if not chosen or o.id in chosen)

    @property
    def shown_topics(self) -> tuple[TopicInfo, ...]:
        chosen = self.filters.topics
        return tuple(t for t in self.topics if not chosen or t.id in chosen)

    def outlet_total(self, outlet_id: int) -> ToneCounts:
        """All of one outlet's statements that match the filters, over the scope's events."""
        return ToneCounts.total(counts for (o, _), counts in self.by_event.items() if o == outlet_id)

    def total(self) -> ToneCounts:
        return ToneCounts.total(counts for (o, _), counts in self.by_event.items() if o in self._shown_ids)

    @property
    def _shown_ids(self) -> frozenset[int]:
        return frozenset(o.id for o in self.shown_outlets)
