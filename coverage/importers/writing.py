"""Writing a checked import: bulk inserts, and COPY for statements on PostgreSQL.

`PlanWriting` is the second half of `plan.ImportPlan`: it runs only after every record
was checked, inside the import's transaction (docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from coverage.claims import schedule_matching
from coverage.models import Article, Codebook, Event, Frame, Outlet, Source, Statement, Topic, count_words
from coverage.tallies import refresh_for_articles

from .bundle import Progress, Record
from .results import ImportResult

BATCH_SIZE = 2000
_CHUNK = 500  # keys per `__in` lookup: well inside every backend's parameter limit


@dataclass
class Row:
    """A reference row of the import: matched to the database or to be created."""

    record: Record
    values: dict[str, Any]
    obj: Any = None  # the existing row, or the new one once written
    new: bool = False


@dataclass
class ArticleEntry:
    record: Record
    values: dict[str, Any]
    event: str
    outlet: str
    body_hash: str
    existing: Article | None = None
    obj: Article | None = None
    statement_count: int = 0


def chunks(values: Iterable, size: int = _CHUNK) -> Iterable[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


class PlanWriting:
    """Writes the rows an ImportPlan checked; the attributes come from the plan."""

    # Set by ImportPlan (plan.py) while it reads and checks the records.
    result: ImportResult
    user: Any
    progress: Progress
    codebooks: dict[Any, Row]
    frames: dict[Any, Row]
    outlets: dict[Any, Row]
    events: dict[Any, Row]
    topics: dict[Any, Row]
    sources: dict[Any, Row]
    articles_by_hash: dict[tuple[str, str, str], ArticleEntry]
    new_statements: list[tuple[Record, dict, ArticleEntry | Article]]
    db_codebooks: dict[str, Codebook]
    db_frames: dict[Any, Frame]
    db_events: dict[str, Event]
    db_outlets: dict[str, Outlet]
    db_topics: dict[Any, Topic]
    db_sources: dict[Any, Source]
    db_users: dict[str, Any]

    def write(self) -> ImportResult:
        result = self.result
        self._write_rows("codebook", self.codebooks, lambda v: Codebook(**v))
        self._write_rows("frame", self.frames, lambda v: Frame(**{**v, "codebook": self._codebook(v["codebook"])}))
        for row in self.outlets.values():
            if row.new:
                row.obj = Outlet(**row.values)
                row.obj.save()  # save() gives an outlet without a colour the next palette colour
                result.created["outlet"] += 1
        self._write_rows("event", self.events, lambda v: Event(**{**v, "codebook": self._codebook(v["codebook"])}))
        self._write_rows("topic", self.topics, lambda v: Topic(**{**v, "event": self._event(v["event"])}))
        self._write_rows("source", self.sources, lambda v: Source(**v))
        users = self._write_users()
        new_entries = [e for e in self.articles_by_hash.values() if e.existing is None]
        for entry in self.articles_by_hash.values():
            entry.obj = entry.existing  # new statements may point at a saved article named in the import
        new_articles: list[Article] = []
        for entry in new_entries:
            values = {**entry.values, "created_at": entry.values["created_at"] or timezone.now()}
            entry.obj = article = Article(
                event=self._event(entry.event),
                outlet=self._outlet(entry.outlet),
                body_hash=entry.body_hash,
                words=count_words(entry.values["body"]),
                **values,
            )
            new_articles.append(article)
        Article.objects.bulk_create(new_articles, batch_size=BATCH_SIZE)
        result.created["article"] += len(new_entries)
        result.warnings += [f"{e.record.file}: {note}" for e in new_entries for note in e.record.notes]
        result.existing["article"] += len(self.articles_by_hash) - len(new_entries)
        result.new_articles = new_articles
        changed_events = self._write_statements(users) | {a.event_id for a in new_articles}
        # Bulk inserts and COPY send no signals: the summary tables are recomputed here.
        refresh_for_articles(self.written_articles)
        schedule_matching(event_ids=changed_events)  # once the import commits; nothing on a dry run
        return result

    def _write_rows(self, kind: str, rows: dict, build) -> None:
        new = [row for row in rows.values() if row.new]
        for row in new:
            row.obj = build(row.values)
        if new:
            type(new[0].obj).objects.bulk_create([row.obj for row in new], batch_size=BATCH_SIZE)
        self.result.created[kind] += len(new)

    def _codebook(self, slug: str) -> Codebook:
        return self.codebooks[slug].obj if slug in self.codebooks else self.db_codebooks[slug]

    def _event(self, slug: str) -> Event:
        return self.events[slug].obj if slug in self.events else self.db_events[slug]

    def _outlet(self, slug: str) -> Outlet:
        return self.outlets[slug].obj if slug in self.outlets else self.db_outlets[slug]

    def _write_users(self) -> dict:
        users = dict(self.db_users)
        missing = sorted({v["tagged_by"] for _, v, _ in self.new_statements if v["tagged_by"]} - set(users))
        User = get_user_model()
        for username in missing:
            user = User(username=username)
            user.set_unusable_password()  # a tagger's name for the record; no login until an admin sets one
            user.save()
            users[username] = user
        self.result.created["user"] += len(missing)
        return users

    def _write_statements(self, users: dict) -> set[int]:
        """Write the new statements; returns the ids of the events they belong to."""
        now = timezone.now()
        events: set[int] = set()
        self.written_articles: set[int] = set()
        rows = []  # attname → value: a model instance per row costs more than the insert itself
        for _, values, target in self.new_statements:
            # A new article is written before its statements, so its entry holds it by now.
            article = cast(Article, target.obj if isinstance(target, ArticleEntry) else target)
            event_slug = target.event if isinstance(target, ArticleEntry) else target.event.slug
            topic = values["topic"] and self._lookup(self.topics, self.db_topics, (event_slug, values["topic"]))
            source = values["source"] and self._lookup(
                self.sources, self.db_sources, (values["source"]["name"], values["source"]["affiliation"])
            )
            frame = values["frame"] and self._lookup(
                self.frames, self.db_frames, (values["frame"]["codebook"], values["frame"]["slug"])
            )
            tagger = users[values["tagged_by"]] if values["tagged_by"] else None
            events.add(article.event_id)
            self.written_articles.add(article.pk)
            rows.append(
                {
                    "article_id": article.pk,
                    "start": values["start"],
                    "end": values["end"],
                    "text": values["text"],
                    "kind": values["kind"],
                    "source_id": source.pk if source else None,
                    "topic_id": topic.pk if topic else None,
                    "frame_id": frame.pk if frame else None,
                    "tone": values["tone"],
                    "target": values["target"],
                    "status": values["status"],
                    "proposed_source_name": values["proposed_source_name"],
                    "tagged_by_id": tagger.pk if tagger else None,
                    "tagged_at": values["tagged_at"] or now,
                }
            )
        if connection.vendor == "postgresql":
            self._copy_statements(rows, now)
        else:
            batches = list(chunks(rows, BATCH_SIZE))
            for batch in self.progress(batches, len(batches), f"Writing {len(rows)} statements"):
                objs = Statement.objects.bulk_create([Statement(**row) for row in batch])
                # bulk_create skips save(), so the audit history is written alongside, in bulk too.
                Statement.history.bulk_history_create(objs, default_user=self.user, default_change_reason="import")
        self.result.created["statement"] += len(rows)
        return events

    def _copy_statements(self, rows: list[dict], now: dt.datetime) -> None:
        """PostgreSQL: COPY the statements, then copy them into their history in the server.

        bulk_create spends most of its time in the ORM building parameters (about 1,200
        statements a second on the benchmark machine, history included); COPY streams the
        rows instead. They were validated above, and the database still checks every
        constraint as they arrive (foreign keys at commit).
        """
        if not rows:
            return
        table = Statement._meta.db_table
        history = Statement.history.model._meta
        columns = [f.attname for f in Statement._meta.concrete_fields]
        # Fields the bundle does not carry take their model default, as bulk_create would give.
        defaults = {f.attname: f.get_default() for f in Statement._meta.concrete_fields}
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            for row, pk in zip(rows, ids, strict=True):
                row["id"] = pk
            batches = list(chunks(rows, BATCH_SIZE))
            with cursor.copy(f"COPY {quote(table)} ({', '.join(quote(n) for n in columns)}) FROM STDIN") as copy:
                for batch in self.progress(batches, len(batches), f"Writing {len(rows)} statements"):
                    for row in batch:
                        copy.write_row([row[name] if name in row else defaults[name] for name in columns])
            # One "+" history row per statement, as save() would have written.
            names = ", ".join(quote(n) for n in columns)
            # Only quoted identifiers are interpolated; values go as parameters.
            sql = (
                f"INSERT INTO {quote(history.db_table)} ({names}, history_date, history_change_reason, "  # noqa: S608
                f"history_type, history_user_id) SELECT {names}, %s, 'import', '+', %s FROM {quote(table)} WHERE id = ANY(%s)"
            )
            cursor.execute(sql, [now, self.user.pk if self.user else None, ids])

    @staticmethod
    def _lookup(rows: dict, existing: dict, key):
        return rows[key].obj if key in rows else existing[key]
