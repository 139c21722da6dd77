"""The omission rule of the brief, in one place, as a pure function.

Outlet O omits topic T of event E when an article of another outlet on E has a statement
on T and none of O's articles on E has one; a key topic that O does not cover counts as
omitted too. An omission is claimed only when O's coverage of E is completely tagged;
until then the same topics are "pending": every view says "tagging in progress".

Claims follow the same rule (`claim_omissions`): a claim other outlets carried and O did
not is claimed as omitted only once a tagger confirmed it *and* O's coverage of E is
completely tagged; otherwise it is "tagging in progress" too, whatever was decided.

Coverage comes from accepted statements in the date range only: no other filter turns
coverage into omission (docs/matrix.md). Every page, chart, download, share page, the
compare page, the event list and the outlets overview read omissions from here, through
`coverage.readmodel`, which calls `event_omissions` once per event it reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .rows import ClaimCounts, OutletCoverage

COVERED, OMITTED, PENDING, ABSENT = "covered", "omitted", "pending", "absent"


@dataclass(frozen=True)
class OutletOmissions:
    """One outlet's gaps on one event.

    `missing` maps each topic the outlet has no statement on, while another outlet does (or
    it is a key topic), to the ids of the other outlets that covered it (empty for a key
    topic nobody covered). They are omissions when the outlet's coverage is complete, and
    pending ("tagging in progress") otherwise.
    """

    complete: bool
    covered: frozenset[int] = frozenset()
    missing: Mapping[int, tuple[int, ...]] = field(default_factory=dict)

    @property
    def omitted(self) -> Mapping[int, tuple[int, ...]]:
        return self.missing if self.complete else {}

    @property
    def pending(self) -> Mapping[int, tuple[int, ...]]:
        return {} if self.complete else self.missing

    def state(self, topic_id: int) -> str:
        """ "covered", "omitted", "pending" (would be omitted, tagging in progress) or "absent"."""
        if topic_id in self.covered:
            return COVERED
        if topic_id in self.missing:
            return OMITTED if self.complete else PENDING
        return ABSENT


def event_omissions(
    coverage: Mapping[int, OutletCoverage], key_topic_ids: Iterable[int] = ()
) -> dict[int, OutletOmissions]:
    """For every outlet with an article on one event (`coverage` by outlet id), its gaps.

    Every outlet's statements count as evidence that a topic was there to cover, whether or
    not that outlet's own tagging is complete.
    """
    keys = frozenset(key_topic_ids)
    covered_by: dict[int, list[int]] = {}
    for outlet_id in sorted(coverage):
        for topic_id in coverage[outlet_id].covered:
            covered_by.setdefault(topic_id, []).append(outlet_id)
    result = {}
    for outlet_id, mine in coverage.items():
        missing = {}
        for topic_id in sorted(set(covered_by) | keys):
            if topic_id in mine.covered:
                continue
            others = tuple(o for o in covered_by.get(topic_id, ()) if o != outlet_id)
            if others or topic_id in keys:
                missing[topic_id] = others
        result[outlet_id] = OutletOmissions(complete=mine.complete, covered=mine.covered, missing=missing)
    return result


@dataclass(frozen=True)
class OutletClaimOmissions:
    """One outlet's claims on one event, by the omission rule.

    `only_here`: claims no other outlet carried. Of the claims others carried and it did
    not, `omitted` counts those a tagger confirmed, `candidates` those not reviewed yet
    (dismissed ones count nowhere); both are 0 while the outlet's coverage is not completely
    tagged, and `pending` then counts every confirmed or unreviewed one ("tagging in progress").
    """

    complete: bool
    carried: int = 0
    only_here: int = 0
    confirmed: int = 0  # as stored; what is claimed is `omitted`
    unreviewed: int = 0

    @property
    def omitted(self) -> int:
        return self.confirmed if self.complete else 0

    @property
    def candidates(self) -> int:
        return self.unreviewed if self.complete else 0

    @property
    def pending(self) -> int:
        return 0 if self.complete else self.confirmed + self.unreviewed


def claim_omissions(
    coverage: Mapping[tuple[int, int], OutletCoverage], claims: Mapping[tuple[int, int], ClaimCounts]
) -> dict[tuple[int, int], OutletClaimOmissions]:
    """For every (event, outlet) in `coverage`, its claims by the rule: the same tagging status as topics."""
    result = {}
    for key, outlet_coverage in coverage.items():
        counts = claims.get(key, ClaimCounts())
        result[key] = OutletClaimOmissions(
            complete=outlet_coverage.complete,
            carried=counts.carried,
            only_here=counts.only_here,
            confirmed=counts.left_out.get("confirmed", 0),
            unreviewed=counts.left_out.get("candidate", 0),
        )
    return result
