"""Tagging permissions: taggers tag, never administer; editors never open admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from coverage.models import Article, Codebook, Frame, Outlet, Source, Statement, Topic
from coverage.roles import EDITORS, TAGGERS
from tests.conftest import make_article, make_source, make_statement, make_user


@pytest.fixture
def tagger_client(client, tagger):
    client.force_login(tagger)
    return client


def test_taggers_add_articles_sources_and_topics(tagger_client, demo):
    outlet = Outlet.objects.first()
    article = {
        "event": demo.pk,
        "outlet": outlet.pk,
        "headline": "Added by a tagger",
        "url": "",
        "byline": "",
        "body": "Some text.",
        "original_text": "",
        "tagging_status": "not_started",
        "statements-TOTAL_FORMS": "0",
        "statements-INITIAL_FORMS": "0",
    }
    assert tagger_client.post(reverse("admin:coverage_article_add"), article).status_code == 302
    source = {"name": "New Analyst", "type": "expert", "affiliation": "", "aliases": "Analyst"}
    assert tagger_client.post(reverse("admin:coverage_source_add"), source).status_code == 302
    topic = {"event": demo.pk, "name": "New aspect", "slug": "new-aspect", "number": "0", "description": ""}
    assert tagger_client.post(reverse("admin:coverage_topic_add"), topic).status_code == 302
    assert Article.objects.filter(headline="Added by a tagger").exists()
    assert Source.objects.filter(name="New Analyst").exists()
    assert Topic.objects.filter(slug="new-aspect").exists()


def test_taggers_change_articles_sources_topics_and_statements(tagger_client, demo):
    source = Source.objects.get(name="Matthew Wallin")
    data = {
        "name": source.name,
        "type": source.type,
        "affiliation": source.affiliation,
        "aliases": "Wallin\nM. Wallin",
        "opened_version": source.version,
    }
    assert tagger_client.post(reverse("admin:coverage_source_change", args=[source.pk]), data).status_code == 302
    topic = Topic.objects.filter(event=demo).first()
    data = {"event": demo.pk, "name": "Renamed", "slug": topic.slug, "number": "1", "description": "", "is_key": "on"}
    assert tagger_client.post(reverse("admin:coverage_topic_change", args=[topic.pk]), data).status_code == 302
    statement = Statement.objects.filter(article__event=demo).first()
    assert tagger_client.get(reverse("admin:coverage_statement_change", args=[statement.pk])).status_code == 200
    article = demo.articles.first()
    assert tagger_client.get(reverse("admin:coverage_article_change", args=[article.pk])).context[
        "has_change_permission"
    ]
    assert Source.objects.get(pk=source.pk).alias_list() == ["Wallin", "M. Wallin"]


@pytest.mark.parametrize("model", ["outlet", "event", "codebook", "frame", "article", "source", "topic"])
def test_taggers_cannot_delete_what_they_do_not_own(tagger_client, demo, model):
    obj = {
        "outlet": Outlet.objects.first,
        "event": lambda: demo,
        "codebook": Codebook.objects.first,
        "frame": Frame.objects.first,
        "article": demo.articles.first,
        "source": Source.objects.first,
        "topic": Topic.objects.first,
    }[model]()
    url = reverse(f"admin:coverage_{model}_delete", args=[obj.pk])
    assert tagger_client.post(url, {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_taggers_cannot_edit_codebooks_or_frames(tagger_client, demo):
    codebook = Codebook.objects.first()
    url = reverse("admin:coverage_codebook_change", args=[codebook.pk])
    assert tagger_client.post(url, {"name": "Mine", "slug": "mine"}).status_code == 403
    assert tagger_client.get(reverse("admin:coverage_frame_add")).status_code == 403
    frame = Frame.objects.first()
    url = reverse("admin:coverage_frame_change", args=[frame.pk])
    assert tagger_client.post(url, {"codebook": codebook.pk, "name": "X", "slug": "x", "number": 1}).status_code == 403
    assert Codebook.objects.get(pk=codebook.pk).name != "Mine"


def test_taggers_cannot_change_outlets_or_events(tagger_client, demo):
    outlet = Outlet.objects.first()
    assert (
        tagger_client.post(reverse("admin:coverage_outlet_change", args=[outlet.pk]), {"name": "X"}).status_code == 403
    )
    assert tagger_client.get(reverse("admin:coverage_event_add")).status_code == 403


@pytest.mark.parametrize(
    "url_name", ["auth_user_changelist", "auth_user_add", "auth_group_changelist", "auth_group_add"]
)
def test_taggers_cannot_manage_users_or_groups(tagger_client, url_name):
    assert tagger_client.get(reverse(f"admin:{url_name}")).status_code == 403


def test_taggers_cannot_delete_sources_in_bulk_but_can_merge_them(tagger_client, demo):
    response = tagger_client.get(reverse("admin:coverage_source_changelist"))
    actions = [value for value, _ in response.context["action_form"].fields["action"].choices]
    assert "merge_into" in actions and "delete_selected" not in actions


def test_taggers_run_the_statement_actions(tagger_client, demo):
    response = tagger_client.get(reverse("admin:coverage_statement_changelist"))
    actions = {value for value, _ in response.context["action_form"].fields["action"].choices}
    assert {"accept_suggestions", "reject_suggestions", "set_topic", "set_frame", "set_tone"} <= actions


def test_staff_who_may_only_view_statements_cannot_change_them_in_bulk_or_review(client, demo):
    viewer = make_user("viewer", None, is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["view_statement", "view_article"]))
    client.force_login(viewer)
    response = client.get(reverse("admin:coverage_statement_changelist"))
    actions = (
        {value for value, _ in response.context["action_form"].fields["action"].choices}
        if response.context["action_form"]
        else set()
    )
    assert not actions & {"accept_suggestions", "set_topic", "set_frame", "set_tone"}
    statement = Statement.objects.first()
    response = client.post(reverse("admin:coverage_statement_review"), {"ids": [statement.pk], "decision": "reject"})
    assert response.status_code == 403
    page = client.get(reverse("admin:coverage_article_change", args=[statement.article_id]))
    assert page.status_code == 200 and page.context["tagging"]["form"] is None
    assert 'id="tag-form"' not in page.content.decode()


def test_editors_cannot_open_admin_even_with_a_staff_flag(client, demo):
    editor = make_user("staff-editor", EDITORS, is_staff=True)
    client.force_login(editor)
    for url in [
        reverse("admin:index"),
        reverse("admin:coverage_statement_changelist"),
        reverse("admin:coverage_article_change", args=[demo.articles.first().pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login"))
    response = client.post(reverse("admin:coverage_statement_review"), {"ids": [1], "decision": "accept"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_someone_who_is_both_editor_and_tagger_tags(client, demo):
    both = make_user("both", TAGGERS, is_staff=True)
    both.groups.add(*both.groups.model.objects.filter(name=EDITORS))
    client.force_login(both)
    assert client.get(reverse("admin:coverage_statement_changelist")).status_code == 200


def test_editors_cannot_use_the_admin_autocomplete(client, editor, demo):
    client.force_login(editor)
    params = {"app_label": "coverage", "model_name": "statement", "field_name": "source", "term": "Putin"}
    response = client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 302


def test_anonymous_visitors_cannot_review(client, db):
    statement = make_statement(make_article(), source=make_source())
    response = client.post(reverse("admin:coverage_statement_review"), {"ids": [statement.pk], "decision": "accept"})
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_review_needs_the_csrf_token(tagger, db):
    from django.test import Client

    statement = make_statement(make_article())
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(tagger)
    response = strict.post(reverse("admin:coverage_statement_review"), {"ids": [statement.pk], "decision": "reject"})
    assert response.status_code == 403
    assert Statement.objects.get(pk=statement.pk).status == "accepted"
