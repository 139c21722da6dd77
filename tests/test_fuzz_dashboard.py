"""Property: no query string makes a dashboard page fail. Hypothesis drives every query
parameter of every dashboard view (full pages, htmx partials, CSV and JSON downloads, share
pages, share-link creation); the answer may be a page, a 400 naming the bad value or a 404,
never a 5xx. Written against URL names and parameter names only."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from coverage.models import ChartKind, Frame, Outlet, Source, SourceType, StatementKind
from tests.fuzzing import FUZZ, encode, query_strings, short_text, values

EVENT_PARAMS = [
    "outlet",
    "topic",
    "frame",
    "source_type",
    "source",
    "tone",
    "kind",
    "date_from",
    "date_to",
    "page",
    "sort",
]


@pytest.fixture
def known(demo) -> dict[str, list[str]]:
    """Real values of every parameter, so that fuzzing also reaches past the first check."""
    outlets = list(Outlet.objects.values_list("slug", flat=True))
    topics = list(demo.topics.values_list("slug", "id"))
    frames = list(Frame.objects.filter(codebook=demo.codebook).values_list("slug", "id"))
    return {
        "outlet": outlets,
        "topic": [s for s, _ in topics] + [str(i) for _, i in topics],
        "frame": [s for s, _ in frames] + [str(i) for _, i in frames],
        "source_type": list(SourceType.values),
        "source": [str(i) for i in Source.objects.values_list("id", flat=True)],
        "tone": ["-2", "-1", "0", "1", "2"],
        "kind": list(StatementKind.values),
        "date_from": ["2017-05-01", "2017-05-02"],
        "date_to": ["2017-05-02", "2017-05-31"],
        "a": outlets,
        "b": outlets,
        "country": list(Outlet.objects.values_list("country", flat=True)),
        "sort": ["name", "-name", "events", "-mean_tone", "omission_rate", "-expert_share", "official_share"],
        "page": ["1", "2"],
    }


def only(known: dict[str, list[str]], *names: str) -> dict[str, list[str]]:
    return {name: known.get(name, []) for name in names}


@pytest.fixture
def share_token(editor_client, demo) -> str:
    response = editor_client.post(reverse("coverage:chart_share", args=[demo.slug, "tone"]) + "?tone=1", {"days": 30})
    return re.search(r"/s/([A-Za-z0-9_-]+)/", response.content.decode()).group(1)


def without_nonces(content: bytes) -> bytes:
    return re.sub(rb'nonce="[^"]*"', b"", content)


def assert_answered(response, url: str) -> None:
    assert response.status_code < 500, (response.status_code, url)


PAGES = {
    # name: (url name, path arguments from the demo, parameters it reads)
    "event list": ("coverage:event_list", lambda demo: [], EVENT_PARAMS),
    "event page": ("coverage:event_detail", lambda demo: [demo.slug], EVENT_PARAMS),
    "drill-down": ("coverage:event_statements", lambda demo: [demo.slug], EVENT_PARAMS),
    "compare": ("coverage:event_compare", lambda demo: [demo.slug], ["a", "b", *EVENT_PARAMS]),
    "outlets overview": (
        "coverage:outlet_overview",
        lambda demo: [],
        ["date_from", "date_to", "country", "sort", "page"],
    ),
    "article page": ("coverage:article_detail", lambda demo: [demo.articles.first().pk], EVENT_PARAMS),
    "my share links": ("coverage:share_links", lambda demo: [], ["page", "sort"]),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["full page", "htmx partial"])
@pytest.mark.parametrize("page", sorted(PAGES))
@FUZZ
@given(data=st.data())
def test_no_query_string_breaks_a_dashboard_page(editor_client, demo, known, page, htmx, data):
    url_name, args, params = PAGES[page]
    url = f"{reverse(url_name, args=args(demo))}?{data.draw(query_strings(only(known, *params)), label='query')}"
    headers = {"HX-Request": "true"} if htmx else {}
    assert_answered(editor_client.get(url, headers=headers), url)


@FUZZ
@given(data=st.data())
def test_no_query_string_breaks_an_event_chart_or_its_downloads(editor_client, demo, known, data):
    kind = data.draw(st.sampled_from([*ChartKind.per_event(), "tone-over-time", "no-such-chart"]), label="kind")
    suffix = data.draw(st.sampled_from(["", "_csv", "_json"]), label="format")
    query = data.draw(query_strings(only(known, *EVENT_PARAMS)), label="query")
    url = f"{reverse(f'coverage:chart{suffix}', args=[demo.slug, kind])}?{query}"
    assert_answered(editor_client.get(url), url)


@FUZZ
@given(data=st.data())
def test_no_query_string_breaks_the_chart_across_events_or_its_downloads(editor_client, demo, known, data):
    kind = data.draw(st.sampled_from(["tone-over-time", *ChartKind.per_event()]), label="kind")
    suffix = data.draw(st.sampled_from(["", "_csv", "_json"]), label="format")
    query = data.draw(query_strings(only(known, *EVENT_PARAMS)), label="query")
    url = f"{reverse(f'coverage:chart_across_events{suffix}', args=[kind])}?{query}"
    assert_answered(editor_client.get(url), url)


@FUZZ
@given(data=st.data())
def test_no_query_string_or_form_value_breaks_making_a_share_link(editor_client, demo, known, data):
    kind = data.draw(st.sampled_from([*ChartKind.per_event(), "tone-over-time"]), label="kind")
    query = data.draw(query_strings(only(known, *EVENT_PARAMS), max_pairs=12), label="query")
    days = data.draw(values(["1", "30", "90"]), label="days")
    url = f"{reverse('coverage:chart_share', args=[demo.slug, kind])}?{query}"
    response = editor_client.post(url, f"days={encode(days)}", content_type="application/x-www-form-urlencoded")
    assert_answered(response, url)


@FUZZ
@given(data=st.data())
def test_no_query_string_changes_or_breaks_a_public_share_page(demo, known, share_token, data):
    suffix = data.draw(st.sampled_from(["", "_download_csv", "_download_json"]), label="format")
    url = reverse(f"coverage:share{suffix}", args=[share_token])
    plain = Client().get(url)
    query = data.draw(query_strings(only(known, *EVENT_PARAMS)), label="query")
    response = Client().get(f"{url}?{query}")
    assert response.status_code == 200
    # The link's filters are frozen: the query string changes nothing (but the per-response CSP nonce).
    assert without_nonces(response.content) == without_nonces(plain.content)


@FUZZ
@given(token=st.one_of(short_text, st.text(min_size=40, max_size=200)).filter(lambda t: "/" not in t and t.strip(".")))
def test_no_token_breaks_the_public_share_pages(db, token):
    for suffix in ("", "_download_csv", "_download_json"):
        url = reverse(f"coverage:share{suffix}", args=["TOKEN"]).replace("TOKEN", encode(token))
        assert Client().get(url).status_code in (404, 200), url
