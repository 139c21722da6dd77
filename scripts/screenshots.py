"""Take the README's screenshots of the demo, at 1440 px (desktop) and 390 px (phone).

Run against a server with the demo loaded (`make run`), logging in as the demo editor:

    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8000 \
        --username editor --password "$DEMO_EDITOR_PASSWORD"

Writes docs/screenshots/{events,matrix,charts,compare,article}.png and *-phone.png. It makes one
public share link (to photograph the public page) and revokes it at the end. Uses Debian's
Chromium (CHROMIUM, default /usr/bin/chromium) through Playwright, headless.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
EVENT = "/events/putin-trump-call-2017-05-02/"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def logged_in(browser: Browser, base: str, width: int, height: int, scale: int, user: str, password: str) -> Page:
    context = browser.new_context(base_url=base, viewport={"width": width, "height": height}, device_scale_factor=scale)
    page = context.new_page()
    page.goto("/login/")
    page.get_by_label("Username").fill(user)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Events").wait_for()
    return page


def settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-figure]')].every(el => el.querySelector('.main-svg'))"
    )
    page.wait_for_timeout(300)


def scroll_to(page: Page, selector: str, offset: int = 8) -> None:
    page.evaluate(
        "([s, o]) => window.scrollTo(0, document.querySelector(s).getBoundingClientRect().top + scrollY - o)",
        [selector, offset],
    )
    page.wait_for_timeout(200)


def desktop(page: Page) -> None:
    page.goto("/")
    settle(page)
    page.screenshot(path=OUT / "events.png")
    page.goto(EVENT)
    settle(page)
    scroll_to(page, "#matrix-heading")
    page.screenshot(path=OUT / "matrix.png")
    first, second = page.locator(".chart-card").nth(0), page.locator(".chart-card").nth(1)
    top, bottom = first.bounding_box(), second.bounding_box()
    page.screenshot(
        path=OUT / "charts.png",
        full_page=True,
        clip={
            "x": top["x"] - 8,
            "y": top["y"] + page.evaluate("scrollY") - 8,
            "width": top["width"] + 16,
            "height": bottom["y"] + bottom["height"] - top["y"] + 16,
        },
    )
    page.goto(EVENT + "compare/")
    settle(page)
    # The two articles with their claim marks ("only in …", ⇄), one matched pair lit up.
    scroll_to(page, ".compare-reader")
    page.locator(".compare-column").first.locator("mark.statement[data-linked]").first.hover()
    page.wait_for_timeout(200)
    page.screenshot(path=OUT / "compare.png")
    page.goto(EVENT)
    page.locator("#articles-heading ~ table a").first.click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=OUT / "article.png")


def phone(page: Page, browser: Browser) -> None:
    page.goto(EVENT)
    settle(page)
    scroll_to(page, "#matrix-panel tbody tr")
    page.screenshot(path=OUT / "matrix-phone.png")
    scroll_to(page, "#chart-topic-coverage")
    page.screenshot(path=OUT / "charts-phone.png")
    page.locator("td.topic-cell.state-omitted a").first.click()
    page.locator("#statements-panel li.statement-card").first.wait_for()
    page.screenshot(path=OUT / "drilldown-phone.png")

    page.goto(EVENT + "charts/topic-coverage/")
    page.get_by_role("button", name="Make a public link").click()
    public_url = page.get_by_label("Public link").input_value()
    stranger = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    public = stranger.new_page()
    public.goto(public_url)
    settle(public)
    public.screenshot(path=OUT / "share-phone.png")
    stranger.close()
    page.goto("/share-links/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke").first.click()
    page.locator(".messages").wait_for()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="editor")
    parser.add_argument("--password", required=True)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=ARGS)
        desktop(logged_in(browser, args.base_url, 1440, 900, 1, args.username, args.password))
        phone(logged_in(browser, args.base_url, 390, 844, 2, args.username, args.password), browser)
        browser.close()


if __name__ == "__main__":
    main()
