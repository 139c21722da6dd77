"""Error pages: in the site's layout, with navigation, a way out and a log-out button; the 500
page renders without the database."""

import re

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from coverage import errors
from tests.conftest import make_user

LOGOUT_FORM = re.compile(
    r'<form method="post" action="/logout/"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken"'
)


def has_site_layout(html: str) -> bool:
    return 'class="site-header"' in html and 'href="/"' in html and "/static/coverage/site.css" in html


def test_an_unknown_address_gets_the_404_page_in_the_site_layout(editor_client):
    response = editor_client.get("/no/such/<page>/")
    html = response.content.decode()
    assert response.status_code == 404
    assert has_site_layout(html)
    assert "Page not found" in html
    assert "/no/such/&lt;page&gt;/" in html  # the address, escaped
    assert LOGOUT_FORM.search(html)
    assert 'href="/outlets/"' in html


def test_the_404_page_links_back_only_to_a_page_of_this_site(editor_client):
    html = editor_client.get("/nope/", HTTP_REFERER="http://testserver/outlets/").content.decode()
    assert 'href="http://testserver/outlets/">Back to the page you came from' in html
    html = editor_client.get("/nope/", HTTP_REFERER="https://elsewhere.example/phish").content.decode()
    assert "elsewhere.example" not in html


def test_an_anonymous_visitor_on_a_404_is_offered_the_login_page(client, db):
    html = client.get("/nope/").content.decode()
    assert has_site_layout(html)
    assert 'href="/login/">Log in</a>' in html
    assert not LOGOUT_FORM.search(html)


def test_a_user_without_a_role_is_told_what_happened_whom_to_ask_and_how_to_log_out(client, demo):
    client.force_login(make_user("newcomer"))
    response = client.get(reverse("coverage:event_detail", args=[demo.slug]))
    html = response.content.decode()
    assert response.status_code == 403
    assert has_site_layout(html)
    assert "has no role in Framescope yet" in html
    assert "newcomer" in html
    assert "Ask a Framescope admin" in html and "Editors" in html and "Taggers" in html
    assert len(LOGOUT_FORM.findall(html)) == 2  # in the header and in the page
    assert "Log out and log in as someone else" in html


def test_a_user_with_a_role_forbidden_an_action_is_not_told_they_lack_a_role(client, tagger, demo):
    client.force_login(tagger)  # taggers read the dashboard but have no share links
    response = client.get(reverse("coverage:share_links"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your account cannot do this" in html
    assert "no role" not in html
    assert LOGOUT_FORM.search(html)


def test_a_request_django_refuses_gets_the_400_page(client, db):
    response = client.get("/", HTTP_HOST="not-an-allowed-host.example")
    html = response.content.decode()
    assert response.status_code == 400
    assert has_site_layout(html)
    assert "This request could not be read" in html


def test_a_form_from_a_stale_page_gets_the_expired_form_page(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("ed2"))
    response = client.post(reverse("logout"))
    html = response.content.decode()
    assert response.status_code == 403
    assert has_site_layout(html)
    assert "This form has expired" in html


def _request_with_a_session_cookie():
    """A request as the middleware leaves it: the session and user are there but still lazy."""
    request = RequestFactory().get("/events/x/", HTTP_COOKIE="sessionid=abcdefghijklmnopqrstuvwxyz012345")
    request.COOKIES["sessionid"] = "abcdefghijklmnopqrstuvwxyz012345"
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    AuthenticationMiddleware(lambda r: HttpResponse()).process_request(request)
    return request


def test_the_500_page_renders_without_touching_the_database():
    # No `db` fixture: any query (reading the session, the user or messages) raises here.
    response = errors.server_error(_request_with_a_session_cookie())
    html = response.content.decode()
    assert response.status_code == 500
    assert has_site_layout(html)
    assert "Something went wrong on our side" in html
    assert LOGOUT_FORM.search(html)
    assert 'href="/outlets/"' in html


def test_the_lazy_request_used_above_would_read_the_database_if_asked():
    # Guards the test above: the same request does reach for the database once the user is read.
    request = _request_with_a_session_cookie()
    with pytest.raises(RuntimeError, match="Database access not allowed"):
        request.user.is_authenticated  # noqa: B018 - reading it is the point


def test_an_exception_in_a_view_gives_the_500_page(editor, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(editor)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("coverage.views.readmodel.read_figures", broken)
    response = client.get(reverse("coverage:event_list"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_the_header_offers_a_user_without_a_role_no_dashboard_links_that_would_refuse_them(client, db):
    client.force_login(make_user("newcomer"))
    html = client.get(reverse("coverage:event_list")).content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert 'href="/outlets/"' not in header
    assert LOGOUT_FORM.search(header)
