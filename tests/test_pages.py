import pytest
from django.urls import reverse

from coverage.models import Statement, StatementStatus
from tests.conftest import make_article, make_event, make_outlet, make_statement


def test_the_event_list_counts_outlets_articles_and_statements(editor_client, demo):
    response = editor_client.get(reverse("coverage:event_list"))
    event = response.context["events"][0]
    assert (event.outlet_count, event.article_count) == (2, 2)
    assert event.statement_count == Statement.objects.count()
    assert demo.name in response.content.decode()


def test_the_event_list_leaves_out_suggestions(editor_client, demo):
    total = Statement.objects.count()
    Statement.objects.filter(pk=Statement.objects.first().pk).update(status=StatementStatus.SUGGESTED)
    event = editor_client.get(reverse("coverage:event_list")).context["events"][0]
    assert event.statement_count == total - 1


def test_the_event_list_says_when_there_are_no_events(editor_client):
    assert "No events yet" in editor_client.get(reverse("coverage:event_list")).content.decode()


def test_the_event_page_lists_articles_by_outlet(editor_client, demo):
    html = editor_client.get(reverse("coverage:event_detail", args=[demo.slug])).content.decode()
    for article in demo.articles.all():
        assert article.headline in html
    assert html.index("Opposing Views") < html.index("RT ")


def test_an_unknown_event_is_a_404(editor_client, db):
    assert editor_client.get(reverse("coverage:event_detail", args=["nope"])).status_code == 404


def test_the_article_page_highlights_each_statement_by_tone(editor_client, demo):
    article = demo.articles.get(outlet__slug="opposing-views")
    html = editor_client.get(article.get_absolute_url()).content.decode()
    for statement in article.statements.all():
        assert f'id="statement-{statement.pk}"' in html
        assert f'id="tip-{statement.pk}"' in html
    assert 'class="statement tone-' in html
    wallin = article.statements.get(source__name="Matthew Wallin", text__contains="useful check")
    assert "American Security Project" in html
    assert f'data-statement="{wallin.pk}"' in html


def test_the_article_page_hides_suggestions(editor_client, db):
    article = make_article(body="First sentence here. Second sentence there.")
    shown = make_statement(article, "First sentence here")
    hidden = make_statement(article, "Second sentence there", status=StatementStatus.SUGGESTED)
    html = editor_client.get(article.get_absolute_url()).content.decode()
    assert f"statement-{shown.pk}" in html
    assert f"statement-{hidden.pk}" not in html


def test_the_article_page_escapes_text_and_tagging(editor_client, db):
    article = make_article(body="<script>alert(1)</script> is in the body.", headline="<b>bold</b>")
    make_statement(article, "<script>alert(1)</script>", target="<img src=x onerror=alert(2)>")
    html = editor_client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_pages_send_a_content_security_policy_without_inline_script(editor_client, demo):
    response = editor_client.get(reverse("coverage:event_list"))
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "default-src 'self'" in policy


@pytest.mark.parametrize("outlets", [2, 20])
def test_page_query_counts_do_not_grow_with_outlets(client, editor, django_assert_num_queries, outlets):
    event = make_event()
    for _ in range(outlets):
        article = make_article(event, make_outlet())
        make_statement(article)
    client.force_login(editor)
    # 4 for session, user and permissions, then the page's own: one query per kind of row.
    with django_assert_num_queries(5):
        client.get(reverse("coverage:event_list"))
    # The event page is the framing matrix (18, pinned in tests/test_matrix_views.py) and the
    # charts panel, which reuses the matrix's rows (4: outlets, topics, frames, quoted sources).
    with django_assert_num_queries(18 + 4):
        client.get(reverse("coverage:event_detail", args=[event.slug]))
    with django_assert_num_queries(6):
        client.get(reverse("coverage:article_detail", args=[article.pk]))
