"""Helpers for the browser tests that look at pages at several screen widths."""

from __future__ import annotations

from pathlib import Path

from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page

PHONE, DESKTOP = 390, 1440
WIDTHS = [360, PHONE, 768, 1024, DESKTOP]

# axe-core from the npm registry, pinned in package.json and installed by `npm ci` (make test).
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def context_at(browser: Browser, width: int, base_url: str, user=None, audit: bool = False) -> BrowserContext:
    """A browser context `width` px wide, logged in as `user` (a session cookie, no login form).

    With `audit`, the Content-Security-Policy is bypassed so that the test can inject axe-core.
    """
    height = 844 if width < 800 else 900
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=audit, base_url=base_url)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])
    return context


def page_width(page: Page) -> int:
    """How wide the page is: what a phone would let the reader scroll sideways across."""
    return page.evaluate("document.documentElement.scrollWidth")


def wait_for_charts(page: Page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-figure]')].every(el => el.querySelector('.main-svg'))"
    )


def charts_outside_their_box(page: Page) -> list[str]:
    """Charts whose drawing is wider than their container or runs off the screen, or whose axis
    title covers the axis labels."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-figure]')].flatMap(el => {
            const box = el.getBoundingClientRect();
            const svg = el.querySelector('.main-svg').getBoundingClientRect();
            const screen = document.documentElement.clientWidth;
            const problems = svg.width > box.width + 1 || svg.right > screen + 1 || box.right > screen + 1
              ? [`${el.dataset.figure}: drawing ${Math.round(svg.width)}px in a ${Math.round(box.width)}px box`] : [];
            // An axis title stays outside the band of its axis's labels, on whichever side it is.
            for (const letter of ['x', 'y']) {
                const title = el.querySelector(`.g-${letter}title text`);
                const ticks = [...el.querySelectorAll(`.${letter}tick text`)].map(k => k.getBoundingClientRect()).filter(k => k.width);
                if (!title || !ticks.length) continue;
                const t = title.getBoundingClientRect();
                const [lo, hi] = letter === 'y' ? ['left', 'right'] : ['top', 'bottom'];
                const first = Math.min(...ticks.map(k => k[lo])), last = Math.max(...ticks.map(k => k[hi]));
                const outside = t[lo] < first ? t[hi] <= first + 1 : t[lo] >= last - 1;
                if (!outside) problems.push(`${el.dataset.figure}: the ${letter} axis title sits among its labels`);
            }
            return problems;
        })"""
    )


def narrow_chart_problems(page: Page) -> list[str]:
    """On a phone: every title and axis title inside its figure, labels along the bottom that do
    not overlap, and every legend below the plot area."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-figure]')].flatMap(el => {
            const svg = el.querySelector('.main-svg').getBoundingClientRect();
            const problems = [];
            const title = el.querySelector('.gtitle');
            if (title) {
                const t = title.getBoundingClientRect();
                if (t.left < svg.left - 1 || t.right > svg.right + 1 || t.top < svg.top - 1)
                    problems.push(`${el.dataset.figure}: title outside the figure`);
            }
            for (const axisTitle of el.querySelectorAll('.g-xtitle text, .g-ytitle text')) {
                const a = axisTitle.getBoundingClientRect();
                if (a.width && (a.left < svg.left - 1 || a.right > svg.right + 1))
                    problems.push(`${el.dataset.figure}: axis title outside the figure`);
            }
            const ticks = [...el.querySelectorAll('.xtick text')].map(t => t.getBoundingClientRect())
                .filter(t => t.width).sort((a, b) => a.left - b.left);
            for (let i = 1; i < ticks.length; i++)
                if (ticks[i].left < ticks[i - 1].right - 1 && ticks[i].top < ticks[i - 1].bottom - 1)
                    problems.push(`${el.dataset.figure}: labels along the bottom overlap`);
            const legend = el.querySelector('.legend');
            const plot = el.querySelector('.nsewdrag');
            if (legend && plot && legend.getBoundingClientRect().top < plot.getBoundingClientRect().bottom)
                problems.push(`${el.dataset.figure}: legend not below the plot`);
            return problems;
        })"""
    )


def serious_accessibility_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run `npm ci` in the repository (make test does).")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {', '.join(' '.join(n['target']) for n in v['nodes'][:3])}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
