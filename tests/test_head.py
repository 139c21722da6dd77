"""HEAD works wherever GET does (uptime monitors and link checkers send HEAD), with no body."""

import pytest
from django.urls import reverse

from coverage.models import ChartKind, ShareLink


def dashboard_pages(demo) -> list[str]:
    article = demo.articles.first()
    pages = [
        reverse("coverage:event_list"),
        reverse("coverage:event_detail", args=[demo.slug]),
        reverse("coverage:event_detail", args=[demo.slug]) + "?outlet=rt&tone=-1",
        reverse("coverage:event_statements", args=[demo.slug]) + "?outlet=rt",
        reverse("coverage:event_compare", args=[demo.slug]),
        reverse("coverage:outlet_overview"),
        reverse("coverage:article_detail", args=[article.pk]),
        reverse("coverage:share_links"),
        reverse("coverage:chart_across_events", args=["tone-over-time"]),
        reverse("coverage:chart_across_events_csv", args=["tone-over-time"]),
    ]
    for kind in ChartKind.per_event():
        pages.append(reverse("coverage:chart", args=[demo.slug, kind.value]))
        pages.append(reverse("coverage:chart_csv", args=[demo.slug, kind.value]))
        pages.append(reverse("coverage:chart_json", args=[demo.slug, kind.value]))
    return pages


def test_head_answers_200_with_no_body_on_every_dashboard_page(editor_client, demo):
    failures = []
    for url in dashboard_pages(demo):
        assert editor_client.get(url).status_code == 200, url
        response = editor_client.head(url)
        if response.status_code != 200 or response.content:
            failures.append((url, response.status_code))
    assert failures == []


def test_head_answers_200_on_the_public_share_page_and_its_downloads(client, demo, editor):
    link, token = ShareLink.create_for(kind="sources", event=demo, querystring="", user=editor, days=7)
    for name in ("coverage:share", "coverage:share_download_csv", "coverage:share_download_json"):
        url = reverse(name, args=[token])
        assert client.get(url).status_code == 200, url
        assert client.head(url).status_code == 200, url


def test_head_answers_200_on_the_login_page(client, db):
    assert client.head(reverse("login")).status_code == 200


@pytest.mark.parametrize("path", ["admin:index", "admin:coverage_article_import"])
def test_head_answers_200_on_admin_pages(client, admin_user, path):
    client.force_login(admin_user)
    assert client.get(reverse(path)).status_code == 200
    assert client.head(reverse(path)).status_code == 200


def test_head_on_an_unknown_address_is_the_404_as_for_get(editor_client):
    assert editor_client.head("/no/such/page/").status_code == 404


def test_head_is_still_refused_where_get_is_refused(editor_client):
    # Logging out is a POST: GET and HEAD both get 405.
    assert editor_client.get(reverse("logout")).status_code == 405
    assert editor_client.head(reverse("logout")).status_code == 405
