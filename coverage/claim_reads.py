"""What the pages read about claims (issue 13): at most two queries per function, rows as dataclasses.

- `claims_for_event(event_id, outlet_ids)`: per outlet, the claims only it carried and the
  claims others carried that it left out (with their review state). For the matrix.
- `claim_links(event_id, outlet_ids)`: for the side-by-side reader, which statements of the
  compared outlets report the same claim, which are found in only one of them, and the
  matched pairs with their scores and quote-trimming flags (both versions, segmented).

Both read what the last matching run stored (`coverage/claims.py`); nothing is matched on
a page view.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import F, QuerySet

from .alignment import Segment, claims_only_in, compare_versions, omission_state
from .claim_models import ClaimOmission, ClaimStatement, StatementMatch
from .models import Statement, StatementKind


@dataclass(frozen=True)
class ClaimRow:
    """A claim: the text that stands for it, the outlets that carried it and its statements."""

    id: int
    text: str
    outlet_ids: tuple[int, ...]
    statement_ids: tuple[int, ...]


@dataclass(frozen=True)
class LeftOutClaim:
    """A claim other outlets carried and this outlet did not.

    `state` is an `alignment.OmissionState`: "candidate", "confirmed", "dismissed", or
    "in_progress" when the outlet's articles on the event are not all completely tagged
    (then nothing is claimed, whatever a tagger decided). `omission_id` is the ClaimOmission
    row (admin: `admin:coverage_claimomission_change`).
    """

    claim_id: int
    text: str
    carried_by: tuple[int, ...]
    state: str
    omission_id: int


@dataclass(frozen=True)
class OutletClaims:
    """One outlet's claims on an event."""

    outlet_id: int
    carried: int  # claims it carried
    only_here: tuple[ClaimRow, ...]  # claims no other outlet carried
    left_out: tuple[LeftOutClaim, ...]  # claims others carried, it did not (every state)

    def left_out_in(self, *states: str) -> list[LeftOutClaim]:
        return [claim for claim in self.left_out if claim.state in states]


@dataclass(frozen=True)
class EventClaims:
    """`outlets[outlet_id]` for each outlet asked for (or every outlet with claims), and every claim by id."""

    event_id: int
    outlets: dict[int, OutletClaims]
    claims: dict[int, ClaimRow]


def claims_for_event(event_id: int, outlet_ids: Collection[int] | None = None) -> EventClaims:
    """Claims only here and claims left out, per outlet. Two queries, however many outlets.

    Who carried what is judged among all outlets on the event; `outlet_ids` only chooses
    which outlets get a row (like the matrix's outlet filter).
    """
    members: dict[int, list[tuple[int, int]]] = defaultdict(list)
    texts: dict[int, str] = {}
    for claim_id, outlet_id, statement_id, text in (
        ClaimStatement.objects.filter(event_id=event_id)
        .order_by("claim_id", "statement_id")
        .values_list("claim_id", "outlet_id", "statement_id", "claim__text")
    ):
        members[claim_id].append((outlet_id, statement_id))
        texts[claim_id] = text
    claims = {
        claim_id: ClaimRow(claim_id, texts[claim_id], tuple(sorted({o for o, _ in rows})), tuple(s for _, s in rows))
        for claim_id, rows in members.items()
    }
    omissions = ClaimOmission.objects.filter(event_id=event_id, current=True).with_tagging()
    if outlet_ids is not None:
        omissions = omissions.filter(outlet_id__in=list(outlet_ids))
    left_out: dict[int, list[LeftOutClaim]] = defaultdict(list)
    for pk, claim_id, outlet_id, status, in_progress in omissions.order_by("outlet_id", "claim_id").values_list(
        "pk", "claim_id", "outlet_id", "status", "in_progress"
    ):
        claim = claims.get(claim_id)
        if claim is None:
            continue  # stored by a run that a newer one is replacing; that one will drop it
        state = omission_state(status, outlet_complete=not in_progress)
        left_out[outlet_id].append(LeftOutClaim(claim_id, claim.text, claim.outlet_ids, state, pk))
    only = claims_only_in({c.id: c.outlet_ids for c in claims.values()})
    carried: dict[int, int] = defaultdict(int)
    for claim in claims.values():
        for outlet in claim.outlet_ids:
            carried[outlet] += 1
    wanted = sorted(outlet_ids) if outlet_ids is not None else sorted(set(carried) | set(left_out))
    outlets = {
        outlet: OutletClaims(
            outlet,
            carried.get(outlet, 0),
            tuple(claims[c] for c in only.get(outlet, [])),
            tuple(left_out.get(outlet, [])),
        )
        for outlet in wanted
    }
    return EventClaims(event_id, outlets, claims)


@dataclass(frozen=True)
class MatchedStatement:
    id: int
    outlet_id: int
    article_id: int
    text: str
    kind: str
    source_id: int | None
    segments: tuple[Segment, ...] = ()  # for a trimmed quote: this version, marking words the other lacks


@dataclass(frozen=True)
class MatchedPair:
    """Two matched statements of different outlets, `a` with the smaller id.

    `trimming` is "", "shortened", "paraphrased" or "reworded" (`alignment.Trimming`); when
    set, both statements carry `segments` to show the two versions side by side, and
    `source_name` names the source they both quote.
    """

    a: MatchedStatement
    b: MatchedStatement
    claim_id: int | None
    score: float
    word_score: float
    char_score: float
    trimming: str
    source_name: str


@dataclass(frozen=True)
class ClaimLinks:
    """The claims of the compared outlets, for linking their statements.

    - `claim_of[statement_id]`: the statement's claim.
    - `linked[statement_id]`: statements of the *other* compared outlets in the same claim
      (what lights up when the statement is hovered or selected).
    - `only_in[statement_id]`: the statement's outlet, when no other compared outlet carried
      its claim ("only in RT").
    - `pairs`: the direct matches between the compared outlets, strongest first.
    """

    outlet_ids: tuple[int, ...]
    claim_of: dict[int, int] = field(default_factory=dict)
    linked: dict[int, tuple[int, ...]] = field(default_factory=dict)
    only_in: dict[int, int] = field(default_factory=dict)
    pairs: tuple[MatchedPair, ...] = ()

    @property
    def trimmed(self) -> list[MatchedPair]:
        return [pair for pair in self.pairs if pair.trimming]


def claim_links(event_id: int, outlet_ids: Collection[int]) -> ClaimLinks:
    """Links between the statements of the compared outlets (two or more). Two queries."""
    outlets = tuple(sorted(set(outlet_ids)))
    claim_of: dict[int, int] = {}
    statements_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for statement_id, claim_id, outlet_id in (
        ClaimStatement.objects.filter(event_id=event_id, outlet_id__in=outlets)
        .order_by("statement_id")
        .values_list("statement_id", "claim_id", "outlet_id")
    ):
        claim_of[statement_id] = claim_id
        statements_of[claim_id].append((statement_id, outlet_id))
    linked, only_in = {}, {}
    for members in statements_of.values():
        for statement_id, outlet_id in members:
            others = tuple(s for s, o in members if o != outlet_id)
            if others:
                linked[statement_id] = others
            else:
                only_in[statement_id] = outlet_id
    pairs = tuple(_pair(row, claim_of) for row in _match_rows(event_id, outlets))
    return ClaimLinks(outlets, claim_of, linked, only_in, pairs)


def _match_rows(event_id: int, outlets: tuple[int, ...]) -> QuerySet:
    side = {}
    for name in ("a", "b"):
        prefix = f"statement_{name}__"
        side.update(
            {
                f"{name}_outlet": F(f"{prefix}article__outlet_id"),
                f"{name}_article": F(f"{prefix}article_id"),
                f"{name}_text": F(f"{prefix}text"),
                f"{name}_kind": F(f"{prefix}kind"),
                f"{name}_source": F(f"{prefix}source_id"),
            }
        )
    return (
        StatementMatch.objects.filter(
            event_id=event_id,
            statement_a__article__outlet_id__in=outlets,
            statement_b__article__outlet_id__in=outlets,
        )
        .order_by("-score", "statement_a_id", "statement_b_id")
        .values(
            "statement_a_id",
            "statement_b_id",
            "score",
            "word_score",
            "char_score",
            "trimming",
            source_name=F("statement_a__source__name"),
            **side,
        )
    )


def _pair(row: dict, claim_of: dict[int, int]) -> MatchedPair:
    def statement(name: str, other: str) -> MatchedStatement:
        segments = tuple(compare_versions(row[f"{name}_text"], row[f"{other}_text"])) if row["trimming"] else ()
        return MatchedStatement(
            row[f"statement_{name}_id"],
            row[f"{name}_outlet"],
            row[f"{name}_article"],
            row[f"{name}_text"],
            row[f"{name}_kind"],
            row[f"{name}_source"],
            segments,
        )

    return MatchedPair(
        statement("a", "b"),
        statement("b", "a"),
        claim_of.get(row["statement_a_id"]),
        row["score"],
        row["word_score"],
        row["char_score"],
        row["trimming"],
        (row["source_name"] or "") if row["trimming"] else "",
    )


@dataclass(frozen=True)
class ListedStatement:
    """A statement as a claim list shows it: its words, kind, source and article."""

    id: int
    outlet_id: int
    article_id: int
    headline: str
    text: str
    kind: str
    source: str

    @property
    def kind_label(self) -> str:
        return StatementKind(self.kind).label


def statements_by_id(ids: Collection[int]) -> dict[int, ListedStatement]:
    """The statements among `ids`, without their articles' bodies (1 query): one page of a claim list."""
    rows = (
        Statement.objects.filter(pk__in=sorted(set(ids)))
        .order_by()
        .values_list("id", "article__outlet_id", "article_id", "article__headline", "text", "kind", "source__name")
    )
    return {row[0]: ListedStatement(*row[:6], row[6] or "") for row in rows}
