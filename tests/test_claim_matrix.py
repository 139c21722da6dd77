"""Claims in the read model and the matrix (issue 13): the CLAIMS part, the rule, the columns, the lists."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from coverage import readmodel
from coverage.claim_models import ClaimOmission
from coverage.claim_reads import claims_for_event
from coverage.claims import match_event
from coverage.models import Event, TaggingStatus
from coverage.omissions import claim_omissions
from coverage.rows import CLAIMS, COVERAGE, ClaimCounts, OutletCoverage, StatementFilters
from tests.claim_fixtures import EVER_GIVEN, load_fixture_event
from tests.conftest import make_article, make_event, make_outlet, make_statement


@pytest.fixture
def ever_given(db):
    loaded = load_fixture_event(EVER_GIVEN)
    match_event(loaded["event"].pk)
    return loaded


def _figures(event, parts=readmodel.MATRIX_PARTS, filters=readmodel.NO_FILTERS):
    event = Event.objects.select_related("codebook").get(pk=event.pk)
    return readmodel.read_figures(readmodel.event_dimensions(event), filters, parts)


def _decider():
    return get_user_model().objects.get_or_create(username="decider")[0]


# The rule, pure ---------------------------------------------------------------------------


def test_a_confirmed_claim_omission_counts_only_when_the_outlet_is_completely_tagged():
    counts = {(1, 7): ClaimCounts(carried=5, only_here=2, left_out={"confirmed": 3, "candidate": 1, "dismissed": 4})}
    complete = claim_omissions({(1, 7): OutletCoverage(articles=2, complete_articles=2)}, counts)[(1, 7)]
    assert (complete.omitted, complete.candidates, complete.pending, complete.only_here) == (3, 1, 0, 2)
    unfinished = claim_omissions({(1, 7): OutletCoverage(articles=2, complete_articles=1)}, counts)[(1, 7)]
    assert (unfinished.omitted, unfinished.candidates, unfinished.pending) == (0, 0, 4)
    assert unfinished.only_here == 2


def test_an_outlet_without_claims_gets_zeros_by_the_rule():
    gaps = claim_omissions({(1, 7): OutletCoverage(articles=1, complete_articles=1)}, {})[(1, 7)]
    assert (gaps.carried, gaps.only_here, gaps.omitted, gaps.candidates, gaps.pending) == (0, 0, 0, 0, 0)


# The read model ---------------------------------------------------------------------------


def test_the_claims_part_agrees_with_the_claim_lists(ever_given):
    event = ever_given["event"]
    omissions = ClaimOmission.objects.filter(outlet=ever_given["outlets"]["review"]).order_by("pk")
    omissions.filter(pk__in=[o.pk for o in omissions[:2]]).decide("confirmed", _decider())
    omissions.filter(pk=omissions[2].pk).decide("dismissed", _decider())
    figures = _figures(event)
    lists = claims_for_event(event.pk)
    for outlet_id, listed in lists.outlets.items():
        rule = figures.claim_omissions[(event.pk, outlet_id)]
        assert rule.carried == listed.carried
        assert rule.only_here == len(listed.only_here)
        assert rule.omitted == len(listed.left_out_in("confirmed"))
        assert rule.candidates == len(listed.left_out_in("candidate"))
    assert figures.claim_omissions[(event.pk, ever_given["outlets"]["review"].pk)].omitted == 2


def test_claim_omissions_of_an_outlet_with_unfinished_tagging_read_as_tagging_in_progress(ever_given):
    event, review = ever_given["event"], ever_given["outlets"]["review"]
    ClaimOmission.objects.filter(outlet=review).decide("confirmed", _decider())
    make_article(event, review, body="Not tagged yet.", tagging_status=TaggingStatus.IN_PROGRESS)
    rule = _figures(event).claim_omissions[(event.pk, review.pk)]
    assert rule.omitted == 0 and rule.pending == ClaimOmission.objects.filter(outlet=review, current=True).count()


def test_filters_other_than_outlets_do_not_change_the_claim_columns(ever_given):
    event = ever_given["event"]
    everything = _figures(event).claim_omissions
    narrowed = _figures(event, filters=StatementFilters(tones=frozenset({2}), kinds=frozenset({"quote"})))
    assert narrowed.claim_omissions == everything


@pytest.mark.parametrize("outlets", [2, 20])
def test_the_claims_part_costs_one_query_however_many_outlets(db, django_assert_num_queries, outlets):
    event = make_event()
    for i in range(outlets):
        article = make_article(event, make_outlet(), body="The port reopened today. Ships queued for days.")
        make_statement(article, "The port reopened today")
        if i % 2:
            make_statement(article, "Ships queued for days")
    match_event(event.pk)
    event = Event.objects.select_related("codebook").get(pk=event.pk)
    dims = readmodel.event_dimensions(event)
    with django_assert_num_queries(1):
        figures = readmodel.read_figures(dims, StatementFilters(), {CLAIMS})
    assert len(figures.claim_omissions) == outlets
    assert sum(r.candidates for r in figures.claim_omissions.values()) == outlets - outlets // 2
    with django_assert_num_queries(2):  # the counts of every other part, and the claims
        readmodel.read_figures(dims, StatementFilters(), {COVERAGE, CLAIMS})


# The matrix, the claim lists and the overview CSV ----------------------------------------------


def _matrix_row(response, slug):
    return next(r for r in response.context["matrix"].rows if r.outlet.slug == slug)


def test_the_matrix_shows_each_outlets_claims_only_here_and_confirmed_omissions(editor_client, ever_given):
    event, review = ever_given["event"], ever_given["outlets"]["review"]
    omissions = ClaimOmission.objects.filter(outlet=review).order_by("pk")
    omissions.filter(pk=omissions[0].pk).decide("confirmed", _decider())
    response = editor_client.get(reverse("coverage:event_detail", args=[event.slug]))
    listed = claims_for_event(event.pk).outlets[review.pk]
    row = _matrix_row(response, "review")
    assert row.claims.only_here == len(listed.only_here)
    assert row.claims.omitted == 1 and row.claims.candidates == len(listed.left_out) - 1
    html = response.content.decode()
    assert row.claims.only_url.replace("&", "&amp;") in html and row.claims.left_out_url.replace("&", "&amp;") in html
    assert "confirmed omission" in html and "Only here" in html
    # The outlet filter narrows the rows, not what counts as carried elsewhere.
    narrowed = editor_client.get(reverse("coverage:event_detail", args=[event.slug]) + "?outlet=review")
    assert _matrix_row(narrowed, "review").claims.only_here == row.claims.only_here


def test_the_matrix_says_tagging_in_progress_instead_of_claim_omissions(editor_client, ever_given):
    event, review = ever_given["event"], ever_given["outlets"]["review"]
    ClaimOmission.objects.filter(outlet=review).decide("confirmed", _decider())
    make_article(event, review, body="Not tagged yet.", tagging_status=TaggingStatus.IN_PROGRESS)
    response = editor_client.get(reverse("coverage:event_detail", args=[event.slug]))
    row = _matrix_row(response, "review")
    assert row.claims.omitted == 0 and row.claims.pending > 0
    cell = re.search(r'data-label="Claims others carried, left out here">(.*?)</td>', response.content.decode(), re.S)
    assert "tagging in progress" in cell.group(1) and "confirmed omission" not in cell.group(1)


def test_a_claim_list_shows_the_claims_with_their_statements_and_states(editor_client, ever_given):
    event, review = ever_given["event"], ever_given["outlets"]["review"]
    omissions = ClaimOmission.objects.filter(outlet=review).order_by("pk")
    omissions.filter(pk=omissions[0].pk).decide("dismissed", _decider())
    omissions.filter(pk=omissions[1].pk).decide("confirmed", _decider())
    url = reverse("coverage:event_claims", args=[event.slug])
    only = editor_client.get(url + "?outlet=review&list=only")
    assert only.status_code == 200
    assert "Insurers expect large claims from cargo owners whose goods were delayed." in only.content.decode()
    left_out = editor_client.get(url + "?outlet=review&list=left_out")
    html = left_out.content.decode()
    assert html.index("Confirmed omission") < html.index("Candidate, not reviewed yet")
    assert omissions[0].claim.text not in html  # dismissed
    assert html.count('class="claim-card"') == omissions.count() - 1
    partial = editor_client.get(url + "?outlet=review&list=only", headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and partial["Vary"].count("HX-Request")


@pytest.mark.parametrize("query", ["outlet=nobody&list=only", "outlet=review&list=everything", "list=only"])
def test_a_claim_list_with_a_wrong_parameter_is_a_400(editor_client, ever_given, query):
    url = reverse("coverage:event_claims", args=[ever_given["event"].slug])
    assert editor_client.get(f"{url}?{query}").status_code == 400


def test_a_claim_list_needs_a_login(client, ever_given):
    url = reverse("coverage:event_claims", args=[ever_given["event"].slug]) + "?outlet=review&list=only"
    assert client.get(url).status_code == 302


def test_a_claim_list_is_paginated(editor_client, db):
    event = make_event()
    outlet = make_outlet(slug="lonely")
    make_article(event, make_outlet(), body="Something else entirely.")
    body = " ".join(f"Claim number {i} stands alone with word{i}." for i in range(30))
    article = make_article(event, outlet, body=body)
    for i in range(30):
        make_statement(article, f"Claim number {i} stands alone with word{i}.")
    match_event(event.pk)
    url = reverse("coverage:event_claims", args=[event.slug]) + "?outlet=lonely&list=only"
    first, second = editor_client.get(url), editor_client.get(url + "&page=2")
    assert first.context["page"].paginator.count == 30
    assert len(first.context["items"]) == 25 and len(second.context["items"]) == 5
    assert "page=2" in first.content.decode()


def test_the_overview_csv_has_both_claim_columns(editor_client, ever_given):
    review = ever_given["outlets"]["review"]
    omissions = ClaimOmission.objects.filter(outlet=review).order_by("pk")
    omissions.filter(pk=omissions[0].pk).decide("confirmed", _decider())
    listed = claims_for_event(ever_given["event"].pk).outlets[review.pk]
    response = editor_client.get(reverse("coverage:outlet_overview_csv"))
    rows = {r["Outlet"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert int(rows[review.name]["Claims only here"]) == len(listed.only_here)
    assert int(rows[review.name]["Claims others carried, left out here"]) == 1
    assert int(rows[review.name]["Claim omission candidates"]) == len(listed.left_out) - 1


# The side-by-side reader -------------------------------------------------------------------------


def _compare(client, event, a, b):
    return client.get(reverse("coverage:event_compare", args=[event.slug]) + f"?a={a}&b={b}")


def test_the_reader_links_matched_statements_and_marks_those_only_one_outlet_reported(editor_client, ever_given):
    event, outlets = ever_given["event"], ever_given["outlets"]
    html = _compare(editor_client, event, "ledger", "review").content.decode()
    analyst_ledger = next(s for s in ever_given["statements"] if s.text.startswith("Lena Markovic, a maritime"))
    analyst_review = next(s for s in ever_given["statements"] if s.text.startswith("Lena Markovic of Harbourline"))
    assert re.search(rf'data-statement="{analyst_ledger.pk}" data-linked="[^"]*\b{analyst_review.pk}\b', html)
    assert re.search(rf'data-statement="{analyst_review.pk}" data-linked="[^"]*\b{analyst_ledger.pk}\b', html)
    owner = next(s for s in ever_given["statements"] if s.text.startswith("The ship's Japanese owner"))
    assert re.search(rf'data-statement="{owner.pk}" data-only-in="{outlets["ledger"].name}"', html)
    assert f'<span class="only-in-badge">only in {outlets["ledger"].name}</span>' in html
    assert 'src="/static/coverage/compare.js"' in html or "coverage/compare" in html


def test_the_reader_shows_a_trimmed_quote_in_both_versions(editor_client, ever_given):
    event = ever_given["event"]
    html = _compare(editor_client, event, "ledger", "dispatch").content.decode()
    section = html[html.index('id="trimmed-heading"') :]
    assert "Quote shortened" in section and "Suez Canal Authority" in section
    assert '<ins class="only-words">and navigation will resume once the channel has been inspected</ins>' in section
