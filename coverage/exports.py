"""Chart downloads: the data table as CSV and the figure as JSON. Pure: a Chart in, text out."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .charts import Chart

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
