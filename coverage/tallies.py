"""Summary tables: accepted statements counted per event and outlet, kept right on every write.

The read model (`coverage.readmodel`) answers a part of a page from these tables whenever
they can answer its filters, instead of grouping every statement of the event again: the
big event of the benchmark has about 200,000 statements, its tallies a few thousand rows.

Each table holds, for one (event, outlet) pair, the number of *accepted* statements
(machine suggestions never count) per combination of its columns; a combination with no
statement has no row:

| table | columns | answers filters on |
| --- | --- | --- |
| `CoverageTally` | article, topic (or none) | the date range (through the article) |
| `TopicTally` | topic (or none), tone | topic, tone |
| `FrameTally` | frame (or none), tone | frame, tone |
| `SourceTally` | source (or none), kind, tone | source type, source, kind, tone |
| `KindTally` | source type (or none), kind | source type, kind |
| `ToneTally` | tone | tone |
| `DayTally` | publication day (UTC; undated articles have none), tone | tone, date range |

They are kept right by recomputing the rows of the pairs a write touches
(`refresh_tallies`): signal receivers below do it for every `save()` and `delete()` of a
statement or article, and the writers that bypass signals (the importers' bulk inserts
and COPY, the tagging admin's bulk actions and review, merging sources) call
`refresh_for_articles` themselves. `tests/test_tallies.py` checks, after random writes of
every kind, that each table equals the aggregate it stands for.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, models, router
from django.db.models import Count, F
from django.db.models.functions import TruncDate
from django.db.models.signals import post_delete, post_init, post_save, pre_delete
from django.dispatch import receiver

from .models import Article, Event, Frame, Outlet, Source, Statement, StatementStatus, Topic


class Tally(models.Model):
    """Accepted statements of one outlet on one event, counted per the subclass's columns.

    Each table's index holds every column, counts included, so that PostgreSQL reads an
    event's rows from the index alone (an index-only scan), not from all over the table.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+", db_index=False)
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="+", db_index=False)
    statements = models.PositiveIntegerField()

    # The columns besides event and outlet, each with the statement field it is read from.
    columns: dict[str, object] = {}

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.statements} statements of outlet {self.outlet_id} on event {self.event_id}"


class CoverageTally(Tally):  # noqa: DJ008 - Tally.__str__
    """Per article and topic: what each outlet covers, and each article's statement count."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_index=False)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+", null=True, db_index=False)

    columns = {"article_id": F("article_id"), "topic_id": F("topic_id")}

    class Meta:
        indexes = [
            models.Index(fields=["event", "outlet", "article", "topic", "statements"], name="coveragetally_pair_idx"),
            models.Index(fields=["article"], name="coveragetally_article_idx"),
        ]


class TopicTally(Tally):  # noqa: DJ008 - Tally.__str__
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+", null=True, db_index=False)
    tone = models.SmallIntegerField()

    columns = {"topic_id": F("topic_id"), "tone": F("tone")}

    class Meta:
        indexes = [models.Index(fields=["event", "outlet", "topic", "tone", "statements"], name="topictally_pair_idx")]


class FrameTally(Tally):  # noqa: DJ008 - Tally.__str__
    frame = models.ForeignKey(Frame, on_delete=models.CASCADE, related_name="+", null=True, db_index=False)
    tone = models.SmallIntegerField()

    columns = {"frame_id": F("frame_id"), "tone": F("tone")}

    class Meta:
        indexes = [models.Index(fields=["event", "outlet", "frame", "tone", "statements"], name="frametally_pair_idx")]


class SourceTally(Tally):  # noqa: DJ008 - Tally.__str__
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+", null=True, db_index=False)
    kind = models.CharField(max_length=20)
    tone = models.SmallIntegerField()

    columns = {"source_id": F("source_id"), "kind": F("kind"), "tone": F("tone")}

    class Meta:
        indexes = [
            models.Index(
                fields=["event", "outlet", "source", "kind", "tone", "statements"], name="sourcetally_pair_idx"
            ),
            # Merging sources and editing a source look up the pairs that quote it.
            models.Index(fields=["source"], name="sourcetally_source_idx"),
        ]


class ToneTally(Tally):  # noqa: DJ008 - Tally.__str__
    """Per tone only: each outlet's totals, the smallest table for reads across events."""

    tone = models.SmallIntegerField()

    columns = {"tone": F("tone")}

    class Meta:
        indexes = [models.Index(fields=["event", "outlet", "tone", "statements"], name="tonetally_pair_idx")]


class KindTally(Tally):  # noqa: DJ008 - Tally.__str__
    """Per source type (of the source as it is now; none when unattributed) and statement kind.

    A source's type is copied here, so changing it refreshes the pairs that quote it."""

    source_type = models.CharField(max_length=20, null=True)  # noqa: DJ001 - none: unattributed
    kind = models.CharField(max_length=20)

    columns = {"source_type": F("source__type"), "kind": F("kind")}

    class Meta:
        indexes = [
            models.Index(fields=["event", "outlet", "source_type", "kind", "statements"], name="kindtally_pair_idx")
        ]


class DayTally(Tally):  # noqa: DJ008 - Tally.__str__
    day = models.DateField()
    tone = models.SmallIntegerField()

    columns = {"day": TruncDate("article__published_at", tzinfo=dt.UTC), "tone": F("tone")}

    class Meta:
        indexes = [models.Index(fields=["event", "outlet", "day", "tone", "statements"], name="daytally_pair_day_idx")]


TALLIES: tuple[type[Tally], ...] = (CoverageTally, ToneTally, TopicTally, FrameTally, SourceTally, KindTally, DayTally)


# Recomputing ------------------------------------------------------------------------------


def direct(model: type[Tally], events: Iterable[int] | None = None, outlets: Iterable[int] | None = None):
    """The aggregate `model` stands for, straight from the statements, as a values() queryset
    whose columns are event_id, outlet_id, the model's columns, statements."""
    statements = Statement.objects.filter(status=StatementStatus.ACCEPTED)
    if events is not None:
        statements = statements.filter(article__event_id__in=sorted(events))
    if outlets is not None:
        statements = statements.filter(article__outlet_id__in=sorted(outlets))
    if model is DayTally:
        statements = statements.exclude(article__published_at=None)
    return (
        statements.order_by()
        .values(
            g_event=F("article__event_id"),
            g_outlet=F("article__outlet_id"),
            **{f"g_{k}": v for k, v in model.columns.items()},
        )
        .annotate(g_n=Count("id"))
    )


def _insert_select(model: type[Tally], queryset, using: str) -> None:
    sql, params = queryset.query.get_compiler(using=using).as_sql()
    connection = connections[using]
    quote = connection.ops.quote_name
    names = ["event_id", "outlet_id", *model.columns, "statements"]
    with connection.cursor() as cursor:
        # Only quoted identifiers are interpolated; values go as parameters.
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(n) for n in names)}) {sql}",  # noqa: S608
            params,
        )


def refresh_tallies(
    events: Iterable[int] | None = None, outlets: Iterable[int] | None = None, using: str | None = None
) -> None:
    """Recompute every tally row of the given events x outlets (None: all of them).

    Two queries per table: delete the rows, insert the aggregate. Recomputing a few pairs
    too many is harmless; the rows of each pair are always its whole aggregate.
    """
    using = using or router.db_for_write(Statement)
    events = None if events is None else sorted(set(events))
    outlets = None if outlets is None else sorted(set(outlets))
    if events == [] or outlets == []:
        return
    for model in TALLIES:
        rows = model._default_manager.using(using).all()
        if events is not None:
            rows = rows.filter(event_id__in=events)
        if outlets is not None:
            rows = rows.filter(outlet_id__in=outlets)
        rows.delete()
        _insert_select(model, direct(model, events, outlets), using)


def refresh_pairs(pairs: Iterable[tuple[int, int]], using: str | None = None) -> None:
    """Recompute the tallies of (event id, outlet id) pairs, grouped so as to run few queries."""
    by_event: dict[int, set[int]] = {}
    for event_id, outlet_id in pairs:
        by_event.setdefault(event_id, set()).add(outlet_id)
    by_outlets: dict[frozenset[int], set[int]] = {}
    for event_id, outlet_ids in by_event.items():
        by_outlets.setdefault(frozenset(outlet_ids), set()).add(event_id)
    if len(by_outlets) > 3:  # many shapes (an import of many events): one pass over their cross product
        refresh_tallies(by_event, {o for outlet_ids in by_outlets for o in outlet_ids}, using)
        return
    for outlet_set, event_ids in by_outlets.items():
        refresh_tallies(event_ids, outlet_set, using)


def refresh_for_articles(article_ids: Iterable[int], using: str | None = None) -> None:
    """Recompute the tallies of the pairs these articles belong to (1 query, then 10 per group)."""
    ids = sorted(set(article_ids))
    if ids:
        using = using or router.db_for_write(Article)
        refresh_pairs(
            Article.objects.using(using).filter(pk__in=ids).values_list("event_id", "outlet_id").distinct(), using
        )


# Keeping them right on save() and delete() -------------------------------------------------

_batch = threading.local()  # pairs waiting for the end of a `batched()` block, by database


@contextmanager
def batched() -> Iterator[None]:
    """Within the block, saves and deletes note the pairs they touch; they are refreshed once
    at its end. For many writes at once (deleting a selection of statements in admin)."""
    if getattr(_batch, "pending", None) is not None:  # nested: the outer block refreshes
        yield
        return
    _batch.pending = {}
    try:
        yield
        pending = _batch.pending
    finally:
        _batch.pending = None
    for using, pairs in pending.items():
        refresh_pairs(pairs, using)


def _refresh(pairs: Iterable[tuple[int, int]], using: str) -> None:
    pending = getattr(_batch, "pending", None)
    if pending is None:
        refresh_pairs(pairs, using)
    else:
        pending.setdefault(using, set()).update(pairs)


# What a statement's tallies depend on; a save that changes none of these changes no tally.
_STATEMENT_FIELDS = ("article_id", "status", "topic_id", "frame_id", "source_id", "kind", "tone")
_ARTICLE_FIELDS = ("event_id", "outlet_id", "published_at")
_deleting = threading.local()  # articles being deleted: their statements' deletions wait for them


def _snapshot(instance: models.Model, fields: tuple[str, ...]) -> tuple | None:
    if instance.pk is None:
        return None
    data = instance.__dict__
    return tuple(data.get(f, models.DEFERRED) for f in fields)


def _remember(instance: models.Model, state: Any) -> None:
    """Keep what a row's counted fields were when it was loaded or last saved."""
    vars(instance)["_tally_was"] = state


def _recalled(instance: models.Model) -> Any:
    return vars(instance).get("_tally_was")


@receiver(post_init, sender=Statement, dispatch_uid="tallies_statement_loaded")
def _statement_loaded(sender, instance: Statement, **kwargs) -> None:
    _remember(instance, _snapshot(instance, _STATEMENT_FIELDS))


@receiver(post_init, sender=Article, dispatch_uid="tallies_article_loaded")
def _article_loaded(sender, instance: Article, **kwargs) -> None:
    _remember(instance, _snapshot(instance, _ARTICLE_FIELDS))


def _article_pair(article_id: int | None, instance: Statement | None, using: str) -> tuple[int, int] | None:
    if article_id is None:
        return None
    cached = instance._state.fields_cache.get("article") if instance is not None else None
    if cached is not None and cached.pk == article_id:
        return (cached.event_id, cached.outlet_id)
    return Article.objects.using(using).filter(pk=article_id).values_list("event_id", "outlet_id").first()


@receiver(post_save, sender=Statement, dispatch_uid="tallies_statement_saved")
def _statement_saved(sender, instance: Statement, created: bool, using: str, **kwargs) -> None:
    was = _recalled(instance)
    now = _snapshot(instance, _STATEMENT_FIELDS)
    _remember(instance, now)
    if was == now and not created:
        return
    if created and instance.status != StatementStatus.ACCEPTED:
        return  # a new suggestion counts nowhere
    pairs = {_article_pair(instance.article_id, instance, using)}
    if was is not None and was[0] not in (instance.article_id, models.DEFERRED):
        pairs.add(_article_pair(was[0], None, using))
    _refresh([p for p in pairs if p], using)


@receiver(post_delete, sender=Statement, dispatch_uid="tallies_statement_deleted")
def _statement_deleted(sender, instance: Statement, using: str, **kwargs) -> None:
    if instance.status != StatementStatus.ACCEPTED or instance.article_id in getattr(_deleting, "ids", ()):
        return  # a suggestion counted nowhere; an article's own deletion refreshes its pair once
    pair = _article_pair(instance.article_id, instance, using)
    if pair:
        _refresh([pair], using)


@receiver(post_save, sender=Article, dispatch_uid="tallies_article_saved")
def _article_saved(sender, instance: Article, created: bool, using: str, **kwargs) -> None:
    was = _recalled(instance)
    now = _snapshot(instance, _ARTICLE_FIELDS)
    _remember(instance, now)
    if created and not kwargs.get("raw"):
        return  # a new article has no statements yet
    if was == now:
        return
    pairs = {(instance.event_id, instance.outlet_id)}
    if was is not None and models.DEFERRED not in was[:2]:
        pairs.add((was[0], was[1]))
    _refresh(pairs, using)


@receiver(post_init, sender=Source, dispatch_uid="tallies_source_loaded")
def _source_loaded(sender, instance: Source, **kwargs) -> None:
    _remember(instance, instance.__dict__.get("type", models.DEFERRED) if instance.pk else None)


@receiver(post_save, sender=Source, dispatch_uid="tallies_source_saved")
def _source_saved(sender, instance: Source, created: bool, using: str, **kwargs) -> None:
    was = _recalled(instance)
    _remember(instance, instance.type)
    if not created and was != instance.type:  # KindTally holds the type: the pairs quoting it change
        pairs = SourceTally.objects.using(using).filter(source=instance).values_list("event_id", "outlet_id")
        _refresh(list(pairs.distinct()), using)


@receiver(pre_delete, sender=Article, dispatch_uid="tallies_article_deleting")
def _article_deleting(sender, instance: Article, **kwargs) -> None:
    if not hasattr(_deleting, "ids"):
        _deleting.ids = set()
    _deleting.ids.add(instance.pk)


@receiver(post_delete, sender=Article, dispatch_uid="tallies_article_deleted")
def _article_deleted(sender, instance: Article, using: str, **kwargs) -> None:
    _deleting.ids.discard(instance.pk)
    _refresh([(instance.event_id, instance.outlet_id)], using)
