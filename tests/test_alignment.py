"""The pure rules of claim matching (coverage/alignment.py): no database."""

from coverage.alignment import (
    Match,
    OmissionState,
    StatementText,
    Trimming,
    carry_over_claim_ids,
    claim_omission_candidates,
    claims_only_in,
    compare_versions,
    confirmation_problem,
    group_claims,
    is_claimed,
    match_statements,
    omission_state,
    quote_trimming,
    representatives,
)


def _s(pk, outlet, text, kind="assertion", source=None, topic=None):
    return StatementText(pk, outlet, text, kind, source, topic)


BACKGROUND = [
    _s(10, 1, "Officials met on Tuesday to discuss the harbour budget for next year."),
    _s(11, 2, "The weather stayed dry for most of the week across the region."),
    _s(12, 3, "Local schools reopened after the summer holidays with new teachers."),
]


def test_it_matches_two_outlets_reporting_the_same_claim_in_other_words():
    rows = [
        _s(1, 1, "The container ship was refloated on Monday and the canal reopened to traffic."),
        _s(2, 2, "On Monday the container ship was refloated, and traffic through the canal resumed."),
        *BACKGROUND,
    ]
    matches = match_statements(rows)
    assert [(m.a, m.b) for m in matches] == [(1, 2)]
    assert matches[0].score >= 0.33 and 0 < matches[0].word_score <= 1 and 0 < matches[0].char_score <= 1


def test_it_never_matches_statements_of_the_same_outlet():
    text = "The container ship was refloated on Monday and the canal reopened to traffic."
    assert match_statements([_s(1, 1, text), _s(2, 1, text), *BACKGROUND]) == []


def test_it_does_not_match_unrelated_statements():
    assert match_statements(BACKGROUND) == []


def test_a_shared_topic_and_source_raise_the_score():
    a = _s(1, 1, "Prices rose sharply in the spring.", topic=None)
    b = _s(2, 2, "Prices climbed steeply during spring.", topic=None)
    plain = match_statements([a, b, *BACKGROUND], threshold=0.0)
    shared = match_statements(
        [_s(1, 1, a.text, source=5, topic=7), _s(2, 2, b.text, source=5, topic=7), *BACKGROUND], threshold=0.0
    )
    score = {(m.a, m.b): m.score for m in plain}[(1, 2)]
    assert {(m.a, m.b): m.score for m in shared}[(1, 2)] == round(score + 0.20, 4)


def test_a_quote_cut_short_by_the_same_source_matches_even_below_the_threshold():
    full = "We have managed to refloat the vessel, and navigation will resume once the channel has been inspected"
    short = "We have managed to refloat the vessel"
    rows = [_s(1, 1, full, "quote", source=9), _s(2, 2, short, "quote", source=9), *BACKGROUND]
    matches = match_statements(rows, threshold=0.99)
    assert [(m.a, m.b, m.trimming) for m in matches] == [(1, 2, Trimming.SHORTENED)]


def test_quote_trimming_flags_a_shortened_quote():
    a = _s(1, 1, "This is the first step towards returning astronauts to the Moon, and not the last", "quote", 3)
    b = _s(2, 2, "This is the first step towards returning astronauts to the Moon", "quote", 3)
    assert quote_trimming(a, b) == Trimming.SHORTENED
    assert quote_trimming(b, a) == Trimming.SHORTENED


def test_quote_trimming_flags_a_quote_the_other_outlet_paraphrased():
    a = _s(1, 1, "This is the first step towards returning astronauts to the Moon", "quote", 3)
    b = _s(2, 2, "The manager said the flight was the first step towards a return to the Moon.", "paraphrase", 3)
    assert quote_trimming(a, b) == Trimming.PARAPHRASED


def test_quote_trimming_flags_a_quote_in_other_words():
    a = _s(1, 1, "Every day of closure holds up roughly nine billion dollars of goods", "quote", 3)
    b = _s(2, 2, "Every day of closure holds up goods worth about nine billion dollars", "quote", 3)
    assert quote_trimming(a, b) == Trimming.REWORDED


def test_quote_trimming_needs_the_same_source_and_a_quote():
    quote = "This is the first step towards returning astronauts to the Moon"
    assert quote_trimming(_s(1, 1, quote, "quote", 3), _s(2, 2, quote + ", and more", "quote", 4)) == ""
    assert quote_trimming(_s(1, 1, quote, "quote", None), _s(2, 2, quote + ", and more", "quote", None)) == ""
    assert quote_trimming(_s(1, 1, quote, "paraphrase", 3), _s(2, 2, quote, "assertion", 3)) == ""


def test_the_same_words_with_other_quotation_marks_are_not_trimming():
    a = _s(1, 1, "It’s “over”, he said", "quote", 3)
    b = _s(2, 2, 'It\'s "over", he said', "quote", 3)
    assert quote_trimming(a, b) == ""


def test_compare_versions_marks_the_words_the_other_version_left_out():
    full = "We refloated the vessel, and navigation will resume soon"
    segments = compare_versions(full, "We refloated the vessel")
    assert "".join(s.text for s in segments) == full
    assert [(s.text, s.in_both) for s in segments] == [
        ("We refloated the vessel, ", True),
        ("and navigation will resume soon", False),
    ]
    assert [s.in_both for s in compare_versions("We refloated the vessel", full)] == [True]


def test_claims_are_the_connected_components_of_the_matches():
    matches = [Match(1, 2, 0.5, 0.5, 0.5), Match(2, 3, 0.4, 0.4, 0.4)]
    assert group_claims([1, 2, 3, 4], matches) == [frozenset({1, 2, 3}), frozenset({4})]


def test_a_claim_keeps_the_id_of_the_stored_claim_it_shares_most_statements_with():
    new = [frozenset({1, 2, 3}), frozenset({4, 5}), frozenset({6})]
    previous = {1: 100, 2: 100, 4: 100, 5: 200, 3: 300}
    assert carry_over_claim_ids(new, previous) == [100, 200, None]


def test_the_best_matched_statement_stands_for_a_claim():
    matches = [Match(1, 2, 0.5, 0.5, 0.5), Match(2, 3, 0.4, 0.4, 0.4)]
    texts = {1: "a", 2: "b", 3: "a much longer text", 4: "x"}
    assert representatives([frozenset({1, 2, 3}), frozenset({4})], matches, texts) == [2, 4]


def test_an_outlet_has_a_candidate_for_each_claim_others_carried():
    carried = {100: {1, 2}, 200: {2}, 300: {1, 2, 3}}
    assert claim_omission_candidates([1, 2, 3], carried) == {1: {200: [2]}, 2: {}, 3: {100: [1, 2], 200: [2]}}


def test_an_outlet_without_statements_has_every_claim_as_a_candidate():
    assert claim_omission_candidates([1, 2], {100: {1}}) == {1: {}, 2: {100: [1]}}


def test_claims_only_in_one_outlet_among_all_or_among_the_compared():
    carried = {100: {1, 2}, 200: {2}, 300: {1, 3}}
    assert claims_only_in(carried) == {2: [200]}
    assert claims_only_in(carried, among=[1, 2]) == {2: [200], 1: [300]}


def test_nothing_is_claimed_while_the_outlets_tagging_is_in_progress():
    assert omission_state("confirmed", outlet_complete=False) == OmissionState.IN_PROGRESS
    assert omission_state("confirmed", outlet_complete=True) == OmissionState.CONFIRMED
    assert omission_state("", outlet_complete=True) == OmissionState.CANDIDATE
    assert is_claimed(OmissionState.CONFIRMED) and not is_claimed(OmissionState.CANDIDATE)
    assert not is_claimed(omission_state("confirmed", outlet_complete=False))


def test_confirmation_is_refused_for_unfinished_tagging_or_a_stale_omission():
    assert "not all completely tagged" in confirmation_problem("RT", outlet_complete=False, still_found=True)
    assert "no longer finds" in confirmation_problem("RT", outlet_complete=True, still_found=False)
    assert confirmation_problem("RT", outlet_complete=True, still_found=True) == ""


def test_the_rules_module_imports_neither_django_nor_the_models():
    import ast
    from pathlib import Path

    import coverage.alignment

    tree = ast.parse(Path(coverage.alignment.__file__).read_text("utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in imported if name.startswith("django") or "models" in name or name.startswith(".")]
