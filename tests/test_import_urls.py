"""Import by URL: manage.py import_articles URL … and the admin's web addresses, against a local server.

The pages are made up here, about an event other than the demo's; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from coverage.importers import web
from coverage.models import Article, Outlet

from .conftest import make_event, make_outlet

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Council approves the airport tram line</title>
<meta property="og:site_name" content="The Valley Post">
<meta name="author" content="Claire Martin">
<meta property="article:published_time" content="2019-03-14T06:15:00+00:00">
</head><body>
<nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/sport">Sport</a></nav>
<article><h1>Council approves the airport tram line</h1>
<p>The city council voted on Wednesday to build a tram line to the airport, ending a debate that had lasted for more than a decade.</p>
<p>“This is a good day for the city,” the mayor said after the vote, which passed by 31 votes to 12.</p>
<p>Work on the line is to start next spring and take three years, the council's transport office said.</p>
</article><footer>Share this article · Copyright 2019 The Valley Post</footer></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}
    seen: list = []

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        type(self).seen.append((self.path, dict(self.headers)))
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        status, headers, body = route() if callable(route) else route
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server(settings):
    """A web server on 127.0.0.1 serving the routes a test sets; private hosts allowed for it."""
    settings.IMPORT_ALLOW_PRIVATE_HOSTS = True
    _Handler.routes, _Handler.seen = {}, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def html(body: str = PAGE, content_type: str = "text/html; charset=utf-8") -> tuple:
    return 200, {"Content-Type": content_type}, body.encode("utf-8")


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def event(db):
    return make_event(slug="tram-vote")


def test_a_url_imports_title_date_author_and_body_into_the_outlet_of_its_host(server, event):
    server.RequestHandlerClass.routes["/news/tram"] = html()
    outlet = make_outlet(slug="valley-post", website=f"{server.base}/")
    run(f"{server.base}/news/tram", "--event", event.slug)
    article = Article.objects.get()
    assert article.outlet == outlet
    assert article.url == f"{server.base}/news/tram"
    assert article.headline == "Council approves the airport tram line"
    assert article.byline == "Claire Martin"
    assert article.published_at == dt.datetime(2019, 3, 14, 6, 15, tzinfo=dt.UTC)
    assert article.body.startswith("The city council voted on Wednesday")
    assert "Home" not in article.body and "Copyright" not in article.body


def test_the_request_names_framescope_in_its_user_agent(server, event):
    server.RequestHandlerClass.routes["/news/tram"] = html()
    make_outlet(website=f"{server.base}/")
    run(f"{server.base}/news/tram", "--event", event.slug)
    (_, headers) = server.RequestHandlerClass.seen[0]
    assert headers["User-Agent"].startswith("Framescope/")


def test_urls_and_files_mix_in_one_import(server, event, tmp_path):
    server.RequestHandlerClass.routes["/news/tram"] = html()
    outlet = make_outlet(slug="valley-post", website=f"{server.base}/")
    text = tmp_path / "floods.txt"
    text.write_text("Floods close the main road\n\n14.03.2019\n\nHeavy rain flooded the road overnight.\n")
    run(str(text), f"{server.base}/news/tram", "--event", event.slug, "--outlet", outlet.slug)
    assert Article.objects.count() == 2


def test_an_unknown_site_is_refused_unless_an_outlet_is_created_from_it(server, event):
    server.RequestHandlerClass.routes["/news/tram"] = html()
    url = f"{server.base}/news/tram"
    with pytest.raises(CommandError, match=r"field “outlet”: no outlet has the website 127.0.0.1"):
        run(url, "--event", event.slug)
    assert not Article.objects.exists()
    run(url, "--event", event.slug, "--create-outlet")
    outlet = Outlet.objects.get()
    assert (outlet.name, outlet.website) == ("The Valley Post", f"{server.base}/")
    assert outlet.colour.startswith("#")
    assert Article.objects.get().outlet == outlet


def test_redirects_are_followed_and_the_final_address_is_kept(server, event):
    server.RequestHandlerClass.routes["/old"] = (301, {"Location": "/news/tram"}, b"")
    server.RequestHandlerClass.routes["/news/tram"] = html()
    make_outlet(website=f"{server.base}/")
    run(f"{server.base}/old", "--event", event.slug)
    assert Article.objects.get().url == f"{server.base}/news/tram"


def test_a_redirect_loop_stops(server, event):
    server.RequestHandlerClass.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(CommandError, match=r"/loop, whole page, field “url”: more than 5 redirects"):
        run(f"{server.base}/loop", "--event", event.slug)


@pytest.mark.parametrize(
    "route, message",
    [
        (None, "the server answered 404 Not Found"),
        ((200, {"Content-Type": "image/png"}, b"\x89PNG"), "the server sent “image/png”, not a web page, text or feed"),
        (
            (200, {"Content-Type": "application/json"}, b"{}"),
            "the server sent “application/json”, not a web page, text or feed",
        ),
    ],
)
def test_pages_that_are_not_articles_are_refused_and_nothing_is_written(server, event, tmp_path, route, message):
    if route:
        server.RequestHandlerClass.routes["/x"] = route
    text = tmp_path / "floods.txt"
    text.write_text("Floods close the main road\n\nHeavy rain flooded the road overnight.\n")
    outlet = make_outlet()
    with pytest.raises(CommandError) as error:
        run(str(text), f"{server.base}/x", "--event", event.slug, "--outlet", outlet.slug)
    assert f"{server.base}/x, whole page, field “url”: {message}" in str(error.value)
    assert not Article.objects.exists()


def test_a_page_over_the_size_cap_is_refused(server, event, monkeypatch):
    monkeypatch.setattr(web, "MAX_BYTES", 2_000_000)
    big = PAGE.replace("</article>", "<p>" + "word " * 500_000 + "</p></article>")
    server.RequestHandlerClass.routes["/big"] = html(big)
    with pytest.raises(CommandError, match="the page is larger than 2 MB"):
        run(f"{server.base}/big", "--event", event.slug, "--outlet", make_outlet().slug)


def test_a_server_that_does_not_answer_in_time_is_given_up(server, event, monkeypatch):
    monkeypatch.setattr(web, "READ_SECONDS", 0.3)

    def slow():
        time.sleep(1.5)
        return html()

    server.RequestHandlerClass.routes["/slow"] = slow
    with pytest.raises(CommandError, match=r"field “url”: no answer from 127.0.0.1 in time"):
        run(f"{server.base}/slow", "--event", event.slug, "--outlet", make_outlet().slug)


@pytest.mark.parametrize("url", ["ftp://example.org/a.txt", "file:///etc/passwd", "gopher://example.org/"])
def test_only_http_and_https_are_fetched(db, url):
    with pytest.raises(CommandError, match=r"field “url”: only http and https addresses are fetched"):
        run(url, "--event", make_event().slug, "--outlet", make_outlet().slug)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "10.0.0.8", "169.254.169.254", "[::1]"])
def test_private_and_loopback_hosts_are_refused_by_default(db, settings, host):
    settings.IMPORT_ALLOW_PRIVATE_HOSTS = False
    with pytest.raises(CommandError, match=r"is at a private, loopback or link-local address"):
        run(f"http://{host}/admin", "--event", make_event().slug, "--outlet", make_outlet().slug)


def test_a_redirect_to_a_private_host_is_refused(server, event, settings, monkeypatch):
    """The first hop is allowed here by pretending 127.0.0.1 is public; the second names a private one."""
    server.RequestHandlerClass.routes["/hop"] = (302, {"Location": "http://10.0.0.8/secret"}, b"")
    checked = web._checked_address

    def only_loopback_allowed(host: str, port: int, allow_private: bool) -> str:
        return checked(host, port, allow_private=host == "127.0.0.1")

    monkeypatch.setattr(web, "_checked_address", only_loopback_allowed)
    with pytest.raises(CommandError, match=r"“10.0.0.8” is at a private, loopback or link-local address"):
        run(f"{server.base}/hop", "--event", event.slug, "--outlet", make_outlet().slug)


# The admin page --------------------------------------------------------------------

IMPORT_URL = reverse("admin:coverage_article_import")


def test_the_admin_fetches_a_url_previews_it_and_saves_it_without_fetching_again(server, event, client, tagger):
    server.RequestHandlerClass.routes["/news/tram"] = html()
    outlet = make_outlet(website=f"{server.base}/")
    client.force_login(tagger)
    response = client.post(IMPORT_URL, {"urls": f"{server.base}/news/tram", "event": event.slug})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Council approves the airport tram line" in content and "Claire Martin" in content
    assert not Article.objects.exists()
    payload = re.search(r'name="payload" value="([^"]+)"', content).group(1)
    hits = len(server.RequestHandlerClass.seen)
    response = client.post(IMPORT_URL, {"payload": payload})
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.url, article.outlet) == (f"{server.base}/news/tram", outlet)
    assert len(server.RequestHandlerClass.seen) == hits


def test_the_admin_refuses_a_url_that_is_not_http(client, tagger, event):
    client.force_login(tagger)
    response = client.post(IMPORT_URL, {"urls": "javascript:alert(1)", "event": event.slug})
    assert response.status_code == 400
    assert "is not an http or https address" in response.content.decode()


def test_the_admin_reports_a_page_it_could_not_fetch(server, client, tagger, event):
    client.force_login(tagger)
    response = client.post(IMPORT_URL, {"urls": f"{server.base}/missing", "event": event.slug})
    assert response.status_code == 400
    assert "the server answered 404" in response.content.decode()


# Feeds and sitemaps: their articles are listed to pick from ---------------------------

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>The Valley Post</title>
<item><title>Council approves the airport tram line</title><link>{base}/news/tram</link></item>
<item><title>Floods close the main road</title><link>{base}/news/floods</link></item>
<item><title>Not a web address</title><link>javascript:alert(1)</link></item>
</channel></rss>"""
ATOM = """<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Valley</title>
<entry><title>Council approves the airport tram line</title><link rel="alternate" href="{base}/news/tram"/></entry>
</feed>"""
SITEMAP = """<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/news/tram</loc></url><url><loc>{base}/news/floods</loc></url></urlset>"""


@pytest.mark.parametrize(
    "document, content_type, expected",
    [
        (RSS, "application/rss+xml", ["/news/tram  Council approves the airport tram line", "/news/floods  Floods"]),
        (ATOM, "application/atom+xml", ["/news/tram  Council approves the airport tram line"]),
        (SITEMAP, "application/xml", ["/news/tram", "/news/floods"]),
    ],
)
def test_a_feed_or_sitemap_lists_its_articles_and_imports_nothing(server, event, document, content_type, expected):
    server.RequestHandlerClass.routes["/feed"] = html(document.format(base=server.base), content_type)
    out, _ = run(f"{server.base}/feed", "--event", event.slug)
    assert f"{server.base}/feed lists {len(expected)} article(s)" in out
    for line in expected:
        assert f"  {server.base}{line}" in out
    assert "javascript" not in out
    assert not Article.objects.exists()


def test_a_feed_is_not_mixed_with_articles(server, event):
    server.RequestHandlerClass.routes["/feed"] = html(RSS.format(base=server.base), "application/rss+xml")
    server.RequestHandlerClass.routes["/news/tram"] = html()
    with pytest.raises(CommandError, match="Give feeds and sitemaps alone"):
        run(f"{server.base}/feed", f"{server.base}/news/tram", "--event", event.slug, "--outlet", make_outlet().slug)


def test_a_feed_reads_no_external_entities(server, event, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top-secret-value")
    feed = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        f"<rss><channel><item><title>a &x; b</title><link>{server.base}/news/tram</link></item></channel></rss>"
    )
    server.RequestHandlerClass.routes["/feed"] = html(feed, "application/rss+xml")
    out, _ = run(f"{server.base}/feed", "--event", event.slug)
    assert "top-secret-value" not in out and f"{server.base}/news/tram" in out


def test_xml_that_is_no_feed_is_refused(server, event):
    server.RequestHandlerClass.routes["/x"] = html("<note><to>Ann</to></note>", "text/xml")
    with pytest.raises(CommandError, match=r"field “url”: an XML document of kind “note”, not an RSS or Atom feed"):
        run(f"{server.base}/x", "--event", event.slug)


def test_the_admin_lists_a_feeds_articles_and_imports_the_picked_ones(server, event, client, tagger):
    server.RequestHandlerClass.routes["/feed"] = html(RSS.format(base=server.base), "application/rss+xml")
    server.RequestHandlerClass.routes["/news/tram"] = html()
    outlet = make_outlet(website=f"{server.base}/")
    client.force_login(tagger)
    response = client.post(IMPORT_URL, {"urls": f"{server.base}/feed", "event": event.slug})
    content = response.content.decode()
    assert response.status_code == 200 and "2 articles listed by" in content
    assert f'name="picked" value="{server.base}/news/tram"' in content
    response = client.post(IMPORT_URL, {"picked": [f"{server.base}/news/tram"], "event": event.slug})
    content = response.content.decode()
    assert response.status_code == 200 and "Council approves the airport tram line" in content
    payload = re.search(r'name="payload" value="([^"]+)"', content).group(1)
    assert client.post(IMPORT_URL, {"payload": payload}).status_code == 302
    assert Article.objects.get().outlet == outlet
