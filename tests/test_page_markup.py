"""Markup the phone layout, the loading feedback and the statement styling rely on."""

import re

from django.urls import reverse
from django.utils.html import escape

from coverage.models import ShareLink, StatementKind
from tests.conftest import make_article, make_statement


def test_only_direct_quotes_are_shown_in_quotation_marks_in_a_drill_down(editor_client, db):
    article = make_article(body="He said it plainly. She suggested a deal. The talks went on.")
    make_statement(article, "He said it plainly", kind=StatementKind.DIRECT_QUOTE)
    make_statement(article, "She suggested a deal", kind=StatementKind.PARAPHRASE)
    make_statement(article, "The talks went on", kind=StatementKind.ASSERTION)
    url = reverse("coverage:event_statements", args=[article.event.slug])
    html = editor_client.get(url).content.decode()
    assert re.search(r'class="said said-quote">.*?Direct quote.*?<q>He said it plainly</q>', html, re.S)
    assert re.search(
        r'class="said said-paraphrase">.*?Attributed paraphrase.*?<span class="said-text">She suggested a deal</span>',
        html,
        re.S,
    )
    assert re.search(
        r'class="said said-assertion">.*?Reporter.*?<span class="said-text">The talks went on</span>', html, re.S
    )
    assert html.count("<q>") == 1


def test_the_article_page_marks_each_statement_by_kind_in_the_text_and_the_list(editor_client, db):
    article = make_article(body="He said it plainly. She suggested a deal.")
    quote = make_statement(article, "He said it plainly", kind=StatementKind.DIRECT_QUOTE)
    paraphrase = make_statement(article, "She suggested a deal", kind=StatementKind.PARAPHRASE)
    html = editor_client.get(article.get_absolute_url()).content.decode()
    assert re.search(rf'<mark class="statement tone-0 kind-quote"[^>]* id="statement-{quote.pk}"', html)
    assert re.search(rf'<mark class="statement tone-0 kind-paraphrase"[^>]* id="statement-{paraphrase.pk}"', html)
    assert "<q>He said it plainly</q>" in html
    assert "<q>She suggested a deal</q>" not in html
    assert "dashed frame: attributed paraphrase" in html  # the legend says how kinds look


def test_the_drill_down_drawer_is_a_labelled_dialog_and_its_page_is_not(editor_client, demo):
    url = reverse("coverage:event_statements", args=[demo.slug]) + "?outlet=rt"
    partial = editor_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert re.search(
        r'<section id="statements-panel" class="statements-panel drawer" role="dialog" aria-modal="true" aria-labelledby="statements-heading"',
        partial,
    )
    page = editor_client.get(url).content.decode()
    assert 'role="dialog"' not in page


def test_matrix_cells_carry_the_labels_the_phone_layout_shows(editor_client, demo):
    html = editor_client.get(demo.get_absolute_url()).content.decode()
    assert 'class="table-scroll matrix-scroll"' in html
    for topic in demo.topics.all():
        label = escape(f"{topic.name} (key)" if topic.is_key else topic.name)
        assert html.count(f'data-label="{label}"') == 2, topic  # one cell per outlet
    for label in ("Tone", "Sources", "Top frames", "Statements", "Words"):
        assert f'data-label="{label}"' in html
    assert 'class="outlet-head"' in html and 'class="sources-head"' in html


def test_every_page_shows_loading_feedback_for_htmx_requests(editor_client, demo):
    for url in (reverse("coverage:event_list"), demo.get_absolute_url(), reverse("coverage:outlet_overview")):
        html = editor_client.get(url).content.decode()
        assert 'hx-indicator="#loading-bar"' in html, url
        assert 'id="loading-bar" class="loading-bar htmx-indicator"' in html, url
        assert "/static/coverage/site.js" in html, url


def test_revoking_a_share_link_asks_for_confirmation(editor_client, demo, editor):
    ShareLink.create_for(kind="tone", event=demo, querystring="", user=editor, days=7)
    html = editor_client.get(reverse("coverage:share_links")).content.decode()
    form = re.search(r'<form method="post" action="/share-links/\d+/revoke/"[^>]*>', html).group(0)
    assert 'data-confirm="Revoke the public link to' in form
    assert "cannot be undone" in form


def test_a_new_share_link_is_shown_whole_in_a_box_with_a_copy_button(editor_client, demo):
    url = reverse("coverage:chart_share", args=[demo.slug, "tone"])
    html = editor_client.post(url, {"days": 7}).content.decode()
    box = re.search(r'<textarea id="public-url"[^>]*>(http://testserver/s/[A-Za-z0-9_-]{43}/)</textarea>', html)
    assert box, "the whole public link, in a box that wraps"
    assert 'class="js-copy-link" data-copy-from="public-url"' in html
