"""Downloads: a chart's data table as CSV and its figure as JSON, and the outlets overview as CSV.

Pure: charts and overview rows in, text out.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from .charts import SOURCE_TYPES, Chart
from .matrix import OverviewRow
from .rows import TONES, Figures, FrameInfo, ToneCounts

TONE_LABELS = ["−2", "−1", "0", "+1", "+2"]
KINDS = [("quote", "direct quotes"), ("paraphrase", "paraphrases"), ("assertion", "assertions")]

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
# tab and carriage return are in OWASP's list because some programs strip them first.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers stay numbers: a negative mean tone such as -0.5 is data, not a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def chart_csv(chart: Chart) -> str:
    """The chart's data table as CSV, header first, every text cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise_cell(column) for column in chart.columns])
    for row in chart.rows:
        writer.writerow([neutralise_cell(value) for value in row])
    return out.getvalue()


def figure_json(chart: Chart) -> str:
    """The Plotly figure as JSON with sorted keys: the same figure always gives the same bytes."""
    return json.dumps(chart.figure, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def overview_csv(rows: Sequence[OverviewRow], figures: Figures) -> str:
    """The outlets overview as CSV: one row per outlet, every count as its own cell, zeros written out.

    Columns: the outlet; events (all, completely tagged, in progress); topics of its complete
    events and those it omitted; claims only it carried, confirmed claim omissions and claim
    omission candidates (of its completely tagged events); statements by tone (−2 … +2 and negative/neutral/positive),
    by kind and by source type; and for every frame its statements and their tone split.
    """
    frames = list(figures.frames)
    codebooks = {f.codebook for f in frames}

    def frame_name(frame: FrameInfo) -> str:
        return f"{frame.name} ({frame.codebook})" if len(codebooks) > 1 else frame.name

    header = [
        "Outlet", "Country", "Ownership", "Events", "Events completely tagged", "Events with tagging in progress",
        "Topics of completely tagged events", "Topics omitted", "Omission rate (%)",
        "Claims only here", "Claims others carried, left out here", "Claim omission candidates",
        "Statements", "Mean tone",
        *(f"Tone {label}" for label in TONE_LABELS), "Negative", "Neutral", "Positive",
        *(f"Kind: {label}" for _, label in KINDS), *(f"Source type: {label}" for _, label in SOURCE_TYPES),
    ]  # fmt: skip
    for frame in frames:
        name = frame_name(frame)
        header += [f"Frame: {name}", f"Frame: {name}: negative", f"Frame: {name}: neutral", f"Frame: {name}: positive"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise_cell(cell) for cell in header])
    for row in rows:
        tone = row.tone.counts
        rate = round(100 * row.omission_rate, 1) if row.omission_rate is not None else ""
        cells: list[Any] = [
            row.outlet.name, row.outlet.country, row.outlet.ownership, row.events, row.complete_events,
            row.pending_events, row.topics, row.omitted, rate,
            row.claims_only_here, row.claims_omitted, row.claim_candidates, row.statements,
            round(row.mean_tone, 2) if row.mean_tone is not None else "",
            *(tone.at(t) for t in TONES), tone.negative, tone.neutral, tone.positive,
            *(row.kind_count(kind) for kind, _ in KINDS),
            *(row.source_type_count(source_type) for source_type, _ in SOURCE_TYPES),
        ]  # fmt: skip
        for frame in frames:
            counts = row.by_frame.get(frame.id, ToneCounts())
            cells += [counts.statements, counts.negative, counts.neutral, counts.positive]
        writer.writerow([neutralise_cell(cell) for cell in cells])
    return out.getvalue()
