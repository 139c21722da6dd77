"""Every change to a statement is recorded with who, what and when, and admin shows the field diffs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coverage.models import Statement, StatementStatus
from coverage.suggest import suggest_for_article
from tests.conftest import make_article, make_source, make_statement, make_topic


@pytest.fixture
def statement(db):
    article = make_article(body="The minister said the plan works. Nobody agreed.")
    return make_statement(article, "The minister said the plan works.", kind="paraphrase", tone=0)


def change_data(statement: Statement, **changes) -> dict:
    data = {
        "article": statement.article_id,
        "start": statement.start,
        "end": statement.end,
        "text": statement.text,
        "kind": statement.kind,
        "source": statement.source_id or "",
        "proposed_source_name": "",
        "topic": statement.topic_id or "",
        "frame": statement.frame_id or "",
        "tone": statement.tone,
        "target": statement.target,
        "status": statement.status,
        "opened_version": statement.version,
    }
    data.update(changes)
    return data


def test_an_admin_edit_records_the_user_and_the_changed_fields(client, tagger, statement):
    client.force_login(tagger)
    topic = make_topic(statement.article.event, name="The plan")
    url = reverse("admin:coverage_statement_change", args=[statement.pk])
    response = client.post(url, change_data(statement, tone="-1", topic=topic.pk, target="the plan"))
    assert response.status_code == 302
    latest, previous = statement.history.all()[:2]
    assert (latest.history_type, latest.history_user) == ("~", tagger)
    changed = {change.field for change in latest.diff_against(previous).changes}
    assert changed == {"tone", "topic", "target"}


def test_the_history_page_shows_who_changed_what(client, tagger, statement):
    client.force_login(tagger)
    url = reverse("admin:coverage_statement_change", args=[statement.pk])
    client.post(url, change_data(statement, tone="2", target="the plan"))
    page = client.get(reverse("admin:coverage_statement_history", args=[statement.pk])).content.decode()
    assert "tag" in page  # the tagger's username
    assert "<strong>Tone:</strong>" in page and "&rarr;" in page
    assert "<strong>Target:</strong>" in page and "the plan" in page


def test_adding_and_deleting_in_admin_record_the_user(client, tagger, statement):
    client.force_login(tagger)
    article = statement.article
    start = article.body.index("Nobody")
    data = change_data(statement, start=start, end=start + 14, text="Nobody agreed.", kind="assertion")
    client.post(reverse("admin:coverage_statement_add"), data)
    added = Statement.objects.get(start=start)
    assert added.history.get().history_user == tagger
    client.post(reverse("admin:coverage_statement_delete", args=[added.pk]), {"post": "yes"})
    deleted = Statement.history.filter(id=added.pk, history_type="-").get()
    assert deleted.history_user == tagger


def test_machine_suggestions_and_their_review_are_told_apart_in_history(client, tagger, db):
    make_source(name="Ada Lovelace")
    article = make_article(body="“Numbers are poetry,” Ada Lovelace said.")
    (suggestion,) = suggest_for_article(article)
    created = suggestion.history.get()
    assert (created.history_user, created.history_change_reason) == (None, "Suggested by the machine")
    client.force_login(tagger)
    client.post(reverse("admin:coverage_statement_review"), {"ids": [suggestion.pk], "decision": "accept"})
    accepted = suggestion.history.first()
    assert (accepted.history_user, accepted.status, accepted.history_change_reason) == (
        tagger,
        StatementStatus.ACCEPTED,
        "Suggestion accepted",
    )


def test_bulk_actions_and_merges_leave_history_with_the_user(client, tagger, statement):
    client.force_login(tagger)
    changelist = reverse("admin:coverage_statement_changelist")
    client.post(changelist, {"action": "set_tone", "_selected_action": [statement.pk], "apply": "1", "tone": "1"})
    assert statement.history.first().history_user == tagger
    twin, survivor = make_source(name="Minister"), make_source(name="The minister")
    Statement.objects.filter(pk=statement.pk).update(source=twin)
    client.post(
        reverse("admin:coverage_source_changelist"),
        {"action": "merge_into", "_selected_action": [twin.pk, survivor.pk], "apply": "1", "survivor": survivor.pk},
    )
    entry = statement.history.first()
    assert (entry.history_user, entry.source_id) == (tagger, survivor.pk)
    assert "merged into" in entry.history_change_reason
