"""Tagging status of an article: set by taggers (also in bulk), carried in bundles, "not started" on plain import."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from coverage.models import Article, TaggingStatus

from .conftest import make_article, make_event, make_outlet, make_statement


def test_a_plain_text_import_leaves_the_article_not_started(db, tmp_path):
    event, outlet = make_event(slug="flood"), make_outlet(slug="paper")
    path = tmp_path / "story.txt"
    path.write_text("River floods the old town\n\n“We lost everything,” a shop owner said on Monday.\n")
    call_command("import_articles", str(path), "--event", event.slug, "--outlet", outlet.slug, stdout=io.StringIO())
    article = Article.objects.get()
    assert article.tagging_status == TaggingStatus.NOT_STARTED
    # The suggester ran on it; its guesses do not make the article "in progress".
    assert article.statements.exists()


def test_the_bundle_carries_the_tagging_status_both_ways(db, tmp_path):
    event = make_event(slug="summit")
    done = make_article(event, make_outlet(slug="a"), body="First one. Done.", tagging_status=TaggingStatus.COMPLETE)
    make_article(event, make_outlet(slug="b"), body="Second one. Half.", tagging_status=TaggingStatus.IN_PROGRESS)
    out = io.StringIO()
    call_command("export_event", event.slug, stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    statuses = {r["outlet"]: r["tagging_status"] for r in records if r.get("record") == "article"}
    assert statuses == {"a": "complete", "b": "in_progress"}

    Article.objects.all().delete()
    bundle = tmp_path / "summit.jsonl"
    bundle.write_text(out.getvalue())
    call_command("import_articles", str(bundle), stdout=io.StringIO())
    assert dict(Article.objects.values_list("outlet__slug", "tagging_status")) == statuses
    assert Article.objects.get(outlet__slug="a").words == done.words == 3


def test_a_bundle_without_tagging_status_imports_its_articles_as_not_started(db, tmp_path):
    event = make_event(slug="vote")
    make_article(event, make_outlet(slug="a"), body="Polls open. Queues form.")
    out = io.StringIO()
    call_command("export_event", event.slug, stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    for record in lines:
        record.pop("tagging_status", None)
    Article.objects.all().delete()
    bundle = tmp_path / "old.jsonl"
    bundle.write_text("\n".join(json.dumps(r) for r in lines))
    call_command("import_articles", str(bundle), stdout=io.StringIO())
    assert Article.objects.get().tagging_status == TaggingStatus.NOT_STARTED


def test_a_bad_tagging_status_in_a_bundle_names_line_and_field(db, tmp_path):
    event = make_event(slug="quake")
    make_article(event, make_outlet(slug="a"), body="The ground shook. Buildings fell.")
    out = io.StringIO()
    call_command("export_event", event.slug, stdout=out)
    lines = out.getvalue().splitlines()
    number = next(i for i, line in enumerate(lines, 1) if '"record": "article"' in line or '"record":"article"' in line)
    record = json.loads(lines[number - 1])
    record["tagging_status"] = "finished"
    lines[number - 1] = json.dumps(record)
    Article.objects.all().delete()
    bundle = tmp_path / "bad.jsonl"
    bundle.write_text("\n".join(lines))
    with pytest.raises(CommandError) as error:
        call_command("import_articles", str(bundle), stdout=io.StringIO(), stderr=io.StringIO())
    assert f"bad.jsonl, line {number}, field “tagging_status”: 'finished' is not one of" in str(error.value)
    assert not Article.objects.exists()


def test_taggers_set_the_status_of_many_articles_at_once(client, tagger):
    event = make_event()
    articles = [make_article(event, tagging_status=TaggingStatus.NOT_STARTED) for _ in range(3)]
    make_statement(articles[0])
    client.force_login(tagger)
    response = client.post(
        reverse("admin:coverage_article_changelist"),
        {"action": "mark_complete", "_selected_action": [a.pk for a in articles[:2]]},
        follow=True,
    )
    assert response.status_code == 200
    assert "2 article(s) now “Complete”." in response.content.decode()
    assert [a.tagging_status for a in Article.objects.order_by("pk")] == ["complete", "complete", "not_started"]


def test_the_article_list_in_admin_filters_by_tagging_status(client, tagger):
    event = make_event()
    make_article(event, headline="Fully tagged one", tagging_status=TaggingStatus.COMPLETE)
    make_article(event, headline="Untouched one", tagging_status=TaggingStatus.NOT_STARTED)
    client.force_login(tagger)
    page = client.get(reverse("admin:coverage_article_changelist"), {"tagging_status__exact": "complete"})
    assert "Fully tagged one" in page.content.decode() and "Untouched one" not in page.content.decode()
