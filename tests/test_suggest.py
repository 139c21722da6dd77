"""The suggester: quotes and attributed claims, guessed speakers, stored suggestions, and its measured quality."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from coverage.models import Article, Source, SourceType, Statement, StatementStatus
from coverage.suggest import evaluate, find_proposals, kinds_match, spans_match, suggest_for_article
from tests.conftest import make_article, make_source, make_statement

# Measured on the demo's hand tagging (docs/tagging.md); the test allows a margin of 0.03.
MEASURED_PRECISION = 0.788
MEASURED_RECALL = 0.781
MEASURED_SOURCE_ACCURACY = 0.769
MARGIN = 0.03


def texts(body: str, proposals) -> list[tuple[str, str]]:
    return [(p.kind, body[p.start : p.end]) for p in proposals]


def test_it_finds_quotes_in_straight_and_curly_marks():
    body = 'He called it “a disaster,” adding: "We will not stay." Then nothing.'
    found = texts(body, find_proposals(body, []))
    assert ("quote", "a disaster") in found
    assert ("quote", "We will not stay.") in found


def test_a_quote_left_open_runs_to_the_end_of_its_paragraph():
    body = "“It has been agreed to work jointly.\n\nNext paragraph."
    assert texts(body, find_proposals(body, [])) == [("quote", "It has been agreed to work jointly.")]


def test_a_quote_never_runs_across_paragraphs():
    body = "He said “first part\n\nsecond” and left."
    spans = [body[p.start : p.end] for p in find_proposals(body, [])]
    assert all("\n" not in span for span in spans)


def test_it_proposes_attributed_claims_as_paraphrases():
    body = (
        "The ministry said the talks would resume in June. "
        "Prices rose in May. "
        "According to Reuters, the deal is close. "
        "The statement says both sides agreed."
    )
    found = texts(body, find_proposals(body, []))
    assert ("paraphrase", "The ministry said the talks would resume in June.") in found
    assert ("paraphrase", "According to Reuters, the deal is close.") in found
    assert ("paraphrase", "The statement says both sides agreed.") in found
    assert all("Prices rose" not in text for _, text in found)


def test_a_sentence_that_is_mostly_a_quote_is_not_also_a_paraphrase():
    body = "“We never interfere in the political life of other countries,” Putin added."
    assert [p.kind for p in find_proposals(body, [])] == ["quote"]


@pytest.mark.django_db
def test_it_matches_speakers_by_name_or_alias():
    wallin = make_source(name="Matthew Wallin", type=SourceType.EXPERT, aliases="Wallin")
    kremlin = make_source(name="Kremlin statement", aliases="the Kremlin")
    body = (
        "“Russia sees North Korea as a check,” Matthew Wallin, a senior fellow, told the paper.\n\n"
        "Wallin was unconvinced, saying it was “very unlikely we'll see action” after the call.\n\n"
        "The leaders agreed to cooperate, according to the Kremlin."
    )
    proposals = find_proposals(body, [wallin, kremlin])
    by_text = {body[p.start : p.end]: p for p in proposals}
    assert by_text["Russia sees North Korea as a check"].source == wallin
    assert by_text["very unlikely we'll see action"].source == wallin
    assert by_text["The leaders agreed to cooperate, according to the Kremlin."].source == kremlin


@pytest.mark.django_db
def test_a_pronoun_points_back_to_the_previous_speaker():
    wallin = make_source(name="Matthew Wallin")
    body = "Matthew Wallin said the talks were useful.\n\n“Both have their own interests,” he added."
    quote = [p for p in find_proposals(body, [wallin]) if p.kind == "quote"][0]
    assert quote.source == wallin


def test_an_unknown_speaker_is_proposed_by_name():
    body = "“We are ready to talk,” Sergei Lavrov told reporters."
    (quote,) = find_proposals(body, [])
    assert quote.source is None
    assert quote.proposed_source_name == "Sergei Lavrov"


def test_the_matching_rule_needs_half_of_the_longer_span_and_a_fitting_kind():
    assert spans_match(0, 10, 0, 20)
    assert not spans_match(0, 10, 0, 21)
    assert not spans_match(0, 10, 10, 20)
    assert kinds_match("quote", "quote") and not kinds_match("quote", "paraphrase")
    assert kinds_match("paraphrase", "assertion") and not kinds_match("paraphrase", "quote")


# ---------------------------------------------------------------- stored suggestions


@pytest.mark.django_db
def test_suggest_for_article_stores_suggestions_once():
    make_source(name="Ada Lovelace", aliases="Lovelace")
    article = make_article(body="“Numbers are poetry,” Ada Lovelace said. The end.")
    created = suggest_for_article(article)
    assert [(s.text, s.status, s.source.name) for s in created] == [
        ("Numbers are poetry", StatementStatus.SUGGESTED, "Ada Lovelace")
    ]
    assert suggest_for_article(article) == []
    created[0].status = StatementStatus.REJECTED
    created[0].save()
    assert suggest_for_article(article) == [], "a rejected suggestion is not proposed again"


@pytest.mark.django_db
def test_it_does_not_suggest_what_a_tagger_already_tagged():
    article = make_article(body="“Numbers are poetry,” Ada Lovelace said. The end.")
    make_statement(article, "Numbers are poetry,", kind="quote")
    assert suggest_for_article(article) == []


@pytest.mark.django_db
def test_a_suggestion_keeps_an_unknown_speakers_name():
    article = make_article(body="“We are ready to talk,” Sergei Lavrov told reporters.")
    (suggestion,) = suggest_for_article(article)
    assert suggestion.source is None and suggestion.proposed_source_name == "Sergei Lavrov"


@pytest.mark.django_db
def test_suggestions_stay_out_of_the_dashboard(editor_client):
    article = make_article(body="“Numbers are poetry,” Ada Lovelace said. The end.")
    (suggestion,) = suggest_for_article(article)
    assert not Statement.objects.accepted().filter(pk=suggestion.pk).exists()
    response = editor_client.get(reverse("coverage:article_detail", args=[article.pk]))
    assert f'id="statement-{suggestion.pk}"' not in response.content.decode()


@pytest.mark.django_db
def test_saving_an_article_in_admin_proposes_suggestions(client, tagger, demo):
    client.force_login(tagger)
    data = {
        "event": demo.pk,
        "outlet": demo.articles.first().outlet_id,
        "headline": "New piece",
        "url": "",
        "byline": "",
        "body": "“We are ready to talk,” Vladimir Putin said. He smiled.",
        "original_text": "",
        "tagging_status": "not_started",
        "statements-TOTAL_FORMS": "0",
        "statements-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:coverage_article_add"), data, follow=True)
    article = Article.objects.get(headline="New piece")
    suggestion = article.statements.get()
    assert suggestion.status == StatementStatus.SUGGESTED
    assert suggestion.source == Source.objects.get(name="Vladimir Putin")
    assert "1 suggestion(s) proposed" in response.content.decode()
    page = client.get(reverse("admin:coverage_article_change", args=[article.pk])).content.decode()
    assert f'id="suggestion-{suggestion.pk}"' in page and "suggested" in page


# ---------------------------------------------------------------- reviewing


@pytest.fixture
def suggestions(db):
    make_source(name="Ada Lovelace")
    article = make_article(body="“Numbers are poetry,” Ada Lovelace said. “Engines weave,” she added.")
    return suggest_for_article(article)


def test_the_article_page_accepts_one_suggestion(client, tagger, suggestions):
    client.force_login(tagger)
    first, second = suggestions
    here = reverse("admin:coverage_article_change", args=[first.article_id])
    response = client.post(
        reverse("admin:coverage_statement_review"), {"ids": [first.pk], "decision": "accept", "next": here}
    )
    assert response["Location"] == here
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.tagged_by) == (StatementStatus.ACCEPTED, tagger)
    assert second.status == StatementStatus.SUGGESTED
    assert first.history.first().history_user == tagger


def test_the_article_page_rejects_all_suggestions(client, tagger, suggestions):
    client.force_login(tagger)
    ids = [s.pk for s in suggestions]
    client.post(reverse("admin:coverage_statement_review"), {"ids": ids, "decision": "reject"})
    assert set(Statement.objects.filter(pk__in=ids).values_list("status", flat=True)) == {StatementStatus.REJECTED}


def test_reviewing_never_touches_accepted_statements(client, tagger, suggestions):
    client.force_login(tagger)
    accepted = suggestions[0]
    accepted.status = StatementStatus.ACCEPTED
    accepted.save()
    client.post(reverse("admin:coverage_statement_review"), {"ids": [accepted.pk], "decision": "reject"})
    accepted.refresh_from_db()
    assert accepted.status == StatementStatus.ACCEPTED


def test_a_review_with_a_bad_decision_changes_nothing(client, tagger, suggestions):
    client.force_login(tagger)
    response = client.post(
        reverse("admin:coverage_statement_review"), {"ids": [suggestions[0].pk], "decision": "maybe"}, follow=True
    )
    assert "Nothing to review: decision “maybe”" in response.content.decode()
    assert all(s.status == StatementStatus.SUGGESTED for s in Statement.objects.all())


def test_review_is_a_post_and_ignores_foreign_next_urls(client, tagger, suggestions):
    client.force_login(tagger)
    url = reverse("admin:coverage_statement_review")
    assert client.get(url).status_code == 405
    response = client.post(url, {"ids": [suggestions[0].pk], "decision": "accept", "next": "https://evil.example/"})
    assert response["Location"] == reverse("admin:coverage_statement_changelist")


@pytest.mark.parametrize(("action", "status"), [("accept_suggestions", "accepted"), ("reject_suggestions", "rejected")])
def test_the_statement_list_reviews_suggestions_in_bulk(client, tagger, suggestions, action, status):
    client.force_login(tagger)
    ids = [s.pk for s in suggestions]
    response = client.post(
        reverse("admin:coverage_statement_changelist"), {"action": action, "_selected_action": ids}, follow=True
    )
    assert response.status_code == 200
    assert set(Statement.objects.filter(pk__in=ids).values_list("status", flat=True)) == {status}
    assert all(s.history.first().history_user == tagger for s in Statement.objects.filter(pk__in=ids))


# ---------------------------------------------------------------- measured on the demo


def test_the_suggester_keeps_its_measured_quality_on_the_demo(demo):
    result = evaluate(demo.articles.all())
    assert result.precision >= MEASURED_PRECISION - MARGIN
    assert result.recall >= MEASURED_RECALL - MARGIN
    assert result.source_accuracy >= MEASURED_SOURCE_ACCURACY - MARGIN


def test_the_evaluation_command_prints_the_figures(demo):
    out = io.StringIO()
    call_command("evaluate_suggester", "--event", demo.slug, stdout=out)
    assert "Precision: " in out.getvalue()
    assert "Recall (quotes and paraphrases): " in out.getvalue()


def test_suggesting_on_a_fully_tagged_demo_article_adds_only_what_tagging_lacks(demo):
    article = demo.articles.get(outlet__slug="opposing-views")
    created = suggest_for_article(article)
    tagged = list(article.statements.accepted())
    for suggestion in created:
        assert not any(
            spans_match(suggestion.start, suggestion.end, t.start, t.end) and kinds_match(suggestion.kind, t.kind)
            for t in tagged
        )


def test_a_new_speaker_is_named_without_titles_and_by_the_fullest_name():
    body = "Peace needs work, Foreign Minister Sergei Lavrov told reporters.\n\n“We are ready,” Lavrov said."
    proposals = find_proposals(body, [])
    assert {p.proposed_source_name for p in proposals} == {"Sergei Lavrov"}


def test_accepting_a_suggestion_attaches_the_proposed_source_once_it_exists(client, tagger, db):
    article = make_article(body="“We are ready to talk,” Sergei Lavrov told reporters.")
    (suggestion,) = suggest_for_article(article)
    lavrov = make_source(name="Sergey Lavrov", aliases="Sergei Lavrov\nLavrov")
    client.force_login(tagger)
    client.post(reverse("admin:coverage_statement_review"), {"ids": [suggestion.pk], "decision": "accept"})
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.source) == (StatementStatus.ACCEPTED, lavrov)
