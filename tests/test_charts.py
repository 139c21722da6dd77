"""The chart builders, without a database: figures in, Plotly figure dicts and data tables out."""

import datetime as dt
import json

import plotly.graph_objects as go
import pytest

from coverage import charts
from coverage.exports import chart_csv, figure_json
from coverage.rows import EventInfo, FrameInfo, OutletInfo, StatementFilters, TopicInfo

from . import oracle
from .oracle import A as Art
from .oracle import S

RT = OutletInfo(1, "RT", "rt", "#0072B2")
OV = OutletInfo(2, "Opposing Views", "opposing-views", "#E69F00")
EVIL = OutletInfo(3, '<b>Evil</b> & "Co" <script>alert(1)</script>', "evil", "#009E73")
KOREA = TopicInfo(10, "Korean peninsula", "korea", True, 1)
THAAD = TopicInfo(11, "THAAD deployment", "thaad", False, 1)
G20 = TopicInfo(12, "Meeting at the G20", "g20", False, 1)
SYRIA = TopicInfo(13, "Syria", "syria", True, 1)
POLITICAL, SECURITY = (
    FrameInfo(20, "Political", "political", "MFC"),
    FrameInfo(21, "Security and defense", "security", "MFC"),
)
EVENT = EventInfo(1, "The call", "call", dt.date(2017, 5, 2))
DAY1, DAY2, DAY3 = dt.date(2017, 5, 1), dt.date(2017, 5, 2), dt.date(2017, 5, 3)
ARTICLES = [Art(100, 1, 1, day=DAY2), Art(101, 1, 2, day=DAY3), Art(102, 1, 3, day=DAY1)]
STATEMENTS = [
    # RT: Korea 4 (two negative, one positive), THAAD 2 negative; OV: Korea 3, G20 1 positive.
    S(100, 10, -1, "quote", 21, 1, "official", "Kremlin"),
    S(100, 10, -1, "quote", 21, 1, "official", "Kremlin"),
    S(100, 10, 1, "paraphrase", 21, 1, "official", "Kremlin"),
    S(100, 10, 0, "assertion", None, None, None),
    S(100, 11, -1, "quote", 21, 1, "official", "Kremlin"),
    S(100, 11, -1, "assertion", None, None, None),
    S(101, 10, 0, "quote", 20, 5, "expert", "Matthew Wallin"),
    S(101, 10, 1, "quote", 20, 5, "expert", "Matthew Wallin"),
    S(101, 10, 0, "paraphrase", None, None, None),
    S(101, 12, 1, "assertion", None, None, None),
]


def figures(outlets=(RT, OV), topics=(KOREA, THAAD, G20), statements=STATEMENTS, articles=ARTICLES, **filters):
    """Figures of the call for these outlets; `filters` are StatementFilters' fields (`only` for outlets)."""
    if "only" in filters:
        filters["outlets"] = filters.pop("only")
    return oracle.figures(
        event=EVENT,
        outlets=list(outlets),
        topics=list(topics),
        frames=[POLITICAL, SECURITY],
        articles=[a for a in articles if a.outlet in {o.id for o in outlets}],
        statements=statements,
        filters=StatementFilters(**filters),
    )


def heatmap_cell(figure, outlet_index, topic_index):
    return figure["data"][0]["z"][topic_index][outlet_index]


def marks(figure, word):
    return {(a["x"], a["y"]) for a in figure["layout"]["annotations"] if word in a["text"]}


def test_the_heatmap_counts_statements_per_outlet_and_topic():
    chart = charts.topic_coverage_chart(figures())
    go.Figure(chart.figure)  # Plotly accepts every property
    assert heatmap_cell(chart.figure, 0, 0) == 4 and heatmap_cell(chart.figure, 1, 0) == 3
    assert chart.figure["data"][0]["text"][0][0] == "4 · 66.7%"  # share of RT's 6 statements
    assert ["RT", "Korean peninsula", "yes", 4, 66.7, "covered"] in chart.rows


def test_omitted_cells_are_marked_with_text_and_an_outline():
    chart = charts.topic_coverage_chart(figures(topics=(KOREA, THAAD, G20, SYRIA)))
    # OV leaves out THAAD (RT covers it), RT leaves out the G20 (OV covers it), and the key
    # topic Syria that nobody covered counts as omitted by both.
    assert marks(chart.figure, "omitted") == {(1, 1), (0, 2), (0, 3), (1, 3)}
    assert len(chart.figure["layout"]["shapes"]) == 4
    assert heatmap_cell(chart.figure, 1, 1) is None  # no colour: the cell is empty, the text says why
    omitted = {(row[0], row[1]) for row in chart.rows if row[-1] == "omitted"}
    assert omitted == {("Opposing Views", "THAAD deployment"), ("RT", "Meeting at the G20"), ("RT", "Syria"),
                       ("Opposing Views", "Syria")}  # fmt: skip
    hover = chart.figure["data"][0]["hovertext"][1][1]
    assert "omitted" in hover and "covered by RT" in hover


def test_an_outlet_still_being_tagged_is_in_progress_never_omitting():
    articles = [ARTICLES[0], Art(101, 1, 2, status="in_progress", day=DAY3)]
    chart = charts.topic_coverage_chart(figures(articles=articles))
    assert marks(chart.figure, "omitted") == {(0, 2)}  # RT still omits the G20
    assert marks(chart.figure, "in progress") == {(1, 1)}  # OV has no THAAD statement yet
    assert ["Opposing Views", "THAAD deployment", "no", 0, 0.0, "tagging in progress"] in chart.rows


def test_a_statement_filter_never_turns_coverage_into_omission():
    chart = charts.topic_coverage_chart(figures(source_types=frozenset({"expert"})))
    # RT has no expert, so nothing of it matches; it still covers Korea and THAAD.
    assert marks(chart.figure, "omitted") == {(0, 2), (1, 1)}
    assert ["RT", "Korean peninsula", "yes", 0, 0.0, "covered (no statement matches the filters)"] in chart.rows


def test_the_heatmap_under_an_outlet_filter_keeps_the_others_as_evidence():
    chart = charts.topic_coverage_chart(figures(only=frozenset({2})))
    assert len(chart.figure["data"][0]["z"][0]) == 1
    assert marks(chart.figure, "omitted") == {(0, 1)}  # OV still omits THAAD, which RT covered


def test_a_filter_that_narrows_the_statements_changes_the_tone_chart():
    everything = charts.tone_chart(figures())
    narrowed = charts.tone_chart(figures(tones=frozenset({-1})))
    assert everything.figure["layout"]["yaxis"]["categoryarray"] == [
        "All statements", "Korean peninsula", "THAAD deployment", "Meeting at the G20"
    ]  # fmt: skip
    assert everything.figure["data"][1]["y"] == ["All statements", "Korean peninsula", "Meeting at the G20"]
    assert narrowed.figure["layout"]["yaxis"]["categoryarray"] == [
        "All statements",
        "Korean peninsula",
        "THAAD deployment",
    ]
    assert narrowed.figure["data"][0]["y"] == ["All statements", "Korean peninsula", "THAAD deployment"]
    assert narrowed.figure["data"][0]["x"] == [-1.0, -1.0, -1.0]
    assert narrowed.figure["data"][1]["x"] == []  # OV has nothing left
    # The table lists every outlet and topic, zeros included.
    assert ["Opposing Views", "Korean peninsula", 0, "", 0, 0, 0] in narrowed.rows
    assert len(narrowed.rows) == 2 * 4


def test_a_mean_tone_of_zero_is_drawn():
    chart = charts.tone_chart(figures(statements=[S(100, 10, 0), S(101, 10, 1)]))
    rt = chart.figure["data"][0]
    assert rt["type"] == "scatter" and rt["x"][rt["y"].index("Korean peninsula")] == 0.0
    assert chart.figure["layout"]["scattermode"] == "group"


@pytest.mark.parametrize("kind", ["tone", "sources", "frames", "tone-over-time"])
def test_there_is_one_trace_per_outlet_in_the_outlets_colour(kind):
    chart = charts.build(kind, figures(outlets=(RT, OV, EVIL)))
    figure = chart.figure
    go.Figure(figure)
    assert [trace["name"] for trace in figure["data"]] == [
        "RT", "Opposing Views", '&lt;b&gt;Evil&lt;/b&gt; &amp; "Co" &lt;script&gt;alert(1)&lt;/script&gt;'
    ]  # fmt: skip
    colours = [trace["marker"]["color"] for trace in figure["data"]]
    assert colours == [RT.colour, OV.colour, EVIL.colour]
    assert figure["layout"]["title"]["text"] and figure["layout"]["xaxis"]["title"]["text"]
    assert figure["layout"]["yaxis"]["title"]["text"]


def test_who_is_quoted_gives_shares_with_counts_in_the_hover_and_names_experts():
    chart = charts.sources_chart(figures())
    rt, ov = chart.figure["data"]
    assert rt["x"] == ["Official", "Expert", "Unattributed"]
    assert rt["y"] == [66.7, 0.0, 33.3] and ov["y"] == [0.0, 50.0, 50.0]
    assert "2 of 4 statements (50%)" in ov["hovertext"][1]
    assert "Matthew Wallin: 2" in ov["hovertext"][1]
    assert "Matthew Wallin" in chart.figure["layout"]["annotations"][0]["text"]
    assert ["Opposing Views", "Expert", 2, 50.0, 2, "Matthew Wallin (2)"] in chart.rows
    # Every source type is a row of the table for every outlet, zeros included.
    assert len(chart.rows) == 2 * len(charts.SOURCE_TYPES)
    assert ["RT", "Politician", 0, 0.0, 0, ""] in chart.rows
    # Level labels, each name under its bars: angled ones ran into the experts' note.
    xaxis = chart.figure["layout"]["xaxis"]
    assert xaxis["tickangle"] == 0 and xaxis["tickvals"] == rt["x"]
    assert xaxis["ticktext"] == ["Official", "Expert", "Unattributed"]


def test_long_axis_labels_break_at_the_space_nearest_their_middle():
    assert charts._two_lines("Organisation or document") == "Organisation<br>or document"
    assert charts._two_lines("Reporter") == "Reporter"
    assert charts._two_lines("Extraordinarily") == "Extraordinarily"  # one word stays whole


def test_frames_are_shares_of_each_outlets_framed_statements_in_codebook_order():
    chart = charts.frames_chart(figures())
    rt, ov = chart.figure["data"]
    assert rt["y"] == ["Political", "Security and defense"]
    assert rt["x"] == [0.0, 100.0] and ov["x"] == [100.0, 0.0]
    assert "MFC" in chart.title


def test_tone_over_time_is_in_date_order():
    statements = [*STATEMENTS, S(102, 10, 2)]
    chart = charts.tone_over_time_chart(
        figures(outlets=(RT, OV, OutletInfo(3, "C", "c", "#000000")), statements=statements)
    )
    rt, ov, c = chart.figure["data"]
    assert rt["x"] == ["2017-05-02"] and ov["x"] == ["2017-05-03"] and c["x"] == ["2017-05-01"]
    assert rt["y"] == [-0.5] and rt["mode"] == "lines+markers"


def test_hover_text_legend_and_labels_are_escaped_once():
    evil_topic = TopicInfo(14, '<img src=x onerror=alert(1)> "quoted"', "evil", False, 1)
    statements = [*STATEMENTS, S(102, 14, 0), S(102, 10, 1)]
    for kind in ("topic-coverage", "tone"):
        chart = charts.build(kind, figures(outlets=(RT, EVIL), topics=(KOREA, evil_topic), statements=statements))
        text = json.dumps(chart.figure)
        assert "<script>" not in text and "<img" not in text and "<b>Evil" not in text
        assert "&lt;script&gt;" in text and "&lt;img src=x" in text
        assert "&quot;" not in text and '\\"quoted\\"' in text  # a quote mark stays one
        # The table keeps the raw names: the CSV writer and the templates escape for their formats.
        assert any(EVIL.name in row for row in chart.rows)


def test_the_same_figures_give_the_same_json():
    for kind in charts.BUILDERS:
        assert figure_json(charts.build(kind, figures())) == figure_json(charts.build(kind, figures()))


def test_charts_with_no_statements_still_draw():
    for kind in charts.BUILDERS:
        go.Figure(charts.build(kind, figures(statements=[])).figure)


def test_every_chart_works_across_events():
    e2 = EventInfo(2, "The summit", "summit", dt.date(2017, 6, 1))
    across = oracle.figures(
        event=None,
        outlets=[RT, OV],
        topics=[KOREA, THAAD, G20, TopicInfo(30, "Trade", "trade", True, 2)],
        frames=[POLITICAL, SECURITY],
        articles=[*ARTICLES[:2], Art(200, 2, 1, day=DAY3), Art(201, 2, 2, status="in_progress")],
        statements=[*STATEMENTS, S(200, 30, 1, "quote", 20)],
        events=[EVENT, e2],
    )
    for kind in charts.BUILDERS:
        chart = charts.build(kind, across, "All events")
        go.Figure(chart.figure)
        assert chart.rows
    coverage = charts.build("topic-coverage", across)
    assert coverage.columns[1] == "Event"
    assert ["Opposing Views", "The summit", "2017-06-01", "in progress", 0, 1, 0, ""] in coverage.rows
    assert ["RT", "The call", "2017-05-02", "complete", 6, 3, 2, 1] in coverage.rows
    tone = charts.build("tone", across)
    assert tone.figure["layout"]["yaxis"]["title"]["text"] == "Event"


def test_the_csv_neutralises_formulas_and_keeps_negative_numbers():
    formula = OutletInfo(4, '=HYPERLINK("x")', "f", "#000000")
    articles = [ARTICLES[0], Art(103, 1, 4)]
    text = chart_csv(charts.tone_chart(figures(outlets=(RT, formula), articles=articles, statements=[S(100, 10, -2)])))
    assert "'=HYPERLINK" in text and ",-2.0," in text
