import datetime as dt

import pytest
from django.http import QueryDict

from coverage.forms import FilterError, statement_filter
from coverage.models import Statement


def _q(query: str) -> QueryDict:
    return QueryDict(query)


def test_an_empty_filter_keeps_every_statement(demo):
    form = statement_filter(_q(""), event=demo)
    assert Statement.objects.for_event(demo).filter_by(form).count() == Statement.objects.count()
    assert form.querystring() == "" and not form.is_active()


def test_it_narrows_by_outlet_and_topic(demo):
    form = statement_filter(_q("outlet=rt&topic=thaad"), event=demo)
    rows = Statement.objects.for_event(demo).filter_by(form)
    assert rows.exists()
    assert set(rows.values_list("article__outlet__slug", "topic__slug")) == {("rt", "thaad")}


def test_it_narrows_by_tone_kind_and_source_type(demo):
    form = statement_filter(_q("tone=-2&tone=-1&kind=quote&source_type=expert"), event=demo)
    rows = Statement.objects.for_event(demo).filter_by(form)
    assert rows.exists()
    assert all(s.tone < 0 and s.kind == "quote" and s.source.type == "expert" for s in rows)


def test_the_querystring_is_canonical(demo):
    form = statement_filter(_q("topic=thaad&outlet=rt&outlet=opposing-views&tone=1&tone=-1"), event=demo)
    assert form.querystring() == "outlet=opposing-views&outlet=rt&topic=thaad&tone=-1&tone=1"


@pytest.mark.parametrize(
    "query, parameter, shown",
    [
        ("tone=abc", "tone", "abc"),
        ("tone=3", "tone", "3"),
        ("outlet=no-such-outlet", "outlet", "no-such-outlet"),
        ("topic=not-a-topic", "topic", "not-a-topic"),
        ("source=999999", "source", "999999"),
        ("date_from=yesterday", "date_from", "yesterday"),
        ("date_from=2017-05-03&date_to=2017-05-01", "date_to", "2017-05-01"),
    ],
)
def test_an_invalid_value_names_its_parameter(demo, query, parameter, shown):
    with pytest.raises(FilterError) as error:
        statement_filter(_q(query), event=demo)
    assert parameter in error.value.errors
    assert shown in " ".join(error.value.errors[parameter])


def test_a_topic_of_another_event_is_invalid_for_this_event(demo):
    from tests.conftest import make_event, make_topic

    make_topic(make_event(), slug="elsewhere")
    with pytest.raises(FilterError):
        statement_filter(_q("topic=elsewhere"), event=demo)


def test_the_date_range_is_inclusive(demo):
    day = dt.date(2017, 5, 2).isoformat()
    form = statement_filter(_q(f"date_from={day}&date_to={day}"), event=demo)
    outlets = set(Statement.objects.for_event(demo).filter_by(form).values_list("article__outlet__slug", flat=True))
    assert outlets == {"rt"}  # the other article gives no date, so a date filter leaves it out
