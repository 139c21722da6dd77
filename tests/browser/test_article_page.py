"""In a real browser: the demo editor logs in and reads an article with its highlights."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from coverage.models import Article, Statement

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_logins(live_server, monkeypatch):
    monkeypatch.setenv("DEMO_EDITOR_PASSWORD", "editor-browser-pass")
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return {"editor": "editor-browser-pass"}


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_the_demo_editor_logs_in_and_reads_an_article(page: Page, live_server, demo_logins):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))

    log_in(page, live_server.url, "editor", demo_logins["editor"])
    expect(page.get_by_role("heading", name="Events")).to_be_visible()
    page.get_by_role("link", name=re.compile("Putin–Trump phone call")).click()
    article = Article.objects.get(outlet__slug="opposing-views")
    # The headline is linked from the matrix row and from the article list; either will do.
    page.get_by_role("link", name=article.headline).first.click()
    expect(page.get_by_role("heading", name=article.headline)).to_be_visible()

    marks = page.locator("mark.statement")
    assert marks.count() >= article.statements.count()
    wallin = Statement.objects.get(article=article, text__contains="useful check")
    mark = page.locator(f"#statement-{wallin.pk}")
    tip = mark.locator(".tip")
    expect(tip).to_be_hidden()
    mark.focus()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("Matthew Wallin, American Security Project (expert)")
    expect(tip).to_contain_text("Korean peninsula")
    assert errors == []
