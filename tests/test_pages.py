import pytest
from django.urls import reverse

from coverage.models import Statement, StatementStatus, TaggingStatus
from tests.conftest import make_article, make_event, make_outlet, make_statement


def cards(response):
    return {card.event.slug: card for card in response.context["cards"]}


def test_the_event_list_shows_per_event_outlets_blindspots_tone_spread_and_tagging(editor_client, demo):
    response = editor_client.get(reverse("coverage:event_list"))
    card = cards(response)[demo.slug]
    assert [o.outlet.slug for o in card.outlets] == ["opposing-views", "rt"]
    assert card.statements == Statement.objects.count()
    assert (card.status.articles, card.status.complete) == (2, 2)
    blindspots = {b.topic.slug: [o.slug for o in b.omitted_by] for b in card.blindspots}
    assert blindspots["thaad"] == ["opposing-views"] and blindspots["election-interference"] == ["rt"]
    low, high = card.tone_spread
    assert low.tone.mean <= high.tone.mean and {low.outlet.slug, high.outlet.slug} == {"rt", "opposing-views"}
    html = response.content.decode()
    assert "Left out by some outlets" in html and "omitted by Opposing Views" in html and "Tagging complete" in html


def test_the_event_list_claims_no_blindspot_for_an_outlet_still_being_tagged(editor_client, demo):
    demo.articles.filter(outlet__slug="rt").update(tagging_status=TaggingStatus.IN_PROGRESS)
    response = editor_client.get(reverse("coverage:event_list"))
    card = cards(response)[demo.slug]
    assert all("rt" not in [o.slug for o in b.omitted_by] for b in card.blindspots)
    assert [o.slug for o in card.pending_outlets] == ["rt"]
    html = response.content.decode()
    assert "Tagging: 1 of 2 articles complete" in html and "omissions of RT not claimed until then" in html


def test_the_event_list_leaves_out_suggestions(editor_client, demo):
    total = Statement.objects.count()
    statement = Statement.objects.first()
    statement.status = StatementStatus.SUGGESTED  # saved, as every writer does: the summary tables follow
    statement.save()
    assert cards(editor_client.get(reverse("coverage:event_list")))[demo.slug].statements == total - 1


def test_the_event_list_comes_in_pages_of_24_newest_first(editor_client, db):
    import datetime as dt

    events = [make_event(date=dt.date(2020, 1, 1) + dt.timedelta(days=i)) for i in range(30)]
    first = editor_client.get(reverse("coverage:event_list"))
    assert [c.event.slug for c in first.context["cards"]][:2] == [events[-1].slug, events[-2].slug]
    assert len(first.context["cards"]) == 24
    second = editor_client.get(reverse("coverage:event_list") + "?page=2")
    assert len(second.context["cards"]) == 6 and "Newer events" in second.content.decode()
    assert editor_client.get(reverse("coverage:event_list") + "?page=x").status_code == 400


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
    # 4 for session, user and permissions; then the events of the page (count and rows), the
    # outlets, and the read model across those events (articles, topics, counts).
    with django_assert_num_queries(10):
        client.get(reverse("coverage:event_list"))
    # The event page, matrix and charts: 4, the event, its dimensions (3) and the figures (3:
    # the counts, the named sources, the claims).
    with django_assert_num_queries(11):
        client.get(reverse("coverage:event_detail", args=[event.slug]))
    with django_assert_num_queries(6):
        client.get(reverse("coverage:article_detail", args=[article.pk]))
