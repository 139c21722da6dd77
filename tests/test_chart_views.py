"""Chart permalinks, their CSV and JSON, and the charts panel of the event page."""

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.urls import reverse

from coverage.models import ChartKind, Statement
from coverage.roles import EDITORS
from tests.conftest import make_article, make_event, make_outlet, make_statement, make_topic, make_user

EVENT_KINDS = [kind.value for kind in ChartKind.per_event()]


def chart_path(event, kind, query="", suffix=""):
    url = reverse(f"coverage:chart{suffix}", args=[event.slug, kind])
    return f"{url}?{query}" if query else url


def page_figure(html: str, kind: str) -> dict:
    match = re.search(rf'<script id="figure-{kind}" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no figure for {kind}"
    return json.loads(match.group(1))


@pytest.mark.parametrize("kind", EVENT_KINDS)
def test_the_permalink_gives_two_users_the_same_figure(client, demo, kind):
    query = "tone=-2&tone=-1&outlet=rt&outlet=opposing-views"
    figures = []
    for name in ("ed1", "ed2"):
        client.force_login(make_user(name, EDITORS))
        response = client.get(chart_path(demo, kind, query))
        assert response.status_code == 200
        figures.append(
            re.search(
                r'<script id="figure-[^"]+" type="application/json">(.*?)</script>', response.content.decode(), re.S
            ).group(1)
        )
    assert figures[0] == figures[1]
    assert "filtered by" in json.loads(figures[0])["layout"]["title"]["subtitle"]["text"]


def test_the_figure_json_download_is_the_figure_on_the_page(editor_client, demo):
    html = editor_client.get(chart_path(demo, "sources", "kind=quote")).content.decode()
    response = editor_client.get(chart_path(demo, "sources", "kind=quote", "_json"))
    assert response["Content-Type"] == "application/json"
    assert (
        'attachment; filename="framescope-putin-trump-call-2017-05-02-sources.json"' == response["Content-Disposition"]
    )
    assert json.loads(response.content) == page_figure(html, "sources")


def _csv(response):
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows
    return rows


def test_the_csv_has_the_numbers_of_the_figure(editor_client, demo):
    figure = json.loads(editor_client.get(chart_path(demo, "sources", suffix="_json")).content)
    rows = _csv(editor_client.get(chart_path(demo, "sources", suffix="_csv")))
    for trace in figure["data"]:
        from_csv = {
            r["Source type"]: float(r["Share of outlet's statements (%)"]) for r in rows if r["Outlet"] == trace["name"]
        }
        drawn = dict(zip(trace["x"], trace["y"], strict=True))
        # The figure draws the source types some outlet has; the CSV lists every type, zeros included.
        assert drawn == {k: v for k, v in from_csv.items() if k in drawn}
        assert all(v == 0 for k, v in from_csv.items() if k not in drawn)

    figure = json.loads(editor_client.get(chart_path(demo, "topic-coverage", suffix="_json")).content)
    rows = _csv(editor_client.get(chart_path(demo, "topic-coverage", suffix="_csv")))
    heatmap = figure["data"][0]
    outlets = [o["name"] for o in demo_outlets()]
    topics = list(demo.topics.order_by("number", "name", "pk").values_list("name", flat=True))
    for r in rows:
        z = heatmap["z"][topics.index(r["Topic"])][outlets.index(r["Outlet"])]
        assert (z or 0) == int(r["Statements"])
    assert sum(int(r["Statements"]) for r in rows) == Statement.objects.exclude(topic=None).count()

    figure = json.loads(editor_client.get(chart_path(demo, "tone", suffix="_json")).content)
    rows = _csv(editor_client.get(chart_path(demo, "tone", suffix="_csv")))
    for trace in figure["data"]:
        from_figure = dict(zip(trace["y"], trace["x"], strict=True))
        assert from_figure == {
            r["Topic"]: float(r["Mean tone"]) for r in rows if r["Outlet"] == trace["name"] and r["Mean tone"]
        }


def demo_outlets():
    from coverage.models import Outlet

    return Outlet.objects.order_by("name", "pk").values("name")


def test_a_filter_narrows_the_chart(editor_client, demo):
    everything = page_figure(editor_client.get(chart_path(demo, "tone")).content.decode(), "tone")
    rt_only = page_figure(editor_client.get(chart_path(demo, "tone", "outlet=rt")).content.decode(), "tone")
    assert [t["name"] for t in everything["data"]] == ["Opposing Views", "RT"]
    assert [t["name"] for t in rt_only["data"]] == ["RT"]
    assert "outlet: RT" in rt_only["layout"]["title"]["subtitle"]["text"]


def test_a_bad_filter_is_a_400_naming_the_parameter(editor_client, demo):
    for suffix in ("", "_csv", "_json"):
        response = editor_client.get(chart_path(demo, "tone", "tone=7", suffix))
        assert response.status_code == 400
        assert "tone" in response.content.decode() and "7" in response.content.decode()


def test_unknown_charts_and_events_are_404(editor_client, demo):
    assert editor_client.get(chart_path(demo, "pie")).status_code == 404
    assert editor_client.get(reverse("coverage:chart_across_events", args=["pie"])).status_code == 404
    assert editor_client.get(reverse("coverage:chart", args=["no-such-event", "tone"])).status_code == 404


@pytest.mark.parametrize("kind", [kind.value for kind in ChartKind])
def test_every_chart_kind_works_on_an_event_and_across_events(editor_client, demo, kind):
    for url in (chart_path(demo, kind), reverse("coverage:chart_across_events", args=[kind])):
        for suffix in ("", "data.csv", "figure.json"):
            assert editor_client.get(url + suffix).status_code == 200


def test_across_events_the_filters_are_the_event_pages_with_topics_by_id(editor_client, demo):
    thaad = demo.topics.get(slug="thaad")
    url = reverse("coverage:chart_across_events_csv", args=["tone"])
    rows = _csv(editor_client.get(f"{url}?outlet=rt&tone=-1&topic={thaad.pk}"))
    assert {(r["Outlet"], r["Event"]) for r in rows} == {("RT", "All statements"), ("RT", demo.name)}
    expected = Statement.objects.filter(article__outlet__slug="rt", tone=-1, topic=thaad).count()
    assert {int(r["Statements"]) for r in rows} == {expected}
    assert editor_client.get(f"{url}?topic=thaad").status_code == 400


def test_tone_over_time_spans_events(editor_client, demo):
    response = editor_client.get(reverse("coverage:chart_across_events", args=["tone-over-time"]))
    figure = page_figure(response.content.decode(), "tone-over-time")
    rt = next(t for t in figure["data"] if t["name"] == "RT")
    assert rt["x"] == ["2017-05-02"]  # the other demo article has no date
    rows = _csv(editor_client.get(reverse("coverage:chart_across_events_csv", args=["tone-over-time"])))
    assert [(r["Outlet"], r["Date"], float(r["Mean tone"])) for r in rows] == [("RT", "2017-05-02", rt["y"][0])]


def test_the_chart_page_has_copy_link_downloads_and_no_inline_script(editor_client, demo):
    response = editor_client.get(chart_path(demo, "frames", "tone=1"))
    html = response.content.decode()
    assert 'class="js-copy-link"' in html
    assert 'value="http://testserver/events/putin-trump-call-2017-05-02/charts/frames/?tone=1"' in html
    assert (
        chart_path(demo, "frames", "tone=1", "_csv") in html and chart_path(demo, "frames", "tone=1", "_json") in html
    )
    assert "/static/plotly/plotly.min.js" in html and "/static/coverage/charts.js" in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_event_page_shows_every_chart_with_a_permalink_carrying_the_filters(editor_client, demo):
    html = editor_client.get(demo.get_absolute_url() + "?tone=-1&outlet=rt").content.decode()
    for kind in EVENT_KINDS:
        page_figure(html, kind)
        assert chart_path(demo, kind, "outlet=rt&amp;tone=-1") in html
    assert editor_client.get(demo.get_absolute_url() + "?tone=9").status_code == 400


def test_anonymous_visitors_go_to_login_for_charts_and_downloads(client, demo):
    urls = [
        chart_path(demo, "tone"),
        chart_path(demo, "tone", suffix="_csv"),
        chart_path(demo, "tone", suffix="_json"),
        reverse("coverage:chart_across_events", args=["tone-over-time"]),
        reverse("coverage:share_links"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_a_user_without_a_role_cannot_open_charts(client, demo):
    client.force_login(make_user("nobody"))
    assert client.get(chart_path(demo, "tone")).status_code == 403
    assert client.get(chart_path(demo, "tone", suffix="_csv")).status_code == 403


def _event_with_outlets(n: int):
    event = make_event()
    topic = make_topic(event, is_key=True)
    for i in range(n):
        article = make_article(event, make_outlet(), published_at=dt.datetime(2017, 5, 2 + i % 3, tzinfo=dt.UTC))
        make_statement(article, topic=topic if i % 2 else None, tone=i % 5 - 2)
    return event


@pytest.mark.parametrize("outlets", [2, 20])
def test_chart_page_query_counts_do_not_grow_with_outlets(client, editor, django_assert_num_queries, outlets):
    event = _event_with_outlets(outlets)
    client.force_login(editor)
    # 4 for session, user and permissions, 1 for the event, 3 for its articles, topics and
    # frames, 1 for the counts, and 1 more where the chart names sources or has days.
    expected = {"topic-coverage": 9, "tone": 9, "sources": 10, "frames": 9, "tone-over-time": 9}
    for kind, count in expected.items():
        with django_assert_num_queries(count):
            assert client.get(chart_path(event, kind)).status_code == 200
        with django_assert_num_queries(count):
            assert client.get(chart_path(event, kind, suffix="_csv")).status_code == 200
    # Across events: 4, outlets and frames, articles per event and outlet, then the counts,
    # the events' topics where the chart has coverage, and named sources or days.
    across = {"topic-coverage": 9, "tone": 8, "sources": 9, "frames": 8, "tone-over-time": 8}
    for kind, count in across.items():
        with django_assert_num_queries(count):
            assert client.get(reverse("coverage:chart_across_events", args=[kind])).status_code == 200
