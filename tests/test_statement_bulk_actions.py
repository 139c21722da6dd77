"""Bulk actions on the statement list: set topic, frame or tone through an intermediate page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coverage.models import Codebook, Frame, Statement
from tests.conftest import make_article, make_event, make_statement, make_topic

CHANGELIST = "admin:coverage_statement_changelist"


@pytest.fixture
def selected(db):
    article = make_article(body="One claim here. Another claim there. A third one.")
    return [
        make_statement(article, "One claim here."),
        make_statement(article, "Another claim there."),
        make_statement(article, "A third one."),
    ]


def run_action(client, action: str, statements, **extra):
    data = {"action": action, "_selected_action": [s.pk for s in statements], **extra}
    return client.post(reverse(CHANGELIST), data, follow="apply" in extra)


def test_set_topic_first_asks_for_the_topic_of_the_event(client, tagger, selected):
    client.force_login(tagger)
    topic = make_topic(selected[0].article.event, name="Right topic")
    make_topic(make_event(), name="Other event's topic")
    response = run_action(client, "set_topic", selected[:2])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Right topic" in html and "Other event's topic" not in html
    assert html.count('name="_selected_action"') == 2
    assert not Statement.objects.filter(topic=topic).exists()


def test_set_topic_applies_to_every_selected_statement_with_history(client, tagger, selected):
    client.force_login(tagger)
    topic = make_topic(selected[0].article.event)
    response = run_action(client, "set_topic", selected[:2], apply="1", topic=topic.pk)
    assert "Set topic to" in response.content.decode()
    assert [s.topic for s in Statement.objects.filter(pk__in=[s.pk for s in selected])] == [topic, topic, None]
    for statement in selected[:2]:
        entry = statement.history.first()
        assert (entry.history_user, entry.history_change_reason, entry.topic_id) == (
            tagger,
            "Bulk action: set topic",
            topic.pk,
        )


def test_set_topic_refuses_statements_of_several_events(client, tagger, selected):
    client.force_login(tagger)
    elsewhere = make_statement(make_article(body="Elsewhere said so. End."))
    response = run_action(client, "set_topic", [selected[0], elsewhere])
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("single event" in m for m in messages)


def test_set_topic_rejects_a_topic_of_another_event(client, tagger, selected):
    client.force_login(tagger)
    foreign = make_topic(make_event())
    response = run_action(client, "set_topic", selected[:1], apply="1", topic=foreign.pk)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Statement.objects.get(pk=selected[0].pk).topic is None


def test_set_frame_offers_the_codebooks_frames(client, tagger, selected):
    client.force_login(tagger)
    other = Codebook.objects.create(name="Own codebook", slug="own")
    Frame.objects.create(codebook=other, name="Not offered", slug="not-offered")
    response = run_action(client, "set_frame", selected)
    assert "Not offered" not in response.content.decode()
    frame = Frame.objects.filter(codebook=selected[0].article.event.codebook).last()
    run_action(client, "set_frame", selected, apply="1", frame=frame.pk)
    assert set(Statement.objects.values_list("frame", flat=True)) == {frame.pk}
    assert all(s.history.first().history_user == tagger for s in Statement.objects.all())


def test_set_tone_takes_a_value_from_minus_two_to_plus_two(client, tagger, selected):
    client.force_login(tagger)
    page = run_action(client, "set_tone", selected).content.decode()
    assert page.count('type="radio"') == 5
    bad = run_action(client, "set_tone", selected, apply="1", tone="3")
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    run_action(client, "set_tone", selected, apply="1", tone="-2")
    assert set(Statement.objects.values_list("tone", flat=True)) == {-2}


def test_a_bulk_action_can_apply_to_every_matching_statement(client, tagger, selected):
    client.force_login(tagger)
    url = reverse(CHANGELIST) + "?q=claim"
    page = client.post(url, {"action": "set_tone", "select_across": "1", "_selected_action": [selected[0].pk]})
    assert 'name="select_across" value="1"' in page.content.decode()
    client.post(
        url,
        {"action": "set_tone", "select_across": "1", "_selected_action": [selected[0].pk], "apply": "1", "tone": "1"},
    )
    assert list(Statement.objects.order_by("pk").values_list("tone", flat=True)) == [1, 1, 0]
