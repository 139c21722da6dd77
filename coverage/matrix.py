"""The framing matrix, the compare page's topics, the event list's cards and the outlets
overview, assembled from one `Figures` (coverage/rows.py).

Pure functions: no ORM and no request, so the rules (the omission states, shares, tone
buckets, the links behind each cell) are unit-tested without a database. Omissions are
never decided here: they come with the figures from the one rule in `omissions.py`.
See docs/matrix.md for how the cells behave under filters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from .omissions import COVERED, OMITTED, PENDING, OutletClaimOmissions, OutletOmissions
from .rows import (
    CLAIMS,
    ArticleInfo,
    EventInfo,
    EventStatus,
    Figures,
    OutletCoverage,
    OutletInfo,
    SourceTypeCounts,
    ToneCounts,
    TopicInfo,
)

TOP_FRAMES = 3
HEADLINES_SHOWN = 3
SOURCE_TYPE_ORDER = ["official", "politician", "expert", "media", "organisation", "anonymous", "reporter", None]
KIND_ORDER = ["quote", "paraphrase", "assertion"]
ARTICLE_FIELDS = ("date_from", "date_to")  # filters that choose articles, and so coverage


def format_tone(value: float | None) -> str:
    """Mean tone with its sign written out (typographic minus), two decimals; "–" when none."""
    if value is None:
        return "–"
    if abs(value) < 0.005:
        return "0.00"
    return f"{'+' if value > 0 else '−'}{abs(value):.2f}"


def tone_bucket(value: float | None) -> str:
    """The diverging-scale step for a mean tone: "-2" … "2" (rounded half away from zero)."""
    if value is None:
        return "none"
    step = int(abs(value) + 0.5) * (1 if value >= 0 else -1)
    return str(max(-2, min(2, step)))


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


class CellLinks:
    """Builds drill-down URLs: the current filters with the cell's own parameters put in."""

    def __init__(self, base_url: str, params: Mapping[str, Sequence[str]]):
        self.base_url = base_url
        self.params = {name: list(values) for name, values in params.items()}

    def __call__(self, *, keep: Iterable[str] | None = None, **overrides: Sequence[str] | str) -> str:
        """The URL with `overrides` replacing parameters; `keep` limits which current ones stay."""
        params = {k: v for k, v in self.params.items() if keep is None or k in keep}
        for name, values in overrides.items():
            params[name] = [values] if isinstance(values, str) else list(values)
        query = urlencode([(name, v) for name, values in params.items() for v in values])
        return f"{self.base_url}?{query}" if query else self.base_url


@dataclass(frozen=True)
class ToneSummary:
    """ToneCounts as a cell shows them: count, mean with its label and colour step, the split."""

    counts: ToneCounts = field(default_factory=ToneCounts)

    @property
    def statements(self) -> int:
        return self.counts.statements

    @property
    def mean(self) -> float | None:
        return self.counts.mean

    @property
    def negative(self) -> int:
        return self.counts.negative

    @property
    def neutral(self) -> int:
        return self.counts.neutral

    @property
    def positive(self) -> int:
        return self.counts.positive

    @property
    def label(self) -> str:
        return format_tone(self.mean)

    @property
    def bucket(self) -> str:
        return tone_bucket(self.mean)

    @property
    def split(self) -> list[tuple[str, str, int, int]]:
        """(css name, words, count, percent) for the negative / neutral / positive bar."""
        n = self.statements
        return [
            ("neg", "negative", self.negative, percent(self.negative, n)),
            ("neu", "neutral", self.neutral, percent(self.neutral, n)),
            ("pos", "positive", self.positive, percent(self.positive, n)),
        ]


@dataclass
class TopicCell:
    topic: TopicInfo
    url: str = ""
    tone: ToneSummary = field(default_factory=ToneSummary)
    coverage_state: str = "absent"  # the rule's word: covered, omitted, pending, absent
    covered_by: list[OutletInfo] = field(default_factory=list)  # who covered what this outlet lacks

    @property
    def state(self) -> str:
        """ "covered" (matching statements), "unmatched" (covered, none match), "omitted",
        "pending" (others covered it, this outlet's tagging is in progress) or "absent"."""
        if self.tone.statements:
            return "covered"
        if self.coverage_state == COVERED:
            return "unmatched"
        return self.coverage_state

    @property
    def omitted(self) -> bool:
        return self.coverage_state == OMITTED


@dataclass
class Count:
    label: str
    statements: int
    url: str = ""
    detail: str = ""
    share: int = 0


@dataclass
class ClaimCell:
    """An outlet's two claim columns: claims only it carried, and claims others carried that it left out.

    `omitted` counts confirmed claim omissions and `candidates` those not reviewed yet, both
    0 while the outlet's tagging is in progress, when `pending` counts them instead (the
    omission rule, `omissions.claim_omissions`). Each links to its list of claims.
    """

    claims: OutletClaimOmissions
    only_url: str = ""
    left_out_url: str = ""

    @property
    def only_here(self) -> int:
        return self.claims.only_here

    @property
    def omitted(self) -> int:
        return self.claims.omitted

    @property
    def candidates(self) -> int:
        return self.claims.candidates

    @property
    def pending(self) -> int:
        return self.claims.pending


@dataclass
class OutletRow:
    outlet: OutletInfo
    articles: list[ArticleInfo]
    tagging: OutletCoverage
    url: str
    tone: ToneSummary
    topic_cells: list[TopicCell]
    source_types: list[Count]
    experts: list[Count]
    more_experts: int
    quotes: Count
    frames: list[Count]
    words: int
    claims: ClaimCell | None = None  # when the figures were read with the CLAIMS part

    @property
    def statements(self) -> int:
        return self.tone.statements

    @property
    def headlines(self) -> list[ArticleInfo]:
        return self.articles[:HEADLINES_SHOWN]

    @property
    def more_articles(self) -> int:
        return max(0, len(self.articles) - HEADLINES_SHOWN)

    @property
    def tagged(self) -> bool:
        """Whether there is anything to read in the row: tagging started or statements recorded."""
        return self.tagging.tagging_state != "not_started"

    @property
    def omitted_count(self) -> int:
        return sum(1 for cell in self.topic_cells if cell.coverage_state == OMITTED)

    @property
    def pending_count(self) -> int:
        return sum(1 for cell in self.topic_cells if cell.coverage_state == PENDING)


@dataclass
class Matrix:
    topics: list[TopicInfo]
    rows: list[OutletRow]
    statements: int
    has_claims: bool = False  # the two claim columns are shown

    @property
    def tagged(self) -> bool:
        return any(row.tagged for row in self.rows)

    @property
    def data_columns(self) -> int:
        """Cells right of the outlet name: tone, topics (at least one column), sources, frames,
        the two claim columns when shown, two totals."""
        return max(1, len(self.topics)) + 5 + (2 if self.has_claims else 0)


def _type_position(source_type: str | None) -> int:
    return SOURCE_TYPE_ORDER.index(source_type) if source_type in SOURCE_TYPE_ORDER else len(SOURCE_TYPE_ORDER)


def build_matrix(
    figures: Figures,
    links: CellLinks,
    source_type_labels: Mapping[str, str],
    claim_links: CellLinks | None = None,
) -> Matrix:
    """One row per outlet the outlet filter keeps, a column per topic the topic filter keeps.

    With figures read with the CLAIMS part and `claim_links` (the URL of the event's claim
    lists), each row also gets its two claim columns.
    """
    event = figures.event
    if event is None:
        raise ValueError("The framing matrix is of one event; these figures are across events.")
    outlets_by_id = {o.id: o for o in figures.outlets}
    articles: dict[int, list[ArticleInfo]] = defaultdict(list)
    for article in figures.articles:
        articles[article.outlet_id].append(article)
    topics = list(figures.shown_topics)
    frames = {f.id: f for f in figures.frames}
    named_experts: dict[int, list] = defaultdict(list)
    for named in figures.named_sources:
        if named.type == "expert":
            named_experts[named.outlet_id].append(named)

    rows = []
    for outlet in figures.shown_outlets:
        slug = outlet.slug
        gaps = figures.omissions.get((event.id, outlet.id)) or OutletOmissions(complete=False)
        tone = ToneSummary(figures.outlet_total(outlet.id))
        cells = []
        for topic in topics:
            counts = figures.by_topic.get((outlet.id, topic.id), ToneCounts())
            cell = TopicCell(topic=topic, tone=ToneSummary(counts), coverage_state=gaps.state(topic.id))
            if counts:
                cell.url = links(outlet=slug, topic=topic.slug)
            elif cell.coverage_state in (OMITTED, PENDING):
                cell.covered_by = [outlets_by_id[o] for o in gaps.missing[topic.id] if o in outlets_by_id]
                if cell.covered_by:
                    # The evidence is the others' coverage, which only the date range narrows.
                    cell.url = links(
                        keep=ARTICLE_FIELDS, outlet=[o.slug for o in cell.covered_by], topic=topic.slug, missing=slug
                    )
            cells.append(cell)
        types = sorted(
            ((t, c) for (o, t), c in figures.by_source_type.items() if o == outlet.id),
            key=lambda i: _type_position(i[0]),
        )
        quotes = sum(c.quotes for _, c in types)
        outlet_frames = sorted(
            ((f, c.statements) for (o, f), c in figures.by_frame.items() if o == outlet.id and f in frames),
            key=lambda i: (-i[1], frames[i[0]].name),
        )
        framed = sum(n for _, n in outlet_frames)
        experts = sorted(named_experts[outlet.id], key=lambda n: n.rank)
        rows.append(
            OutletRow(
                outlet=outlet,
                articles=articles[outlet.id],
                tagging=figures.coverage.get((event.id, outlet.id), OutletCoverage(articles=0)),
                url=links(outlet=slug),
                tone=tone,
                topic_cells=cells,
                source_types=[
                    Count(
                        label=source_type_labels.get(t, "Unattributed") if t else "Unattributed",
                        statements=c.statements,
                        url=links(outlet=slug, source_type=t) if t else "",
                        share=percent(c.statements, tone.statements),
                    )
                    for t, c in types
                ],
                experts=[
                    Count(
                        label=n.name,
                        detail=n.affiliation,
                        statements=n.statements,
                        url=links(outlet=slug, source=str(n.source_id)),
                    )
                    for n in experts
                ],
                more_experts=(experts[0].of_type - len(experts)) if experts else 0,
                quotes=Count(
                    label="Direct quotes",
                    statements=quotes,
                    url=links(outlet=slug, kind="quote"),
                    share=percent(quotes, tone.statements),
                ),
                frames=[
                    Count(
                        label=frames[f].name,
                        statements=n,
                        url=links(outlet=slug, frame=frames[f].slug),
                        share=percent(n, framed),
                    )
                    for f, n in outlet_frames[:TOP_FRAMES]
                ],
                words=sum(a.words for a in articles[outlet.id]),
                claims=_claim_cell(figures, event.id, outlet, claim_links),
            )
        )
    has_claims = claim_links is not None and CLAIMS in figures.parts
    return Matrix(topics=topics, rows=rows, statements=sum(r.statements for r in rows), has_claims=has_claims)


def _claim_cell(figures: Figures, event_id: int, outlet: OutletInfo, links: CellLinks | None) -> ClaimCell | None:
    if links is None or CLAIMS not in figures.parts:
        return None
    claims = figures.claim_omissions.get((event_id, outlet.id)) or OutletClaimOmissions(complete=False)
    return ClaimCell(
        claims,
        only_url=links(outlet=outlet.slug, list="only"),
        left_out_url=links(outlet=outlet.slug, list="left_out"),
    )


# The side-by-side reader ---------------------------------------------------------------------


@dataclass
class CompareTopics:
    """Topics by who covers them, for two outlets of one event, by the one omission rule.

    `left_only`: the left outlet covers them and the right does not (omitted, or pending while
    the right's tagging is in progress: `right_complete` says which); `right_only` likewise;
    `neither_key`: key topics neither covers; `both`.
    """

    left_only: list[TopicInfo]
    right_only: list[TopicInfo]
    neither_key: list[TopicInfo]
    both: list[TopicInfo]
    left_complete: bool
    right_complete: bool


def compare_topics(figures: Figures, left_id: int, right_id: int) -> CompareTopics:
    event_id = figures.event.id if figures.event else 0
    left = figures.omissions.get((event_id, left_id)) or OutletOmissions(complete=False)
    right = figures.omissions.get((event_id, right_id)) or OutletOmissions(complete=False)
    topics = list(figures.topics)
    return CompareTopics(
        left_only=[t for t in topics if t.id in left.covered and t.id not in right.covered],
        right_only=[t for t in topics if t.id in right.covered and t.id not in left.covered],
        neither_key=[t for t in topics if t.is_key and t.id not in left.covered and t.id not in right.covered],
        both=[t for t in topics if t.id in left.covered and t.id in right.covered],
        left_complete=left.complete,
        right_complete=right.complete,
    )


# The event list ------------------------------------------------------------------------------


@dataclass
class OutletTone:
    outlet: OutletInfo
    tone: ToneSummary
    tagging_state: str


@dataclass
class Blindspot:
    """A topic of an event that one or more outlets (with complete tagging) left out."""

    topic: TopicInfo
    omitted_by: list[OutletInfo]
    covered_by: list[OutletInfo]


@dataclass
class EventCard:
    event: EventInfo
    status: EventStatus
    outlets: list[OutletTone]
    blindspots: list[Blindspot]
    pending_outlets: list[OutletInfo]  # outlets whose tagging is in progress: omissions not claimed yet
    statements: int

    @property
    def tone_spread(self) -> tuple[OutletTone, OutletTone] | None:
        """The outlets with the lowest and the highest mean tone, when two or more have statements."""
        toned = [o for o in self.outlets if o.tone.mean is not None]
        if len(toned) < 2:
            return None
        ordered = sorted(toned, key=lambda o: (o.tone.mean, o.outlet.name))
        return ordered[0], ordered[-1]


def build_event_cards(figures: Figures, events: Sequence[EventInfo]) -> list[EventCard]:
    """A card per event in `events`, from figures read across them with COVERAGE and EVENTS."""
    outlets = {o.id: o for o in figures.outlets}
    topics: dict[int, list[TopicInfo]] = defaultdict(list)
    for topic in figures.topics:
        topics[topic.event_id].append(topic)
    cards = []
    for event in events:
        on_event = [outlets[o] for (e, o) in figures.coverage if e == event.id and o in outlets]
        on_event.sort(key=lambda o: (o.name.lower(), o.id))
        blindspots = []
        for topic in topics[event.id]:
            omitted_by = [o for o in on_event if topic.id in figures.omissions[(event.id, o.id)].omitted]
            if omitted_by:
                covered_by = [o for o in on_event if topic.id in figures.omissions[(event.id, o.id)].covered]
                blindspots.append(Blindspot(topic, omitted_by, covered_by))
        tones = [
            OutletTone(
                o,
                ToneSummary(figures.by_event.get((o.id, event.id), ToneCounts())),
                figures.coverage[(event.id, o.id)].tagging_state,
            )
            for o in on_event
        ]
        cards.append(
            EventCard(
                event=event,
                status=_event_status([figures.coverage[(event.id, o.id)] for o in on_event]),
                outlets=tones,
                blindspots=blindspots,
                pending_outlets=[o for o in on_event if not figures.coverage[(event.id, o.id)].complete],
                statements=sum(t.tone.statements for t in tones),
            )
        )
    return cards


def _event_status(coverage: Sequence[OutletCoverage]) -> EventStatus:
    articles = sum(c.articles for c in coverage)
    return EventStatus(
        articles, sum(c.complete_articles for c in coverage), articles - sum(c.started_articles for c in coverage)
    )


# The outlets overview ------------------------------------------------------------------------


@dataclass
class OverviewRow:
    """One outlet across the events it has articles on (in the date range), under the filters."""

    outlet: OutletInfo
    events: int = 0
    complete_events: int = 0  # events where its tagging is complete: the omission rate reads these
    tone: ToneSummary = field(default_factory=ToneSummary)
    topics: int = 0  # topics of its complete events
    omitted: int = 0
    by_frame: dict[int, ToneCounts] = field(default_factory=dict)
    by_source_type: dict[str | None, SourceTypeCounts] = field(default_factory=dict)
    claims_only_here: int = 0  # claims no other outlet carried, over its events
    claims_omitted: int = 0  # confirmed claim omissions, over its completely tagged events
    claim_candidates: int = 0  # claim omissions not reviewed yet, over its completely tagged events

    @property
    def statements(self) -> int:
        return self.tone.statements

    @property
    def mean_tone(self) -> float | None:
        return self.tone.mean

    @property
    def pending_events(self) -> int:
        return self.events - self.complete_events

    @property
    def omission_rate(self) -> float | None:
        return self.omitted / self.topics if self.topics else None

    def _type_share(self, source_type: str) -> float | None:
        counts = self.by_source_type.get(source_type)
        return (counts.statements if counts else 0) / self.statements if self.statements else None

    @property
    def experts(self) -> int:
        counts = self.by_source_type.get("expert")
        return counts.statements if counts else 0

    @property
    def officials(self) -> int:
        counts = self.by_source_type.get("official")
        return counts.statements if counts else 0

    @property
    def expert_share(self) -> float | None:
        return self._type_share("expert")

    @property
    def official_share(self) -> float | None:
        return self._type_share("official")

    def kind_count(self, kind: str) -> int:
        return sum(c.by_kind.get(kind, 0) for c in self.by_source_type.values())

    def source_type_count(self, source_type: str | None) -> int:
        counts = self.by_source_type.get(source_type)
        return counts.statements if counts else 0


def build_overview(figures: Figures) -> list[OverviewRow]:
    """Per outlet the filters keep: events (distinct), statements by tone, frame, source type and
    kind, and the omission rate: topics omitted over the topics of its completely tagged events."""
    topics_per_event: dict[int, int] = defaultdict(int)
    for topic in figures.topics:
        topics_per_event[topic.event_id] += 1
    rows = {o.id: OverviewRow(outlet=o) for o in figures.shown_outlets}
    for (event_id, outlet_id), coverage in figures.coverage.items():
        row = rows.get(outlet_id)
        if row is None:
            continue
        row.events += 1
        if coverage.complete:
            row.complete_events += 1
            row.topics += topics_per_event[event_id]
            gaps = figures.omissions.get((event_id, outlet_id))
            row.omitted += len(gaps.omitted) if gaps else 0
        claims = figures.claim_omissions.get((event_id, outlet_id))
        if claims is not None:
            row.claims_only_here += claims.only_here
            row.claims_omitted += claims.omitted
            row.claim_candidates += claims.candidates
    for row in rows.values():
        row.tone = ToneSummary(figures.outlet_total(row.outlet.id))
    for (outlet_id, frame_id), counts in figures.by_frame.items():
        if outlet_id in rows and frame_id is not None:
            rows[outlet_id].by_frame[frame_id] = counts
    for (outlet_id, source_type), by_kind in figures.by_source_type.items():
        if outlet_id in rows:
            rows[outlet_id].by_source_type[source_type] = by_kind
    return list(rows.values())


def sort_overview(rows: list[OverviewRow], sort: str) -> list[OverviewRow]:
    """Sort by a column name, "-" for descending; rows without a value go last either way."""
    key = sort.lstrip("-") or "name"
    descending = sort.startswith("-")
    if key == "name":
        return sorted(rows, key=lambda r: r.outlet.name.lower(), reverse=descending)
    present = [r for r in rows if getattr(r, key) is not None]
    missing = [r for r in rows if getattr(r, key) is None]
    present.sort(key=lambda r: r.outlet.name.lower())
    present.sort(key=lambda r: getattr(r, key), reverse=descending)  # stable: ties stay by name
    return present + sorted(missing, key=lambda r: r.outlet.name.lower())
