"""Figures comparing outlets, as pure functions: plain rows in, a Plotly figure dict out.

No ORM and no request in here. The rows are those of the StatementQuerySet aggregates
(`outlet_topic_rows`, `outlet_tone_rows`, `outlet_source_type_rows`, `outlet_source_rows`,
`outlet_frame_rows`, `outlet_day_tone_rows`); outlets, topics and frames come as small
descriptors. Each builder returns a `Chart`: the figure and the data table behind it, made
from the same numbers, so the CSV download and the share page show what the figure shows.

Plotly renders titles, tick labels, legend entries and hover text as HTML, so every name
that comes from the database goes through `escape` before it reaches a figure. Tables keep
the raw names (the CSV writer and the templates escape for their own formats).

Figures are built in a fixed order from sorted rows, so the same rows give the same JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape

from .models import SourceType
from .omissions import omitted_topics

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
INK, MUTED, GRID = "#1d232a", "#5b6570", "#e3e7eb"
OMITTED_INK = "#a4262c"
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


@dataclass(frozen=True)
class OutletInfo:
    id: int
    name: str
    colour: str


@dataclass(frozen=True)
class TopicInfo:
    id: int
    name: str
    is_key: bool = False


@dataclass(frozen=True)
class FrameInfo:
    id: int
    name: str


@dataclass(frozen=True)
class Chart:
    """One figure and the table of the numbers it draws (same rounding in both)."""

    kind: str
    title: str
    figure: dict[str, Any]
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)


# Shared pieces ----------------------------------------------------------------------------


def _layout(title: str, subtitle: str, xaxis: dict, yaxis: dict, **extra) -> dict[str, Any]:
    axis = {"automargin": True, "gridcolor": GRID, "zerolinecolor": "#9aa4ae", "linecolor": GRID}
    layout = {
        "title": {"text": escape(title), "x": 0.0, "xanchor": "left", "font": {"size": 17}},
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
        layout["title"]["subtitle"] = {"text": escape(subtitle), "font": {"size": 13, "color": MUTED}}
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


# Topic coverage ---------------------------------------------------------------------------


def topic_coverage_chart(
    outlets: Sequence[OutletInfo],
    topics: Sequence[TopicInfo],
    topic_rows: Iterable[Mapping],
    outlet_totals: Mapping[int, int],
    subtitle: str = "",
) -> Chart:
    """Heatmap of outlets x topics: statements per cell with the share of the outlet's
    statements; cells of omitted topics are outlined and labelled "omitted".
    """
    counts = {(r["outlet_id"], r["topic_id"]): r["statements"] for r in topic_rows if r["statements"]}
    covered: dict[int, set[int]] = {}
    for outlet_id, topic_id in counts:
        covered.setdefault(outlet_id, set()).add(topic_id)
    omitted = omitted_topics([o.id for o in outlets], covered, [t.id for t in topics if t.is_key])

    # The outlet's colour as a swatch by its name: the same colour as in every other chart.
    x = [f'<span style="color:{escape(o.colour)}">■</span> {escape(o.name)}' for o in outlets]
    y = [escape(t.name) + (" ★" if t.is_key else "") for t in topics]
    z, text, hover, table = [], [], [], []
    annotations, shapes = [], []
    for row, topic in enumerate(topics):
        z_row, text_row, hover_row = [], [], []
        for col, outlet in enumerate(outlets):
            n = counts.get((outlet.id, topic.id), 0)
            share = _share(n, outlet_totals.get(outlet.id, 0))
            is_omitted = topic.id in omitted.get(outlet.id, {})
            z_row.append(n or None)
            text_row.append(f"{n} · {share:g}%" if n else "")
            where = f"{escape(outlet.name)} · {escape(topic.name)}"
            if n:
                hover_row.append(f"{where}<br>{_statements(n)}, {share:g}% of the outlet's statements")
            elif is_omitted:
                others = [o.name for o in outlets if o.id in omitted[outlet.id][topic.id]]
                by = f"covered by {escape(', '.join(others))}" if others else "a key topic nobody covered"
                hover_row.append(f"{where}<br><b>omitted</b>: {by}")
                annotations.append(
                    {
                        "x": col,
                        "y": row,
                        "xref": "x",
                        "yref": "y",
                        "text": "<i>omitted</i>",
                        "showarrow": False,
                        "font": {"color": OMITTED_INK, "size": 12},
                    }
                )
                shapes.append(
                    {
                        "type": "rect",
                        "xref": "x",
                        "yref": "y",
                        "x0": col - 0.46,
                        "x1": col + 0.46,
                        "y0": row - 0.42,
                        "y1": row + 0.42,
                        "line": {"color": OMITTED_INK, "width": 1.5, "dash": "dot"},
                        "fillcolor": "rgba(164, 38, 44, 0.06)",
                        "layer": "above",
                    }
                )
            else:
                hover_row.append(f"{where}<br>no statements; no other outlet covered it either")
            table.append(
                [outlet.name, topic.name, "yes" if topic.is_key else "no", n, share, "yes" if is_omitted else "no"]
            )
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)

    title = "Which topics each outlet covered: statements per topic"
    trace = {
        "type": "heatmap",
        "x": list(range(len(outlets))),
        "y": list(range(len(topics))),
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
        {
            "title": {"text": "Outlet"},
            "tickvals": list(range(len(outlets))),
            "ticktext": x,
            "side": "top",
            "showgrid": False,
            "zeroline": False,
        },
        {
            "title": {"text": "Topic (★ key topic)"},
            "tickvals": list(range(len(topics))),
            "ticktext": y,
            "autorange": "reversed",
            "showgrid": False,
            "zeroline": False,
        },
        annotations=annotations,
        shapes=shapes,
        height=max(320, 170 + 34 * len(topics)),
        plot_bgcolor="#f6f7f8",
        showlegend=False,
    )
    layout["margin"]["t"] = 120 if subtitle else 100
    columns = ["Outlet", "Topic", "Key topic", "Statements", "Share of outlet's statements (%)", "Omitted"]
    return Chart("topic-coverage", title, {"data": [trace], "layout": layout}, columns, table)


# Tone by outlet and topic -----------------------------------------------------------------


def tone_chart(
    outlets: Sequence[OutletInfo],
    topics: Sequence[TopicInfo],
    topic_rows: Iterable[Mapping],
    tone_rows: Iterable[Mapping],
    subtitle: str = "",
) -> Chart:
    """Mean tone per outlet, overall and per topic (topics someone has statements on).
    One horizontal bar trace per outlet; counts by tone in the hover.
    """
    overall_label = "All statements"
    cells: dict[tuple[int, int | None], Mapping] = {(r["outlet_id"], None): r for r in tone_rows if r["statements"]}
    cells.update({(r["outlet_id"], r["topic_id"]): r for r in topic_rows if r["statements"]})
    used = {topic_id for (_, topic_id) in cells}
    categories: list[tuple[int | None, str]] = [(None, overall_label)]
    categories += [(t.id, t.name) for t in topics if t.id in used]

    traces, table = [], []
    for index, outlet in enumerate(outlets):
        ys, xs, hovers, texts = [], [], [], []
        for topic_id, name in categories:
            cell = cells.get((outlet.id, topic_id))
            ys.append(escape(name))
            if cell is None:
                xs.append(None)
                texts.append("")
                hovers.append(f"{escape(outlet.name)} · {escape(name)}<br>no statements")
                continue
            mean = _tone(cell["mean_tone"])
            xs.append(mean)
            texts.append(f"n={cell['statements']}")
            hovers.append(
                f"{escape(outlet.name)} · {escape(name)}<br>mean tone {_signed(mean)} from {_statements(cell['statements'])}"
                f"<br>{cell['negative']} negative · {cell['neutral']} neutral · {cell['positive']} positive"
            )
            table.append(
                [outlet.name, name, cell["statements"], mean, cell["negative"], cell["neutral"], cell["positive"]]
            )
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": escape(outlet.name),
                "x": xs,
                "y": ys,
                "text": texts,
                "textposition": "outside",
                "cliponaxis": False,
                "textfont": {"size": 11, "color": MUTED},
                "hovertext": hovers,
                "hoverinfo": "text",
                "marker": _bar_marker(index, outlet),
                "legendgroup": f"outlet-{outlet.id}",
            }
        )

    title = "Tone of each outlet’s statements, overall and by topic"
    layout = _layout(
        title,
        subtitle,
        {
            "title": {"text": "Mean tone of statements (−2 very negative … +2 very positive)"},
            "range": [-2.6, 2.6],
            "zeroline": True,
            "zerolinewidth": 2,
            **TONE_TICKS,
        },
        {
            "title": {"text": "Topic", "standoff": 14},
            "autorange": "reversed",
            "type": "category",
            "ticklabelstandoff": 4,
        },
        barmode="group",
        bargap=0.25,
        height=_category_height(len(categories), len(outlets)),
    )
    columns = ["Outlet", "Topic", "Statements", "Mean tone", "Negative", "Neutral", "Positive"]
    return Chart("tone", title, {"data": traces, "layout": layout}, columns, table)


# Who is quoted ----------------------------------------------------------------------------


def _source_type_label(source_type: str | None) -> str:
    return SourceType(source_type).label if source_type else UNATTRIBUTED


def sources_chart(
    outlets: Sequence[OutletInfo],
    source_type_rows: Iterable[Mapping],
    source_rows: Iterable[Mapping],
    subtitle: str = "",
    named_per_type: int = 5,
) -> Chart:
    """Share of each outlet's statements by source type, one bar trace per outlet; counts and
    the most-quoted names in the hover; every expert named under the chart and in the table.
    """
    by_cell = {(r["outlet_id"], r["source_type"]): r for r in source_type_rows if r["statements"]}
    totals: dict[int, int] = {}
    for (outlet_id, _), r in by_cell.items():
        totals[outlet_id] = totals.get(outlet_id, 0) + r["statements"]
    names: dict[tuple[int, str], list[Mapping]] = {}
    for r in source_rows:
        names.setdefault((r["outlet_id"], r["source_type"]), []).append(r)
    for named in names.values():
        named.sort(key=lambda r: (-r["statements"], r["source_name"], r["source_id"]))
    order = [t.value for t in SourceType] + [None]
    types = [t for t in order if any(key[1] == t for key in by_cell)]

    traces, table = [], []
    for index, outlet in enumerate(outlets):
        xs, ys, texts, hovers = [], [], [], []
        for source_type in types:
            label = _source_type_label(source_type)
            cell = by_cell.get((outlet.id, source_type))
            n = cell["statements"] if cell else 0
            share = _share(n, totals.get(outlet.id, 0))
            named = names.get((outlet.id, source_type), [])
            xs.append(escape(label))
            ys.append(share)
            texts.append(f"{share:g}%" if n else "")
            lines = [
                f"{escape(outlet.name)} · {escape(label)}",
                f"{n} of {totals.get(outlet.id, 0)} statements ({share:g}%)",
            ]
            if cell:
                lines.append(f"{cell['quotes']} direct quote{'' if cell['quotes'] == 1 else 's'}")
            for r in named[:named_per_type]:
                lines.append(f"· {escape(_source_name(r))}: {r['statements']}")
            if len(named) > named_per_type:
                lines.append(f"· and {len(named) - named_per_type} more")
            hovers.append("<br>".join(lines))
            table.append(
                [
                    outlet.name,
                    label,
                    n,
                    share,
                    cell["quotes"] if cell else 0,
                    "; ".join(f"{_source_name(r)} ({r['statements']})" for r in named),
                ]
            )
        traces.append(
            {
                "type": "bar",
                "name": escape(outlet.name),
                "x": xs,
                "y": ys,
                "text": texts,
                "textposition": "outside",
                "cliponaxis": False,
                "textfont": {"size": 11, "color": MUTED},
                "hovertext": hovers,
                "hoverinfo": "text",
                "marker": _bar_marker(index, outlet),
                "legendgroup": f"outlet-{outlet.id}",
            }
        )

    experts = []
    for outlet in outlets:
        named = names.get((outlet.id, SourceType.EXPERT.value), [])
        who = ", ".join(escape(_source_name(r)) for r in named) if named else "none"
        experts.append(f"<b>{escape(outlet.name)}</b>: {who}")
    title = "Who each outlet quotes: share of its statements by source type"
    layout = _layout(
        title,
        subtitle,
        {"title": {"text": "Source type"}, "type": "category"},
        {"title": {"text": "Share of statements (%)"}, "rangemode": "tozero", "ticksuffix": "%"},
        barmode="group",
        bargap=0.22,
        height=500,
        annotations=[
            {
                "text": "Experts quoted — " + " · ".join(experts),
                "xref": "paper",
                "yref": "paper",
                "x": 0.0,
                "y": -0.3,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "align": "left",
                "font": {"size": 12, "color": INK},
            }
        ],
    )
    layout["margin"]["b"] = 130
    columns = [
        "Outlet",
        "Source type",
        "Statements",
        "Share of outlet's statements (%)",
        "Direct quotes",
        "Sources named",
    ]
    return Chart("sources", title, {"data": traces, "layout": layout}, columns, table)


def _source_name(row: Mapping) -> str:
    return f"{row['source_name']} ({row['affiliation']})" if row.get("affiliation") else row["source_name"]


# Frames -----------------------------------------------------------------------------------


def frames_chart(
    outlets: Sequence[OutletInfo],
    frames: Sequence[FrameInfo],
    frame_rows: Iterable[Mapping],
    codebook_name: str,
    subtitle: str = "",
) -> Chart:
    """Share of each outlet's framed statements per frame of the event's codebook (frames
    that someone used, in codebook order), one horizontal bar trace per outlet.
    """
    counts = {(r["outlet_id"], r["frame_id"]): r["statements"] for r in frame_rows if r["statements"]}
    totals: dict[int, int] = {}
    for (outlet_id, _), n in counts.items():
        totals[outlet_id] = totals.get(outlet_id, 0) + n
    used = [f for f in frames if any(key[1] == f.id for key in counts)]

    traces, table = [], []
    for index, outlet in enumerate(outlets):
        xs, ys, texts, hovers = [], [], [], []
        for frame in used:
            n = counts.get((outlet.id, frame.id), 0)
            share = _share(n, totals.get(outlet.id, 0))
            xs.append(share)
            ys.append(escape(frame.name))
            texts.append(f"{share:g}%" if n else "")
            hovers.append(
                f"{escape(outlet.name)} · {escape(frame.name)}<br>"
                f"{n} of {totals.get(outlet.id, 0)} framed statements ({share:g}%)"
            )
            table.append([outlet.name, frame.name, n, share])
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": escape(outlet.name),
                "x": xs,
                "y": ys,
                "text": texts,
                "textposition": "outside",
                "cliponaxis": False,
                "textfont": {"size": 11, "color": MUTED},
                "hovertext": hovers,
                "hoverinfo": "text",
                "marker": _bar_marker(index, outlet),
                "legendgroup": f"outlet-{outlet.id}",
            }
        )

    title = f"How each outlet framed the event: share of its statements per frame ({codebook_name})"
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
    return Chart("frames", title, {"data": traces, "layout": layout}, columns, table)


# Across events: tone over time ------------------------------------------------------------


def tone_over_time_chart(
    outlets: Sequence[OutletInfo],
    day_rows: Iterable[Mapping],
    subtitle: str = "",
) -> Chart:
    """Mean tone per outlet and publication day across events, one line trace per outlet."""
    by_outlet: dict[int, list[Mapping]] = {}
    for r in day_rows:
        by_outlet.setdefault(r["outlet_id"], []).append(r)

    traces, table = [], []
    for index, outlet in enumerate(outlets):
        rows = sorted(by_outlet.get(outlet.id, []), key=lambda r: r["day"])
        xs, ys, hovers = [], [], []
        for r in rows:
            day: dt.date = r["day"]
            mean = _tone(r["mean_tone"])
            xs.append(day.isoformat())
            ys.append(mean)
            hovers.append(
                f"{escape(outlet.name)} · {day.day} {day:%b %Y}<br>mean tone {_signed(mean)} "
                f"from {_statements(r['statements'])}"
            )
            table.append([outlet.name, day.isoformat(), r["statements"], mean])
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": escape(outlet.name),
                "x": xs,
                "y": ys,
                "hovertext": hovers,
                "hoverinfo": "text",
                "line": {"color": outlet.colour, "width": 2},
                "marker": {"color": outlet.colour, "size": 9, "symbol": MARKER_SYMBOLS[index % len(MARKER_SYMBOLS)]},
                "legendgroup": f"outlet-{outlet.id}",
            }
        )

    days = sorted(dt.date.fromisoformat(row[1]) for row in table)
    xrange = (
        [(days[0] - dt.timedelta(days=3)).isoformat(), (days[-1] + dt.timedelta(days=3)).isoformat()] if days else None
    )
    title = "Mean tone of each outlet’s statements over time, across events"
    layout = _layout(
        title,
        subtitle,
        {
            "title": {"text": "Publication date (articles without a date are left out)"},
            "type": "date",
            "tickformat": "%-d %b %Y",
            **({"range": xrange} if xrange else {}),
        },
        {
            "title": {"text": "Mean tone (−2 … +2)"},
            "range": [-2.3, 2.3],
            "zeroline": True,
            "zerolinewidth": 2,
            **TONE_TICKS,
        },
        height=440,
    )
    columns = ["Outlet", "Date", "Statements", "Mean tone"]
    return Chart("tone-over-time", title, {"data": traces, "layout": layout}, columns, table)
