"""The chart builders, without a database: rows in, Plotly figure dicts out."""

import datetime as dt
import json
import random

import plotly.graph_objects as go
import pytest

from coverage import charts
from coverage.charts import FrameInfo, OutletInfo, TopicInfo
from coverage.exports import figure_json

RT = OutletInfo(1, "RT", "#0072B2")
OV = OutletInfo(2, "Opposing Views", "#E69F00")
EVIL = OutletInfo(3, "<b>Evil</b> & <script>alert(1)</script>", "#009E73")
KOREA = TopicInfo(10, "Korean peninsula", is_key=True)
THAAD = TopicInfo(11, "THAAD deployment")
G20 = TopicInfo(12, "Meeting at the G20")
SYRIA = TopicInfo(13, "Syria", is_key=True)


def topic_row(outlet, topic, statements, mean_tone=0.0, negative=0, neutral=None, positive=0):
    neutral = statements - negative - positive if neutral is None else neutral
    return {
        "outlet_id": outlet.id,
        "topic_id": topic.id,
        "statements": statements,
        "mean_tone": mean_tone,
        "negative": negative,
        "neutral": neutral,
        "positive": positive,
    }


def tone_row(outlet, statements, mean_tone=0.0, negative=0, positive=0):
    return {
        "outlet_id": outlet.id,
        "statements": statements,
        "mean_tone": mean_tone,
        "negative": negative,
        "neutral": statements - negative - positive,
        "positive": positive,
    }


@pytest.fixture
def topic_rows():
    return [
        topic_row(RT, KOREA, 4, -0.5, negative=2, positive=1),
        topic_row(RT, THAAD, 2, -1.0, negative=2),
        topic_row(OV, KOREA, 3, 0.3333333, positive=1),
        topic_row(OV, G20, 1, 1.0, positive=1),
    ]


def heatmap_cell(figure, outlet_index, topic_index):
    return figure["data"][0]["z"][topic_index][outlet_index]


def omitted_marks(figure):
    return {(a["x"], a["y"]) for a in figure["layout"]["annotations"] if "omitted" in a["text"]}


def test_the_heatmap_counts_statements_per_outlet_and_topic(topic_rows):
    chart = charts.topic_coverage_chart([RT, OV], [KOREA, THAAD, G20], topic_rows, {RT.id: 8, OV.id: 4})
    go.Figure(chart.figure)  # Plotly accepts every property
    assert heatmap_cell(chart.figure, 0, 0) == 4 and heatmap_cell(chart.figure, 1, 0) == 3
    assert chart.figure["data"][0]["text"][0][0] == "4 · 50%"  # share of RT's 8 statements
    assert ["RT", "Korean peninsula", "yes", 4, 50.0, "no"] in chart.rows


def test_omitted_cells_are_marked_with_text_and_an_outline(topic_rows):
    chart = charts.topic_coverage_chart([RT, OV], [KOREA, THAAD, G20, SYRIA], topic_rows, {RT.id: 8, OV.id: 4})
    # OV leaves out THAAD (RT covers it), RT leaves out the G20 (OV covers it), and the key
    # topic Syria that nobody covered counts as omitted by both.
    assert omitted_marks(chart.figure) == {(1, 1), (0, 2), (0, 3), (1, 3)}
    assert len(chart.figure["layout"]["shapes"]) == 4
    assert heatmap_cell(chart.figure, 1, 1) is None  # no colour: the cell is empty, the text says why
    omitted = {(row[0], row[1]) for row in chart.rows if row[-1] == "yes"}
    assert omitted == {
        ("Opposing Views", "THAAD deployment"),
        ("RT", "Meeting at the G20"),
        ("RT", "Syria"),
        ("Opposing Views", "Syria"),
    }
    hover = chart.figure["data"][0]["hovertext"][1][1]
    assert "omitted" in hover and "covered by RT" in hover


def test_a_filter_that_narrows_the_rows_changes_the_figure(topic_rows):
    everything = charts.tone_chart([RT, OV], [KOREA, THAAD, G20], topic_rows, [tone_row(RT, 6), tone_row(OV, 4)])
    # What `?tone=-1` leaves of the rows: only RT's negative statements.
    negative_only = [topic_row(RT, KOREA, 2, -1.0, negative=2), topic_row(RT, THAAD, 2, -1.0, negative=2)]
    narrowed = charts.tone_chart([RT, OV], [KOREA, THAAD, G20], negative_only, [tone_row(RT, 4, -1.0, negative=4)])
    assert everything.figure["data"][0]["y"] == [
        "All statements",
        "Korean peninsula",
        "THAAD deployment",
        "Meeting at the G20",
    ]
    assert narrowed.figure["data"][0]["y"] == ["All statements", "Korean peninsula", "THAAD deployment"]
    assert narrowed.figure["data"][0]["x"] == [-1.0, -1.0, -1.0]
    assert narrowed.figure["data"][1]["x"] == [None, None, None]  # OV has nothing left
    assert [row[0] for row in narrowed.rows] == ["RT", "RT", "RT"]


def test_the_heatmap_under_an_outlet_filter_shows_only_that_outlet(topic_rows):
    rt_rows = [row for row in topic_rows if row["outlet_id"] == RT.id]
    chart = charts.topic_coverage_chart([RT], [KOREA, THAAD, G20], rt_rows, {RT.id: 8})
    assert len(chart.figure["data"][0]["z"][0]) == 1
    assert omitted_marks(chart.figure) == set()  # nobody else to compare with, and no key topic missing


@pytest.mark.parametrize("build", ["tone", "sources", "frames", "tone_over_time"])
def test_there_is_one_trace_per_outlet_in_the_outlets_colour(build, topic_rows):
    outlets = [RT, OV, EVIL]
    figure = _build(build, outlets, topic_rows).figure
    go.Figure(figure)
    assert [trace["name"] for trace in figure["data"]] == ["RT", "Opposing Views", charts.escape(EVIL.name)]
    colours = [trace["marker"]["color"] for trace in figure["data"]]
    assert colours == [RT.colour, OV.colour, EVIL.colour]
    assert figure["layout"]["title"]["text"] and figure["layout"]["xaxis"]["title"]["text"]
    assert figure["layout"]["yaxis"]["title"]["text"]


def _build(kind, outlets, topic_rows):
    if kind == "tone":
        return charts.tone_chart(outlets, [KOREA, THAAD, G20], topic_rows, [tone_row(RT, 6), tone_row(OV, 4)])
    if kind == "sources":
        return charts.sources_chart(
            outlets,
            [
                {"outlet_id": RT.id, "source_type": "official", "statements": 3, "quotes": 1},
                {"outlet_id": RT.id, "source_type": None, "statements": 1, "quotes": 0},
                {"outlet_id": OV.id, "source_type": "expert", "statements": 2, "quotes": 2},
            ],
            [
                {
                    "outlet_id": OV.id,
                    "source_id": 5,
                    "source_name": "Matthew Wallin",
                    "affiliation": "American Security Project",
                    "source_type": "expert",
                    "statements": 2,
                }
            ],
        )
    if kind == "frames":
        return charts.frames_chart(
            outlets,
            [FrameInfo(20, "Political"), FrameInfo(21, "Security and defense")],
            [
                {"outlet_id": RT.id, "frame_id": 21, "statements": 3},
                {"outlet_id": OV.id, "frame_id": 20, "statements": 1},
            ],
            "Media Frames Corpus",
        )
    return charts.tone_over_time_chart(
        outlets,
        [
            {"outlet_id": RT.id, "day": dt.date(2017, 5, 2), "statements": 24, "mean_tone": -0.21},
            {"outlet_id": RT.id, "day": dt.date(2017, 5, 1), "statements": 3, "mean_tone": 1.0},
            {"outlet_id": OV.id, "day": dt.date(2017, 5, 3), "statements": 5, "mean_tone": -1.0},
        ],
    )


def test_who_is_quoted_gives_shares_with_counts_in_the_hover_and_names_experts(topic_rows):
    chart = _build("sources", [RT, OV], topic_rows)
    rt, ov = chart.figure["data"]
    assert rt["x"] == ["Official", "Expert", "Unattributed"]
    assert rt["y"] == [75.0, 0.0, 25.0] and ov["y"] == [0.0, 100.0, 0.0]
    assert "2 of 2 statements (100%)" in ov["hovertext"][1]
    assert "Matthew Wallin (American Security Project): 2" in ov["hovertext"][1]
    assert "Matthew Wallin" in chart.figure["layout"]["annotations"][0]["text"]
    assert ["Opposing Views", "Expert", 2, 100.0, 2, "Matthew Wallin (American Security Project) (2)"] in chart.rows


def test_frames_are_shares_of_each_outlets_framed_statements_in_codebook_order(topic_rows):
    chart = _build("frames", [RT, OV], topic_rows)
    rt, ov = chart.figure["data"]
    assert rt["y"] == ["Political", "Security and defense"]
    assert rt["x"] == [0.0, 100.0] and ov["x"] == [100.0, 0.0]
    assert "Media Frames Corpus" in chart.title


def test_tone_over_time_is_in_date_order(topic_rows):
    rt = _build("tone_over_time", [RT, OV], topic_rows).figure["data"][0]
    assert rt["x"] == ["2017-05-01", "2017-05-02"] and rt["y"] == [1.0, -0.21]
    assert rt["mode"] == "lines+markers"


def test_hover_text_legend_and_labels_are_escaped(topic_rows):
    rows = topic_rows + [topic_row(EVIL, KOREA, 1)]
    evil_topic = TopicInfo(14, "<img src=x onerror=alert(1)>")
    rows.append(topic_row(EVIL, evil_topic, 1))
    for chart in (
        charts.topic_coverage_chart([RT, EVIL], [KOREA, evil_topic], rows, {RT.id: 4, EVIL.id: 2}),
        charts.tone_chart([RT, EVIL], [KOREA, evil_topic], rows, [tone_row(EVIL, 2)]),
    ):
        text = json.dumps(chart.figure)
        assert "<script>" not in text and "<img" not in text and "<b>Evil" not in text
        assert "&lt;script&gt;" in text and "&lt;img src=x" in text
        # The table keeps the raw names: the CSV writer and the templates escape for their formats.
        assert any(EVIL.name in row for row in chart.rows)


def test_the_same_rows_in_any_order_give_the_same_json(topic_rows):
    shuffled = list(topic_rows)
    random.Random(4).shuffle(shuffled)
    for kind in ("tone", "sources", "frames", "tone_over_time"):
        assert figure_json(_build(kind, [RT, OV], topic_rows)) == figure_json(_build(kind, [RT, OV], shuffled))
    first = charts.topic_coverage_chart([RT, OV], [KOREA, THAAD], topic_rows, {1: 8, 2: 4})
    second = charts.topic_coverage_chart([RT, OV], [KOREA, THAAD], shuffled, {1: 8, 2: 4})
    assert figure_json(first) == figure_json(second)


def test_charts_with_no_rows_still_draw():
    for chart in (
        charts.topic_coverage_chart([RT], [KOREA], [], {}),
        charts.tone_chart([RT], [KOREA], [], []),
        charts.sources_chart([RT], [], []),
        charts.frames_chart([RT], [], [], "Codebook"),
        charts.tone_over_time_chart([], []),
    ):
        go.Figure(chart.figure)
