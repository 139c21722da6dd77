"""In a real browser: every chart of the demo event draws, and a public link opens, then stops."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from coverage.models import ChartKind
from tests.browser.test_article_page import log_in as log_in_as

pytestmark = pytest.mark.django_db(transaction=True)

EVENT = "putin-trump-call-2017-05-02"


@pytest.fixture
def demo_editor(live_server, monkeypatch):
    monkeypatch.setenv("DEMO_EDITOR_PASSWORD", "editor-browser-pass")
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return "editor", "editor-browser-pass"


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    log_in_as(page, base_url, username, password)
    expect(page.get_by_role("heading", name="Events")).to_be_visible()


def watch_console(page: Page) -> list[str]:
    """Console errors, including Content-Security-Policy violations."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_every_chart_draws_on_the_event_page_and_at_its_permalink(page: Page, live_server, demo_editor):
    errors = watch_console(page)
    log_in(page, live_server.url, *demo_editor)
    page.goto(f"{live_server.url}/events/{EVENT}/?tone=-2&tone=-1&tone=0&tone=1&tone=2")
    for kind in ChartKind.per_event():
        chart = page.locator(f"#chart-{kind.value} .js-plotly-plot")
        expect(chart).to_be_visible()
        expect(chart.locator(".main-svg").first).to_be_attached()
    expect(page.locator("#chart-topic-coverage")).to_contain_text("omitted")

    for kind in ChartKind.values:
        path = f"/charts/{kind}/" if kind == "tone-over-time" else f"/events/{EVENT}/charts/{kind}/"
        page.goto(f"{live_server.url}{path}?kind=quote&kind=paraphrase&kind=assertion")
        expect(page.locator(f"#chart-{kind} .js-plotly-plot .main-svg").first).to_be_visible()
        expect(page.locator(".modebar-btn[data-title^='Download plot']")).to_have_count(1)  # PNG export
        expect(page.locator("table.chart-data tbody tr").first).to_be_visible()
    assert errors == []


def test_an_editor_shares_a_chart_publicly_then_revokes_it(page: Page, browser: Browser, live_server, demo_editor):
    errors = watch_console(page)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, live_server.url, *demo_editor)
    page.goto(f"{live_server.url}/events/{EVENT}/charts/sources/?outlet=opposing-views")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator(".copy-status")).to_have_text(re.compile("copied|Ctrl"))

    page.get_by_label("Open for (days)").fill("7")
    page.get_by_role("button", name="Make a public link").click()
    expect(page.get_by_role("heading", name="Public link made")).to_be_visible()
    public_url = page.get_by_label("Public link").input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/s/[A-Za-z0-9_-]{{43}}/", public_url)

    stranger = browser.new_context()  # logged out: no cookies of the editor
    try:
        public = stranger.new_page()
        public_errors = watch_console(public)
        response = public.goto(public_url + "?outlet=rt")
        assert response.status == 200 and "noindex" in response.headers["x-robots-tag"]
        expect(public.locator("#chart-sources .js-plotly-plot .main-svg").first).to_be_visible()
        expect(public.locator("table.chart-data")).to_contain_text("Matthew Wallin")
        expect(public.locator("table.chart-data")).not_to_contain_text("RT")
        expect(public.get_by_role("link", name="Events")).to_have_count(0)
        assert public_errors == []

        page.goto(f"{live_server.url}/share-links/")
        page.once("dialog", lambda dialog: dialog.accept())  # "Revoke the public link …?"
        page.get_by_role("button", name="Revoke").click()
        expect(page.locator(".messages")).to_contain_text("Revoked")

        response = public.goto(public_url)
        assert response.status == 404
        expect(public.get_by_role("heading", name="Link not found")).to_be_visible()
        assert public.locator(".js-plotly-plot").count() == 0
    finally:
        stranger.close()
    assert errors == []
