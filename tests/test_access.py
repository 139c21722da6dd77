"""Who may open what: login everywhere on the dashboard, and the two roles' limits."""

import pytest
from django.urls import reverse

from coverage.models import Event, Outlet
from tests.conftest import make_user


@pytest.fixture
def dashboard_urls(demo):
    article = demo.articles.first()
    return [
        reverse("coverage:event_list"),
        reverse("coverage:event_detail", args=[demo.slug]),
        reverse("coverage:article_detail", args=[article.pk]),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, dashboard_urls):
    for url in dashboard_urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_a_user_without_a_role_is_forbidden(client, dashboard_urls):
    client.force_login(make_user("nobody"))
    for url in dashboard_urls:
        assert client.get(url).status_code == 403, url


def test_editors_and_taggers_read_the_dashboard(client, dashboard_urls, editor, tagger):
    for user in (editor, tagger):
        client.force_login(user)
        for url in dashboard_urls:
            assert client.get(url).status_code == 200, (user, url)


def test_the_login_page_logs_an_editor_in(client, editor, dashboard_urls):
    response = client.post(reverse("login"), {"username": "ed", "password": "pw-for-tests-only"})
    assert response.status_code == 302
    assert client.get(dashboard_urls[0]).status_code == 200


def test_logout_is_a_post(editor_client):
    assert editor_client.get(reverse("logout")).status_code == 405
    assert editor_client.post(reverse("logout")).status_code == 302
    assert editor_client.get(reverse("coverage:event_list")).status_code == 302


def test_editors_cannot_open_admin(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize(
    "model",
    ["article", "statement", "source", "topic"],
)
def test_taggers_can_add_and_change_tagging_rows(client, tagger, demo, model):
    client.force_login(tagger)
    assert client.get(reverse(f"admin:coverage_{model}_add")).status_code == 200
    assert client.get(reverse(f"admin:coverage_{model}_changelist")).status_code == 200


def test_taggers_cannot_delete_outlets_or_events(client, tagger, demo):
    client.force_login(tagger)
    outlet = Outlet.objects.first()
    assert client.get(reverse("admin:coverage_outlet_delete", args=[outlet.pk])).status_code == 403
    assert client.post(reverse("admin:coverage_event_delete", args=[demo.pk]), {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=demo.pk).exists()


def test_taggers_cannot_change_outlets_events_or_codebooks(client, tagger, demo):
    client.force_login(tagger)
    outlet = Outlet.objects.first()
    response = client.post(reverse("admin:coverage_outlet_change", args=[outlet.pk]), {"name": "Renamed"})
    assert response.status_code == 403
    assert client.get(reverse("admin:coverage_codebook_add")).status_code == 403


def test_taggers_cannot_manage_users(client, tagger):
    client.force_login(tagger)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_admins_can_manage_users_and_delete_outlets(client, admin_user, demo):
    client.force_login(admin_user)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    outlet = Outlet.objects.first()
    assert client.get(reverse("admin:coverage_outlet_delete", args=[outlet.pk])).status_code == 200


def test_every_admin_changelist_opens_for_an_admin(client, admin_user, demo):
    client.force_login(admin_user)
    for model in ["outlet", "event", "article", "topic", "source", "statement", "codebook", "frame"]:
        assert client.get(reverse(f"admin:coverage_{model}_changelist")).status_code == 200, model
        assert client.get(reverse(f"admin:coverage_{model}_changelist") + "?q=putin").status_code == 200, model
