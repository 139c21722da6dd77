from coverage.omissions import omitted_topics


def test_an_outlet_omits_a_topic_only_another_outlet_covers():
    result = omitted_topics([1, 2], {1: {10, 11}, 2: {10}})
    assert result == {1: {}, 2: {11: [1]}}


def test_a_topic_nobody_covers_is_not_omitted_unless_key():
    assert omitted_topics([1, 2], {1: set(), 2: set()}, key_topic_ids=[]) == {1: {}, 2: {}}
    assert omitted_topics([1, 2], {}, key_topic_ids=[12]) == {1: {12: []}, 2: {12: []}}


def test_a_key_topic_the_outlet_does_not_cover_is_omitted():
    result = omitted_topics([1, 2], {1: {10}, 2: {10}}, key_topic_ids=[10, 12])
    assert result == {1: {12: []}, 2: {12: []}}


def test_an_outlet_with_no_statements_omits_everything_others_cover():
    result = omitted_topics([1, 2, 3], {1: {10}, 2: {10, 11}})
    assert result[3] == {10: [1, 2], 11: [2]}


def test_a_lone_outlet_omits_nothing_but_key_topics():
    assert omitted_topics([1], {1: {10}}, key_topic_ids=[10, 11]) == {1: {11: []}}
