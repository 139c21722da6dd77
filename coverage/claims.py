"""Matching an event's statements into claims, and when it runs (issue 13).

`match_event(event_id)` reads the event's accepted statements once, runs the pure rules of
`coverage/alignment.py` and writes the matches, the claims and the claim omission
candidates in one transaction. It runs as a task (`coverage/tasks.py`) after the
transaction that changed statements commits: `schedule_matching()` collects the changed
events of a transaction and enqueues one run per event when it commits, however many
statements changed. Saving or deleting a statement or an article schedules it through
signals; bulk writes (imports, bulk actions, source merging) call `schedule_matching()`.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .alignment import (
    Match,
    StatementText,
    carry_over_claim_ids,
    claim_omission_candidates,
    group_claims,
    match_statements,
    representatives,
)
from .claim_models import Claim, ClaimOmission, ClaimOmissionStatus, ClaimStatement, StatementMatch
from .models import Article, Event, SourceType, Statement, StatementStatus

logger = logging.getLogger(__name__)

_BATCH = 2000
# Statement fields the matching reads (besides which statements are accepted): a bulk change
# of any of them schedules a run.
MATCHING_FIELDS = frozenset({"text", "kind", "source", "topic", "status"})


@dataclass(frozen=True)
class MatchReport:
    """What one run wrote for an event."""

    event_id: int
    statements: int
    matches: int
    claims: int
    candidates_added: int
    candidates_removed: int
    timings: dict[str, float] = field(default_factory=dict)  # seconds: read, match, write


def _statement_texts(event_id: int) -> list[StatementText]:
    rows = (
        Statement.objects.accepted()
        .filter(article__event_id=event_id)
        .order_by("id")
        .values_list("id", "article__outlet_id", "text", "kind", "source_id", "source__type", "topic_id")
    )
    # A reporter is each outlet's own voice: a shared "reporter" source says nothing about the claim.
    return [
        StatementText(pk, outlet, text, kind, None if source_type == SourceType.REPORTER else source, topic)
        for pk, outlet, text, kind, source, source_type, topic in rows
    ]


@transaction.atomic
def match_event(event_id: int) -> MatchReport:
    """Match the event's accepted statements and store matches, claims and omission candidates.

    Idempotent: a run with nothing changed writes nothing. Runs for one event at a time (the
    event row is locked on PostgreSQL); a claim keeps its id across runs when it keeps most
    of its statements, so that decisions on its omissions stay attached to it.
    """
    clock = time.perf_counter()
    if not Event.objects.select_for_update().filter(pk=event_id).exists():
        return MatchReport(event_id, 0, 0, 0, 0, 0)
    statements = _statement_texts(event_id)
    outlet_of = {s.id: s.outlet_id for s in statements}
    timings = {"read": time.perf_counter() - clock}
    clock = time.perf_counter()
    matches = match_statements(statements)
    claims = group_claims(outlet_of, matches)
    timings["match"] = time.perf_counter() - clock
    clock = time.perf_counter()
    previous = dict(ClaimStatement.objects.filter(event_id=event_id).values_list("statement_id", "claim_id"))
    claim_ids, gone = _write_claims(event_id, claims, carry_over_claim_ids(claims, previous), statements, matches)
    _write_members(
        event_id, previous, {s: c for claim, c in zip(claims, claim_ids, strict=True) for s in claim}, outlet_of
    )
    _write_matches(event_id, matches)
    carried = {claim_id: {outlet_of[s] for s in claim} for claim, claim_id in zip(claims, claim_ids, strict=True)}
    outlets = set(Article.objects.filter(event_id=event_id).values_list("outlet_id", flat=True).distinct())
    added, removed = _sync_omissions(event_id, claim_omission_candidates(sorted(outlets), carried))
    # Claims no statement continues any more go last: their undecided omissions are gone by now.
    for chunk in _chunks(gone):
        Claim.objects.filter(pk__in=chunk).delete()
    timings["write"] = time.perf_counter() - clock
    return MatchReport(event_id, len(statements), len(matches), len(claims), added, removed, timings)


def _write_claims(
    event_id: int,
    claims: list[frozenset[int]],
    kept_ids: list[int | None],
    statements: list[StatementText],
    matches: list[Match],
) -> tuple[list[int], list[int]]:
    """Update the claims that carry over (where they changed), create the others.

    Returns the claims' ids in `claims` order, and the ids of stored claims that no claim
    continues (to be deleted once their omissions are dealt with).
    """
    now = timezone.now()
    texts = {s.id: s.text for s in statements}
    outlet_of = {s.id: s.outlet_id for s in statements}
    stored = {
        pk: (statement, text, count)
        for pk, statement, text, count in Claim.objects.filter(event_id=event_id).values_list(
            "pk", "statement_id", "text", "outlet_count"
        )
    }
    changed: list[Claim] = []
    new: list[Claim] = []
    for claim, claim_id, statement_id in zip(claims, kept_ids, representatives(claims, matches, texts), strict=True):
        values = (statement_id, texts[statement_id], len({outlet_of[s] for s in claim}))
        if claim_id is not None and stored.get(claim_id) == values:
            continue
        obj = Claim(pk=claim_id, event_id=event_id, statement_id=values[0], text=values[1], outlet_count=values[2])
        obj.matched_at = now
        (changed if claim_id is not None else new).append(obj)
    Claim.objects.bulk_update(changed, ["statement", "text", "outlet_count", "matched_at"], batch_size=500)
    Claim.objects.bulk_create(new, batch_size=_BATCH)
    by_position = iter(new)
    ids = [claim_id if claim_id is not None else next(by_position).pk for claim_id in kept_ids]
    return ids, sorted(stored.keys() - set(ids))


def _write_members(event_id: int, previous: dict[int, int], wanted: dict[int, int], outlet_of: dict[int, int]) -> None:
    """Make the stored statement → claim memberships `wanted`, touching only those that changed."""
    stale = [s for s, claim in previous.items() if wanted.get(s) != claim]
    for chunk in _chunks(stale):
        ClaimStatement.objects.filter(statement_id__in=chunk).delete()
    ClaimStatement.objects.bulk_create(
        [
            ClaimStatement(claim_id=claim, statement_id=s, event_id=event_id, outlet_id=outlet_of[s])
            for s, claim in sorted(wanted.items())
            if previous.get(s) != claim
        ],
        batch_size=_BATCH,
    )


def _write_matches(event_id: int, matches: list[Match]) -> None:
    """Make the stored matches these; rows whose pair, scores and flag are unchanged stay."""
    stored = {
        (a, b, score, word, char, trimming): pk
        for pk, a, b, score, word, char, trimming in StatementMatch.objects.filter(event_id=event_id).values_list(
            "pk", "statement_a_id", "statement_b_id", "score", "word_score", "char_score", "trimming"
        )
    }
    wanted = {(m.a, m.b, m.score, m.word_score, m.char_score, m.trimming) for m in matches}
    for chunk in _chunks([pk for key, pk in stored.items() if key not in wanted]):
        StatementMatch.objects.filter(pk__in=chunk).delete()
    StatementMatch.objects.bulk_create(
        [
            StatementMatch(
                event_id=event_id,
                statement_a_id=a,
                statement_b_id=b,
                score=score,
                word_score=word,
                char_score=char,
                trimming=trimming,
            )
            for a, b, score, word, char, trimming in sorted(wanted - stored.keys())
        ],
        batch_size=_BATCH,
    )


def _sync_omissions(event_id: int, wanted: dict[int, dict[int, list[int]]]) -> tuple[int, int]:
    """Make the stored omissions those `wanted` finds; returns (added, removed) candidates.

    A tagger's decision is never deleted because a run stops finding its omission: the row
    stays, marked not current, and becomes current again if a later run finds it again.
    """
    wanted_keys = {(claim, outlet) for outlet, claims in wanted.items() for claim in claims}
    stored = {
        (claim, outlet): (pk, status, current)
        for pk, claim, outlet, status, current in ClaimOmission.objects.filter(event_id=event_id).values_list(
            "pk", "claim_id", "outlet_id", "status", "current"
        )
    }
    undecided_gone, now_stale, current_again = [], [], []
    for key, (pk, status, current) in stored.items():
        if key not in wanted_keys:
            if status == ClaimOmissionStatus.CANDIDATE:
                undecided_gone.append(pk)
            elif current:
                now_stale.append(pk)
        elif not current:
            current_again.append(pk)
    for chunk in _chunks(undecided_gone):
        # Machine bookkeeping: a candidate nobody decided on leaves no history when it goes.
        query = ClaimOmission.objects.filter(pk__in=chunk)
        query._raw_delete(query.db)
    for pks, current in ((now_stale, False), (current_again, True)):
        for chunk in _chunks(pks):
            ClaimOmission.objects.filter(pk__in=chunk).update(current=current)
    new = sorted(wanted_keys - stored.keys())
    _insert_candidates(event_id, new)
    return len(new), len(undecided_gone)


def _insert_candidates(event_id: int, keys: list[tuple[int, int]]) -> None:
    """New candidates, (claim, outlet) each. A first run on a large event makes a hundred
    thousand: on PostgreSQL they are streamed with COPY, which is several times faster than
    building model instances for bulk_create."""
    if connection.vendor != "postgresql":
        ClaimOmission.objects.bulk_create(
            [ClaimOmission(claim_id=claim, outlet_id=outlet, event_id=event_id) for claim, outlet in keys],
            batch_size=_BATCH,
        )
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in ("claim_id", "outlet_id", "event_id", "status", "current"))
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(ClaimOmission._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for claim, outlet in keys:
            copy.write_row((claim, outlet, event_id, ClaimOmissionStatus.CANDIDATE.value, True))


def _chunks(values: list[int], size: int = 5000) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# ---------------------------------------------------------------- when it runs


class _MatchAfterCommit:
    """The one on-commit callback of a transaction: one matching run per changed event."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.event_ids: set[int] = set()
        self.article_ids: set[int] = set()
        self.closed = False  # run or cancelled: later changes need a callback of their own

    def cancel(self) -> None:
        self.closed = True

    def __call__(self) -> None:
        if self.closed:
            return
        self.closed = True
        events = set(self.event_ids)
        if self.article_ids:
            events |= set(
                Article.objects.using(self.using)
                .filter(pk__in=self.article_ids)
                .values_list("event_id", flat=True)
                .distinct()
            )
        for event_id in sorted(events):
            enqueue_matching(event_id)


def schedule_matching(
    *, event_ids: Iterable[int] = (), article_ids: Iterable[int] = (), using: str = DEFAULT_DB_ALIAS
) -> None:
    """Match the events named (directly or through their articles) once the current transaction commits.

    Within one transaction every call adds to the same pending set, so each event is matched
    once however many statements changed; a rolled-back transaction matches nothing. Outside a
    transaction it enqueues at once.
    """
    connection = transaction.get_connection(using)
    pending = None
    if connection.in_atomic_block:
        pending = next(
            (f for _, f, _ in connection.run_on_commit if isinstance(f, _MatchAfterCommit) and not f.closed), None
        )
    fresh = pending is None
    if pending is None:
        pending = _MatchAfterCommit(using)
    pending.event_ids.update(event_ids)
    pending.article_ids.update(article_ids)
    if fresh and (pending.event_ids or pending.article_ids):
        transaction.on_commit(pending, using=using)


def enqueue_matching(event_id: int) -> None:
    from .tasks import match_event_claims

    result = match_event_claims.enqueue(event_id)
    if result.errors:  # the immediate backend runs it here and keeps the traceback on the result
        logger.error("Claim matching failed for event %s:\n%s", event_id, result.errors[-1].traceback)


@receiver(post_save, sender=Statement, dispatch_uid="claims_statement_saved")
def _statement_saved(sender: type, instance: Statement, created: bool, using: str, **kwargs) -> None:
    if created and instance.status != StatementStatus.ACCEPTED:
        return  # a new suggestion changes nothing until a tagger accepts it
    schedule_matching(article_ids=[instance.article_id], using=using)


@receiver(post_delete, sender=Statement, dispatch_uid="claims_statement_deleted")
def _statement_deleted(sender: type, instance: Statement, using: str, **kwargs) -> None:
    if instance.status == StatementStatus.ACCEPTED:
        schedule_matching(article_ids=[instance.article_id], using=using)


@receiver(post_save, sender=Article, dispatch_uid="claims_article_saved")
def _article_saved(sender: type, instance: Article, using: str, **kwargs) -> None:
    # A new outlet on the event leaves out every claim so far; an edited article may move events.
    schedule_matching(event_ids=[instance.event_id], using=using)


@receiver(post_delete, sender=Article, dispatch_uid="claims_article_deleted")
def _article_deleted(sender: type, instance: Article, using: str, **kwargs) -> None:
    schedule_matching(event_ids=[instance.event_id], using=using)


def carried_by(event_id: int) -> dict[int, set[int]]:
    """{claim id: outlets with a statement in it} for an event, as stored (one query)."""
    carried: dict[int, set[int]] = defaultdict(set)
    for claim, outlet in ClaimStatement.objects.filter(event_id=event_id).values_list("claim_id", "outlet_id"):
        carried[claim].add(outlet)
    return dict(carried)
