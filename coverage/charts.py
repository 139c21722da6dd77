"""Figures comparing outlets, as pure functions: one `Figures` in, a Plotly figure dict out.

No ORM and no request in here. Each builder returns a `Chart`: the figure and the data
table behind it, made from the same numbers, so the CSV download, the figure JSON and the
share page show what the figure shows — and what the matrix shows, since all of them read
the same `Figures` (coverage/readmodel.py) and the same omission rule. Every chart works
for one event and across events; `CHART_PARTS` names the parts of the read each one needs.

Plotly renders titles, tick labels, legend entries and hover text as HTML, so every name
that comes from the database goes through `_text`, which escapes the characters that make
markup (<, >, &) and nothing else (a quote mark stays a quote mark). Tables keep the raw
names; the CSV writer and the templates escape for their own formats.

Figures are built in a fixed order from sorted rows, so the same figures give the same JSON.
Data tables list every combination, zeros included, so that sums over downloads are right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .omissions import COVERED, OMITTED, PENDING, OutletOmissions
from .rows import COVERAGE, DAYS, EVENTS, FRAMES, NAMED, SOURCES, TOPICS, Figures, OutletInfo, ToneCounts

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
INK, MUTED, GRID = "#1d232a", "#5b6570", "#e3e7eb"
OMITTED_INK, PENDING_INK = "#a4262c", "#5b6570"
# Sequential, single hue (ColorBrewer Blues): ordered lightness reads under any colour-vision deficiency.
COUNT_SCALE = [[0.0, "#deebf7"], [0.5, "#6baed6"], [1.0, "#08519c"]]
# A pattern per outlet as well as its colour, so bars never rely on colour alone.
BAR_PATTERNS = ["", "/", ".", "x", "\\", "+", "-", "|"]
MARKER_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon"]
TONE_TICKS = {
    "tickvals": [-2, -1, 0, 1, 2],
    "ticktext": ["−2 very negative", "−1", "0 neutral", "+1", "+2 very positive"],
}
UNATTRIBUTED = "Unattributed"
SOURCE_TYPES = [
    ("official", "Official"),
    ("politician", "Politician"),
    ("expert", "Expert"),
    ("media", "Media"),
    ("organisation", "Organisation or document"),
    ("anonymous", "Anonymous"),
    ("reporter", "Reporter"),
    (None, UNATTRIBUTED),
]
NAMED_IN_HOVER = 5

TOPIC_COVERAGE, TONE, SOURCES_CHART, FRAMES_CHART, TONE_OVER_TIME = (
    "topic-coverage",
    "tone",
    "sources",
    "frames",
    "tone-over-time",
)
# The parts of the read each chart draws from (coverage.readmodel.read_figures).
CHART_PARTS: dict[str, frozenset[str]] = {
    TOPIC_COVERAGE: frozenset({COVERAGE, EVENTS, TOPICS}),
    TONE: frozenset({EVENTS, TOPICS}),
    SOURCES_CHART: frozenset({SOURCES, NAMED}),
    FRAMES_CHART: frozenset({FRAMES}),
    TONE_OVER_TIME: frozenset({DAYS}),
}


@dataclass(frozen=True)
class Chart:
    """One figure and the table of the numbers it draws (same rounding in both)."""

    kind: str
    title: str
    figure: dict[str, Any]
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)


# Shared pieces ----------------------------------------------------------------------------


def _text(value: str) -> str:
    """A name made safe for Plotly's HTML-like labels: <, > and & escaped, quotes left as they are."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _layout(title: str, subtitle: str, xaxis: dict, yaxis: dict, **extra) -> dict[str, Any]:
    axis = {"automargin": True, "gridcolor": GRID, "zerolinecolor": "#9aa4ae", "linecolor": GRID}
    layout: dict[str, Any] = {
        "title": {"text": _text(title), "x": 0.0, "xanchor": "left", "font": {"size": 17}},
        "font": {"family": FONT, "size": 13, "color": INK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"t": 84 if subtitle else 64, "r": 24, "b": 56, "l": 24},
        "xaxis": {**axis, **xaxis},
        "yaxis": {**axis, **yaxis},
        "legend": {"title": {"text": "Outlet"}, "x": 1.01, "y": 1.0, "yanchor": "top", "traceorder": "normal"},
        "hoverlabel": {"align": "left", "font": {"family": FONT}},
        "separators": ".,",
        "showlegend": True,
    }
    if subtitle:
        layout["title"]["subtitle"] = {"text": _text(subtitle), "font": {"size": 13, "color": MUTED}}
    layout.update(extra)
    return layout


def _share(part: int, whole: int) -> float:
    """Percentage with one decimal; the figure and the table use this same value."""
    return round(100.0 * part / whole, 1) if whole else 0.0


def _tone(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", "−")


def _bar_marker(index: int, outlet: OutletInfo) -> dict[str, Any]:
    marker: dict[str, Any] = {"color": outlet.colour, "line": {"color": "#ffffff", "width": 0.5}}
    shape = BAR_PATTERNS[index % len(BAR_PATTERNS)]
    if shape:
        marker["pattern"] = {
            "shape": shape,
            "fillmode": "overlay",
            "fgcolor": "#ffffff",
            "fgopacity": 0.6,
            "size": 7,
            "solidity": 0.3,
        }
    return marker


def _statements(n: int) -> str:
    return f"{n} statement" if n == 1 else f"{n} statements"


def _category_height(categories: int, outlets: int) -> int:
    return max(320, 150 + categories * max(outlets, 1) * 18 + categories * 10)


def _bar_trace(index: int, outlet: OutletInfo, **values: Any) -> dict[str, Any]:
    return {
        "type": "bar",
        "name": _text(outlet.name),
        "textposition": "outside",
        "cliponaxis": False,
        "textfont": {"size": 11, "color": MUTED},
        "hoverinfo": "text",
        "marker": _bar_marker(index, outlet),
        "legendgroup": f"outlet-{outlet.id}",
        **values,
    }


def _swatch(outlet: OutletInfo) -> str:
    # The outlet's colour as a swatch by its name: the same colour as in every other chart.
    return f'<span style="color:{_text(outlet.colour)}">■</span> {_text(outlet.name)}'


def _gaps(figures: Figures, event_id: int, outlet_id: int) -> OutletOmissions:
    return figures.omissions.get((event_id, outlet_id)) or OutletOmissions(complete=False)


def _where(figures: Figures) -> str:
    return "the event" if figures.event else "all events"


# Topic coverage ---------------------------------------------------------------------------


def _heatmap(
    figures: Figures,
    title: str,
    subtitle: str,
    ytitle: str,
    rows: Sequence[tuple[str, list[dict[str, Any]]]],
) -> dict[str, Any]:
    """A heatmap of outlets (columns) by rows; each cell dict has n, text, hover, mark."""
    outlets = figures.shown_outlets
    z, text, hover, annotations, shapes = [], [], [], [], []
    for r, (_, cells) in enumerate(rows):
        z.append([c["n"] or None for c in cells])
        text.append([c["text"] for c in cells])
        hover.append([c["hover"] for c in cells])
        for col, c in enumerate(cells):
            if not c.get("mark"):
                continue
            ink = OMITTED_INK if c["mark"] == OMITTED else PENDING_INK
            label = "omitted" if c["mark"] == OMITTED else "in progress"
            annotations.append(
                {"x": col, "y": r, "xref": "x", "yref": "y", "text": f"<i>{label}</i>", "showarrow": False,
                 "font": {"color": ink, "size": 12}}
            )  # fmt: skip
            shapes.append(
                {"type": "rect", "xref": "x", "yref": "y", "x0": col - 0.46, "x1": col + 0.46, "y0": r - 0.42,
                 "y1": r + 0.42, "line": {"color": ink, "width": 1.5, "dash": "dot"},
                 "fillcolor": "rgba(164, 38, 44, 0.06)" if c["mark"] == OMITTED else "rgba(91, 101, 112, 0.06)",
                 "layer": "above"}
            )  # fmt: skip
    trace = {
        "type": "heatmap",
        "x": list(range(len(outlets))),
        "y": list(range(len(rows))),
        "z": z,
        "text": text,
        "texttemplate": "%{text}",
        "hovertext": hover,
        "hoverinfo": "text",
        "colorscale": COUNT_SCALE,
        "zmin": 0,
        "xgap": 3,
        "ygap": 3,
        "colorbar": {"title": {"text": "Statements"}, "thickness": 12, "outlinewidth": 0},
        "hoverongaps": True,
        "name": "Statements",
    }
    layout = _layout(
        title,
        subtitle,
        {"title": {"text": "Outlet"}, "tickvals": list(range(len(outlets))), "ticktext": [_swatch(o) for o in outlets],
         "side": "top", "showgrid": False, "zeroline": False},
        {"title": {"text": ytitle}, "tickvals": list(range(len(rows))), "ticktext": [label for label, _ in rows],
         "autorange": "reversed", "showgrid": False, "zeroline": False},
        annotations=annotations,
        shapes=shapes,
        height=max(320, 170 + 34 * len(rows)),
        plot_bgcolor="#f6f7f8",
        showlegend=False,
    )  # fmt: skip
    layout["margin"]["t"] = 120 if layout["title"].get("subtitle") else 100
    return {"data": [trace], "layout": layout}


def topic_coverage_chart(figures: Figures, subtitle: str = "") -> Chart:
    """One event: outlets x topics, statements per cell with the share of the outlet's
    statements; omitted cells outlined and labelled, pending ones ("tagging in progress") too.
    Across events: outlets x events, statements per cell and the topics omitted there."""
    if figures.event is None:
        return _topic_coverage_across(figures, subtitle)
    event_id = figures.event.id
    outlets, topics = figures.shown_outlets, figures.shown_topics
    names = {o.id: o.name for o in figures.outlets}
    rows, table = [], []
    for topic in topics:
        cells = []
        for outlet in outlets:
            n = figures.by_topic.get((outlet.id, topic.id), ToneCounts()).statements
            share = _share(n, figures.outlet_total(outlet.id).statements)
            gaps = _gaps(figures, event_id, outlet.id)
            state = gaps.state(topic.id)
            where = f"{_text(outlet.name)} · {_text(topic.name)}"
            cell: dict[str, Any] = {"n": n, "text": f"{n} · {share:g}%" if n else ""}
            if n:
                cell["hover"] = f"{where}<br>{_statements(n)}, {share:g}% of the outlet's statements"
            elif state in (OMITTED, PENDING):
                others = [names[o] for o in gaps.missing[topic.id] if o in names]
                by = f"covered by {_text(', '.join(others))}" if others else "a key topic nobody covered"
                word = (
                    "<b>omitted</b>" if state == OMITTED else "<b>tagging in progress</b>: not yet claimed as omitted"
                )
                cell.update(hover=f"{where}<br>{word}; {by}", mark=state)
            elif state == COVERED:
                cell["hover"] = f"{where}<br>covered; no statement matches the filters"
            else:
                cell["hover"] = f"{where}<br>no statements; no other outlet covered it either"
            cells.append(cell)
            table.append([outlet.name, topic.name, "yes" if topic.is_key else "no", n, share, _state_word(state, n)])
        rows.append((_text(topic.name) + (" ★" if topic.is_key else ""), cells))
    title = "Which topics each outlet covered: statements per topic"
    figure = _heatmap(figures, title, subtitle, "Topic (★ key topic)", rows)
    columns = ["Outlet", "Topic", "Key topic", "Statements", "Share of outlet's statements (%)", "Coverage"]
    return Chart(TOPIC_COVERAGE, title, figure, columns, table)


def _state_word(state: str, n: int) -> str:
    if n:
        return "covered"
    return {
        COVERED: "covered (no statement matches the filters)",
        OMITTED: "omitted",
        PENDING: "tagging in progress",
    }.get(state, "not covered by any outlet")


def _topic_coverage_across(figures: Figures, subtitle: str) -> Chart:
    outlets = figures.shown_outlets
    topic_count: dict[int, int] = {}
    for topic in figures.topics:
        topic_count[topic.event_id] = topic_count.get(topic.event_id, 0) + 1
    rows, table = [], []
    for event in figures.events:
        cells = []
        for outlet in outlets:
            n = figures.by_event.get((outlet.id, event.id), ToneCounts()).statements
            where = f"{_text(outlet.name)} · {_text(event.name)}"
            coverage = figures.coverage.get((event.id, outlet.id))
            gaps = figures.omissions.get((event.id, outlet.id))
            if coverage is None or gaps is None:
                cells.append({"n": 0, "text": "", "hover": f"{where}<br>no article on this event"})
                table.append([outlet.name, event.name, event.date.isoformat(), "no article", 0, "", "", ""])
                continue
            total = topic_count.get(event.id, 0)
            covered = len(gaps.covered)
            cell: dict[str, Any] = {"n": n}
            omitted_cell: int | str
            if gaps.complete:
                omitted = len(gaps.omitted)
                cell["text"] = f"{n} · omits {omitted}" if omitted else str(n)
                cell["hover"] = f"{where}<br>{_statements(n)}; covers {covered} of {total} topics, omits {omitted}"
                if omitted:
                    cell["mark"] = OMITTED if not n else None
                state, omitted_cell = "complete", omitted
            else:
                cell["text"] = f"{n} · in progress" if n else "in progress"
                cell["hover"] = (
                    f"{where}<br>{_statements(n)}; covers {covered} of {total} topics so far; tagging in progress"
                )
                cell["mark"] = PENDING if not n else None
                state, omitted_cell = "in progress", ""
            cells.append(cell)
            table.append([outlet.name, event.name, event.date.isoformat(), state, n, total, covered, omitted_cell])
        rows.append((f"{_text(event.name)} <span style='color:{MUTED}'>{event.date:%-d %b %Y}</span>", cells))
    title = "Which events each outlet covered, and how many of their topics it left out"
    figure = _heatmap(figures, title, subtitle, "Event", rows)
    columns = ["Outlet", "Event", "Event date", "Tagging", "Statements", "Topics", "Topics covered", "Topics omitted"]
    return Chart(TOPIC_COVERAGE, title, figure, columns, table)


# Tone by outlet and topic (or event) --------------------------------------------------------


def tone_chart(figures: Figures, subtitle: str = "") -> Chart:
    """Mean tone per outlet, overall and per topic (one event) or per event (across events),
    as dots, so that a mean of zero shows as clearly as any other; counts in the hover."""
    outlets = figures.shown_outlets
    overall = "All statements"
    categories: list[tuple[str, dict[int, ToneCounts]]] = [
        (overall, {o.id: figures.outlet_total(o.id) for o in outlets})
    ]
    if figures.event is not None:
        label = "Topic"
        for topic in figures.shown_topics:
            categories.append(
                (topic.name, {o.id: figures.by_topic.get((o.id, topic.id), ToneCounts()) for o in outlets})
            )
    else:
        label = "Event"
        for event in figures.events:
            categories.append(
                (event.name, {o.id: figures.by_event.get((o.id, event.id), ToneCounts()) for o in outlets})
            )
    drawn = [c for c in categories if c[0] == overall or any(c[1].values())]

    traces, table = [], []
    for index, outlet in enumerate(outlets):
        ys, xs, hovers = [], [], []
        for name, counts in categories:
            cell = counts[outlet.id]
            mean = _tone(cell.mean)
            table.append([outlet.name, name, cell.statements, mean if mean is not None else "", cell.negative,
                          cell.neutral, cell.positive])  # fmt: skip
            if (name, counts) not in drawn or mean is None:
                continue
            ys.append(_text(name))
            xs.append(mean)
            hovers.append(
                f"{_text(outlet.name)} · {_text(name)}<br>mean tone {_signed(mean)} from {_statements(cell.statements)}"
                f"<br>{cell.negative} negative · {cell.neutral} neutral · {cell.positive} positive"
            )
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": _text(outlet.name),
                "x": xs,
                "y": ys,
                "hovertext": hovers,
                "hoverinfo": "text",
                "marker": {"color": outlet.colour, "size": 11, "symbol": MARKER_SYMBOLS[index % len(MARKER_SYMBOLS)],
                           "line": {"color": "#ffffff", "width": 1}},
                "legendgroup": f"outlet-{outlet.id}",
            }
        )  # fmt: skip

    title = f"Tone of each outlet’s statements, overall and by {label.lower()}"
    layout = _layout(
        title,
        subtitle,
        {"title": {"text": "Mean tone of statements (−2 very negative … +2 very positive)"}, "range": [-2.3, 2.3],
         "zeroline": True, "zerolinewidth": 2, **TONE_TICKS},
        {"title": {"text": label, "standoff": 14}, "autorange": "reversed", "type": "category",
         "categoryorder": "array", "categoryarray": [_text(name) for name, _ in drawn], "ticklabelstandoff": 4,
         "showgrid": True},
        scattermode="group",
        scattergap=0.4,
        height=_category_height(len(drawn), len(outlets)),
    )  # fmt: skip
    columns = ["Outlet", label, "Statements", "Mean tone", "Negative", "Neutral", "Positive"]
    return Chart(TONE, title, {"data": traces, "layout": layout}, columns, table)


# Who is quoted ----------------------------------------------------------------------------


def _two_lines(label: str, longest: int = 14) -> str:
    """A label longer than `longest` characters broken at the space nearest its middle."""
    spaces = [i for i, c in enumerate(label) if c == " "]
    if len(label) <= longest or not spaces:
        return label
    at = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return f"{label[:at]}<br>{label[at + 1 :]}"


def sources_chart(figures: Figures, subtitle: str = "") -> Chart:
    """Share of each outlet's statements by source type, one bar trace per outlet; counts and
    the most-quoted names in the hover; the experts each outlet quoted named under the chart."""
    outlets = figures.shown_outlets
    named: dict[tuple[int, str], list] = {}
    for source in figures.named_sources:
        named.setdefault((source.outlet_id, source.type), []).append(source)
    for group in named.values():
        group.sort(key=lambda s: s.rank)
    totals = {o.id: sum(c.statements for (oid, _), c in figures.by_source_type.items() if oid == o.id) for o in outlets}
    used = [(t, label) for t, label in SOURCE_TYPES if any(figures.by_source_type.get((o.id, t)) for o in outlets)]

    traces, table = [], []
    for index, outlet in enumerate(outlets):
        xs, ys, texts, hovers = [], [], [], []
        for source_type, label in SOURCE_TYPES:
            counts = figures.by_source_type.get((outlet.id, source_type))
            n, quotes = (counts.statements, counts.quotes) if counts else (0, 0)
            share = _share(n, totals[outlet.id])
            names = named.get((outlet.id, source_type), []) if source_type else []
            more = names[0].of_type - len(names) if names else 0
            table.append([outlet.name, label, n, share, quotes,
                          "; ".join(f"{s.label} ({s.statements})" for s in names) + (f"; and {more} more" if more else "")])  # fmt: skip
            if (source_type, label) not in used:
                continue
            lines = [f"{_text(outlet.name)} · {_text(label)}", f"{n} of {totals[outlet.id]} statements ({share:g}%)"]
            if n:
                lines.append(f"{quotes} direct quote{'' if quotes == 1 else 's'}")
            lines += [f"· {_text(s.label)}: {s.statements}" for s in names[:NAMED_IN_HOVER]]
            if len(names) + more > NAMED_IN_HOVER:
                lines.append(f"· and {len(names) + more - NAMED_IN_HOVER} more")
            xs.append(_text(label))
            ys.append(share)
            texts.append(f"{share:g}%" if n else "")
            hovers.append("<br>".join(lines))
        traces.append(_bar_trace(index, outlet, x=xs, y=ys, text=texts, hovertext=hovers))

    experts = []
    for outlet in outlets:
        group = named.get((outlet.id, "expert"), [])
        more = group[0].of_type - len(group) if group else 0
        who = ", ".join(_text(s.label) for s in group) + (f" and {more} more" if more else "") if group else "none"
        experts.append(f"<b>{_text(outlet.name)}</b>: {who}")
    title = "Who each outlet quotes: share of its statements by source type"
    layout = _layout(
        title,
        subtitle,
        # Long names on two level lines: angled labels would run into the experts' note below.
        {"title": {"text": "Source type"}, "type": "category", "tickangle": 0,
         "tickvals": [_text(label) for _, label in used], "ticktext": [_two_lines(_text(label)) for _, label in used]},
        {"title": {"text": "Share of statements (%)"}, "rangemode": "tozero", "ticksuffix": "%"},
        barmode="group",
        bargap=0.22,
        height=500,
        annotations=[
            {"text": "Experts quoted — " + " · ".join(experts), "xref": "paper", "yref": "paper", "x": 0.0, "y": -0.3,
             "xanchor": "left", "yanchor": "top", "showarrow": False, "align": "left", "font": {"size": 12, "color": INK}}
        ],
    )  # fmt: skip
    layout["margin"]["b"] = 130
    columns = [
        "Outlet",
        "Source type",
        "Statements",
        "Share of outlet's statements (%)",
        "Direct quotes",
        "Sources named",
    ]
    return Chart(SOURCES_CHART, title, {"data": traces, "layout": layout}, columns, table)


# Frames -----------------------------------------------------------------------------------


def frames_chart(figures: Figures, subtitle: str = "") -> Chart:
    """Share of each outlet's framed statements per frame, one horizontal bar trace per outlet;
    every frame of the codebook(s) in the table, the frames some outlet used in the figure."""
    outlets = figures.shown_outlets
    frames = [f for f in figures.frames if not figures.filters.frames or f.id in figures.filters.frames]
    counts = {key: c.statements for key, c in figures.by_frame.items() if key[1] is not None}
    totals = {o.id: sum(n for (oid, _), n in counts.items() if oid == o.id) for o in outlets}
    used = [f for f in frames if any(counts.get((o.id, f.id)) for o in outlets)]
    codebooks = sorted({f.codebook for f in frames if f.codebook})

    def name(frame) -> str:
        return f"{frame.name} ({frame.codebook})" if len(codebooks) > 1 else frame.name

    traces, table = [], []
    for index, outlet in enumerate(outlets):
        xs, ys, texts, hovers = [], [], [], []
        for frame in frames:
            n = counts.get((outlet.id, frame.id), 0)
            share = _share(n, totals[outlet.id])
            table.append([outlet.name, name(frame), n, share])
            if frame not in used:
                continue
            xs.append(share)
            ys.append(_text(name(frame)))
            texts.append(f"{share:g}%" if n else "")
            hovers.append(
                f"{_text(outlet.name)} · {_text(name(frame))}<br>{n} of {totals[outlet.id]} framed statements ({share:g}%)"
            )
        traces.append(_bar_trace(index, outlet, orientation="h", x=xs, y=ys, text=texts, hovertext=hovers))

    codebook = ", ".join(codebooks) or "no codebook"
    title = f"How each outlet framed {_where(figures)}: share of its statements per frame ({codebook})"
    layout = _layout(
        title,
        subtitle,
        {"title": {"text": "Share of the outlet's framed statements (%)"}, "rangemode": "tozero", "ticksuffix": "%"},
        {
            "title": {"text": "Frame", "standoff": 14},
            "autorange": "reversed",
            "type": "category",
            "ticklabelstandoff": 4,
        },
        barmode="group",
        bargap=0.25,
        height=_category_height(len(used), len(outlets)),
    )
    columns = ["Outlet", "Frame", "Statements", "Share of outlet's framed statements (%)"]
    return Chart(FRAMES_CHART, title, {"data": traces, "layout": layout}, columns, table)


# Tone over time ---------------------------------------------------------------------------


def tone_over_time_chart(figures: Figures, subtitle: str = "") -> Chart:
    """Mean tone per outlet and publication day, one line trace per outlet."""
    outlets = figures.shown_outlets
    traces, table = [], []
    for index, outlet in enumerate(outlets):
        days = sorted(day for (oid, day) in figures.by_day if oid == outlet.id)
        xs, ys, hovers = [], [], []
        for day in days:
            cell = figures.by_day[(outlet.id, day)]
            mean = _tone(cell.mean)
            if mean is None:
                continue
            xs.append(day.isoformat())
            ys.append(mean)
            hovers.append(
                f"{_text(outlet.name)} · {day.day} {day:%b %Y}<br>mean tone {_signed(mean)} from {_statements(cell.statements)}"
            )
            table.append([outlet.name, day.isoformat(), cell.statements, mean])
        traces.append(
            {"type": "scatter", "mode": "lines+markers", "name": _text(outlet.name), "x": xs, "y": ys,
             "hovertext": hovers, "hoverinfo": "text", "line": {"color": outlet.colour, "width": 2},
             "marker": {"color": outlet.colour, "size": 9, "symbol": MARKER_SYMBOLS[index % len(MARKER_SYMBOLS)]},
             "legendgroup": f"outlet-{outlet.id}"}
        )  # fmt: skip
    days = sorted(dt.date.fromisoformat(str(row[1])) for row in table)
    xrange = (
        [(days[0] - dt.timedelta(days=3)).isoformat(), (days[-1] + dt.timedelta(days=3)).isoformat()] if days else None
    )
    title = f"Mean tone of each outlet’s statements over time, {'on the event' if figures.event else 'across events'}"
    layout = _layout(
        title,
        subtitle,
        {"title": {"text": "Publication date (articles without a date are left out)"}, "type": "date",
         "tickformat": "%-d %b %Y", **({"range": xrange} if xrange else {})},
        {"title": {"text": "Mean tone (−2 … +2)", "standoff": 12}, "range": [-2.3, 2.3], "zeroline": True, "zerolinewidth": 2,
         **TONE_TICKS},
        height=440,
    )  # fmt: skip
    columns = ["Outlet", "Date", "Statements", "Mean tone"]
    return Chart(TONE_OVER_TIME, title, {"data": traces, "layout": layout}, columns, table)


BUILDERS = {
    TOPIC_COVERAGE: topic_coverage_chart,
    TONE: tone_chart,
    SOURCES_CHART: sources_chart,
    FRAMES_CHART: frames_chart,
    TONE_OVER_TIME: tone_over_time_chart,
}


def build(kind: str, figures: Figures, subtitle: str = "") -> Chart:
    """The chart of `kind` from figures read with at least `CHART_PARTS[kind]`."""
    return BUILDERS[kind](figures, subtitle)
