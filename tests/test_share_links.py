"""Public share links: made by editors, hashed, expiring, revocable, and never wider than one chart."""

import datetime as dt
import hashlib
import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coverage.models import SHARE_LINK_MAX_DAYS, ShareLink
from coverage.roles import EDITORS, TAGGERS
from tests.conftest import make_user


def share_create_url(event, kind="sources", query=""):
    url = reverse("coverage:chart_share", args=[event.slug, kind])
    return f"{url}?{query}" if query else url


def make_link(client, event, kind="sources", query="", days=None) -> tuple[str, ShareLink]:
    """POST the share form as the logged-in client; returns the token shown and the new link."""
    response = client.post(share_create_url(event, kind, query), {"days": days or 30})
    assert response.status_code == 201, response.content.decode()[:500]
    assert response["Cache-Control"] == "no-store"
    url = re.search(r'<textarea id="public-url"[^>]*>([^<]+)</textarea>', response.content.decode()).group(1)
    token = re.fullmatch(r"http://testserver/s/([A-Za-z0-9_-]+)/", url).group(1)
    return token, ShareLink.objects.latest("created_at")


def share_url(token, suffix=""):
    return reverse(f"coverage:share{suffix}", args=[token])


def figure_of(html: str) -> dict:
    return json.loads(
        re.search(r'<script id="figure-[^"]+" type="application/json">(.*?)</script>', html, re.S).group(1)
    )


@pytest.fixture
def link(editor_client, demo):
    return make_link(editor_client, demo, "sources", "outlet=rt")


def test_an_editor_makes_a_link_with_an_unguessable_token_stored_only_as_a_hash(editor_client, editor, demo):
    token, link = make_link(editor_client, demo, "tone", "tone=1&outlet=rt&tone=-1")
    assert len(token) >= 43  # secrets.token_urlsafe(32): 256 bits
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = ShareLink.objects.filter(pk=link.pk).values().get()
    assert not any(token in str(value) for value in stored.values())
    assert not any(token in str(session.get_decoded()) for session in Session.objects.all())
    assert (link.kind, link.event, link.created_by) == ("tone", demo, editor)
    assert link.querystring == "outlet=rt&tone=-1&tone=1"  # canonical, frozen


def test_a_link_lasts_30_days_by_default_and_the_creator_can_choose_within_the_limit(editor_client, demo):
    _, link = make_link(editor_client, demo)
    assert abs(link.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    _, link = make_link(editor_client, demo, days=7)
    assert abs(link.expires_at - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)
    for days in (0, SHARE_LINK_MAX_DAYS + 1, "soon"):
        response = editor_client.post(share_create_url(demo), {"days": days})
        assert response.status_code == 400
        assert "Open for (days)" in response.content.decode()
    assert ShareLink.objects.count() == 2


def test_making_a_link_needs_a_post_with_csrf_and_a_valid_filter(editor, demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(share_create_url(demo), {"days": 30}).status_code == 403
    assert client.get(share_create_url(demo)).status_code == 405
    client = Client()
    client.force_login(editor)
    response = client.post(share_create_url(demo, query="tone=9"), {"days": 30})
    assert response.status_code == 400 and "tone" in response.content.decode()
    assert not ShareLink.objects.exists()


def test_taggers_and_users_without_a_role_cannot_make_links(client, tagger, demo):
    for user in (tagger, make_user("nobody")):
        client.force_login(user)
        assert client.post(share_create_url(demo), {"days": 30}).status_code == 403
        assert client.get(reverse("coverage:share_links")).status_code == 403
    assert not ShareLink.objects.exists()


def test_the_editors_role_has_the_share_link_permissions(db):
    codenames = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    assert {"add_sharelink", "view_sharelink", "change_sharelink"} <= codenames
    assert "delete_sharelink" not in codenames
    assert not Group.objects.get(name=TAGGERS).permissions.filter(codename__contains="sharelink").exists()
    assert Permission.objects.filter(codename="add_sharelink").exists()


def test_anyone_with_the_link_sees_that_one_chart_and_its_table(link, demo):
    token, _ = link
    response = Client().get(share_url(token))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Who each outlet quotes" in html and "<table" in html
    figure = figure_of(html)
    assert [trace["name"] for trace in figure["data"]] == ["RT"]
    # Read-only and no way into the app: the only links are the chart's own downloads.
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert all(h.startswith(("/static/", share_url(token))) for h in hrefs), hrefs
    assert "<form" not in html and "csrf" not in html.lower()
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_share_pages_are_not_indexed_and_send_no_referrer(link):
    token, _ = link
    for url in (
        share_url(token),
        share_url(token, "_download_csv"),
        share_url(token, "_download_json"),
        share_url("nope"),
    ):
        response = Client().get(url)
        assert "noindex" in response["X-Robots-Tag"], url
        assert response["Referrer-Policy"] == "no-referrer", url
        assert response["Cache-Control"] == "no-store", url


def test_query_parameters_on_a_share_url_cannot_widen_the_data(link):
    token, _ = link
    client = Client()
    plain = figure_of(client.get(share_url(token)).content.decode())
    widened = client.get(share_url(token) + "?outlet=opposing-views&outlet=rt&tone=2&kind=quote")
    assert figure_of(widened.content.decode()) == plain
    assert (
        client.get(share_url(token, "_download_csv") + "?outlet=opposing-views").content
        == client.get(share_url(token, "_download_csv")).content
    )
    assert (
        "Opposing Views"
        not in client.get(share_url(token, "_download_csv") + "?outlet=opposing-views").content.decode()
    )


def test_the_shared_csv_and_json_match_the_shared_figure(link):
    token, _ = link
    client = Client()
    figure = figure_of(client.get(share_url(token)).content.decode())
    response = client.get(share_url(token, "_download_json"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content) == figure
    csv_text = client.get(share_url(token, "_download_csv")).content.decode()
    for share in figure["data"][0]["y"]:
        assert f",{share}," in csv_text


def _not_found(token):
    response = Client().get(share_url(token))
    assert response.status_code == 404
    return response.content


def test_expired_revoked_tampered_and_unknown_tokens_give_the_same_404(editor_client, demo):
    expired, expired_link = make_link(editor_client, demo)
    ShareLink.objects.filter(pk=expired_link.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    revoked, revoked_link = make_link(editor_client, demo)
    revoked_link.revoke()
    good, _ = make_link(editor_client, demo)
    tampered = good[:-1] + ("A" if good[-1] != "A" else "B")
    bodies = {_not_found(t) for t in (expired, revoked, tampered, "x" * 43, "x" * 500)}
    assert len(bodies) == 1
    assert Client().get(share_url(good)).status_code == 200
    for token in (expired, revoked, tampered):
        assert Client().get(share_url(token, "_download_csv")).status_code == 404
        assert Client().get(share_url(token, "_download_json")).status_code == 404


def test_the_creator_lists_and_revokes_their_own_links(editor_client, editor, demo):
    token, link = make_link(editor_client, demo)
    other = make_user("other-editor", EDITORS)
    client = Client()
    client.force_login(other)
    make_link(client, demo, "frames")
    html = editor_client.get(reverse("coverage:share_links")).content.decode()
    assert html.count('class="state state-active"') == 1  # only my link, not the other editor's
    revoke = reverse("coverage:share_link_revoke", args=[link.pk])
    assert editor_client.get(revoke).status_code == 405
    response = editor_client.post(revoke)
    assert response.status_code == 302 and response["Location"] == reverse("coverage:share_links")
    link.refresh_from_db()
    assert link.revoked_at is not None and link.status == "revoked"
    assert Client().get(share_url(token)).status_code == 404
    assert "revoked" in editor_client.get(reverse("coverage:share_links")).content.decode()


def test_another_editor_cannot_revoke_your_link(editor_client, demo):
    token, link = make_link(editor_client, demo)
    client = Client()
    client.force_login(make_user("other-editor", EDITORS))
    assert client.post(reverse("coverage:share_link_revoke", args=[link.pk])).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    assert Client().get(share_url(token)).status_code == 200


def test_an_admin_lists_every_link_and_revokes_them_in_admin(client, editor_client, admin_user, demo):
    token, link = make_link(editor_client, demo)
    client.force_login(admin_user)
    changelist = reverse("admin:coverage_sharelink_changelist")
    html = client.get(changelist).content.decode()
    assert "Who is quoted" in html and "ed" in html
    assert (
        link.token_hash not in client.get(reverse("admin:coverage_sharelink_change", args=[link.pk])).content.decode()
    )
    assert client.get(reverse("admin:coverage_sharelink_add")).status_code == 403
    response = client.post(changelist, {"action": "revoke", "_selected_action": [link.pk]})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert Client().get(share_url(token)).status_code == 404


def test_anonymous_access_to_everything_else_still_goes_to_login(link, demo):
    client = Client()
    token, shared = link
    for url in (
        reverse("coverage:event_list"),
        demo.get_absolute_url(),
        reverse("coverage:chart", args=[demo.slug, "sources"]),
        reverse("coverage:chart_csv", args=[demo.slug, "sources"]),
        reverse("coverage:share_links"),
        demo.articles.first().get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    response = client.post(reverse("coverage:share_link_revoke", args=[shared.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client.post(share_create_url(demo), {"days": 30})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_link_whose_frozen_filter_no_longer_fits_the_data_is_not_found(editor_client, demo):
    token, _ = make_link(editor_client, demo, "tone", "topic=thaad")
    demo.topics.filter(slug="thaad").update(slug="thaad-renamed")
    assert Client().get(share_url(token)).status_code == 404


def test_a_link_to_the_chart_across_events(editor_client, demo):
    response = editor_client.post(reverse("coverage:chart_across_events_share", args=["tone-over-time"]), {"days": 3})
    assert response.status_code == 201
    link = ShareLink.objects.get()
    assert link.event is None and link.kind == "tone-over-time"
    token = re.search(r"/s/([A-Za-z0-9_-]+)/", response.content.decode()).group(1)
    assert "Mean tone" in Client().get(share_url(token)).content.decode()


def test_the_creator_changes_how_long_a_link_stays_open_within_the_limit(editor_client, demo):
    token, link = make_link(editor_client, demo)
    expiry = reverse("coverage:share_link_expiry", args=[link.pk])
    assert editor_client.post(expiry, {"days": 2}).status_code == 302
    link.refresh_from_db()
    assert abs(link.expires_at - (timezone.now() + dt.timedelta(days=2))) < dt.timedelta(minutes=1)
    response = editor_client.post(expiry, {"days": SHARE_LINK_MAX_DAYS + 1}, follow=True)
    assert "less than or equal to" in response.content.decode()
    link.refresh_from_db()
    assert link.expires_at < timezone.now() + dt.timedelta(days=3)
    other = Client()
    other.force_login(make_user("other-editor", EDITORS))
    assert other.post(expiry, {"days": 90}).status_code == 404
    link.revoke()
    assert editor_client.post(expiry, {"days": 5}).status_code == 404  # a revoked link stays revoked
    assert Client().get(share_url(token)).status_code == 404


# ---------------------------------------------------------------- hardening (issue 12)


def test_links_of_a_deactivated_creator_stop_opening_and_open_again_when_reactivated(editor_client, editor, demo):
    token, _ = make_link(editor_client, demo)
    editor.is_active = False
    editor.save()
    assert Client().get(share_url(token)).status_code == 404
    assert Client().get(share_url(token, "_download_csv")).status_code == 404
    editor.is_active = True
    editor.save()
    assert Client().get(share_url(token)).status_code == 200


def test_links_of_a_creator_who_left_the_editors_stop_opening(editor_client, editor, demo):
    token, link = make_link(editor_client, demo)
    editor.groups.clear()
    assert Client().get(share_url(token)).status_code == 404
    assert not ShareLink.objects.active().filter(pk=link.pk).exists()


def test_links_of_an_admin_who_is_no_editor_keep_opening(client, admin_user, demo):
    client.force_login(admin_user)
    token, _ = make_link(client, demo)
    assert Client().get(share_url(token)).status_code == 200


def test_the_share_link_admin_is_for_admins_only(client, editor_client, demo):
    _, link = make_link(editor_client, demo)
    both = make_user("both-roles", EDITORS, is_staff=True)
    both.groups.add(Group.objects.get(name=TAGGERS))
    client.force_login(both)
    assert client.get(reverse("admin:index")).status_code == 200  # a tagger may open admin
    assert "Share links" not in client.get(reverse("admin:index")).content.decode()
    changelist = reverse("admin:coverage_sharelink_changelist")
    assert client.get(changelist).status_code == 403
    assert client.get(reverse("admin:coverage_sharelink_change", args=[link.pk])).status_code == 403
    assert client.post(changelist, {"action": "revoke", "_selected_action": [link.pk]}).status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None


def test_admin_shows_a_link_whose_creator_may_no_longer_share_as_suspended(
    client, admin_user, editor_client, editor, demo
):
    make_link(editor_client, demo)
    editor.groups.clear()
    client.force_login(admin_user)
    html = client.get(reverse("admin:coverage_sharelink_changelist")).content.decode()
    assert "suspended (its creator may no longer share)" in html


def test_repeated_filter_values_are_frozen_once(editor_client, demo):
    _, link = make_link(editor_client, demo, "tone", "&".join(["tone=1"] * 300 + ["outlet=rt"] * 5))
    assert link.querystring == "outlet=rt&tone=1"


def test_filters_too_long_for_a_link_get_a_400_that_says_so_and_make_nothing(editor_client, demo):
    from tests.conftest import make_topic

    slugs = [make_topic(demo, slug=f"{'long-topic-name-' * 5}{n}").slug for n in range(25)]
    response = editor_client.post(share_create_url(demo, "tone", "&".join(f"topic={s}" for s in slugs)), {"days": 30})
    assert response.status_code == 400
    html = response.content.decode()
    assert "a share link holds at most 2,000" in html and "Choose fewer values" in html
    assert not ShareLink.objects.exists()
