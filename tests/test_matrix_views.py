"""The matrix page, its drill-down, the side-by-side reader and the outlets overview."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from coverage.claims import match_event
from coverage.models import Frame, Source, Statement
from tests.conftest import make_article, make_event, make_outlet, make_source, make_statement, make_topic, make_user

HX = {"HTTP_HX_REQUEST": "true"}


def matrix_url(event, query=""):
    return reverse("coverage:event_detail", args=[event.slug]) + (f"?{query}" if query else "")


def statements_url(event, query=""):
    return reverse("coverage:event_statements", args=[event.slug]) + (f"?{query}" if query else "")


def compare_url(event, query=""):
    return reverse("coverage:event_compare", args=[event.slug]) + (f"?{query}" if query else "")


def overview_url(query=""):
    return reverse("coverage:outlet_overview") + (f"?{query}" if query else "")


def rows(response):
    return {row.outlet.slug: row for row in response.context["matrix"].rows}


def cell(response, outlet, topic):
    return next(c for c in rows(response)[outlet].topic_cells if c.topic.slug == topic)


# ---- the matrix on the demo event


def test_the_matrix_shows_what_each_demo_outlet_left_out(editor_client, demo):
    response = editor_client.get(matrix_url(demo))
    assert cell(response, "opposing-views", "thaad").state == "omitted"
    assert [o.slug for o in cell(response, "opposing-views", "thaad").covered_by] == ["rt"]
    assert cell(response, "rt", "election-interference").state == "omitted"
    assert cell(response, "rt", "thaad").state == "covered"
    html = response.content.decode()
    assert "covered by RT" in html and "covered by Opposing Views" in html
    assert html.count('class="key-badge"') >= 3  # the demo's key topics are marked


def test_the_matrix_names_experts_and_counts_quotes(editor_client, demo):
    response = editor_client.get(matrix_url(demo))
    ov = rows(response)["opposing-views"]
    assert [(e.label, e.detail) for e in ov.experts] == [("Matthew Wallin", "American Security Project")]
    assert rows(response)["rt"].experts == []
    assert (
        ov.quotes.statements == Statement.objects.filter(article__outlet__slug="opposing-views", kind="quote").count()
    )
    html = response.content.decode()
    assert "Matthew Wallin</a>, American Security Project" in html
    assert "none quoted" in html


def test_the_matrix_is_a_real_table_with_header_scopes(editor_client, demo):
    html = editor_client.get(matrix_url(demo)).content.decode()
    assert '<th scope="colgroup"' in html and html.count('<th scope="row" class="outlet-cell"') == 2
    assert "<caption" in html
    assert 'tabindex="0"' in html  # the scrolling region is reachable by keyboard


def test_the_matrix_keeps_the_article_list_reachable(editor_client, demo):
    html = editor_client.get(matrix_url(demo)).content.decode()
    for article in demo.articles.all():
        assert article.get_absolute_url() in html


def test_every_cell_links_to_its_drilldown_in_place_and_as_a_page(editor_client, demo):
    html = editor_client.get(matrix_url(demo)).content.decode()
    links = re.findall(r'<a href="([^"]+)" hx-get="([^"]+)"', html)
    drill = [href for href, hx in links if "/statements/" in href]
    assert drill and all(href == hx for href, hx in links if "/statements/" in href)
    assert 'hx-target="#statements-panel"' in html
    assert 'id="charts-panel"' in html


def test_the_htmx_request_gets_only_the_matrix_panel(editor_client, demo):
    response = editor_client.get(matrix_url(demo, "outlet=rt&tone=-2"), **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<section id="matrix-panel"')
    assert 'id="statements-panel"' in html
    # The charts sit inside the swapped panel, so a filter change redraws them with the matrix.
    charts = html[html.index('id="charts-panel"') :]
    assert "/charts/" in charts and "?outlet=rt&amp;tone=-2" in charts
    assert "HX-Request" in response["Vary"]
    assert response["HX-Push-Url"] == matrix_url(demo, "outlet=rt&tone=-2")


def test_the_full_page_varies_on_htmx_too(editor_client, demo):
    response = editor_client.get(matrix_url(demo))
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]
    assert "HX-Push-Url" not in response


def test_a_history_restore_gets_the_whole_page(editor_client, demo):
    response = editor_client.get(matrix_url(demo, "outlet=rt"), HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HX)
    assert "<html" in response.content.decode()


def test_the_pushed_url_is_canonical(editor_client, demo):
    response = editor_client.get(matrix_url(demo, "tone=1&date_from=&outlet=rt&kind=quote"), **HX)
    assert response["HX-Push-Url"] == matrix_url(demo, "outlet=rt&tone=1&kind=quote")
    assert editor_client.get(matrix_url(demo, "date_to="), **HX)["HX-Push-Url"] == matrix_url(demo)


def test_the_filter_form_has_exactly_the_statement_filter_parameters(editor_client, demo):
    html = editor_client.get(matrix_url(demo)).content.decode()
    form = html[
        html.index('<form id="matrix-filters"') : html.index("</form>", html.index('<form id="matrix-filters"'))
    ]
    names = set(re.findall(r'name="([^"]+)"', form))
    assert names == {"outlet", "topic", "frame", "source_type", "source", "tone", "kind", "date_from", "date_to"}
    assert 'hx-push-url="true"' in form and 'hx-get="' in form


def test_the_filter_form_shows_the_current_state(editor_client, demo):
    html = editor_client.get(matrix_url(demo, "outlet=rt&tone=-2&date_from=2017-05-01")).content.decode()
    assert 'name="outlet" value="rt" checked' in html
    assert 'name="outlet" value="opposing-views" checked' not in html
    assert 'name="tone" value="-2" checked' in html
    assert 'value="2017-05-01"' in html


# ---- every filter


def test_the_outlet_filter_shows_one_row_and_keeps_its_omissions(editor_client, demo):
    response = editor_client.get(matrix_url(demo, "outlet=opposing-views"))
    assert list(rows(response)) == ["opposing-views"]
    thaad = cell(response, "opposing-views", "thaad")
    assert thaad.state == "omitted" and [o.slug for o in thaad.covered_by] == ["rt"]


def test_the_topic_filter_restricts_the_columns(editor_client, demo):
    response = editor_client.get(matrix_url(demo, "topic=thaad&topic=g20-meeting"))
    assert [t.slug for t in response.context["matrix"].topics] == ["thaad", "g20-meeting"]
    assert cell(response, "rt", "g20-meeting").state == "omitted"
    assert (
        rows(response)["rt"].statements
        == Statement.objects.filter(article__outlet__slug="rt", topic__slug="thaad").count()
    )


def test_the_frame_filter(editor_client, demo):
    response = editor_client.get(matrix_url(demo, "frame=political"))
    expected = Statement.objects.filter(frame__slug="political").count()
    assert response.context["matrix"].statements == expected > 0
    assert all(f.label == "Political" for row in rows(response).values() for f in row.frames)


def test_the_source_type_filter(editor_client, demo):
    response = editor_client.get(matrix_url(demo, "source_type=expert"))
    assert rows(response)["rt"].statements == 0
    assert rows(response)["opposing-views"].statements == Statement.objects.filter(source__type="expert").count()
    # RT covers THAAD but has no expert on it: covered, nothing matching; not an omission.
    assert cell(response, "rt", "thaad").state == "unmatched"


def test_the_source_filter(editor_client, demo):
    kremlin = Source.objects.get(name="Kremlin statement")
    response = editor_client.get(matrix_url(demo, f"source={kremlin.pk}"))
    assert {s: r.statements for s, r in rows(response).items()} == {
        slug: Statement.objects.filter(source=kremlin, article__outlet__slug=slug).count()
        for slug in ("rt", "opposing-views")
    }


def test_the_tone_filter(editor_client, demo):
    response = editor_client.get(matrix_url(demo, "tone=-2"))
    assert response.context["matrix"].statements == Statement.objects.filter(tone=-2).count()
    assert all(r.tone.mean in (None, -2) for r in rows(response).values())


def test_the_kind_filter(editor_client, demo):
    response = editor_client.get(matrix_url(demo, "kind=quote"))
    for _slug, row in rows(response).items():
        assert row.quotes.share == 100 or row.statements == 0


def test_the_date_range_filter_narrows_articles(editor_client, demo):
    response = editor_client.get(matrix_url(demo, "date_from=2017-05-02&date_to=2017-05-02"))
    assert list(rows(response)) == ["rt"]  # the other article gives no date
    assert [g["outlet"].slug for g in response.context["articles"]] == ["rt"]
    # Alone in the range, RT omits only key topics nobody covers: none.
    assert all(c.state != "omitted" for c in rows(response)["rt"].topic_cells)


def test_filters_that_match_nothing_say_so(editor_client, demo):
    html = editor_client.get(matrix_url(demo, "source_type=anonymous")).content.decode()
    assert "No statements match these filters" in html


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("tone=abc", "tone"),
        ("tone=7", "tone"),
        ("outlet=nowhere", "outlet"),
        ("topic=nope", "topic"),
        ("frame=nope", "frame"),
        ("source=99999", "source"),
        ("source=x", "source"),
        ("source_type=alien", "source_type"),
        ("kind=rumour", "kind"),
        ("date_from=soon", "date_from"),
        ("date_from=2017-05-03&date_to=2017-05-01", "date_to"),
    ],
)
@pytest.mark.parametrize("view", ["matrix", "statements"])
def test_invalid_filters_give_a_400_naming_the_parameter(editor_client, demo, query, parameter, view):
    url = matrix_url(demo, query) if view == "matrix" else statements_url(demo, query)
    for extra in ({}, HX):
        response = editor_client.get(url, **extra)
        assert response.status_code == 400
        assert f"<code>{parameter}</code>" in response.content.decode()


# ---- empty states


def test_an_event_without_articles(editor_client, db):
    event = make_event()
    assert "No articles on this event" in editor_client.get(matrix_url(event)).content.decode()


def test_an_event_without_statements(editor_client, db):
    event = make_event()
    make_article(event, tagging_status="not_started")
    html = editor_client.get(matrix_url(event)).content.decode()
    assert "Tagging has not started on this event" in html
    assert "Articles by outlet" in html


def test_an_outlet_with_an_article_but_no_statements(editor_client, db):
    event = make_event()
    make_statement(make_article(event, make_outlet(name="Tagged")), topic=make_topic(event))
    make_article(event, make_outlet(name="Untagged"), tagging_status="not_started")
    html = editor_client.get(matrix_url(event)).content.decode()
    assert "Tagging of this outlet's article has not started" in html


# ---- drill-down


def test_the_drilldown_lists_the_statements_behind_a_cell(editor_client, demo):
    response = editor_client.get(statements_url(demo, "outlet=rt&topic=thaad"))
    expected = Statement.objects.filter(article__outlet__slug="rt", topic__slug="thaad")
    assert {card.id for card, _ in response.context["cards"]} == set(expected.values_list("pk", flat=True))
    html = response.content.decode()
    assert f"{expected.count()} statements" in html
    for statement in expected:
        assert f'href="{statement.article.get_absolute_url()}#statement-{statement.pk}"' in html
    assert "<html" in html and "Back to the matrix" in html
    assert "HX-Request" in response["Vary"]


def test_the_drilldown_opens_in_place_for_htmx_without_changing_the_url(editor_client, demo):
    response = editor_client.get(statements_url(demo, "outlet=rt&topic=thaad"), **HX)
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<section id="statements-panel"')
    assert "drawer" in html and "data-close-drawer" in html
    assert "HX-Request" in response["Vary"] and "HX-Push-Url" not in response


def test_the_drilldown_says_when_nothing_matches(editor_client, demo):
    assert (
        "No statements match"
        in editor_client.get(statements_url(demo, "outlet=rt&source_type=expert")).content.decode()
    )


def test_the_drilldown_escapes_statement_text(editor_client, db):
    event = make_event()
    article = make_article(event, body="<script>alert(1)</script> is here. More.")
    make_statement(article, "<script>alert(1)</script> is here")
    html = editor_client.get(statements_url(event)).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_the_drilldown_leaves_out_suggestions(editor_client, db):
    article = make_article(body="One here. Two here.")
    shown = make_statement(article, "One here")
    hidden = make_statement(article, "Two here", status="suggested")
    html = editor_client.get(statements_url(article.event)).content.decode()
    assert f"#statement-{shown.pk}" in html and f"#statement-{hidden.pk}" not in html


# ---- side by side


def test_the_reader_shows_both_articles_and_what_each_leaves_out(editor_client, demo):
    response = editor_client.get(compare_url(demo, "a=opposing-views&b=rt"))
    topics = response.context["topics"]
    assert "thaad" in [t.slug for t in topics.right_only]
    assert {"election-interference", "g20-meeting"} <= {t.slug for t in topics.left_only}
    html = response.content.decode()
    for article in demo.articles.all():
        assert article.headline in html
    assert html.count('<mark class="statement') >= 40
    assert "Matthew Wallin" in html
    assert "HX-Request" in response["Vary"]


def test_the_reader_defaults_to_the_first_two_outlets(editor_client, demo):
    response = editor_client.get(compare_url(demo))
    assert (response.context["left"].slug, response.context["right"].slug) == ("opposing-views", "rt")


def test_the_reader_swaps_in_place_for_htmx(editor_client, demo):
    response = editor_client.get(compare_url(demo, "a=rt&b=opposing-views"), **HX)
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<section id="compare-panel"')
    la = demo.articles.get(outlet__slug="rt").pk
    ra = demo.articles.get(outlet__slug="opposing-views").pk
    assert response["HX-Push-Url"] == compare_url(demo, f"a=rt&b=opposing-views&la={la}&ra={ra}")
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("query, parameter", [("a=nowhere", "a"), ("la=x", "la"), ("ra=99999", "ra"), ("b=", None)])
def test_the_reader_rejects_bad_outlets(editor_client, demo, query, parameter):
    response = editor_client.get(compare_url(demo, query))
    if parameter is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 400 and f"<code>{parameter}</code>" in response.content.decode()


def test_the_reader_needs_two_outlets(editor_client, db):
    event = make_event()
    make_article(event, make_outlet(name="Lonely"))
    assert "needs articles from two outlets" in editor_client.get(compare_url(event)).content.decode()


# ---- outlets overview


def test_the_overview_lists_outlets_with_their_shares(editor_client, demo):
    response = editor_client.get(overview_url())
    by_slug = {r.outlet.slug: r for r in response.context["rows"]}
    ov = by_slug["opposing-views"]
    assert ov.events == 1 and ov.omitted == 3 and ov.topics == demo.topics.count()
    assert ov.statements == Statement.objects.filter(article__outlet=ov.outlet.id).count()
    assert ov.experts == Statement.objects.filter(article__outlet=ov.outlet.id, source__type="expert").count() > 0
    assert by_slug["rt"].experts == 0
    html = response.content.decode()
    assert "<html" in html and 'aria-sort="ascending"' in html
    assert "HX-Request" in response["Vary"]


def test_the_overview_sorts(editor_client, demo):
    response = editor_client.get(overview_url("sort=-expert_share"))
    assert [r.outlet.slug for r in response.context["rows"]] == ["opposing-views", "rt"]
    response = editor_client.get(overview_url("sort=-official_share"))
    assert [r.outlet.slug for r in response.context["rows"]] == ["rt", "opposing-views"]
    assert 'aria-sort="descending"' in response.content.decode()


def test_the_overview_filters_by_country_and_date(editor_client, demo):
    response = editor_client.get(overview_url("country=Russia"))
    assert [r.outlet.slug for r in response.context["rows"]] == ["rt"]
    # RT alone is listed but its omissions are still judged against Opposing Views.
    assert response.context["rows"][0].omitted == 2
    html = editor_client.get(overview_url("date_from=2018-01-01")).content.decode()
    assert "No outlet matching these filters" in html
    # The date range is the articles' publication day, as on every page: the other demo article has none.
    response = editor_client.get(overview_url("date_from=2017-05-02&date_to=2017-05-02"))
    assert [r.outlet.slug for r in response.context["rows"]] == ["rt"]


def test_the_overview_swaps_in_place_for_htmx(editor_client, demo):
    response = editor_client.get(overview_url("sort=-mean_tone&country=Russia"), **HX)
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<section id="outlets-panel"')
    assert response["HX-Push-Url"] == overview_url("country=Russia&sort=-mean_tone")
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("country=Atlantis", "country"),
        ("sort=colour", "sort"),
        ("date_from=x", "date_from"),
        ("date_from=2017-06-01&date_to=2017-05-01", "date_to"),
    ],
)
def test_the_overview_rejects_bad_filters(editor_client, demo, query, parameter):
    for extra in ({}, HX):
        response = editor_client.get(overview_url(query), **extra)
        assert response.status_code == 400 and f"<code>{parameter}</code>" in response.content.decode()


def test_the_overview_says_when_there_is_nothing(editor_client, db):
    assert "No outlet has an article on an event yet" in editor_client.get(overview_url()).content.decode()


# ---- access


@pytest.mark.parametrize("name", ["statements", "compare", "overview"])
def test_the_new_pages_need_login_and_the_read_permission(client, demo, name):
    url = {"statements": statements_url(demo), "compare": compare_url(demo), "overview": overview_url()}[name]
    assert client.get(url, **HX).status_code == 302
    client.force_login(make_user("nobody"))
    assert client.get(url, **HX).status_code == 403


# ---- query counts: the same with 2 and 20 outlets, and with 5 and 50 topics


def _event_with(outlets: int, topics: int):
    event = make_event()
    topic_list = [make_topic(event, is_key=(i == 0)) for i in range(topics)]
    expert = make_source(type="expert", affiliation="Institute")
    official = make_source(type="official")
    frames = list(Frame.objects.filter(codebook=event.codebook)[:3])
    when = timezone.make_aware(dt.datetime(2017, 5, 2, 12))
    for i in range(outlets):
        article = make_article(
            event, make_outlet(), published_at=when, body="Alpha one. Beta two. Gamma three. Delta four."
        )
        for j, text in enumerate(["Alpha one", "Beta two", "Gamma three"]):
            make_statement(
                article,
                text,
                topic=topic_list[(i + j) % topics],
                tone=j - 1,
                frame=frames[j],
                source=expert if j == 0 else official,
                kind="quote" if j else "assertion",
            )
    return event


@pytest.mark.parametrize("outlets, topics", [(2, 5), (20, 5), (2, 50), (20, 50)])
def test_query_counts_do_not_grow_with_outlets_or_topics(client, editor, django_assert_num_queries, outlets, topics):
    event = _event_with(outlets, topics)
    make_statement(event.articles.first(), "Delta four")  # a claim only the first outlet carried
    match_event(event.pk)
    some_outlet = event.articles.first().outlet.slug
    some_topic = event.topics.first().slug
    client.force_login(editor)
    # 4 for session, user and permissions; then the event, its articles (with outlets), topics
    # and frames; the counts of every part in one query, the named sources, and the claims of
    # each outlet (one query). The charts panel draws from the same figures.
    with django_assert_num_queries(11):
        assert client.get(matrix_url(event)).status_code == 200
    with django_assert_num_queries(11):
        assert client.get(matrix_url(event), **HX).status_code == 200
    # Filters are checked against the dimensions already read; a source costs one look-up.
    source = event.articles.first().statements.first().source_id
    with django_assert_num_queries(12):
        url = matrix_url(event, f"outlet={some_outlet}&topic={some_topic}&source={source}")
        assert client.get(url, **HX).status_code == 200
    # The drill-down: the figures' total and one page of statements.
    with django_assert_num_queries(10):
        assert client.get(statements_url(event, f"outlet={some_outlet}"), **HX).status_code == 200
    # A claim list: the event and its dimensions (no frames), the claims (two), one page of their statements.
    with django_assert_num_queries(10):
        url = reverse("coverage:event_claims", args=[event.slug]) + f"?outlet={some_outlet}&list=only"
        assert "Delta four" in client.get(url, **HX).content.decode()
    # Dimensions without frames, the counts, the two chosen articles with their statements,
    # and the claim links (two).
    with django_assert_num_queries(12):
        assert client.get(compare_url(event)).status_code == 200
    # The overview: 4, outlets and frames, articles per event and outlet, topics, the counts, the claims.
    with django_assert_num_queries(10):
        assert client.get(overview_url()).status_code == 200
    with django_assert_num_queries(10):
        assert client.get(statements_url(event, f"outlet={some_outlet}&topic={some_topic}")).status_code == 200
    with django_assert_num_queries(10):
        assert client.get(overview_url("sort=-omission_rate&country=Testland"), **HX).status_code == 200
