"""The framing matrix's assembly (coverage/matrix.py): pure, no database."""

from types import SimpleNamespace as NS
from urllib.parse import parse_qs, urlsplit

import pytest

from coverage import matrix


def outlet(pk, slug):
    return NS(pk=pk, slug=slug, name=slug.upper())


def article(pk, outlet_, words=10):
    return NS(pk=pk, outlet_id=outlet_.pk, outlet=outlet_, words=words)


def topic(pk, slug, is_key=False):
    return NS(pk=pk, slug=slug, name=slug.title(), is_key=is_key)


def tone_row(outlet_id, n, mean=0.0, neg=0, neu=None, pos=0, **extra):
    neu = n - neg - pos if neu is None else neu
    return {
        "outlet_id": outlet_id,
        "statements": n,
        "mean_tone": mean,
        "negative": neg,
        "neutral": neu,
        "positive": pos,
        **extra,
    }


def cover(outlet_id, topic_id, n=1):
    return {"outlet_id": outlet_id, "event_id": 1, "topic_id": topic_id, "statements": n}


A, B, C = outlet(1, "a"), outlet(2, "b"), outlet(3, "c")
T1, T2, KEY = topic(10, "t1"), topic(11, "t2"), topic(12, "key", is_key=True)


def build(**overrides):
    """Outlets A and B; A covers t1 and t2, B covers t1; key topic covered by nobody."""
    args = dict(
        articles=[article(100, A, 300), article(101, B, 200)],
        topics=[T1, T2, KEY],
        frames=[NS(pk=7, slug="political", name="Political"), NS(pk=8, slug="economic", name="Economic")],
        source_type_labels={"expert": "Expert", "official": "Official"},
        tone_rows=[tone_row(1, 3, -1.0, neg=2, pos=0), tone_row(2, 1, 2.0, pos=1)],
        topic_rows=[
            tone_row(1, 2, -1.5, neg=2, topic_id=10),
            tone_row(1, 1, 0.0, topic_id=11),
            tone_row(2, 1, 2.0, pos=1, topic_id=10),
        ],
        coverage_rows=[cover(1, 10, 2), cover(1, 11), cover(2, 10)],
        source_type_rows=[
            {"outlet_id": 1, "source_type": "official", "statements": 1, "quotes": 0},
            {"outlet_id": 1, "source_type": "expert", "statements": 2, "quotes": 2},
            {"outlet_id": 2, "source_type": None, "statements": 1, "quotes": 0},
        ],
        expert_rows=[
            {
                "outlet_id": 1,
                "source_id": 5,
                "source_name": "Ann Analyst",
                "affiliation": "Think Tank",
                "source_type": "expert",
                "statements": 2,
            }
        ],
        frame_rows=[{"outlet_id": 1, "frame_id": 7, "statements": 2}, {"outlet_id": 1, "frame_id": 8, "statements": 1}],
        shown_outlet_ids=None,
        links=matrix.CellLinks("/events/e/statements/", {"tone": ["-1", "-2"], "date_from": ["2017-05-01"]}),
    )
    args.update(overrides)
    return matrix.build_matrix(**args)


def params(url):
    return parse_qs(urlsplit(url).query)


def cells(m, outlet_slug):
    row = next(r for r in m.rows if r.outlet.slug == outlet_slug)
    return {c.topic.slug: c for c in row.topic_cells}


def test_it_has_a_row_per_outlet_and_a_column_per_topic():
    m = build()
    assert [r.outlet.slug for r in m.rows] == ["a", "b"]
    assert [t.slug for t in m.topics] == ["t1", "t2", "key"]
    assert m.statements == 4 and m.data_columns == 8


def test_an_outlet_omits_a_topic_only_another_outlet_covers_and_names_who_did():
    b = cells(build(), "b")
    assert b["t2"].state == "omitted" and b["t2"].covered_by == [A]
    assert b["t1"].state == "covered" and b["t1"].tone.statements == 1
    assert cells(build(), "a")["t2"].state == "covered"


def test_a_key_topic_nobody_covers_is_omitted_by_everyone_without_a_link():
    for slug in ("a", "b"):
        cell = cells(build(), slug)["key"]
        assert cell.state == "omitted" and cell.covered_by == [] and cell.url == ""


def test_a_topic_nobody_covers_is_not_omitted_unless_key():
    plain = topic(13, "plain")
    cell = cells(build(topics=[T1, plain]), "a")["plain"]
    assert cell.state == "absent" and not cell.omitted


def test_coverage_not_the_filtered_rows_decides_omission():
    # Statement filters left no matching statement of B on t1, but B does cover t1.
    m = build(topic_rows=[tone_row(1, 2, -1.5, neg=2, topic_id=10)])
    assert cells(m, "b")["t1"].state == "unmatched"
    assert not cells(m, "b")["t1"].omitted


def test_filtering_to_one_outlet_still_shows_what_it_omitted_relative_to_the_others():
    m = build(shown_outlet_ids={2})
    assert [r.outlet.slug for r in m.rows] == ["b"]
    assert cells(m, "b")["t2"].covered_by == [A]


def test_a_covered_cell_links_to_its_statements_with_the_current_filters():
    url = cells(build(), "a")["t1"].url
    assert url.startswith("/events/e/statements/?")
    assert params(url) == {"tone": ["-1", "-2"], "date_from": ["2017-05-01"], "outlet": ["a"], "topic": ["t1"]}


def test_an_omitted_cell_links_to_the_coverage_that_makes_it_an_omission():
    url = cells(build(), "b")["t2"].url
    # Statement filters (tone) are dropped: omission does not depend on them; the date stays.
    assert params(url) == {"date_from": ["2017-05-01"], "outlet": ["a"], "topic": ["t2"]}


def test_every_other_cell_links_to_its_statements():
    row = build().rows[0]
    assert params(row.url)["outlet"] == ["a"]
    assert [(c.label, params(c.url)["source_type"]) for c in row.source_types] == [
        ("Official", ["official"]),
        ("Expert", ["expert"]),
    ]
    assert params(row.experts[0].url)["source"] == ["5"]
    assert params(row.quotes.url)["kind"] == ["quote"]
    assert [params(f.url)["frame"] for f in row.frames] == [["political"], ["economic"]]


def test_sources_quotes_frames_and_totals():
    a, b = build().rows
    assert (a.experts[0].label, a.experts[0].detail, a.experts[0].statements) == ("Ann Analyst", "Think Tank", 2)
    assert (a.quotes.statements, a.quotes.share) == (2, 67)
    assert [(f.label, f.share) for f in a.frames] == [("Political", 67), ("Economic", 33)]
    assert (a.statements, a.words) == (3, 300)
    assert b.source_types[0].label == "Unattributed" and b.source_types[0].url == ""


def test_only_the_top_frames_are_listed():
    rows = [{"outlet_id": 1, "frame_id": i, "statements": 10 - i} for i in range(1, 6)]
    frames = [NS(pk=i, slug=f"f{i}", name=f"F{i}") for i in range(1, 6)]
    assert len(build(frame_rows=rows, frames=frames).rows[0].frames) == matrix.TOP_FRAMES


def test_tone_summary_writes_out_the_number_and_the_split():
    a = build().rows[0]
    assert (a.tone.label, a.tone.bucket) == ("−1.00", "-1")
    assert a.tone.split == [("neg", "negative", 2, 67), ("neu", "neutral", 1, 33), ("pos", "positive", 0, 0)]


def test_an_outlet_without_statements_is_marked_untagged():
    c_article = article(102, C)
    m = build(articles=[article(100, A), article(101, B), c_article])
    assert [r.tagged for r in m.rows] == [True, True, False]
    assert m.tagged


def test_an_event_without_statements_is_not_tagged():
    m = build(tone_rows=[], topic_rows=[], coverage_rows=[], source_type_rows=[], expert_rows=[], frame_rows=[])
    assert not m.tagged and m.statements == 0


@pytest.mark.parametrize(
    "value, label, bucket",
    [
        (None, "–", "none"),
        (0, "0.00", "0"),
        (0.001, "0.00", "0"),
        (0.5, "+0.50", "1"),
        (-0.49, "−0.49", "0"),
        (-1.5, "−1.50", "-2"),
        (2, "+2.00", "2"),
        (-1.2, "−1.20", "-1"),
    ],
)
def test_tone_format_and_scale(value, label, bucket):
    assert matrix.format_tone(value) == label
    assert matrix.tone_bucket(value) == bucket


def test_compare_topics_says_what_each_covers_and_the_other_omits():
    rows = [cover(1, 10), cover(1, 11), cover(2, 10), cover(2, 13)]
    other = topic(13, "t3")
    result = matrix.compare_topics(1, 2, rows, [T1, T2, other, KEY])
    assert result["left_only"] == [T2]
    assert result["right_only"] == [other]
    assert result["both"] == [T1]
    assert result["neither_key"] == [KEY]


def overview(**overrides):
    args = dict(
        outlets=[A, B, C],
        event_outlets=[
            {"event_id": 1, "outlet_id": 1},
            {"event_id": 1, "outlet_id": 2},
            {"event_id": 2, "outlet_id": 1},
        ],
        topics=[
            {"id": 10, "event_id": 1, "is_key": False},
            {"id": 11, "event_id": 1, "is_key": True},
            {"id": 20, "event_id": 2, "is_key": False},
        ],
        coverage_rows=[
            cover(1, 10),
            cover(1, 11),
            {"outlet_id": 2, "event_id": 1, "topic_id": 10, "statements": 1},
            {"outlet_id": 1, "event_id": 2, "topic_id": None, "statements": 1},
        ],
        tone_rows=[tone_row(1, 4, 0.5), tone_row(2, 2, -1.0)],
        source_type_rows=[
            {"outlet_id": 1, "source_type": "expert", "statements": 1, "quotes": 0},
            {"outlet_id": 1, "source_type": "official", "statements": 2, "quotes": 0},
            {"outlet_id": 2, "source_type": "official", "statements": 2, "quotes": 0},
        ],
    )
    args.update(overrides)
    return {r.outlet.slug: r for r in matrix.build_overview(**args)}


def test_the_overview_counts_events_and_omission_rate_over_event_topics():
    rows = overview()
    a, b, c = rows["a"], rows["b"], rows["c"]
    assert (a.events, a.topics, a.omitted, a.omission_rate) == (2, 3, 0, 0)
    # B omits key topic 11 on event 1 (A covers it; it is key too).
    assert (b.events, b.topics, b.omitted) == (1, 2, 1) and b.omission_rate == 0.5
    assert c.events == 0 and c.omission_rate is None


def test_the_overview_judges_omission_among_all_outlets_on_the_event():
    # With only B listed (a country filter), A's coverage still makes B's omission.
    rows = overview(outlets=[B])
    assert list(rows) == ["b"] and rows["b"].omitted == 1


def test_the_overview_shares_of_experts_and_officials():
    a = overview()["a"]
    assert (a.expert_share, a.official_share, a.tone_label) == (0.25, 0.5, "+0.50")
    assert overview()["c"].expert_share is None


@pytest.mark.parametrize(
    "sort, order",
    [
        ("name", ["a", "b", "c"]),
        ("-name", ["c", "b", "a"]),
        ("-omission_rate", ["b", "a", "c"]),
        ("omission_rate", ["a", "b", "c"]),
        ("-mean_tone", ["a", "b", "c"]),
        ("mean_tone", ["b", "a", "c"]),
        ("-events", ["a", "b", "c"]),
        ("official_share", ["a", "b", "c"]),
    ],
)
def test_the_overview_sorts_and_puts_missing_values_last(sort, order):
    rows = list(overview().values())
    assert [r.outlet.slug for r in matrix.sort_overview(rows, sort)] == order
