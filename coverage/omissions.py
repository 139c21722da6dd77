"""The omission rule of the brief, as a pure function.

Outlet O omits topic T of event E when an article of another outlet on E has a statement
on T and none of O's articles on E has one; a key topic that O does not cover counts as
omitted too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def omitted_topics(
    outlet_ids: Iterable[int],
    covered: Mapping[int, set[int]],
    key_topic_ids: Iterable[int] = (),
) -> dict[int, dict[int, list[int]]]:
    """For each outlet, the topics it omits, each mapped to the outlets that did cover it.

    `outlet_ids` are the outlets with an article on the event; `covered[o]` is the set of
    topic ids outlet o has at least one statement on. A key topic nobody covered is still
    omitted by everyone, with an empty list of covering outlets.
    """
    outlets = list(outlet_ids)
    keys = set(key_topic_ids)
    covered_by: dict[int, list[int]] = {}
    for outlet in outlets:
        for topic in covered.get(outlet, set()):
            covered_by.setdefault(topic, []).append(outlet)
    result: dict[int, dict[int, list[int]]] = {}
    for outlet in outlets:
        mine = covered.get(outlet, set())
        omitted = {}
        for topic in set(covered_by) | keys:
            if topic in mine:
                continue
            others = [o for o in covered_by.get(topic, []) if o != outlet]
            if others or topic in keys:
                omitted[topic] = sorted(others)
        result[outlet] = omitted
    return result
