"""The framing matrix and the outlets overview, assembled from aggregate rows.

Pure functions: rows from the StatementQuerySet aggregates and plain objects (outlets,
articles, topics, frames) in, plain dataclasses out. No ORM and no request here, so the
rules (omission, shares, tone buckets, the links behind each cell) are unit-tested
without a database. See docs/matrix.md for how omission behaves under filters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from .omissions import omitted_topics

TOP_FRAMES = 3
SOURCE_TYPE_ORDER = ["official", "politician", "expert", "media", "organisation", "anonymous", "reporter"]


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


@dataclass
class ToneSummary:
    statements: int = 0
    mean: float | None = None
    negative: int = 0
    neutral: int = 0
    positive: int = 0

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
    topic: Any
    url: str = ""
    tone: ToneSummary = field(default_factory=ToneSummary)
    omitted: bool = False
    covered_by: list = field(default_factory=list)  # outlets that covered an omitted topic
    covered: bool = False  # the outlet covers the topic, whether or not statements match the filters

    @property
    def state(self) -> str:
        """ "covered" (matching statements), "unmatched" (covered, none match), "omitted" or "absent"."""
        if self.tone.statements:
            return "covered"
        if self.omitted:
            return "omitted"
        return "unmatched" if self.covered else "absent"


@dataclass
class Count:
    label: str
    statements: int
    url: str
    detail: str = ""
    share: int = 0


@dataclass
class OutletRow:
    outlet: Any
    articles: list
    url: str
    tone: ToneSummary
    topic_cells: list[TopicCell]
    source_types: list[Count]
    experts: list[Count]
    quotes: Count
    frames: list[Count]
    words: int
    tagged: bool  # the outlet's articles have any accepted statement at all

    @property
    def statements(self) -> int:
        return self.tone.statements

    @property
    def omitted_count(self) -> int:
        return sum(1 for cell in self.topic_cells if cell.omitted)


@dataclass
class Matrix:
    topics: list
    rows: list[OutletRow]
    statements: int

    @property
    def tagged(self) -> bool:
        return any(row.tagged for row in self.rows)

    @property
    def data_columns(self) -> int:
        """Cells right of the outlet name: tone, topics (at least one column), sources, frames, two totals."""
        return max(1, len(self.topics)) + 5


def covered_topics(coverage_rows: Iterable[Mapping]) -> dict[int, set[int]]:
    """{outlet_id: topic ids it has a statement on} from `outlet_coverage_rows`."""
    covered: dict[int, set[int]] = defaultdict(set)
    for row in coverage_rows:
        if row["topic_id"] is not None and row["statements"]:
            covered[row["outlet_id"]].add(row["topic_id"])
    return dict(covered)


def build_matrix(
    *,
    articles: Sequence[Any],
    topics: Sequence[Any],
    frames: Iterable[Any],
    source_type_labels: Mapping[str, str],
    tone_rows: Iterable[Mapping],
    topic_rows: Iterable[Mapping],
    coverage_rows: Iterable[Mapping],
    source_type_rows: Iterable[Mapping],
    expert_rows: Iterable[Mapping],
    frame_rows: Iterable[Mapping],
    shown_outlet_ids: set[int] | None,
    links: CellLinks,
    article_fields: Iterable[str] = ("date_from", "date_to"),
) -> Matrix:
    """One row per outlet with an article in `articles`, columns for `topics`.

    `coverage_rows` (`outlet_coverage_rows`, narrowed by article-level filters only) decide
    coverage and omission among all outlets in `articles`; the other rows (narrowed by every
    filter) fill the cells. `shown_outlet_ids` limits the rows (the outlet filter); None shows all.
    """
    by_outlet: dict[int, list] = defaultdict(list)
    outlets: dict[int, Any] = {}
    for article in articles:
        by_outlet[article.outlet_id].append(article)
        outlets.setdefault(article.outlet_id, article.outlet)
    coverage_rows = list(coverage_rows)
    covered = covered_topics(coverage_rows)
    tagged = {row["outlet_id"] for row in coverage_rows if row["statements"]}
    omitted = omitted_topics(list(outlets), covered, [t.pk for t in topics if t.is_key])

    tones = {row["outlet_id"]: row for row in tone_rows}
    cells = {(row["outlet_id"], row["topic_id"]): row for row in topic_rows}
    types: dict[int, list[Mapping]] = defaultdict(list)
    for row in source_type_rows:
        types[row["outlet_id"]].append(row)
    experts: dict[int, list[Mapping]] = defaultdict(list)
    for row in expert_rows:
        experts[row["outlet_id"]].append(row)
    frame_by_id = {f.pk: f for f in frames}
    outlet_frames: dict[int, list[Mapping]] = defaultdict(list)
    for row in frame_rows:
        outlet_frames[row["outlet_id"]].append(row)

    rows = []
    for outlet_id, outlet in outlets.items():
        if shown_outlet_ids is not None and outlet_id not in shown_outlet_ids:
            continue
        slug = outlet.slug
        tone = _tone(tones.get(outlet_id))
        topic_cells = []
        for topic in topics:
            cell = TopicCell(topic=topic, covered=topic.pk in covered.get(outlet_id, set()))
            if (outlet_id, topic.pk) in cells:
                cell.tone = _tone(cells[(outlet_id, topic.pk)])
                cell.url = links(outlet=slug, topic=topic.slug)
            elif topic.pk in omitted[outlet_id]:
                cell.omitted = True
                cell.covered_by = [outlets[o] for o in omitted[outlet_id][topic.pk]]
                if cell.covered_by:
                    # The evidence of an omission is the others' coverage, which only
                    # article-level filters narrow (see docs/matrix.md).
                    cell.url = links(keep=article_fields, outlet=[o.slug for o in cell.covered_by], topic=topic.slug)
            topic_cells.append(cell)
        type_rows = sorted(types[outlet_id], key=lambda r: _type_position(r["source_type"]))
        quotes = sum(r["quotes"] for r in type_rows)
        framed = sum(r["statements"] for r in outlet_frames[outlet_id])
        rows.append(
            OutletRow(
                outlet=outlet,
                articles=by_outlet[outlet_id],
                url=links(outlet=slug),
                tone=tone,
                topic_cells=topic_cells,
                source_types=[
                    Count(
                        label=source_type_labels.get(r["source_type"], "Unattributed"),
                        statements=r["statements"],
                        url=links(outlet=slug, source_type=r["source_type"]) if r["source_type"] else "",
                        share=percent(r["statements"], tone.statements),
                    )
                    for r in type_rows
                ],
                experts=[
                    Count(
                        label=r["source_name"],
                        detail=r["affiliation"],
                        statements=r["statements"],
                        url=links(outlet=slug, source=str(r["source_id"])),
                    )
                    for r in experts[outlet_id]
                ],
                quotes=Count(
                    label="Direct quotes",
                    statements=quotes,
                    url=links(outlet=slug, kind="quote"),
                    share=percent(quotes, tone.statements),
                ),
                frames=[
                    Count(
                        label=frame_by_id[r["frame_id"]].name,
                        statements=r["statements"],
                        url=links(outlet=slug, frame=frame_by_id[r["frame_id"]].slug),
                        share=percent(r["statements"], framed),
                    )
                    for r in outlet_frames[outlet_id][:TOP_FRAMES]
                    if r["frame_id"] in frame_by_id
                ],
                words=sum(a.words for a in by_outlet[outlet_id]),
                tagged=outlet_id in tagged,
            )
        )
    return Matrix(topics=list(topics), rows=rows, statements=sum(r.statements for r in rows))


def _tone(row: Mapping | None) -> ToneSummary:
    if not row:
        return ToneSummary()
    return ToneSummary(
        statements=row["statements"],
        mean=row["mean_tone"],
        negative=row["negative"],
        neutral=row["neutral"],
        positive=row["positive"],
    )


def _type_position(source_type: str | None) -> int:
    return SOURCE_TYPE_ORDER.index(source_type) if source_type in SOURCE_TYPE_ORDER else len(SOURCE_TYPE_ORDER)


def compare_topics(
    left_id: int, right_id: int, coverage_rows: Iterable[Mapping], topics: Sequence[Any]
) -> dict[str, list]:
    """Topics one outlet covers and the other omits, by the omission rule applied to the two.

    Returns {"left_only": [...], "right_only": [...], "neither_key": [...], "both": [...]}
    (topic objects in `topics` order): covered by the left outlet only, by the right only,
    key topics neither covers, and topics both cover.
    """
    covered = covered_topics(coverage_rows)
    omitted = omitted_topics([left_id, right_id], covered, [t.pk for t in topics if t.is_key])
    mine, theirs = covered.get(left_id, set()), covered.get(right_id, set())
    return {
        "left_only": [t for t in topics if t.pk in omitted[right_id] and t.pk in mine],
        "right_only": [t for t in topics if t.pk in omitted[left_id] and t.pk in theirs],
        "neither_key": [t for t in topics if t.is_key and t.pk not in mine and t.pk not in theirs],
        "both": [t for t in topics if t.pk in mine and t.pk in theirs],
    }


# Outlets overview across events.


@dataclass
class OverviewRow:
    outlet: Any
    events: int = 0
    statements: int = 0
    mean_tone: float | None = None
    topics: int = 0  # topics of the events it covered
    omitted: int = 0
    experts: int = 0
    officials: int = 0

    @property
    def omission_rate(self) -> float | None:
        return self.omitted / self.topics if self.topics else None

    @property
    def expert_share(self) -> float | None:
        return self.experts / self.statements if self.statements else None

    @property
    def official_share(self) -> float | None:
        return self.officials / self.statements if self.statements else None

    @property
    def tone_label(self) -> str:
        return format_tone(self.mean_tone)

    @property
    def tone_bucket(self) -> str:
        return tone_bucket(self.mean_tone)


def build_overview(
    *,
    outlets: Iterable[Any],
    event_outlets: Iterable[Mapping],
    topics: Iterable[Mapping],
    coverage_rows: Iterable[Mapping],
    tone_rows: Iterable[Mapping],
    source_type_rows: Iterable[Mapping],
) -> list[OverviewRow]:
    """Per outlet: events covered, mean tone, omission rate, expert and official shares.

    `event_outlets` are {event_id, outlet_id} pairs (an article of the outlet on the event),
    `topics` {id, event_id, is_key}, `coverage_rows` from `outlet_coverage_rows`. The omission
    rate is the topics an outlet omitted, summed over the events it covered, divided by those
    events' topic count.
    """
    rows = {o.pk: OverviewRow(outlet=o) for o in outlets}
    outlets_of: dict[int, list[int]] = defaultdict(list)
    for pair in event_outlets:
        outlets_of[pair["event_id"]].append(pair["outlet_id"])
    topics_of: dict[int, list[Mapping]] = defaultdict(list)
    for topic in topics:
        topics_of[topic["event_id"]].append(topic)
    covered: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for row in coverage_rows:
        if row["topic_id"] is not None and row["statements"]:
            covered[row["event_id"]][row["outlet_id"]].add(row["topic_id"])
    for event_id, outlet_ids in outlets_of.items():
        keys = [t["id"] for t in topics_of[event_id] if t["is_key"]]
        # Omission is judged among every outlet on the event, not only those listed.
        omitted = omitted_topics(outlet_ids, covered[event_id], keys)
        for outlet_id in outlet_ids:
            if outlet_id in rows:
                rows[outlet_id].events += 1
                rows[outlet_id].topics += len(topics_of[event_id])
                rows[outlet_id].omitted += len(omitted[outlet_id])
    for row in tone_rows:
        if row["outlet_id"] in rows:
            rows[row["outlet_id"]].statements = row["statements"]
            rows[row["outlet_id"]].mean_tone = row["mean_tone"]
    for row in source_type_rows:
        if row["outlet_id"] in rows and row["source_type"] == "expert":
            rows[row["outlet_id"]].experts += row["statements"]
        elif row["outlet_id"] in rows and row["source_type"] == "official":
            rows[row["outlet_id"]].officials += row["statements"]
    return list(rows.values())


def sort_overview(rows: list[OverviewRow], sort: str) -> list[OverviewRow]:
    """Sort by a column name, "-" for descending; rows without a value go last either way."""
    key = sort.lstrip("-") or "name"
    descending = sort.startswith("-")
    if key == "name":
        return sorted(rows, key=lambda r: r.outlet.name.lower(), reverse=descending)
    present = [r for r in rows if getattr(r, key) is not None]
    missing = [r for r in rows if getattr(r, key) is None]
    present.sort(key=lambda r: (getattr(r, key), r.outlet.name.lower()), reverse=descending)
    return present + sorted(missing, key=lambda r: r.outlet.name.lower())
