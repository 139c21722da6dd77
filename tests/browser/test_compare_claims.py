"""In a real browser: the side-by-side reader of the demo links the statements of the same claim
and marks those only one outlet reported, by mouse and by keyboard, and passes axe-core."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from tests.browser.screens import DESKTOP, PHONE, context_at, page_width, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

COMPARE = "/events/putin-trump-call-2017-05-02/compare/"
# Where to keep the screenshots taken on the way (to look at them); unset: not kept.
SHOTS = os.environ.get("FRAMESCOPE_SHOTS")


@pytest.fixture
def editor(live_server):
    call_command("load_demo", stdout=open(os.devnull, "w"))
    return get_user_model().objects.get(username="editor")


def _matched_pair(page):
    """A linked statement of the left column and the id of its match in the right one."""
    source = page.locator(".compare-column").first.locator("mark.statement[data-linked]").first
    match_id = source.get_attribute("data-linked").split()[0]
    return source, page.locator(f'.compare-column mark.statement[data-statement="{match_id}"]').first


def test_hovering_or_focusing_a_statement_lights_up_its_match_in_the_other_article(
    browser: Browser, live_server, editor
):
    context = context_at(browser, DESKTOP, live_server.url, editor, audit=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(COMPARE)
    source, match = _matched_pair(page)
    expect(match).not_to_have_class(_has("is-match"))

    source.hover()
    expect(match).to_have_class(_has("is-match"))
    expect(source).to_have_class(_has("is-match-source"))
    page.mouse.move(0, 0)
    expect(match).not_to_have_class(_has("is-match"))

    # By keyboard: focus lights it up, Enter selects it (it stays lit) and says what the other outlet said.
    source.focus()
    expect(match).to_have_class(_has("is-match"))
    page.keyboard.press("Enter")
    expect(source).to_have_class(_has("is-selected"))
    expect(page.locator("#claim-status")).to_contain_text("reports the same claim")
    page.locator("h1").click()  # focus and mouse leave: a selection keeps its match lit
    expect(match).to_have_class(_has("is-match"))
    source.focus()
    page.keyboard.press("Escape")
    expect(source).not_to_have_class(_has("is-selected"))

    # The claims only one outlet reported say so in words, in both columns.
    for column in page.locator(".compare-column").all():
        outlet = column.get_attribute("data-outlet")
        badges = column.locator(".only-in-badge")
        assert badges.count() > 0
        expect(badges.first).to_have_text(f"only in {outlet}")
        expect(badges.first).to_be_visible()
        expect(column.locator(".only-in-count")).to_contain_text(f"only in {outlet}")
    assert serious_accessibility_violations(page) == []
    if SHOTS:
        source.hover()
        page.screenshot(path=f"{SHOTS}/compare-{DESKTOP}.png")
        page.screenshot(path=f"{SHOTS}/compare-{DESKTOP}-full.png", full_page=True)
    assert errors == []
    context.close()


def test_the_reader_with_its_marks_fits_a_phone_and_passes_axe(browser: Browser, live_server, editor):
    context = context_at(browser, PHONE, live_server.url, editor, audit=True)
    page = context.new_page()
    page.goto(COMPARE)
    source, match = _matched_pair(page)
    source.click()
    expect(match).to_have_class(_has("is-match"))
    assert page_width(page) <= PHONE
    assert serious_accessibility_violations(page) == []
    if SHOTS:
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=f"{SHOTS}/compare-{PHONE}-top.png")
        source.scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/compare-{PHONE}.png")
    context.close()


def _has(name: str):
    import re

    return re.compile(rf"(^|\s){name}(\s|$)")
