"""Tagging in admin: the article's tagging panel, the statement form's checks, the statement list."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.urls import reverse

from coverage.models import Frame, Statement, StatementStatus, Topic
from coverage.tagging_admin import EstimatedCountPaginator, estimated_rows
from tests.conftest import make_article, make_event, make_source, make_statement, make_topic

BODY = "First line.\n\n“Quoted words,” said Ada Lovelace. Third bit, café ✓ end."


@pytest.fixture
def article(db):
    return make_article(body=BODY)


@pytest.fixture
def tagger_client(client, tagger):
    client.force_login(tagger)
    return client


def statement_data(article, start: int, end: int, text: str | None = None, **fields) -> dict:
    frame = Frame.objects.filter(codebook=article.event.codebook).first()
    data = {
        "article": article.pk,
        "start": start,
        "end": end,
        "text": article.body[start:end] if text is None else text,
        "kind": "quote",
        "tone": "0",
        "status": "accepted",
        "frame": frame.pk,
        "target": "",
        "proposed_source_name": "",
    }
    data.update(fields)
    return data


def add_statement(client, data):
    return client.post(reverse("admin:coverage_statement_add"), data)


# ---------------------------------------------------------------- offsets through the admin form


def test_it_saves_a_statement_whose_text_matches_the_body(tagger_client, tagger, article):
    start = BODY.index("Quoted")
    response = add_statement(tagger_client, statement_data(article, start, start + len("Quoted words")))
    assert response.status_code == 302
    statement = Statement.objects.get(article=article)
    assert (statement.text, statement.tagged_by) == ("Quoted words", tagger)


def test_a_text_that_does_not_match_the_body_is_a_form_error(tagger_client, article):
    start = BODY.index("Quoted")
    response = add_statement(tagger_client, statement_data(article, start, start + 12, text="Quoted wordz"))
    assert response.status_code == 200
    assert "text" in response.context["adminform"].form.errors
    assert "does not match the article body" in response.content.decode()
    assert not Statement.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (10, 10_000, "end", "past the end of the article body"),
        (20, 5, "end", "must be greater than start"),
        (-1, 4, "start", "greater than or equal to 0"),
    ],
)
def test_offsets_out_of_range_are_form_errors(tagger_client, article, start, end, field, message):
    response = add_statement(tagger_client, statement_data(article, start, end, text="whatever"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and message in str(errors[field])
    assert not Statement.objects.exists()


def test_an_exact_duplicate_span_is_refused_with_a_message(tagger_client, article):
    existing = make_statement(article, "Quoted words")
    response = add_statement(tagger_client, statement_data(article, existing.start, existing.end))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.has_error("__all__", "duplicate_span")
    assert "already tagged" in response.content.decode()
    assert Statement.objects.count() == 1


def test_overlapping_statements_are_allowed(tagger_client, article):
    existing = make_statement(article, "Quoted words")
    response = add_statement(tagger_client, statement_data(article, existing.start, existing.end + 1))
    assert response.status_code == 302
    assert Statement.objects.count() == 2


def test_editing_a_statement_onto_another_ones_span_is_refused(tagger_client, article):
    first = make_statement(article, "Quoted words")
    second = make_statement(article, "said Ada Lovelace", kind="paraphrase")
    data = statement_data(article, first.start, first.end, opened_version=second.version)
    response = tagger_client.post(reverse("admin:coverage_statement_change", args=[second.pk]), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("__all__", "duplicate_span")


def test_line_breaks_posted_as_crlf_still_match_the_body(tagger_client, article):
    end = BODY.index("Quoted") - 1
    text = BODY[0:end].replace("\n", "\r\n")
    response = add_statement(tagger_client, statement_data(article, 0, end, text=text, kind="assertion"))
    assert response.status_code == 302
    assert Statement.objects.get().text == BODY[0:end]


def test_offsets_count_characters_not_bytes(tagger_client, article):
    start = BODY.index("café")
    response = add_statement(tagger_client, statement_data(article, start, start + 6, kind="assertion"))
    assert response.status_code == 302
    assert Statement.objects.get().text == "café ✓"


def test_save_and_tag_the_next_one_returns_to_the_article_text(tagger_client, article):
    start = BODY.index("Quoted")
    data = statement_data(article, start, start + 12, _tagnext="1")
    response = add_statement(tagger_client, data)
    statement = Statement.objects.get()
    url = reverse("admin:coverage_article_change", args=[article.pk])
    assert response["Location"] == f"{url}?tag_frame={statement.frame_id}#statement-{statement.pk}"


def test_the_next_statement_starts_with_the_last_ones_source_topic_and_frame(tagger_client, article):
    source, topic = make_source(name="Ada Lovelace"), make_topic(article.event, name="Engines")
    start = BODY.index("Quoted")
    data = statement_data(article, start, start + 12, _tagnext="1", source=source.pk, topic=topic.pk)
    location = add_statement(tagger_client, data)["Location"]
    form = tagger_client.get(location.split("#")[0]).context["tagging"]["form"]
    assert (form["source"].value(), form["topic"].value()) == (source.pk, topic.pk)
    assert form["tone"].value() == 0 and not form["start"].value()
    bad = tagger_client.get(reverse("admin:coverage_article_change", args=[article.pk]) + "?tag_topic=x&tag_source=999")
    assert bad.status_code == 200 and bad.context["tagging"]["form"]["topic"].value() is None


def test_the_statement_form_offers_save_and_tag_the_next_one(tagger_client, article):
    response = tagger_client.get(reverse("admin:coverage_statement_add") + f"?article={article.pk}")
    assert 'name="_tagnext"' in response.content.decode()


# ---------------------------------------------------------------- the article's tagging panel


def test_the_article_page_shows_the_body_in_runs_with_their_offsets(tagger_client, article):
    statement = make_statement(article, "Quoted words", tone=-1)
    response = tagger_client.get(reverse("admin:coverage_article_change", args=[article.pk]))
    html = response.content.decode()
    runs = re.findall(r'<span class="seg" data-offset="(\d+)">(.*?)</span>', html, re.S)
    assert [int(offset) for offset, _ in runs] == [0, statement.start, statement.end]
    assert re.search(
        rf'<mark class="statement tone--1" tabindex="0" data-statement="{statement.pk}" id="statement-{statement.pk}">',
        html,
    )
    body_json = re.search(r'<script id="tag-body-text" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(body_json) == BODY
    assert 'id="tag-form"' in html and 'action="/admin/coverage/statement/add/"' in html
    assert "coverage/tagging.js" in html
    assert "<script>" not in html  # no inline script under the CSP


def test_the_tag_form_limits_topics_to_the_event_and_frames_to_its_codebook(tagger_client, article):
    mine = make_topic(article.event, name="Mine")
    make_topic(make_event(), name="Elsewhere")
    response = tagger_client.get(reverse("admin:coverage_article_change", args=[article.pk]))
    form = response.context["tagging"]["form"]
    assert list(form.fields["topic"].queryset) == [mine]
    assert set(form.fields["frame"].queryset) == set(Frame.objects.filter(codebook=article.event.codebook))
    assert f"?event={article.event_id}" in str(form["topic"])
    assert form.fields["tone"].widget.input_type == "radio"


def test_the_topic_autocomplete_answers_for_one_event_only(tagger_client, article):
    make_topic(article.event, name="Syria here")
    make_topic(make_event(), name="Syria elsewhere")
    params = {"app_label": "coverage", "model_name": "statement", "field_name": "topic", "term": "Syria"}
    url = reverse("admin:autocomplete")
    everywhere = tagger_client.get(url, params).json()["results"]
    here = tagger_client.get(url, {**params, "event": article.event_id}).json()["results"]
    assert {r["text"] for r in everywhere} == {"Syria here", "Syria elsewhere"}
    assert [r["text"] for r in here] == ["Syria here"]


def test_the_source_autocomplete_finds_aliases(tagger_client, article):
    make_source(name="Kremlin statement", aliases="the Kremlin\nPeskov's office")
    params = {"app_label": "coverage", "model_name": "statement", "field_name": "source", "term": "Peskov"}
    results = tagger_client.get(reverse("admin:autocomplete"), params).json()["results"]
    assert [r["text"] for r in results] == ["Kremlin statement"]


def test_a_topic_of_another_event_is_refused(tagger_client, article):
    other = make_topic(make_event())
    start = BODY.index("Quoted")
    response = add_statement(tagger_client, statement_data(article, start, start + 12, topic=other.pk))
    assert response.status_code == 200
    assert "topic" in response.context["adminform"].form.errors


def test_saving_an_article_body_with_crlf_stores_lf(client, admin_user, article):
    client.force_login(admin_user)
    data = {
        "event": article.event_id,
        "outlet": article.outlet_id,
        "headline": article.headline,
        "url": "",
        "byline": "",
        "body": "One.\r\n\r\nTwo.",
        "original_text": "",
        "tagging_status": article.tagging_status,
        "opened_version": article.version,
        "statements-TOTAL_FORMS": "0",
        "statements-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:coverage_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.body == "One.\n\nTwo."


# ---------------------------------------------------------------- the statement list


@pytest.fixture
def listed(demo):
    return Statement.objects.filter(article__event=demo)


@pytest.mark.parametrize(
    "query",
    [
        "status__exact=accepted",
        "kind__exact=quote",
        "tone__exact=-1",
        "source__type__exact=expert",
        "frame__id__exact={frame}",
        "topic={topic}",
        "article__event__id__exact={event}&topic={topic}",
        "article__outlet__id__exact={outlet}",
        "tagged_by__id__isnull=True",
        "q=Wallin",
    ],
)
def test_each_filter_of_the_statement_list_narrows_it(client, admin_user, demo, listed, query):
    client.force_login(admin_user)
    wallin = listed.get(text__startswith="Like China")
    query = query.format(frame=wallin.frame_id, topic=wallin.topic_id, event=demo.pk, outlet=wallin.article.outlet_id)
    response = client.get(reverse("admin:coverage_statement_changelist") + "?" + query)
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert 0 < len(shown) <= listed.count()
    if "q=Wallin" in query or "source__type" in query:
        assert wallin in shown and all(s.source.name == "Matthew Wallin" for s in shown)


def test_the_topic_filter_lists_the_chosen_events_topics(client, admin_user, demo):
    client.force_login(admin_user)
    make_topic(make_event(), name="Not this event")
    response = client.get(reverse("admin:coverage_statement_changelist") + f"?article__event__id__exact={demo.pk}")
    assert "Not this event" not in response.content.decode()
    assert "Korean peninsula" in response.content.decode()


def test_a_bad_topic_filter_value_does_not_break_the_list(client, admin_user, demo):
    client.force_login(admin_user)
    response = client.get(reverse("admin:coverage_statement_changelist") + "?topic=abc")
    assert response.status_code == 302
    assert "e=1" in response["Location"]


def test_the_statement_list_fetches_related_rows_with_the_list(client, admin_user, demo, django_assert_max_num_queries):
    client.force_login(admin_user)
    client.get(reverse("admin:coverage_statement_changelist"))  # warm up sessions and content types
    with django_assert_max_num_queries(16):
        response = client.get(reverse("admin:coverage_statement_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].show_full_result_count is False


def test_the_paginator_counts_small_or_filtered_lists_exactly(demo):
    statements = Statement.objects.all()
    assert EstimatedCountPaginator(statements, 100).count == statements.count()
    assert EstimatedCountPaginator(statements.filter(tone=1), 100).count == statements.filter(tone=1).count()


def test_the_paginator_takes_the_planner_estimate_for_a_huge_unfiltered_table(demo, monkeypatch):
    statements = Statement.objects.all()
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Statement._meta.db_table}")
        assert estimated_rows(statements) == pytest.approx(statements.count(), abs=2)
        assert estimated_rows(statements.filter(tone=1)) is None
        assert EstimatedCountPaginator(statements, 100).count == estimated_rows(statements)
    else:
        # No planner statistics to ask: SQLite always counts.
        assert estimated_rows(statements) is None
        assert EstimatedCountPaginator(statements, 100).count == statements.count()


def test_suggested_statements_are_not_counted_as_tagged_on_the_article_list(client, admin_user, demo):
    client.force_login(admin_user)
    article = demo.articles.first()
    before = client.get(reverse("admin:coverage_article_changelist")).context["cl"].result_list
    count = {a.pk: a.statement_count for a in before}[article.pk]
    Statement.objects.create(
        article=article, start=0, end=5, text=article.body[:5], kind="quote", status=StatementStatus.SUGGESTED
    )
    after = client.get(reverse("admin:coverage_article_changelist")).context["cl"].result_list
    assert {a.pk: a.statement_count for a in after}[article.pk] == count
    assert Topic.objects.filter(event=demo).exists()


def test_the_article_page_does_not_query_per_statement(client, admin_user, db):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    client.force_login(admin_user)
    sentences = [f"Sentence number {n} said something." for n in range(30)]
    article = make_article(body=" ".join(sentences))
    topic = make_topic(article.event)
    url = reverse("admin:coverage_article_change", args=[article.pk])

    def queries_with(count: int) -> int:
        for sentence in sentences[:count]:
            if not Statement.objects.filter(article=article, text=sentence).exists():
                make_statement(article, sentence, topic=topic, source=make_source())
        client.get(url)
        with CaptureQueriesContext(conn) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries_with(3) == queries_with(30)
