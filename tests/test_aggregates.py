"""The QuerySet aggregates behind the matrix and the charts: row shapes and one query each."""

import pytest

from coverage.models import Statement
from tests.conftest import make_article, make_event, make_outlet, make_source, make_statement, make_topic


@pytest.fixture
def event_with_two_outlets(db):
    event = make_event()
    a, b = make_outlet(), make_outlet()
    topic = make_topic(event)
    expert = make_source(type="expert")
    first = make_article(event, a, body="One. Two. Three.")
    make_statement(first, "One", topic=topic, tone=-2, kind="quote", source=expert)
    make_statement(first, "Two", topic=topic, tone=1)
    make_statement(first, "Three", tone=0)
    second = make_article(event, b, body="Four.")
    make_statement(second, "Four", tone=2)
    return event, a, b, topic


def test_outlet_topic_rows_count_and_average_per_cell(event_with_two_outlets, django_assert_num_queries):
    event, a, b, topic = event_with_two_outlets
    with django_assert_num_queries(1):
        rows = list(Statement.objects.for_event(event).outlet_topic_rows())
    assert rows == [
        {
            "outlet_id": a.pk,
            "topic_id": topic.pk,
            "statements": 2,
            "mean_tone": -0.5,
            "negative": 1,
            "neutral": 0,
            "positive": 1,
        }
    ]


def test_outlet_tone_rows_split_tone(event_with_two_outlets):
    event, a, b, _ = event_with_two_outlets
    rows = {r["outlet_id"]: r for r in Statement.objects.for_event(event).outlet_tone_rows()}
    assert (rows[a.pk]["negative"], rows[a.pk]["neutral"], rows[a.pk]["positive"]) == (1, 1, 1)
    assert rows[b.pk]["mean_tone"] == 2


def test_outlet_source_type_rows_count_quotes(event_with_two_outlets):
    event, a, _, _ = event_with_two_outlets
    rows = [r for r in Statement.objects.for_event(event).outlet_source_type_rows() if r["outlet_id"] == a.pk]
    assert {r["source_type"]: (r["statements"], r["quotes"]) for r in rows} == {"expert": (1, 1), None: (2, 0)}


def test_outlet_source_rows_name_experts(event_with_two_outlets):
    event, a, _, _ = event_with_two_outlets
    rows = list(Statement.objects.for_event(event).outlet_source_rows(source_type="expert"))
    assert len(rows) == 1 and rows[0]["outlet_id"] == a.pk and rows[0]["statements"] == 1


def test_outlet_frame_rows(event_with_two_outlets):
    event, a, b, _ = event_with_two_outlets
    rows = list(Statement.objects.for_event(event).outlet_frame_rows())
    assert sum(r["statements"] for r in rows) == 4
