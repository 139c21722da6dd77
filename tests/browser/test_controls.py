"""In a real browser: loading feedback, filter dropdowns, the drill-down drawer from the
keyboard, the matrix at a glance on a laptop and as cards on a phone, a heatmap legible on a
phone, share links that show their underscores and ask before they are revoked."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from coverage.models import ShareLink, Topic
from tests.browser.screens import (
    DESKTOP,
    PHONE,
    context_at,
    page_width,
    serious_accessibility_violations,
    wait_for_charts,
)
from tests.conftest import make_article, make_event, make_outlet, make_statement, make_topic

pytestmark = pytest.mark.django_db(transaction=True)

EVENT = "/events/putin-trump-call-2017-05-02/"


@pytest.fixture
def demo_editor(live_server):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return get_user_model().objects.get(username="editor")


def watch_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def open_page(
    browser: Browser, live_server, user, width: int = DESKTOP, path: str = EVENT, audit: bool = False
) -> Page:
    page = context_at(browser, width, live_server.url, user, audit).new_page()
    page.goto(path)
    return page


def test_a_filter_change_shows_loading_feedback_until_the_matrix_arrives(browser: Browser, live_server, demo_editor):
    page = open_page(browser, live_server, demo_editor)
    errors = watch_errors(page)
    held = []
    # htmx sends the whole form (empty dates too): hold the first request that asks for RT.
    page.route(re.compile(r"/events/[^/]+/\?outlet=rt(&|$)"), lambda route: held.append(route))
    page.locator("details.filter", has_text="Outlet").locator("summary").click()
    page.get_by_label("RT", exact=True).check()

    panel = page.locator("#matrix-panel")
    expect(panel).to_have_attribute("aria-busy", "true")
    expect(page.locator("#loading-bar")).to_have_class(re.compile(r"\bhtmx-request\b"))
    expect(page.locator("#loading-bar")).to_have_css("opacity", "1")
    expect(panel).to_have_css("opacity", "0.55")
    held[0].continue_()

    expect(page.locator("#matrix-panel tbody th.outlet-cell")).to_have_count(1)
    expect(page.locator("#matrix-panel")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator("#loading-bar")).not_to_have_class(re.compile(r"\bhtmx-request\b"))
    assert errors == []


def test_filter_dropdowns_close_on_a_choice_a_click_outside_or_escape_and_one_is_open_at_a_time(
    browser: Browser, live_server, demo_editor
):
    page = open_page(browser, live_server, demo_editor, width=PHONE, audit=True)
    outlet = page.locator("details.filter", has_text="Outlet")
    tone = page.locator("details.filter", has_text="Tone")

    outlet.locator("summary").click()
    expect(outlet).to_have_attribute("open", "")
    tone.locator("summary").click()
    expect(tone).to_have_attribute("open", "")
    expect(outlet).not_to_have_attribute("open", "")  # never two lists stacked
    assert page_width(page) <= PHONE
    assert serious_accessibility_violations(page) == []

    tone.get_by_label("−2 very negative").check()
    expect(tone).not_to_have_attribute("open", "")  # closed by the choice
    expect(page).to_have_url(re.compile(r"\?tone=-2$"))

    outlet.locator("summary").click()
    page.locator("h1").click()
    expect(outlet).not_to_have_attribute("open", "")  # closed by a click outside

    outlet.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(outlet).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(outlet.locator("input").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(outlet).not_to_have_attribute("open", "")  # closed by Escape,
    expect(outlet.locator("summary")).to_be_focused()  # and focus is back on its button


def test_the_drill_down_opens_at_once_works_from_the_keyboard_and_gives_focus_back(
    browser: Browser, live_server, demo_editor
):
    page = open_page(browser, live_server, demo_editor, audit=True)
    errors = watch_errors(page)
    thaad = Topic.objects.get(slug="thaad")
    rt = page.locator("#matrix-panel tbody tr").filter(has=page.locator(".outlet-name", has_text=re.compile(r"^RT$")))
    cell = rt.locator(f'td.topic-cell a[href$="?outlet=rt&topic={thaad.slug}"]')
    held = []
    page.route(re.compile(r"/statements/\?outlet=rt&topic=thaad$"), lambda route: held.append(route), times=1)

    cell.focus()
    page.keyboard.press("Enter")
    drawer = page.locator("#statements-panel")
    expect(drawer).to_be_visible()
    expect(drawer).to_contain_text("Loading the statements")  # at once, before the answer
    page.keyboard.press("Escape")  # changed one's mind while it loads
    expect(drawer).to_be_hidden()
    expect(cell).to_be_focused()
    held[0].continue_()
    page.wait_for_timeout(300)
    expect(drawer).to_be_hidden()  # the late answer does not open it again

    page.keyboard.press("Enter")
    expect(drawer.locator("li.statement-card")).to_have_count(4)
    expect(drawer).to_have_attribute("role", "dialog")
    expect(drawer).to_be_focused()
    assert serious_accessibility_violations(page) == []

    # Tab stays inside the drawer, both ways round.
    for _ in range(12):
        page.keyboard.press("Tab")
        assert drawer.evaluate("el => el.contains(document.activeElement)")
    page.keyboard.press("Shift+Tab")
    assert drawer.evaluate("el => el.contains(document.activeElement)")

    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(cell).to_be_focused()

    cell.click()
    expect(drawer.locator("li.statement-card")).to_have_count(4)
    page.locator("h1").click(position={"x": 5, "y": 5})  # outside the drawer
    expect(drawer).to_be_hidden()
    assert errors == []


def test_on_a_laptop_quoted_experts_show_without_scrolling_and_headers_stay_aligned(
    browser: Browser, live_server, demo_editor
):
    page = open_page(browser, live_server, demo_editor, width=1280)
    scroller = page.locator(".matrix-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")  # the matrix is wider than the screen
    experts = page.locator("td.sources-cell", has_text="Matthew Wallin")
    box = experts.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280

    scroller.evaluate("el => { el.scrollLeft = 300; }")
    page.wait_for_timeout(100)
    outlet_head = page.locator("th.outlet-head").bounding_box()
    outlet_cell = page.locator("th.outlet-cell").first.bounding_box()
    assert abs(outlet_head["x"] - outlet_cell["x"]) < 1 and abs(outlet_head["width"] - outlet_cell["width"]) < 1
    sources_head = page.locator("th.sources-head").bounding_box()
    assert abs(sources_head["x"] - experts.bounding_box()["x"]) < 1
    # Every topic heading still sits over its own column.
    heads = page.locator("th.topic-head")
    cells = page.locator("#matrix-panel tbody tr").first.locator("td.topic-cell")
    for i in range(heads.count()):
        assert abs(heads.nth(i).bounding_box()["x"] - cells.nth(i).bounding_box()["x"]) < 1


def test_on_a_phone_the_matrix_is_a_card_per_outlet_with_labelled_topics(browser: Browser, live_server, demo_editor):
    page = open_page(browser, live_server, demo_editor, width=PHONE)
    cards = page.locator("#matrix-panel tbody tr")
    expect(cards).to_have_count(2)
    rt = cards.filter(has=page.locator(".outlet-name", has_text=re.compile(r"^RT$")))
    thaad = rt.locator('td.topic-cell[data-label="THAAD deployment"]')
    assert thaad.evaluate("el => getComputedStyle(el, '::before').content") == '"THAAD deployment"'
    box = thaad.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    # The card shows the topic's number and tone on the line with its name.
    name_line = thaad.evaluate("el => el.getBoundingClientRect().height")
    assert name_line < 60
    expect(thaad).to_contain_text("4")
    assert page_width(page) <= PHONE


def test_on_a_phone_a_heatmap_of_many_outlets_shows_one_outlet_at_a_time(browser: Browser, live_server, demo_editor):
    event = make_event(slug="many-outlets", name="An event with six outlets")
    topics = [make_topic(event, name=f"Aspect {n}") for n in range(3)]
    for n in range(6):
        article = make_article(event, make_outlet(name=f"Outlet number {n}"), body="One thing. Another thing.")
        make_statement(article, "One thing", topic=topics[n % 3])
    page = open_page(browser, live_server, demo_editor, width=PHONE, path="/events/many-outlets/charts/topic-coverage/")
    wait_for_charts(page)
    picker = page.get_by_label(re.compile("Outlet shown"))
    expect(picker.locator("option")).to_have_count(6)
    plot = page.locator("#chart-topic-coverage .js-plotly-plot")
    shown = "el => [...el.querySelectorAll('.xtick')].map(t => t.textContent.trim()).filter(Boolean)"
    assert len(plot.evaluate(shown)) == 1 and "number 0" in plot.evaluate(shown)[0]
    assert plot.evaluate("el => el._fullLayout.xaxis._length") >= 84  # a readable column, not 6 slivers
    picker.select_option(label="Outlet number 4")
    page.wait_for_function("() => document.querySelector('#chart-topic-coverage .xtick') !== null")
    expect(plot.locator(".xtick", has_text="number 4")).to_have_count(1)
    assert len(plot.evaluate(shown)) == 1

    page.set_viewport_size({"width": DESKTOP, "height": 900})  # wide again: every outlet, no picker
    expect(page.get_by_label(re.compile("Outlet shown"))).to_have_count(0)
    assert len(plot.evaluate(shown)) == 6


def test_a_share_link_shows_its_underscores_and_revoking_it_asks_first(browser: Browser, live_server, demo_editor):
    page = open_page(browser, live_server, demo_editor, width=PHONE, path=f"{EVENT}charts/sources/")
    page.get_by_role("button", name="Make a public link").click()
    box = page.get_by_label("Public link")
    url = box.input_value()
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight")
    # Underscores are drawn: the box looks different with "_" than with " " in their place.
    box.evaluate("el => { el.value = 'a_b_c_d_e_f_g_h'; }")
    with_underscores = box.screenshot()
    box.evaluate("el => { el.value = 'a b c d e f g h'; }")
    assert box.screenshot() != with_underscores
    box.evaluate("(el, url) => { el.value = url; }", url)

    page.goto("/share-links/")
    revoke = page.get_by_role("button", name=re.compile("^Revoke"))
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    revoke.click()
    expect(revoke).to_be_visible()
    assert "Revoke the public link" in asked[0]
    assert ShareLink.objects.get().status == "active"

    page.once("dialog", lambda dialog: dialog.accept())
    revoke.click()
    expect(page.locator(".messages")).to_contain_text("Revoked")
    assert ShareLink.objects.get().status == "revoked"


def test_the_compare_page_picks_two_outlets_swaps_them_and_keeps_its_state_in_the_address(
    browser: Browser, live_server, demo_editor
):
    page = open_page(browser, live_server, demo_editor, path=f"{EVENT}compare/", audit=True)
    errors = watch_errors(page)
    left, right = page.get_by_label("Left"), page.get_by_label("Right")
    expect(left).to_have_value("opposing-views")  # two different outlets, chosen by itself
    expect(right).to_have_value("rt")
    assert serious_accessibility_violations(page) == []

    # Choosing for one side the outlet the other shows swaps them: never "two different outlets".
    left.select_option("rt")
    expect(page).to_have_url(re.compile(r"\?a=rt&b=opposing-views"))
    expect(page.get_by_label("Right")).to_have_value("opposing-views")
    page.get_by_label("Right").select_option("rt")
    expect(page).to_have_url(re.compile(r"\?a=opposing-views&b=rt"))
    expect(page.get_by_label("Left")).to_have_value("opposing-views")
    expect(page.locator("h2#left-only")).to_have_text("Only Opposing Views covers")

    page.get_by_role("link", name="Swap sides").click()
    expect(page).to_have_url(re.compile(r"\?a=rt&b=opposing-views"))
    expect(page.locator("h2#left-only")).to_have_text("Only RT covers")
    expect(page.locator(".compare-column h2").first).to_contain_text("RT")

    page.reload()  # the address alone gives the same page
    expect(page.get_by_label("Left")).to_have_value("rt")
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?a=opposing-views&b=rt"))
    expect(page.locator("h2#left-only")).to_have_text("Only Opposing Views covers")
    expect(page.locator("body")).not_to_contain_text("Choose two different outlets")
    assert errors == []


def test_the_drill_down_of_an_omitted_cell_says_who_left_what_out_and_gives_focus_back(
    browser: Browser, live_server, demo_editor
):
    page = open_page(browser, live_server, demo_editor, width=PHONE, audit=True)
    errors = watch_errors(page)
    ov = page.locator("#matrix-panel tbody tr").filter(has=page.locator(".outlet-name", has_text="Opposing Views"))
    cell = ov.locator('td.topic-cell[data-label="THAAD deployment"] a')
    expect(cell).to_contain_text("omitted")
    held = []
    page.route(re.compile(r"/statements/\?.*missing=opposing-views"), lambda route: held.append(route), times=1)
    cell.focus()
    page.keyboard.press("Enter")
    drawer = page.locator("#statements-panel")
    expect(drawer).to_have_attribute("aria-busy", "true")  # loading, and says so
    held[0].continue_()
    expect(drawer.locator("h2")).to_have_text("Opposing Views did not cover THAAD deployment — here is what RT said")
    expect(drawer).not_to_have_attribute("aria-busy", "true")
    expect(drawer.locator("li.statement-card")).to_have_count(4)
    assert page_width(page) <= PHONE
    assert serious_accessibility_violations(page) == []
    drawer.get_by_role("button", name=re.compile("^Close")).click()
    expect(drawer).to_be_hidden()
    expect(cell).to_be_focused()
    assert errors == []


def test_a_side_by_side_change_shows_loading_feedback(browser: Browser, live_server, demo_editor):
    page = open_page(browser, live_server, demo_editor, path=f"{EVENT}compare/")
    held = []
    page.route(re.compile(r"/compare/\?a=rt"), lambda route: held.append(route), times=1)
    page.get_by_label("Left").select_option("rt")
    expect(page.locator("#compare-panel")).to_have_attribute("aria-busy", "true")
    expect(page.locator("#loading-bar")).to_have_class(re.compile(r"\bhtmx-request\b"))
    held[0].continue_()
    expect(page.locator("h2#left-only")).to_have_text("Only RT covers")
    expect(page.locator("#compare-panel")).not_to_have_attribute("aria-busy", "true")
