"""No lost updates in admin: a form opened before someone else saved the same row is refused,
says what differs, and overwrites nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from coverage.models import Article, Frame, Source, Statement, StatementStatus, Tone
from coverage.roles import TAGGERS
from tests.conftest import make_article, make_source, make_statement, make_user

BODY = "First line. “Quoted words,” said Ada Lovelace. The end."


@pytest.fixture
def taggers(db) -> tuple[Client, Client]:
    clients = []
    for name in ("ada", "grace"):
        client = Client()
        client.force_login(make_user(name, TAGGERS, is_staff=True))
        clients.append(client)
    return clients[0], clients[1]


@pytest.fixture
def statement(db) -> Statement:
    article = make_article(body=BODY)
    return make_statement(article, "Quoted words", kind="quote", tone=0, source=make_source(name="Ada Lovelace"))


def opened_version(client: Client, url: str) -> int:
    """The version the change form carries when this client opens it."""
    html = client.get(url).content.decode()
    return int(re.search(r'<input type="hidden" name="opened_version" value="(\d+)"', html).group(1))


def statement_form(statement: Statement, version: int, **changes) -> dict:
    data = {
        "article": statement.article_id,
        "start": statement.start,
        "end": statement.end,
        "text": statement.text,
        "kind": statement.kind,
        "source": statement.source_id or "",
        "proposed_source_name": "",
        "topic": "",
        "frame": statement.frame_id or "",
        "tone": statement.tone,
        "target": statement.target,
        "status": statement.status,
        "opened_version": version,
    }
    return {**data, **changes}


def errors_of(response) -> list[str]:
    return [str(error) for error in response.context["adminform"].form.non_field_errors()]


def test_the_second_of_two_taggers_editing_a_statement_is_refused_and_told_what_changed(taggers, statement):
    ada, grace = taggers
    url = reverse("admin:coverage_statement_change", args=[statement.pk])
    ada_version, grace_version = opened_version(ada, url), opened_version(grace, url)
    assert ada_version == grace_version == 1

    assert (
        ada.post(url, statement_form(statement, ada_version, tone=Tone.POSITIVE, target="the call")).status_code == 302
    )
    response = grace.post(url, statement_form(statement, grace_version, tone=Tone.NEGATIVE, kind="paraphrase"))

    assert response.status_code == 200
    errors = errors_of(response)
    assert errors[0].startswith("Someone else saved this statement while you were editing it")
    assert "Nothing of yours was saved." in errors[0]
    assert "Tone: saved “+1 positive”, yours “−1 negative”." in errors
    assert "Target: saved “the call”, yours “(empty)”." in errors
    assert "Kind: saved “Direct quote”, yours “Attributed paraphrase”." in errors
    assert not any(error.startswith("Source:") for error in errors)  # both kept the same source
    statement.refresh_from_db()
    assert (statement.tone, statement.target, statement.kind, statement.version) == (
        Tone.POSITIVE,
        "the call",
        "quote",
        2,
    )
    assert statement.history.count() == 2  # created, and Ada's save: nothing of Grace's


def test_saving_again_after_reading_the_differences_is_a_decision_and_goes_through(taggers, statement):
    ada, grace = taggers
    url = reverse("admin:coverage_statement_change", args=[statement.pk])
    ada.post(url, statement_form(statement, 1, tone=Tone.POSITIVE))
    refused = grace.post(url, statement_form(statement, 1, tone=Tone.NEGATIVE))
    carried = re.search(r'name="opened_version" value="(\d+)"', refused.content.decode()).group(1)
    assert carried == "2"
    assert grace.post(url, statement_form(statement, int(carried), tone=Tone.NEGATIVE)).status_code == 302
    statement.refresh_from_db()
    assert (statement.tone, statement.version) == (Tone.NEGATIVE, 3)


def test_a_stale_form_that_agrees_with_the_saved_values_is_not_refused(taggers, statement):
    ada, grace = taggers
    url = reverse("admin:coverage_statement_change", args=[statement.pk])
    ada.post(url, statement_form(statement, 1, tone=Tone.POSITIVE))
    assert grace.post(url, statement_form(statement, 1, tone=Tone.POSITIVE)).status_code == 302


def test_a_form_without_its_version_overwrites_nothing(taggers, statement):
    ada, _ = taggers
    url = reverse("admin:coverage_statement_change", args=[statement.pk])
    data = statement_form(statement, 1, tone=Tone.NEGATIVE)
    del data["opened_version"]
    response = ada.post(url, data)
    assert response.status_code == 200 and "opened version ?" in errors_of(response)[0]
    statement.refresh_from_db()
    assert statement.tone == 0


def test_a_bulk_action_counts_as_a_save_that_a_stale_form_may_not_undo(client, admin_user, taggers, statement):
    _, grace = taggers
    url = reverse("admin:coverage_statement_change", args=[statement.pk])
    version = opened_version(grace, url)
    client.force_login(admin_user)
    client.post(
        reverse("admin:coverage_statement_changelist"),
        {"action": "set_tone", "_selected_action": [statement.pk], "apply": "1", "tone": "-2"},
    )
    statement.refresh_from_db()
    assert (statement.tone, statement.version) == (-2, 2)
    response = grace.post(url, statement_form(statement, version, tone=Tone.NEUTRAL))
    assert "Tone: saved “−2 very negative”, yours “0 neutral”." in errors_of(response)
    statement.refresh_from_db()
    assert statement.tone == -2


def test_accepting_a_suggestion_counts_as_a_save(client, admin_user, statement):
    Statement.objects.filter(pk=statement.pk).update(status=StatementStatus.SUGGESTED)
    client.force_login(admin_user)
    client.post(reverse("admin:coverage_statement_review"), {"decision": "accept", "ids": [statement.pk]})
    statement.refresh_from_db()
    assert (statement.status, statement.version) == (StatementStatus.ACCEPTED, 2)


def test_two_edits_of_one_article_do_not_lose_the_first(client, admin_user, taggers):
    ada, _ = taggers
    article = make_article(body=BODY, headline="Original headline")
    url = reverse("admin:coverage_article_change", args=[article.pk])
    version = opened_version(ada, url)
    client.force_login(admin_user)
    client.post(
        reverse("admin:coverage_article_changelist"), {"action": "mark_in_progress", "_selected_action": [article.pk]}
    )
    data = {
        "event": article.event_id,
        "outlet": article.outlet_id,
        "headline": "Ada's headline",
        "url": "",
        "byline": "",
        "body": BODY,
        "original_text": "",
        "tagging_status": "complete",
        "opened_version": version,
        "statements-TOTAL_FORMS": "0",
        "statements-INITIAL_FORMS": "0",
    }
    response = ada.post(url, data)
    assert response.status_code == 200
    errors = errors_of(response)
    assert "Tagging status: saved “In progress”, yours “Complete”." in errors
    assert "Headline: saved “Original headline”, yours “Ada's headline”." in errors
    article.refresh_from_db()
    assert (article.headline, article.tagging_status, article.version) == ("Original headline", "in_progress", 2)


def test_two_edits_of_one_source_do_not_lose_the_first(taggers):
    ada, grace = taggers
    source = make_source(name="Matthew Wallin", affiliation="")
    url = reverse("admin:coverage_source_change", args=[source.pk])
    base = {
        "name": source.name,
        "type": source.type,
        "affiliation": "",
        "aliases": "",
        "opened_version": opened_version(ada, url),
    }
    assert ada.post(url, {**base, "affiliation": "American Security Project"}).status_code == 302
    response = grace.post(url, {**base, "aliases": "Wallin"})
    assert "Affiliation: saved “American Security Project”, yours “(empty)”." in errors_of(response)
    source.refresh_from_db()
    assert (source.affiliation, source.aliases, source.version) == ("American Security Project", "", 2)


def test_every_save_counts_one_version_in_the_database(statement):
    statement.tone = 1
    statement.save()
    assert statement.version == 2  # read back from the UPDATE, not guessed
    Statement.objects.filter(pk=statement.pk).update(tone=2)
    stale = Statement.objects.get(pk=statement.pk)
    statement.save(update_fields=["tone"])
    assert Statement.objects.get(pk=statement.pk).version == stale.version + 1 == 3


def test_merging_sources_counts_a_save_of_each_moved_statement(client, admin_user, statement):
    other = make_source(name="A. Lovelace")
    keep = statement.source
    Statement.objects.filter(pk=statement.pk).update(source=other)
    client.force_login(admin_user)
    client.post(
        reverse("admin:coverage_source_changelist"),
        {"action": "merge_into", "_selected_action": [keep.pk, other.pk], "apply": "1", "survivor": keep.pk},
    )
    statement.refresh_from_db()
    assert (statement.source, statement.version) == (keep, 2)
    assert Source.objects.get(pk=keep.pk).version == 2


def test_the_tagging_panel_still_adds_statements(client, admin_user):
    article = make_article(body=BODY)
    client.force_login(admin_user)
    frame = Frame.objects.filter(codebook=article.event.codebook).first()
    data = statement_form(make_statement(article, "First line"), "", frame=frame.pk)
    data.update(start=BODY.index("said"), end=BODY.index("said") + 4, text="said", _tagnext="1")
    response = client.post(reverse("admin:coverage_statement_add"), data)
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).statements.filter(text="said", version=1).exists()
