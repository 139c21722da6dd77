"""What the pages read about claims (coverage/claim_reads.py): contents, and two queries however many outlets."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from coverage.claim_models import ClaimOmission
from coverage.claim_reads import claim_links, claims_for_event
from coverage.claims import match_event
from coverage.models import TaggingStatus
from tests.claim_fixtures import EVER_GIVEN, load_fixture_event
from tests.conftest import make_article, make_event, make_outlet, make_source, make_statement


@pytest.fixture
def ever_given(db):
    loaded = load_fixture_event(EVER_GIVEN)
    match_event(loaded["event"].pk)
    return loaded


def _statement(loaded, start: str):
    return next(s for s in loaded["statements"] if s.text.startswith(start))


def test_each_outlet_gets_the_claims_only_it_carried_and_those_it_left_out(ever_given):
    event, outlets = ever_given["event"], ever_given["outlets"]
    claims = claims_for_event(event.pk)
    review = claims.outlets[outlets["review"].pk]
    only_review = {claim.text for claim in review.only_here}
    assert "Insurers expect large claims from cargo owners whose goods were delayed." in only_review
    left_out = {claim.text: claim for claim in review.left_out}
    queue = next(text for text in left_out if "360" in text)
    assert left_out[queue].state == "candidate"
    assert left_out[queue].carried_by == tuple(sorted([outlets["ledger"].pk, outlets["nile"].pk]))
    assert review.carried == len({c for c in claims.claims.values() if outlets["review"].pk in c.outlet_ids})


def test_a_confirmed_omission_reads_as_confirmed_and_a_dismissed_one_as_dismissed(ever_given):
    event, review = ever_given["event"], ever_given["outlets"]["review"]
    omissions = ClaimOmission.objects.filter(outlet=review).order_by("pk")
    user = get_user_model().objects.create_user("decider")
    omissions.filter(pk=omissions[0].pk).decide("confirmed", user)
    omissions.filter(pk=omissions[1].pk).decide("dismissed", user)
    left_out = claims_for_event(event.pk, [review.pk]).outlets[review.pk]
    assert [c.state for c in left_out.left_out_in("confirmed")] == ["confirmed"]
    assert [c.omission_id for c in left_out.left_out_in("dismissed")] == [omissions[1].pk]


def test_nothing_is_claimed_against_an_outlet_whose_tagging_is_unfinished(ever_given):
    event, review = ever_given["event"], ever_given["outlets"]["review"]
    user = get_user_model().objects.create_user("decider")
    ClaimOmission.objects.filter(outlet=review).decide("confirmed", user)
    make_article(event, review, body="A second article, not tagged yet.", tagging_status=TaggingStatus.IN_PROGRESS)
    states = {c.state for c in claims_for_event(event.pk).outlets[review.pk].left_out}
    assert states == {"in_progress"}


def test_the_outlet_filter_chooses_rows_but_not_what_counts_as_only_here(ever_given):
    event, outlets = ever_given["event"], ever_given["outlets"]
    everyone = claims_for_event(event.pk)
    one = claims_for_event(event.pk, [outlets["nile"].pk])
    assert list(one.outlets) == [outlets["nile"].pk]
    assert one.outlets[outlets["nile"].pk] == everyone.outlets[outlets["nile"].pk]


def test_claim_links_light_up_the_same_claim_in_the_other_outlet_and_mark_the_rest_only_here(ever_given):
    event, outlets = ever_given["event"], ever_given["outlets"]
    links = claim_links(event.pk, [outlets["ledger"].pk, outlets["review"].pk])
    analyst_ledger = _statement(ever_given, "Lena Markovic, a maritime analyst")
    analyst_review = _statement(ever_given, "Lena Markovic of Harbourline Research")
    assert links.linked[analyst_ledger.pk] == (analyst_review.pk,)
    assert links.claim_of[analyst_ledger.pk] == links.claim_of[analyst_review.pk]
    owner = _statement(ever_given, "The ship's Japanese owner")
    assert links.only_in[owner.pk] == outlets["ledger"].pk
    assert owner.pk not in links.linked
    # The 360 ships were reported by the Nile Coast Times too, but it is not compared here.
    queue = _statement(ever_given, "More than 360 ships")
    assert links.only_in[queue.pk] == outlets["ledger"].pk
    outlet_pairs = {(p.a.outlet_id, p.b.outlet_id) for p in links.pairs}
    assert outlet_pairs <= {(outlets["ledger"].pk, outlets["review"].pk), (outlets["review"].pk, outlets["ledger"].pk)}


def test_a_trimmed_quote_comes_with_both_versions_segmented(ever_given):
    event, outlets = ever_given["event"], ever_given["outlets"]
    links = claim_links(event.pk, [outlets["ledger"].pk, outlets["dispatch"].pk])
    [pair] = [p for p in links.trimmed if p.trimming == "shortened"]
    assert pair.source_name == "Suez Canal Authority"
    full = pair.a if len(pair.a.text) > len(pair.b.text) else pair.b
    short = pair.b if full is pair.a else pair.a
    assert [s.in_both for s in full.segments] == [True, False]
    assert "".join(s.text for s in full.segments) == full.text
    assert full.segments[1].text == "and navigation will resume once the channel has been inspected"
    assert [s.in_both for s in short.segments] == [True]
    assert all(p.source_name == "" for p in links.pairs if not p.trimming)


OWN_CLAIMS = [
    "Fishermen complained about falling cod prices",
    "A new ferry timetable starts in June",
    "Two cranes were repaired overnight",
    "Tourists queued for the lighthouse museum",
    "Volunteers cleaned plastic from the beach",
    "The mayor opened a bakery on Quay Street",
    "Storm warnings kept yachts in the marina",
    "Students built a solar boat for a regatta",
    "Customs seized counterfeit sneakers",
    "A seal pup was rescued near the pier",
    "Rail freight volumes doubled since March",
    "Local choir sang at the harbour festival",
    "Insurance premiums for warehouses climbed",
    "An archaeologist found Roman coins underwater",
    "The yacht club elected its first woman commodore",
    "Cyclists demanded a safer coastal lane",
    "Oyster farms reported a record harvest",
    "A cinema reopened after flood damage",
    "Dock workers negotiated a pay rise",
    "Seagulls stole chips from a wedding party",
]


def _event_with_outlets(n: int):
    """n outlets, each reporting one shared claim and one of its own, matched."""
    event = make_event()
    source = make_source(name="Port authority")
    outlets = []
    for i in range(n):
        outlet = make_outlet()
        body = (
            f"The port authority said the harbour bridge will reopen to traffic next Monday morning. {OWN_CLAIMS[i]}."
        )
        article = make_article(event, outlet, body=body)
        make_statement(
            article,
            "The port authority said the harbour bridge will reopen to traffic next Monday morning.",
            source=source,
        )
        make_statement(article, body.split(". ")[1])
        outlets.append(outlet)
    match_event(event.pk)
    return event, outlets


@pytest.mark.parametrize("outlet_count", [2, 20])
def test_claims_for_event_reads_in_two_queries(db, django_assert_num_queries, outlet_count):
    event, outlets = _event_with_outlets(outlet_count)
    with django_assert_num_queries(2):
        claims = claims_for_event(event.pk, [o.pk for o in outlets])
    assert len(claims.outlets) == outlet_count
    assert all(len(row.left_out) == outlet_count - 1 for row in claims.outlets.values())


@pytest.mark.parametrize("outlet_count", [2, 20])
def test_claim_links_reads_in_two_queries(db, django_assert_num_queries, outlet_count):
    event, outlets = _event_with_outlets(outlet_count)
    with django_assert_num_queries(2):
        links = claim_links(event.pk, [o.pk for o in outlets])
    shared = [s for s, others in links.linked.items() if len(others) == outlet_count - 1]
    assert len(shared) == outlet_count
    assert len(links.pairs) == outlet_count * (outlet_count - 1) // 2
