"""One truth: the matrix, every chart with its CSV and figure JSON, the share page, the compare
page, the event list and the outlets overview show the same numbers under any filters."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings

from coverage.models import Event, TaggingStatus
from coverage.roles import EDITORS

from .conftest import make_user
from .test_readmodel import World, coverage_worlds, filter_choices

HX = {"HTTP_HX_REQUEST": "true"}


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def page_figure(html: str, kind: str) -> dict:
    match = re.search(rf'<script id="figure-{kind}" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no figure for {kind}"
    return json.loads(match.group(1))


def _query(world: World, event: Event | None, choice: dict) -> str:
    """The filter choice as the URL of an event page (topics by slug), or across events (None, no topics)."""
    params = []
    on_event = {a.outlet for a in world.records if event is None or a.event == event.pk}
    for i in sorted(choice["outlets"]):
        if i < len(world.outlets) and world.outlets[i].pk in on_event:
            params.append(("outlet", world.outlets[i].slug))
    topics = list(world.topics.values())
    for i in sorted(choice["topics"]):
        if i < len(topics) and event is not None and topics[i].event_id == event.pk:
            params.append(("topic", topics[i].slug))
    params += [("frame", world.frames[i].slug) for i in sorted(choice["frames"])]
    params += [("source_type", t) for t in sorted(choice["source_types"])]
    params += [("tone", str(t)) for t in sorted(choice["tones"])]
    params += [("kind", k) for k in sorted(choice["kinds"])]
    for key in ("date_from", "date_to"):
        if choice[key]:
            params.append((key, choice[key].isoformat()))
    return "&".join(f"{k}={v}" for k, v in params)


def _check_event(client: Client, event: Event, query: str) -> dict:
    """Every page of one event under one query; returns per (outlet, topic) the matrix's numbers."""
    page = client.get(reverse("coverage:event_detail", args=[event.slug]) + f"?{query}")
    assert page.status_code == 200
    matrix = page.context["matrix"]
    cells = {
        (row.outlet.name, c.topic.name): (c.tone.statements, c.state) for row in matrix.rows for c in row.topic_cells
    }
    totals = {row.outlet.name: row.statements for row in matrix.rows}

    # The topic-coverage chart: its CSV, its figure on the event page and its JSON download.
    base = reverse("coverage:chart", args=[event.slug, "topic-coverage"])
    rows = csv_rows(client.get(f"{base}data.csv?{query}"))
    words = {"covered": "covered", "unmatched": "covered (no statement matches the filters)", "omitted": "omitted",
             "pending": "tagging in progress", "absent": "not covered by any outlet"}  # fmt: skip
    assert {(r["Outlet"], r["Topic"]): (int(r["Statements"]), r["Coverage"]) for r in rows} == {
        key: (n, words[state]) for key, (n, state) in cells.items()
    }
    figure = json.loads(client.get(f"{base}figure.json?{query}").content)
    assert figure == page_figure(page.content.decode(), "topic-coverage")
    z = figure["data"][0]["z"]
    outlets = [row.outlet.name for row in matrix.rows]
    for t, topic in enumerate(matrix.topics):
        for o, outlet in enumerate(outlets):
            assert (z[t][o] or 0) == cells[(outlet, topic.name)][0]

    # The tone chart's table: the same counts, overall and per topic, zeros included.
    tone = csv_rows(client.get(reverse("coverage:chart_csv", args=[event.slug, "tone"]) + f"?{query}"))
    assert {(r["Outlet"], r["Topic"]): int(r["Statements"]) for r in tone} == {
        **{key: n for key, (n, _) in cells.items()},
        **{(name, "All statements"): n for name, n in totals.items()},
    }

    # A public share link made from the chart shows the same table.
    made = client.post(
        reverse("coverage:chart_share", args=[event.slug, "topic-coverage"]) + f"?{query}", {"days": "1"}
    )
    assert made.status_code == 201
    token = re.search(r"/s/([A-Za-z0-9_-]+)/", made.content.decode()).group(1)
    shared = csv_rows(Client().get(reverse("coverage:share_download_csv", args=[token])))
    assert shared == rows

    # The drill-down of each cell lists as many statements as the cell counts.
    for row in matrix.rows:
        for c in row.topic_cells:
            if c.state == "covered":
                drill = client.get(c.url, **HX)
                assert drill.context["total"] == c.tone.statements
    return {"cells": cells, "totals": totals, "rows": matrix.rows}


@pytest.mark.django_db
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(world=coverage_worlds(), choice=filter_choices())
def test_every_page_shows_the_same_numbers_under_any_filters(world, choice):
    with transaction.atomic():
        saved = World(world)
        editor = make_user(f"editor-{len(saved.records)}-{len(saved.statements)}", EDITORS)
        client = Client()
        client.force_login(editor)
        omitted_per_outlet: dict[str, int] = defaultdict(int)
        statements_per_outlet: dict[str, int] = defaultdict(int)
        no_topic_query = {**choice, "topics": set()}
        chosen = {saved.outlets[i].name for i in choice["outlets"] if i < len(saved.outlets)}
        chosen &= {o.name for o in saved.outlets if any(a.outlet == o.pk for a in saved.records)}
        for event in saved.events:
            seen = _check_event(client, event, _query(saved, event, no_topic_query))
            for row in seen["rows"]:
                if not chosen or row.outlet.name in chosen:
                    statements_per_outlet[row.outlet.name] += row.statements
                    omitted_per_outlet[row.outlet.name] += row.omitted_count
            _check_event(client, event, _query(saved, event, choice))

        # The outlets overview, with the same filters across events, sums the events' matrices.
        across = _query(saved, None, no_topic_query)
        overview = client.get(reverse("coverage:outlet_overview") + "?" + across)
        rows = {r.outlet.name: r for r in overview.context["rows"]}
        assert {name: r.statements for name, r in rows.items()} == dict(statements_per_outlet)
        assert {name: r.omitted for name, r in rows.items()} == dict(omitted_per_outlet)
        table = csv_rows(client.get(reverse("coverage:outlet_overview_csv") + "?" + across))
        assert {r["Outlet"]: (int(r["Statements"]), int(r["Topics omitted"])) for r in table} == {
            name: (statements_per_outlet[name], omitted_per_outlet[name]) for name in rows
        }
        transaction.set_rollback(True)


# ---- the demo, with one outlet's tagging not complete


@pytest.fixture
def rt_in_progress(demo):
    demo.articles.filter(outlet__slug="rt").update(tagging_status=TaggingStatus.IN_PROGRESS)
    return demo


def test_the_demo_shows_an_outlet_being_tagged_as_in_progress_everywhere(editor_client, rt_in_progress):
    demo = rt_in_progress
    matrix = editor_client.get(reverse("coverage:event_detail", args=[demo.slug]))
    rt = next(r for r in matrix.context["matrix"].rows if r.outlet.slug == "rt")
    assert rt.omitted_count == 0 and rt.pending_count == 2
    assert "tagging in progress" in matrix.content.decode()

    rows = csv_rows(editor_client.get(reverse("coverage:chart_csv", args=[demo.slug, "topic-coverage"])))
    assert {r["Coverage"] for r in rows if r["Outlet"] == "RT" and r["Statements"] == "0"} == {"tagging in progress"}
    across = csv_rows(editor_client.get(reverse("coverage:chart_across_events_csv", args=["topic-coverage"])))
    assert [(r["Outlet"], r["Tagging"], r["Topics omitted"]) for r in across if r["Outlet"] == "RT"] == [
        ("RT", "in progress", "")
    ]

    overview = editor_client.get(reverse("coverage:outlet_overview"))
    by_slug = {r.outlet.slug: r for r in overview.context["rows"]}
    assert by_slug["rt"].omission_rate is None and by_slug["rt"].pending_events == 1
    assert by_slug["opposing-views"].omitted == 3  # Opposing Views' tagging is complete: its omissions stand

    compare = editor_client.get(reverse("coverage:event_compare", args=[demo.slug]) + "?a=opposing-views&b=rt")
    assert not compare.context["topics"].right_complete
    assert "RT's tagging is in progress: these are not yet claimed as its omissions." in compare.content.decode()

    card = editor_client.get(reverse("coverage:event_list")).context["cards"][0]
    assert all("rt" not in [o.slug for o in b.omitted_by] for b in card.blindspots)


def test_an_imported_untagged_outlet_is_never_said_to_omit_anything(editor_client, demo):
    from .conftest import make_article, make_outlet

    make_article(demo, make_outlet(name="Newcomer"), tagging_status=TaggingStatus.NOT_STARTED)
    matrix = editor_client.get(reverse("coverage:event_detail", args=[demo.slug])).context["matrix"]
    newcomer = next(r for r in matrix.rows if r.outlet.name == "Newcomer")
    assert not newcomer.tagged and newcomer.omitted_count == 0
    rows = csv_rows(editor_client.get(reverse("coverage:chart_csv", args=[demo.slug, "topic-coverage"])))
    assert "omitted" not in {r["Coverage"] for r in rows if r["Outlet"] == "Newcomer"}
    overview = {r.outlet.name: r for r in editor_client.get(reverse("coverage:outlet_overview")).context["rows"]}
    assert overview["Newcomer"].omission_rate is None
