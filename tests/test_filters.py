"""The statement filter form: choices from the scope's dimensions, canonical URLs, clear errors."""

import datetime as dt

import pytest
from django.http import QueryDict

from coverage import readmodel
from coverage.forms import MAX_VALUES, FilterError, statement_filter
from coverage.models import Event, Source, Statement, Topic
from coverage.rows import StatementFilters


def _q(query: str) -> QueryDict:
    return QueryDict(query)


def dims(event):
    return readmodel.event_dimensions(Event.objects.select_related("codebook").get(pk=event.pk))


def matching(event, query: str) -> set[int]:
    """Ids of the statements the read model counts under these filters (via a page of all of them)."""
    form = statement_filter(_q(query), dims(event))
    return {card.id for card in readmodel.statement_page(dims(event), form.filters(), 0, 10_000)}


def test_an_empty_filter_keeps_every_statement(demo):
    form = statement_filter(_q(""), dims(demo))
    assert form.filters() == StatementFilters()
    assert matching(demo, "") == set(Statement.objects.values_list("pk", flat=True))
    assert form.querystring() == "" and not form.is_active()


def test_it_narrows_by_outlet_and_topic(demo):
    ids = matching(demo, "outlet=rt&topic=thaad")
    assert ids
    assert set(Statement.objects.filter(pk__in=ids).values_list("article__outlet__slug", "topic__slug")) == {
        ("rt", "thaad")
    }


def test_it_narrows_by_tone_kind_and_source_type(demo):
    rows = Statement.objects.filter(pk__in=matching(demo, "tone=-2&tone=-1&kind=quote&source_type=expert"))
    assert rows.exists()
    assert all(s.tone < 0 and s.kind == "quote" and s.source.type == "expert" for s in rows)


def test_the_filters_are_plain_ids(demo):
    form = statement_filter(_q("outlet=rt&topic=thaad&source_type=expert&tone=1"), dims(demo))
    filters = form.filters()
    assert filters.outlets == {demo.articles.get(outlet__slug="rt").outlet_id}
    assert filters.topics == {Topic.objects.get(event=demo, slug="thaad").pk}
    assert (filters.source_types, filters.tones) == ({"expert"}, {1})


def test_the_querystring_is_canonical_and_repeated_values_collapse(demo):
    form = statement_filter(_q("topic=thaad&outlet=rt&outlet=opposing-views&tone=1&tone=-1&tone=1&tone=1"), dims(demo))
    assert form.querystring() == "outlet=opposing-views&outlet=rt&topic=thaad&tone=-1&tone=1"


def test_a_flood_of_one_value_is_one_value_and_of_many_is_refused(demo):
    assert statement_filter(_q("&".join(["tone=1"] * 500)), dims(demo)).querystring() == "tone=1"
    ids = "&".join(f"source={n}" for n in range(1, MAX_VALUES + 2))
    with pytest.raises(FilterError) as error:
        statement_filter(_q(ids), dims(demo))
    assert f"At most {MAX_VALUES} values" in " ".join(error.value.errors["source"])


@pytest.mark.parametrize(
    "query, parameter, shown",
    [
        ("tone=abc", "tone", "abc"),
        ("tone=3", "tone", "3"),
        ("outlet=no-such-outlet", "outlet", "no-such-outlet"),
        ("topic=not-a-topic", "topic", "not-a-topic"),
        ("source=999999", "source", "999999"),
        ("source=99999999999999999999999999", "source", "99999999999999999999999999"),
        ("source=-4", "source", "-4"),
        ("source=%C2%B2", "source", "²"),
        ("outlet=rt%00", "outlet", "rt\x00"),
        ("date_from=yesterday", "date_from", "yesterday"),
        ("date_from=99999-01-01", "date_from", "99999-01-01"),
        ("date_from=2017-05-03&date_to=2017-05-01", "date_to", "2017-05-01"),
    ],
)
def test_an_invalid_value_names_its_parameter(demo, query, parameter, shown):
    with pytest.raises(FilterError) as error:
        statement_filter(_q(query), dims(demo))
    assert parameter in error.value.errors
    assert shown in " ".join(error.value.errors[parameter])


def test_a_topic_of_another_event_is_invalid_for_this_event(demo):
    from tests.conftest import make_event, make_topic

    make_topic(make_event(), slug="elsewhere")
    with pytest.raises(FilterError):
        statement_filter(_q("topic=elsewhere"), dims(demo))


def test_a_source_not_quoted_on_the_event_is_invalid_there(demo):
    from tests.conftest import make_source

    elsewhere = make_source()
    with pytest.raises(FilterError) as error:
        statement_filter(_q(f"source={elsewhere.pk}"), dims(demo))
    assert "No source quoted on this event" in " ".join(error.value.errors["source"])
    quoted = Source.objects.filter(statements__article__event=demo).first()
    assert statement_filter(_q(f"source={quoted.pk}"), dims(demo)).filters().sources == {quoted.pk}


def test_across_events_topics_are_chosen_by_id(demo):
    thaad = Topic.objects.get(event=demo, slug="thaad")
    form = statement_filter(_q(f"topic={thaad.pk}"), readmodel.global_dimensions())
    assert form.filters().topics == {thaad.pk}
    assert form.summary() == [("Topic", f"THAAD deployment ({demo.name})")]
    with pytest.raises(FilterError):
        statement_filter(_q("topic=thaad"), readmodel.global_dimensions())


def test_the_date_range_is_inclusive(demo):
    day = dt.date(2017, 5, 2).isoformat()
    ids = matching(demo, f"date_from={day}&date_to={day}")
    outlets = set(Statement.objects.filter(pk__in=ids).values_list("article__outlet__slug", flat=True))
    assert outlets == {"rt"}  # the other article gives no date, so a date filter leaves it out


def test_the_latest_possible_day_is_a_range_end_not_a_crash(demo):
    assert matching(demo, "date_to=9999-12-31") == matching(demo, "date_from=2017-05-02")
