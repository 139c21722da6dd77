"""Merging duplicate sources: statements move to the survivor, names become aliases, all recorded."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.urls import reverse

from coverage.merging import merge_sources, merged_aliases
from coverage.models import Source, Statement
from tests.conftest import make_article, make_source, make_statement


@pytest.fixture
def duplicates(db):
    article = make_article(body="Putin said one thing. Mr Putin said another. The president said a third.")
    survivor = make_source(name="Vladimir Putin", aliases="Putin")
    twin = make_source(name="Mr Putin", aliases="V. Putin\nputin")
    third = make_source(name="The president")
    statements = [
        make_statement(article, "Putin said one thing.", source=survivor),
        make_statement(article, "Mr Putin said another.", source=twin),
        make_statement(article, "The president said a third.", source=third),
    ]
    return survivor, twin, third, statements


def test_merging_moves_every_statement_and_keeps_the_names_as_aliases(duplicates, tagger):
    survivor, twin, third, statements = duplicates
    moved = merge_sources(survivor, [twin, third], user=tagger)
    assert moved == 2
    assert set(Statement.objects.values_list("source", flat=True)) == {survivor.pk}
    assert not Source.objects.filter(pk__in=[twin.pk, third.pk]).exists()
    survivor.refresh_from_db()
    assert survivor.alias_list() == ["Putin", "Mr Putin", "V. Putin", "The president"]


def test_merged_aliases_skip_repeats_and_the_survivors_own_name(db):
    survivor = Source(name="Kremlin", aliases="the Kremlin")
    other = Source(name="kremlin", aliases="The Kremlin\nKremlin press office")
    assert merged_aliases(survivor, [other]) == "the Kremlin\nKremlin press office"


def test_each_moved_statement_gets_a_history_entry_with_the_user(duplicates, tagger):
    survivor, twin, third, statements = duplicates
    merge_sources(survivor, [twin, third], user=tagger)
    entry = Statement.objects.get(pk=statements[1].pk).history.first()
    assert entry.history_user == tagger
    assert entry.history_change_reason == "Source “Mr Putin” merged into “Vladimir Putin”"
    assert entry.source_id == survivor.pk
    assert Statement.objects.get(pk=statements[0].pk).history.count() == 1, "untouched statements keep their history"


def test_a_failed_merge_changes_nothing(duplicates, tagger, monkeypatch):
    survivor, twin, third, statements = duplicates

    def broken_save(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Source, "save", broken_save)
    with pytest.raises(RuntimeError):
        merge_sources(survivor, [twin, third], user=tagger)
    assert Statement.objects.get(pk=statements[1].pk).source_id == twin.pk
    assert Source.objects.filter(pk=twin.pk).exists()


def test_the_merge_action_asks_which_source_survives(client, tagger, duplicates):
    client.force_login(tagger)
    survivor, twin, third, _ = duplicates
    url = reverse("admin:coverage_source_changelist")
    page = client.post(url, {"action": "merge_into", "_selected_action": [survivor.pk, twin.pk]})
    assert page.status_code == 200
    assert "Keep this source" in page.content.decode()
    response = client.post(
        url,
        {"action": "merge_into", "_selected_action": [survivor.pk, twin.pk], "apply": "1", "survivor": survivor.pk},
        follow=True,
    )
    assert "1 statement(s) moved" in response.content.decode()
    assert not Source.objects.filter(pk=twin.pk).exists()
    assert LogEntry.objects.filter(object_id=str(survivor.pk), action_flag=CHANGE, user=tagger).exists()
    assert LogEntry.objects.filter(object_id=str(twin.pk), action_flag=DELETION, user=tagger).exists()


def test_merging_needs_two_sources_and_a_survivor_among_them(client, tagger, duplicates):
    client.force_login(tagger)
    survivor, twin, third, _ = duplicates
    url = reverse("admin:coverage_source_changelist")
    response = client.post(url, {"action": "merge_into", "_selected_action": [survivor.pk]}, follow=True)
    assert "Select at least two sources" in response.content.decode()
    response = client.post(
        url, {"action": "merge_into", "_selected_action": [survivor.pk, twin.pk], "apply": "1", "survivor": third.pk}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert Source.objects.count() == 3
