"""The admin statement list at scale: an ordering an index serves, a search trigram indexes serve."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coverage.models import Statement
from tests.conftest import make_article, make_event, make_outlet, make_source, make_statement

LIST = reverse("admin:coverage_statement_changelist")
BODY = "Ministers met. “We reject the sanctions,” said Ada. Markets were calm. Talks go on."


def shown(response) -> list[int]:
    return [s.pk for s in response.context["cl"].result_list]


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def make_coverage(outlets: int) -> list[Statement]:
    """Two statements an outlet, tagged one minute apart, the newest last."""
    event = make_event()
    ada = make_source(name="Ada Lovelace", aliases="Countess of Lovelace")
    start = timezone.now() - dt.timedelta(days=1)
    made = []
    for _ in range(outlets):
        article = make_article(event=event, outlet=make_outlet(), body=BODY)
        for text in ("We reject the sanctions", "Markets were calm"):
            made.append(make_statement(article, text, source=ada, tagged_at=start + dt.timedelta(minutes=len(made))))
    return made


def test_the_list_shows_the_newest_tagging_first(admin_client, db):
    made = make_coverage(3)
    response = admin_client.get(LIST)
    assert shown(response) == [s.pk for s in reversed(made)]


def test_the_list_orders_without_joining_other_tables(admin_client, db):
    make_coverage(2)
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(LIST)
    listing = next(q["sql"] for q in queries if q["sql"].startswith('SELECT "coverage_statement"."id"'))
    order_by = listing.split("ORDER BY")[1]
    assert '"coverage_statement"."tagged_at" DESC' in order_by
    assert "coverage_article" not in order_by and "coverage_event" not in order_by


def test_the_list_never_reads_article_bodies(admin_client, db):
    make_coverage(2)
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(LIST)
    assert not any('"coverage_article"."body"' in q["sql"] for q in queries)


def test_related_columns_do_not_sort_the_whole_join(admin_client, db):
    make_coverage(1)
    response = admin_client.get(LIST)
    sortable = {h["text"] for h in response.context["result_headers"] if h["sortable"]}
    assert sortable == {"kind", "tone", "status"}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("sanctions", 1),  # in the text
        ("SANCTIONS reject", 1),  # every word, in any case
        ("lovelace", 2),  # the source's name
        ("countess", 2),  # one of the source's aliases
        ('"were calm"', 1),  # a quoted phrase
        ("sanctions calm", 0),
        ("nobody", 0),
    ],
)
def test_search_finds_text_target_source_and_aliases_once_each(admin_client, db, term, expected):
    make_coverage(1)
    response = admin_client.get(LIST, {"q": term})
    assert len(shown(response)) == expected
    assert len(set(shown(response))) == expected


def test_search_finds_the_target(admin_client, db):
    statement = make_coverage(1)[0]
    Statement.objects.filter(pk=statement.pk).update(target="the Kremlin")
    assert shown(admin_client.get(LIST, {"q": "kremlin"})) == [statement.pk]


@pytest.mark.parametrize("outlets", [2, 20])
@pytest.mark.parametrize("query", [{}, {"q": "sanctions"}])
def test_the_list_takes_the_same_queries_for_2_and_20_outlets(admin_client, django_assert_num_queries, outlets, query):
    make_coverage(outlets)
    admin_client.get(LIST, query)  # warm up the session and content types
    # PostgreSQL asks the planner's estimate first (EstimatedCountPaginator), then counts a small table;
    # a search reads the matching sources first.
    estimate = connection.vendor == "postgresql" and not query
    with django_assert_num_queries(10 if estimate or query else 9):
        response = admin_client.get(LIST, query)
    assert response.status_code == 200


def test_the_trigram_indexes_exist_only_on_postgresql(db):
    with connection.cursor() as cursor:
        names = {
            name
            for table in ("coverage_statement", "coverage_source")
            for name in connection.introspection.get_constraints(cursor, table)
        }
    trigram = {
        "statement_text_trgm_idx",
        "statement_target_trgm_idx",
        "source_name_trgm_idx",
        "source_aliases_trgm_idx",
    }
    assert "statement_tagged_at_idx" in names
    assert (trigram <= names) if connection.vendor == "postgresql" else not (trigram & names)
