"""Admin lists and autocomplete answer every query string: values no database could run get a
400 that names them, never a 500 (NUL bytes, overlong text, ids and years out of range)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coverage.admin_inputs import parse_id
from tests.conftest import make_article

BIG = "99999999999999999999"  # > 2^64
TOO_BIG_ID = str(2**63)
AUTOCOMPLETE = "app_label=coverage&model_name=statement&field_name=source"


@pytest.fixture
def admin_client(client, admin_user, demo):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    ("url_name", "query", "named"),
    [
        ("admin:coverage_statement_changelist", "q=a%00b", "“a\\x00b”: contains a NUL byte"),
        ("admin:coverage_statement_changelist", "status__exact=%00", "contains a NUL byte"),
        ("admin:coverage_statement_changelist", "source__type__exact=expert%00", "“expert\\x00”: contains a NUL byte"),
        ("admin:coverage_source_changelist", "q=" + "x" * 1001, "(1,001 characters): longer than 1,000 characters"),
        (
            "admin:coverage_article_changelist",
            "published_at__year=2147483648",
            "a year must be a whole number from 1 to 9998",
        ),
        (
            "admin:coverage_article_changelist",
            "published_at__year=2017&published_at__month=99999999999",
            "a month must be",
        ),
        ("admin:coverage_event_changelist", "date__year=0", "“date__year”=“0”: a year"),
        ("admin:coverage_sharelink_changelist", "created_at__year=99999999999", "a year must be"),
        (
            "admin:coverage_statement_changelist",
            f"article__event__id__exact={TOO_BIG_ID}",
            f"{TOO_BIG_ID} is outside the range",
        ),
        ("admin:coverage_statement_changelist", f"topic={BIG}", f"“topic”=“{BIG}”"),
        ("admin:coverage_statement_add", f"article={BIG}", "is outside the range"),  # initial values of the form
        ("admin:coverage_article_add", "headline=%00", "contains a NUL byte"),
        ("admin:coverage_statement_changelist", f"tagged_by__id__exact={BIG}", "is outside the range"),
        ("admin:coverage_article_changelist", f"outlet__id__exact=-{BIG}", "is outside the range"),
        ("admin:auth_user_changelist", f"groups__id__exact={BIG}", "is outside the range"),
        ("admin:auth_user_changelist", "q=%00", "contains a NUL byte"),
        ("admin:autocomplete", f"term=%00&{AUTOCOMPLETE}", "“term”=“\\x00”: contains a NUL byte"),
        ("admin:autocomplete", "term=" + "y" * 5000 + f"&{AUTOCOMPLETE}", "longer than 1,000 characters"),
    ],
)
def test_a_value_no_database_could_run_gets_a_400_naming_it(admin_client, url_name, query, named):
    response = admin_client.get(f"{reverse(url_name)}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "The address asks for values that no list can be filtered or searched by" in html
    assert named in html.replace("&ldquo;", "“").replace("&rdquo;", "”").replace("&quot;", '"')


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        (
            "admin:coverage_statement_changelist",
            f"article__event__id__exact={2**63 - 1}",
        ),  # the largest id there can be
        ("admin:coverage_statement_changelist", f"q={BIG}"),  # a number is a fine thing to search for
        ("admin:coverage_article_changelist", "published_at__year=9998&published_at__month=12&published_at__day=31"),
        ("admin:coverage_article_changelist", "q=" + "x" * 1000),
        ("admin:autocomplete", f"term=Wallin&{AUTOCOMPLETE}&page={BIG}"),
        ("admin:autocomplete", f"term=a&app_label=coverage&model_name=statement&field_name=topic&event={BIG}"),
    ],
)
def test_edge_values_that_can_be_run_are_answered_normally(admin_client, url_name, query):
    assert admin_client.get(f"{reverse(url_name)}?{query}").status_code in (200, 404)


@pytest.mark.parametrize("query", ["tone__exact=abc", "nonsense=1"])
def test_lookups_admin_understands_as_invalid_keep_its_own_redirect(admin_client, query):
    response = admin_client.get(f"{reverse('admin:coverage_statement_changelist')}?{query}")
    assert response.status_code == 302 and "e=1" in response["Location"]


def test_strangers_are_sent_to_log_in_before_any_value_is_judged(client, db):
    response = client.get(f"{reverse('admin:coverage_statement_changelist')}?q=%00")
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_ids_out_of_range_elsewhere_in_admin_are_ignored_not_a_500(admin_client, demo):
    article = make_article(event=demo)
    page = reverse("admin:coverage_article_change", args=[article.pk])
    assert admin_client.get(f"{page}?tag_source={BIG}&tag_topic={TOO_BIG_ID}&tag_frame=-1").status_code == 200
    assert admin_client.get(f"{reverse('admin:coverage_statement_add')}?article=1").status_code == 200
    response = admin_client.post(
        reverse("admin:coverage_statement_review"), {"decision": "accept", "ids": [BIG, TOO_BIG_ID]}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        (str(2**63 - 1), 2**63 - 1),
        (TOO_BIG_ID, None),
        ("0", None),
        ("-1", None),
        ("١٢", None),
        ("", None),
        ("1e3", None),
    ],
)
def test_parse_id_takes_only_ids_a_table_can_hold(raw, expected):
    assert parse_id(raw) == expected
