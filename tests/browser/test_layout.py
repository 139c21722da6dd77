"""In a real browser, at phone, tablet, laptop and desktop widths, every page of the demo:
no page is wider than the screen, every chart fits its box (and on a phone keeps its title
inside and its legend below the plot), and axe-core finds no serious or critical
accessibility violation (at 390 and 1440 px)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from playwright.sync_api import Browser, Page, expect

from coverage import errors
from coverage.models import ChartKind, Event, ShareLink, Statement
from tests.browser.screens import (
    DESKTOP,
    PHONE,
    WIDTHS,
    charts_outside_their_box,
    context_at,
    narrow_chart_problems,
    page_width,
    serious_accessibility_violations,
    wait_for_charts,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

EVENT = "putin-trump-call-2017-05-02"


@pytest.fixture
def demo_site(live_server):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    event = Event.objects.get(slug=EVENT)
    editor = get_user_model().objects.get(username="editor")
    _, token = ShareLink.create_for(kind="topic-coverage", event=event, querystring="", user=editor, days=7)
    return {
        "url": live_server.url,
        "editor": editor,
        "newcomer": make_user("newcomer"),
        "articles": list(event.articles.order_by("pk").values_list("pk", flat=True)),
        "statement": Statement.objects.filter(article__event=event).order_by("pk").first().pk,
        "tagger": get_user_model().objects.get(username="tagger"),
        "token": token,
    }


def editor_pages(site: dict) -> list[str]:
    event = f"/events/{EVENT}/"
    pages = [
        "/",
        event,
        event + "?outlet=rt&tone=-1&tone=-2",
        event + "statements/?outlet=rt&topic=thaad",
        event + "statements/?outlet=rt&topic=thaad&missing=opposing-views",  # from an omitted cell
        event + "compare/",
        event + "compare/?a=rt&b=opposing-views",
        "/outlets/",
        "/share-links/",
        event + "?date_from=2017-05-09&date_to=2017-05-01",  # the filter's 400 pages
        event + "?tone=99",
        "/no/such/page/",  # 404
    ]
    pages += [f"/articles/{pk}/" for pk in site["articles"]]
    pages += [f"{event}charts/{kind.value}/" for kind in ChartKind.per_event()]
    pages += [f"/charts/{kind.value}/" for kind in ChartKind]  # across events
    return pages


def tagger_pages(site: dict) -> list[str]:
    """The admin pages a tagger works in: lists, the tagging page, a statement, import, sources."""
    article = site["articles"][0]
    return [
        "/admin/",
        "/admin/coverage/article/",
        f"/admin/coverage/article/{article}/change/",
        "/admin/coverage/article/import/",
        "/admin/coverage/statement/",
        f"/admin/coverage/statement/{site['statement']}/change/",
        "/admin/coverage/source/",
    ]


def error_pages(user) -> dict:
    """The 500 page, Django's own 400 and the stale-form 403, rendered for `user`."""
    request = RequestFactory().get("/somewhere/")
    request.user = user
    request.session = {}
    request.META["CSRF_COOKIE"] = "x" * 32
    return {
        "server-error": errors.server_error(request),
        "bad-request": errors.bad_request(request),
        "stale-form": errors.csrf_failure(request),
    }


def serve(body: bytes):
    """A route handler that answers with `body` as an HTML page."""
    return lambda route: route.fulfill(body=body, content_type="text/html")


def look_at(page: Page, path: str, width: int, audit: bool) -> list[str]:
    """Everything wrong with the page now open, each as a line naming the page."""
    problems = []
    if page.locator("[data-figure]").count():
        wait_for_charts(page)
        problems += charts_outside_their_box(page)
        if width < 600:
            problems += narrow_chart_problems(page)
    if page_width(page) > width:
        problems.append(f"{page_width(page)}px wide")
    if audit:
        problems += serious_accessibility_violations(page)
    return [f"{path} at {width}px: {problem}" for problem in problems]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_the_screen_and_every_chart_its_box(browser: Browser, demo_site, width):
    audit = width in (PHONE, DESKTOP)
    problems: list[str] = []
    base = demo_site["url"]

    context = context_at(browser, width, base, demo_site["editor"], audit)
    page = context.new_page()
    for path in editor_pages(demo_site):
        page.goto(path)
        problems += look_at(page, path, width, audit)
    # The matrix with a filter list open, and with the drill-down drawer of an omitted cell open.
    page.goto(f"/events/{EVENT}/")
    page.locator("details.filter", has_text="Statement kind").locator("summary").click()
    problems += look_at(page, "matrix, a filter list open", width, audit)
    page.keyboard.press("Escape")
    page.locator("td.topic-cell a[href*='missing=']").first.click()
    page.locator("#statements-panel li.statement-card").first.wait_for()
    problems += look_at(page, "matrix, drill-down of an omitted cell open", width, audit)
    # The page that shows a new public link (the answer to a POST).
    page.goto(f"/events/{EVENT}/charts/sources/")
    page.get_by_role("button", name="Make a public link").click()
    page.get_by_role("heading", name="Public link made").wait_for()
    problems += look_at(page, "share created", width, audit)
    # Error pages no URL of the demo leads to: each served at an address of the site as rendered.
    for name, response in error_pages(demo_site["editor"]).items():
        page.route(f"**/{name}/", serve(response.content))
        page.goto(f"/{name}/")
        expect(page.locator(".site-header")).to_contain_text("Events")  # in the site's layout
        expect(page.locator("#error-heading")).to_be_visible()
        problems += look_at(page, name, width, audit)
    context.close()

    context = context_at(browser, width, base, demo_site["tagger"], audit)
    page = context.new_page()
    for path in tagger_pages(demo_site):
        page.goto(path)
        problems += look_at(page, path, width, audit)
    context.close()

    context = context_at(browser, width, base, demo_site["newcomer"], audit)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("heading", name="Your account has no role in Framescope yet").wait_for()
    problems += look_at(page, "/ (no role)", width, audit)
    context.close()

    context = context_at(browser, width, base, audit=audit)
    page = context.new_page()
    for path in ["/login/", f"/s/{demo_site['token']}/", "/s/not-a-token/"]:
        page.goto(path)
        problems += look_at(page, path, width, audit)
    context.close()

    assert problems == []


def test_the_accessibility_check_reports_a_serious_violation(browser: Browser):
    # Guards the audit above: a page with an unnamed button and an image without alt text fails it.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_content('<html lang="en"><title>t</title><main><button></button><img src="data:,"></main></html>')
    problems = serious_accessibility_violations(page)
    context.close()
    assert any("button-name" in p for p in problems) and any("image-alt" in p for p in problems)
