"""The one omission rule (coverage/omissions.py): pure, no database."""

from hypothesis import given
from hypothesis import strategies as st

from coverage.omissions import event_omissions
from coverage.rows import OutletCoverage

from .oracle import omissions_by_definition


def done(*topics: int) -> OutletCoverage:
    """Coverage of an outlet whose one article is completely tagged."""
    return OutletCoverage(articles=1, complete_articles=1, started_articles=1, covered=frozenset(topics))


def started(*topics: int) -> OutletCoverage:
    return OutletCoverage(articles=1, complete_articles=0, started_articles=1, covered=frozenset(topics))


def test_an_outlet_omits_a_topic_only_another_outlet_covers():
    result = event_omissions({1: done(10, 11), 2: done(10)})
    assert result[1].omitted == {} and result[2].omitted == {11: (1,)}
    assert result[2].state(11) == "omitted" and result[2].state(10) == "covered"


def test_a_topic_nobody_covers_is_not_omitted_unless_key():
    assert all(not gaps.omitted for gaps in event_omissions({1: done(), 2: done()}).values())
    result = event_omissions({1: done(), 2: done()}, key_topic_ids=[12])
    assert result[1].omitted == {12: ()} and result[2].omitted == {12: ()}


def test_a_key_topic_the_outlet_does_not_cover_is_omitted():
    result = event_omissions({1: done(10), 2: done(10)}, key_topic_ids=[10, 12])
    assert result[1].omitted == {12: ()} and result[2].omitted == {12: ()}


def test_no_omission_is_claimed_while_the_outlets_tagging_is_in_progress():
    result = event_omissions({1: done(10, 11), 2: started(10)}, key_topic_ids=[12])
    assert result[2].omitted == {}
    assert result[2].pending == {11: (1,), 12: ()}
    assert result[2].state(11) == "pending" and result[2].state(10) == "covered"
    # The other outlet's tagging state does not matter to what the complete one omits.
    assert result[1].omitted == {12: ()}


def test_an_untagged_outlets_statements_still_count_as_coverage_elsewhere():
    result = event_omissions({1: done(), 2: OutletCoverage(articles=2, complete_articles=1, covered=frozenset({10}))})
    assert result[1].omitted == {10: (2,)}
    assert result[2].omitted == {} and not result[2].complete


def test_a_lone_outlet_omits_nothing_but_key_topics():
    result = event_omissions({1: done(10)}, key_topic_ids=[10, 11])
    assert result[1].omitted == {11: ()}


coverage_maps = st.dictionaries(
    st.integers(1, 6),
    st.builds(
        lambda topics, articles, complete: OutletCoverage(
            articles=articles, complete_articles=min(complete, articles), covered=frozenset(topics)
        ),
        st.sets(st.integers(10, 16), max_size=5),
        st.integers(1, 3),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=5,
)


@given(coverage_maps, st.sets(st.integers(10, 18), max_size=3))
def test_the_rule_agrees_with_the_brief_read_word_by_word(coverage, keys):
    result = event_omissions(coverage, keys)
    expected = omissions_by_definition(
        coverage, {o: set(c.covered) for o, c in coverage.items()}, {o: c.complete for o, c in coverage.items()}, keys
    )
    assert result == expected
    for outlet, gaps in result.items():
        # Nothing an outlet covers is ever omitted, and only complete coverage omits anything.
        assert not set(gaps.omitted) & coverage[outlet].covered
        assert bool(gaps.omitted) <= coverage[outlet].complete
