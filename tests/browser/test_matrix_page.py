"""In a real browser: the editor narrows the demo matrix without a page load, and the URL keeps the state."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.test_article_page import log_in

pytestmark = pytest.mark.django_db(transaction=True)

EVENT = "/events/putin-trump-call-2017-05-02/"


@pytest.fixture
def editor_page(page: Page, live_server, monkeypatch):
    monkeypatch.setenv("DEMO_EDITOR_PASSWORD", "editor-browser-pass")
    call_command("load_demo", stdout=open("/dev/null", "w"))
    log_in(page, live_server.url, "editor", "editor-browser-pass")
    return page


def outlet_rows(page: Page):
    return page.locator("#matrix-panel tbody th.outlet-cell")


def test_filtering_the_matrix_swaps_it_in_place_and_the_url_keeps_the_state(editor_page: Page, live_server):
    page = editor_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}{EVENT}")
    expect(outlet_rows(page)).to_have_count(2)
    page.evaluate("window.__noReload = 'still here'")

    page.locator("details.filter", has_text="Outlet").locator("summary").click()
    page.get_by_label("RT", exact=True).check()
    expect(page).to_have_url(re.compile(r"\?outlet=rt$"))
    expect(outlet_rows(page)).to_have_count(1)
    expect(outlet_rows(page).first).to_contain_text("RT")
    assert page.evaluate("window.__noReload") == "still here"  # no full page load

    page.locator("details.filter", has_text="Tone").locator("summary").click()
    page.get_by_label("−2 very negative").check()
    expect(page).to_have_url(re.compile(r"\?outlet=rt&tone=-2$"))
    expect(page.locator("#matrix-caption")).to_contain_text("matching the filters")
    caption = page.locator("#matrix-caption").inner_text()
    assert page.evaluate("window.__noReload") == "still here"

    page.reload()
    assert page.evaluate("window.__noReload") is None
    expect(outlet_rows(page)).to_have_count(1)
    expect(page.locator("#matrix-caption")).to_have_text(caption)
    expect(page.locator('input[name="outlet"][value="rt"]')).to_be_checked()
    expect(page.locator('input[name="tone"][value="-2"]')).to_be_checked()

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?outlet=rt$"))
    expect(page.locator('input[name="tone"][value="-2"]')).not_to_be_checked()
    expect(page.locator('input[name="outlet"][value="rt"]')).to_be_checked()
    expect(outlet_rows(page)).to_have_count(1)
    assert errors == []


def test_a_cell_opens_its_statements_in_place_and_each_links_to_the_article(editor_page: Page, live_server):
    page = editor_page
    page.goto(f"{live_server.url}{EVENT}")
    page.evaluate("window.__noReload = 1")
    row = page.locator("#matrix-panel tbody tr", has=page.locator("th.outlet-cell", has_text="RT"))
    thaad = row.locator("td.topic-cell").nth(2).locator("a")
    thaad.click()
    drawer = page.locator("#statements-panel")
    expect(drawer).to_be_visible()
    expect(drawer).to_contain_text("THAAD deployment")
    expect(drawer.locator("li.statement-card")).to_have_count(4)
    expect(drawer).to_be_focused()
    assert page.evaluate("window.__noReload") == 1
    expect(page).to_have_url(re.compile(re.escape(EVENT) + "$"))

    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(thaad).to_be_focused()

    thaad.press("Enter")
    expect(drawer).to_be_visible()
    drawer.get_by_role("link", name=re.compile("Read it in the article")).first.click()
    expect(page).to_have_url(re.compile(r"/articles/\d+/#statement-\d+$"))
    target = page.url.rsplit("#", 1)[1]
    expect(page.locator(f"#{target}")).to_be_visible()


def test_an_invalid_filter_in_the_form_shows_the_400_page(editor_page: Page, live_server):
    page = editor_page
    page.goto(f"{live_server.url}{EVENT}")
    page.locator('input[name="date_from"]').fill("2017-05-03")
    page.locator('input[name="date_to"]').fill("2017-05-01")
    expect(page.get_by_role("heading", name="Invalid filter")).to_be_visible()
    expect(page.locator("dl.filter-errors")).to_contain_text("date_to")
