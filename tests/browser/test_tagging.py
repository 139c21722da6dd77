"""In a real browser: a tagger selects a sentence in an article's text in admin and saves it as a statement."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from coverage.models import Article, Source, Statement, StatementStatus
from coverage.roles import TAGGERS
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

SENTENCE = 'Wallin was unconvinced, saying it was "very unlikely we\'ll see significant action on ending the suffering in that country" following the call.'

# Selects the first occurrence of `text` in the tagging panel's body as a DOM Range that may
# cross several runs and highlights, as a mouse drag would, then fires mouseup.
SELECT_TEXT = """(text) => {
  const root = document.querySelector('[data-tag-body]');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.parentElement.classList.contains('seg') ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT,
  });
  const nodes = [];
  let all = '';
  while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
  const at = all.indexOf(text);
  const locate = (pos) => {
    for (let i = nodes.length - 1; i >= 0; i--) { if (nodes[i][1] <= pos) return [nodes[i][0], pos - nodes[i][1]]; }
  };
  const range = document.createRange();
  range.setStart(...locate(at));
  range.setEnd(...locate(at + text.length));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  root.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
  return at;
}"""


@pytest.fixture
def tagger_login(live_server):
    call_command("load_demo", "--no-users", stdout=open("/dev/null", "w"))
    make_user("browser-tagger", TAGGERS, is_staff=True)
    return "browser-tagger", "pw-for-tests-only"


def choose(page: Page, field_id: str, typed: str, option: str) -> None:
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.keyboard.type(typed)
    page.locator(".select2-results__option", has_text=option).click()


def test_a_tagger_selects_a_sentence_and_saves_it_as_a_statement(page: Page, live_server, tagger_login):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    article = Article.objects.get(outlet__slug="opposing-views")
    assert SENTENCE in article.body
    start = article.body.index(SENTENCE)

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(tagger_login[0])
    page.get_by_label("Password").fill(tagger_login[1])
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/coverage/article/{article.pk}/change/")
    expect(page.get_by_role("heading", name="Tag statements")).to_be_visible()
    save = page.get_by_role("button", name="Save and tag the next one")
    expect(save).to_be_disabled()

    # The sentence crosses plain text and an existing highlight (the quote inside it).
    page.evaluate(SELECT_TEXT, SENTENCE)
    expect(page.locator("#tag_start")).to_have_value(str(start))
    expect(page.locator("#tag_end")).to_have_value(str(start + len(SENTENCE)))
    expect(page.locator("[data-tag-preview]")).to_contain_text("Wallin was unconvinced")
    expect(save).to_be_enabled()

    page.get_by_label("Attributed paraphrase").check()
    choose(page, "tag_source", "Wallin", "Matthew Wallin")
    choose(page, "tag_topic", "Syria", "Syria ceasefire")
    page.locator("#tag_frame").select_option(label="Policy prescription and evaluation")
    page.get_by_label("−1 negative").check()
    page.locator("#tag_target").fill("the call")
    save.click()

    expect(page).to_have_url(re.compile(rf"/admin/coverage/article/{article.pk}/change/\?[^#]*#statement-\d+$"))
    statement = Statement.objects.get(article=article, start=start, end=start + len(SENTENCE))
    assert statement.text == SENTENCE
    assert (statement.kind, statement.tone, statement.status) == ("paraphrase", -1, StatementStatus.ACCEPTED)
    assert statement.source == Source.objects.get(name="Matthew Wallin")
    assert statement.topic.slug == "syria-ceasefire"
    assert statement.tagged_by.username == "browser-tagger"
    expect(page.locator(f"#statement-{statement.pk}")).to_be_visible()
    expect(page.locator(".messagelist")).to_contain_text("select the next statement")
    # The next statement starts with the same source, topic and frame, offered visibly.
    expect(page.locator("#tag_source + .select2")).to_contain_text("Matthew Wallin")
    expect(page.locator("#tag_start")).to_have_value("")

    # The dashboard shows it: the matrix cell's drill-down lists it and leads to the article.
    page.goto(f"{live_server.url}/events/{article.event.slug}/")
    page.locator('a[href$="/statements/?outlet=opposing-views&topic=syria-ceasefire"]').first.click()
    panel = page.locator("#statements-panel")
    expect(panel).to_contain_text("Wallin was unconvinced")
    panel.locator(f'a[href$="#statement-{statement.pk}"]').click()
    expect(page).to_have_url(re.compile(rf"/articles/{article.pk}/#statement-{statement.pk}$"))
    mark = page.locator(f"#statement-{statement.pk}")
    expect(mark).to_be_visible()
    mark.focus()
    expect(mark.locator(".tip")).to_contain_text("Matthew Wallin")
    assert errors == []


def test_a_selection_fills_offsets_across_unicode_and_quotation_marks(page: Page, live_server, tagger_login):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    article = Article.objects.get(outlet__slug="rt")
    quoted = "“operational”"
    at = article.body.index(quoted)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(tagger_login[0])
    page.get_by_label("Password").fill(tagger_login[1])
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/coverage/article/{article.pk}/change/")
    page.evaluate(SELECT_TEXT, quoted + " ")
    # The marks and the space are dropped, and the span is taken for a direct quote.
    expect(page.locator("#tag_start")).to_have_value(str(at + 1))
    expect(page.locator("#tag_end")).to_have_value(str(at + len(quoted) - 1))
    expect(page.get_by_label("Direct quote")).to_be_checked()
    # Typing offsets instead of selecting works from the keyboard.
    page.locator("#tag_start").fill("0")
    page.locator("#tag_end").fill("7")
    expect(page.locator("[data-tag-preview]")).to_contain_text("“Russian”")
    assert errors == []
