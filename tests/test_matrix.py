"""The framing matrix, compare topics, event cards and outlets overview (coverage/matrix.py): pure, no database."""

import dataclasses
import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from coverage import matrix
from coverage.omissions import claim_omissions
from coverage.rows import CLAIMS, ClaimCounts, EventInfo, FrameInfo, OutletInfo, StatementFilters, TopicInfo

from . import oracle
from .oracle import A as Art
from .oracle import S

OA, OB, OC = OutletInfo(1, "A", "a", "#0072B2"), OutletInfo(2, "B", "b", "#E69F00"), OutletInfo(3, "C", "c", "#009E73")
T1, T2, KEY = (
    TopicInfo(10, "T1", "t1", False, 1),
    TopicInfo(11, "T2", "t2", False, 1),
    TopicInfo(12, "Key", "key", True, 1),
)
POLITICAL, ECONOMIC = FrameInfo(7, "Political", "political", "MFC"), FrameInfo(8, "Economic", "economic", "MFC")
EVENT = EventInfo(1, "Event", "e", dt.date(2017, 5, 2))
LINKS = {"tone": ["-1", "-2"], "date_from": ["2017-05-01"]}
LABELS = {"expert": "Expert", "official": "Official"}

ARTICLES = [Art(100, 1, 1, words=300), Art(101, 1, 2, words=200)]
STATEMENTS = [
    # A: two negative expert quotes on t1 (political), one neutral official paraphrase on t2 (economic)
    S(100, 10, -1, "quote", 7, 5, "expert", "Ann Analyst"),
    S(100, 10, -2, "quote", 7, 5, "expert", "Ann Analyst"),
    S(100, 11, 0, "paraphrase", 8, 6, "official", "Minister"),
    # B: one positive unattributed assertion on t1
    S(101, 10, 2, "assertion"),
]


def build(articles=ARTICLES, statements=STATEMENTS, filters=oracle.NO_FILTERS, topics=(T1, T2, KEY), frames=None):
    figures = oracle.figures(
        event=EVENT,
        outlets=[OA, OB, OC],
        topics=list(topics),
        frames=frames or [POLITICAL, ECONOMIC],
        articles=articles,
        statements=statements,
        filters=filters,
    )
    return matrix.build_matrix(figures, matrix.CellLinks("/events/e/statements/", LINKS), LABELS)


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
    assert b["t2"].state == "omitted" and b["t2"].covered_by == [OA]
    assert b["t1"].state == "covered" and b["t1"].tone.statements == 1
    assert cells(build(), "a")["t2"].state == "covered"


def test_a_key_topic_nobody_covers_is_omitted_by_everyone_without_a_link():
    for slug in ("a", "b"):
        cell = cells(build(), slug)["key"]
        assert cell.state == "omitted" and cell.covered_by == [] and cell.url == ""


def test_a_topic_nobody_covers_is_not_omitted_unless_key():
    plain = TopicInfo(13, "Plain", "plain", False, 1)
    cell = cells(build(topics=[T1, plain]), "a")["plain"]
    assert cell.state == "absent" and not cell.omitted


def test_while_an_outlets_tagging_is_in_progress_its_gaps_are_pending_not_omitted():
    articles = [ARTICLES[0], Art(101, 1, 2, status="in_progress")]
    b = cells(build(articles=articles), "b")
    assert b["t2"].state == "pending" and not b["t2"].omitted and b["t2"].covered_by == [OA]
    assert b["key"].state == "pending"
    row = build(articles=articles).rows[1]
    assert (row.omitted_count, row.pending_count, row.tagging.tagging_state) == (0, 2, "in_progress")


def test_an_outlet_whose_tagging_has_not_started_has_an_empty_row():
    articles = [*ARTICLES, Art(102, 1, 3, status="not_started")]
    m = build(articles=articles)
    assert [r.tagged for r in m.rows] == [True, True, False]
    assert all(c.state in ("pending", "absent") for c in m.rows[2].topic_cells)


def test_coverage_not_the_filtered_statements_decides_omission():
    # A tone filter leaves B no matching statement on t1, but B does cover t1.
    m = build(filters=StatementFilters(tones=frozenset({-1, -2})))
    assert cells(m, "b")["t1"].state == "unmatched"
    assert not cells(m, "b")["t1"].omitted


def test_filtering_to_one_outlet_still_shows_what_it_omitted_relative_to_the_others():
    m = build(filters=StatementFilters(outlets=frozenset({2})))
    assert [r.outlet.slug for r in m.rows] == ["b"]
    assert cells(m, "b")["t2"].covered_by == [OA]


def test_a_covered_cell_links_to_its_statements_with_the_current_filters():
    url = cells(build(), "a")["t1"].url
    assert url.startswith("/events/e/statements/?")
    assert params(url) == {"tone": ["-1", "-2"], "date_from": ["2017-05-01"], "outlet": ["a"], "topic": ["t1"]}


def test_an_omitted_cell_links_to_the_coverage_that_makes_it_an_omission():
    url = cells(build(), "b")["t2"].url
    # Statement filters (tone) are dropped: omission does not depend on them; the date stays.
    assert params(url) == {"date_from": ["2017-05-01"], "outlet": ["a"], "topic": ["t2"], "missing": ["b"]}


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
    assert (a.experts[0].label, a.experts[0].statements, a.more_experts) == ("Ann Analyst", 2, 0)
    assert (a.quotes.statements, a.quotes.share) == (2, 67)
    assert [(f.label, f.share) for f in a.frames] == [("Political", 67), ("Economic", 33)]
    assert (a.statements, a.words) == (3, 300)
    assert b.source_types[0].label == "Unattributed" and b.source_types[0].url == ""


def test_only_the_top_frames_are_listed():
    frames = [FrameInfo(i, f"F{i}", f"f{i}") for i in range(1, 6)]
    statements = [S(100, 10, 0, "quote", i) for i in range(1, 6) for _ in range(i)]
    row = build(statements=statements, frames=frames).rows[0]
    assert [f.label for f in row.frames] == ["F5", "F4", "F3"][: matrix.TOP_FRAMES]


def test_tone_summary_writes_out_the_number_and_the_split():
    a = build().rows[0]
    assert (a.tone.label, a.tone.bucket) == ("−1.00", "-1")
    assert a.tone.split == [("neg", "negative", 2, 67), ("neu", "neutral", 1, 33), ("pos", "positive", 0, 0)]


def test_an_event_without_statements_is_not_tagged():
    m = build(articles=[Art(100, 1, 1, status="not_started")], statements=[])
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
    t3 = TopicInfo(13, "T3", "t3", False, 1)
    statements = [S(100, 10), S(100, 11), S(101, 10), S(101, 13)]
    figures = oracle.figures(
        event=EVENT, outlets=[OA, OB], topics=[T1, T2, t3, KEY], articles=ARTICLES, statements=statements
    )
    result = matrix.compare_topics(figures, 1, 2)
    assert (result.left_only, result.right_only, result.both, result.neither_key) == ([T2], [t3], [T1], [KEY])
    assert result.left_complete and result.right_complete


# The event list's cards and the outlets overview, across events.

E1, E2 = EventInfo(1, "First", "first", dt.date(2020, 1, 2)), EventInfo(2, "Second", "second", dt.date(2020, 1, 1))
TOPICS = [
    TopicInfo(10, "Ten", "ten", False, 1),
    TopicInfo(11, "Eleven", "eleven", True, 1),
    TopicInfo(20, "Twenty", "twenty", False, 2),
]
ACROSS_ARTICLES = [Art(1, 1, 1), Art(2, 1, 2), Art(3, 2, 1), Art(4, 1, 3, status="in_progress")]
ACROSS_STATEMENTS = [
    S(1, 10, 1, "quote", source=1, source_type="expert"),
    S(1, 11, 1, "quote", source=2, source_type="official"),
    S(2, 10, -1, "paraphrase", source=2, source_type="official"),
    S(2, 10, -1, "paraphrase", source=2, source_type="official"),
    S(3, None, 0, "assertion", source=2, source_type="official"),
    S(3, None, 0, "assertion"),
]


def across(**overrides):
    args = dict(
        event=None,
        outlets=[OA, OB, OC],
        topics=TOPICS,
        frames=[POLITICAL],
        articles=ACROSS_ARTICLES,
        statements=ACROSS_STATEMENTS,
        events=[E1, E2],
    )
    args.update(overrides)
    return oracle.figures(**args)


def overview(**overrides):
    return {r.outlet.slug: r for r in matrix.build_overview(across(**overrides))}


def test_the_overview_counts_distinct_events_and_the_omission_rate_over_complete_events():
    rows = overview()
    a, b, c = rows["a"], rows["b"], rows["c"]
    # A covers both topics of event 1, nothing of event 2's one topic that nobody covered.
    assert (a.events, a.complete_events, a.topics, a.omitted, a.omission_rate) == (2, 2, 3, 0, 0)
    # B omits key topic 11 on event 1 (A covers it).
    assert (b.events, b.topics, b.omitted, b.omission_rate) == (1, 2, 1, 0.5)
    # C's only article is in progress: no omission rate, one event pending.
    assert (c.events, c.pending_events, c.omission_rate) == (1, 1, None)


def test_the_overview_counts_many_articles_of_one_event_as_one_event():
    rows = overview(articles=[*ACROSS_ARTICLES, Art(5, 1, 1, day=dt.date(2020, 1, 3)), Art(6, 1, 1)])
    assert rows["a"].events == 2 and rows["a"].topics == 3


def test_the_overview_judges_omission_among_all_outlets_on_the_event():
    # With only B shown (the outlet filter, or a country), A's coverage still makes B's omission.
    rows = overview(filters=StatementFilters(outlets=frozenset({2})))
    assert list(rows) == ["b"] and rows["b"].omitted == 1


def test_the_overview_splits_statements_by_tone_kind_and_source_type():
    a = overview()["a"]
    assert (a.statements, a.tone.positive, a.tone.neutral) == (4, 2, 2)
    assert (a.kind_count("quote"), a.kind_count("assertion"), a.kind_count("paraphrase")) == (2, 2, 0)
    assert (a.source_type_count("official"), a.source_type_count(None), a.experts) == (2, 1, 1)
    assert (a.expert_share, a.official_share, a.tone.label) == (0.25, 0.5, "+0.50")


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
        ("-statements", ["a", "b", "c"]),
    ],
)
def test_the_overview_sorts_and_puts_missing_values_last(sort, order):
    rows = list(overview().values())
    assert [r.outlet.slug for r in matrix.sort_overview(rows, sort)] == order


def test_event_cards_show_blindspots_of_complete_outlets_only_and_the_tone_spread():
    cards = {c.event.slug: c for c in matrix.build_event_cards(across(), [E1, E2])}
    first = cards["first"]
    assert [o.outlet.slug for o in first.outlets] == ["a", "b", "c"]
    assert [(b.topic.slug, [o.slug for o in b.omitted_by]) for b in first.blindspots] == [("eleven", ["b"])]
    assert [o.slug for o in first.pending_outlets] == ["c"]
    low, high = first.tone_spread
    assert (low.outlet.slug, high.outlet.slug) == ("b", "a")
    assert (first.status.articles, first.status.complete, first.status.in_progress) == (3, 2, 1)
    assert cards["second"].blindspots == [] and cards["second"].tone_spread is None


def test_an_event_without_articles_still_gets_a_card():
    empty = EventInfo(9, "Quiet", "quiet", dt.date(2020, 1, 5))
    card = matrix.build_event_cards(across(), [empty])[0]
    assert (card.outlets, card.statements, card.status.articles) == ([], 0, 0)


def test_claim_cells_link_to_their_lists_and_follow_the_rule():
    figures = oracle.figures(
        event=EVENT, outlets=[OA, OB], topics=[T1], frames=[POLITICAL], articles=ARTICLES, statements=STATEMENTS
    )
    counts = {(1, 1): ClaimCounts(3, 2, {"confirmed": 1, "candidate": 2}), (1, 2): ClaimCounts(1, 0, {})}
    with_claims = dataclasses.replace(
        figures,
        parts=figures.parts | {CLAIMS},
        claims=counts,
        claim_omissions=claim_omissions(figures.coverage, counts),
    )
    links = matrix.CellLinks("/events/e/statements/", LINKS)
    m = matrix.build_matrix(with_claims, links, LABELS, matrix.CellLinks("/events/e/claims/", {}))
    assert m.has_claims and m.data_columns == 1 + 5 + 2
    a = next(r for r in m.rows if r.outlet.slug == "a").claims
    assert (a.only_here, a.omitted, a.candidates, a.pending) == (2, 1, 2, 0)
    assert a.only_url == "/events/e/claims/?outlet=a&list=only"
    assert a.left_out_url == "/events/e/claims/?outlet=a&list=left_out"
    # Without the claims part or the lists' address, the matrix has no claim columns.
    assert not matrix.build_matrix(figures, links, LABELS, matrix.CellLinks("/c/", {})).has_claims
    assert next(iter(matrix.build_matrix(with_claims, links, LABELS).rows)).claims is None
