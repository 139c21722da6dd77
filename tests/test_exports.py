"""Chart downloads: CSV cells a spreadsheet would run are neutralised; JSON is stable."""

import csv
import io

import pytest

from coverage.charts import Chart
from coverage.exports import chart_csv, figure_json, neutralise_cell


@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tHYPERLINK()", "\r=evil"])
def test_it_neutralises_cells_a_spreadsheet_would_run(cell):
    assert neutralise_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["RT", "a=b", "", " =x", 3, -0.5, 12.5, None])
def test_it_leaves_other_cells_and_numbers_alone(cell):
    assert neutralise_cell(cell) == cell


def test_the_csv_has_a_header_and_neutralised_rows():
    chart = Chart(
        "tone",
        "t",
        {"data": [], "layout": {}},
        ["Outlet", "Mean tone"],
        [['=HYPERLINK("http://x")', -0.5], ["RT", 1.25]],
    )
    rows = list(csv.reader(io.StringIO(chart_csv(chart))))
    assert rows == [["Outlet", "Mean tone"], ['\'=HYPERLINK("http://x")', "-0.5"], ["RT", "1.25"]]


def test_figure_json_sorts_keys():
    chart = Chart("tone", "t", {"layout": {"b": 1, "a": 2}, "data": []}, [], [])
    assert figure_json(chart) == '{"data":[],"layout":{"a":2,"b":1}}'
