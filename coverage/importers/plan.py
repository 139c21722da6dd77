"""Resolve an import's records against the database, validate all of it in Python, then write.

Nothing is written until every record has been checked, and the caller wraps the writes
in one transaction. Natural keys (docs/bundle-format.md) decide what already exists:
existing rows are never changed by an import, so importing the same file twice creates
nothing the second time and leaves every row as it was.

The database is read a fixed number of times whatever the size of the import (one query
per kind of row, in chunks for long key lists); rows are written with bulk_create, and
statements on PostgreSQL with COPY (docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection
from django.utils import timezone

from coverage.claims import schedule_matching
from coverage.models import (
    MEDIA_FRAMES_CODEBOOK_SLUG,
    TONE_MAX,
    TONE_MIN,
    Article,
    Codebook,
    Event,
    Frame,
    Outlet,
    Ownership,
    Source,
    SourceType,
    Statement,
    StatementKind,
    StatementStatus,
    TaggingStatus,
    Topic,
    content_hash,
    count_words,
)

from .bundle import Progress, Record, no_progress
from .errors import Problems
from .fields import RecordFields
from .results import ArticlePreview, ImportResult

BATCH_SIZE = 2000
_CHUNK = 500  # keys per `__in` lookup: well inside every backend's parameter limit
_HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
ALL_MODELS = frozenset({"codebook", "frame", "outlet", "event", "topic", "source", "article", "statement", "user"})


@dataclass
class _Row:
    """A reference row of the import: matched to the database or to be created."""

    record: Record
    values: dict[str, Any]
    obj: Any = None  # the existing row, or the new one once written
    new: bool = False


@dataclass
class _ArticleEntry:
    record: Record
    values: dict[str, Any]
    event: str
    outlet: str
    body_hash: str
    existing: Article | None = None
    obj: Article | None = None
    statement_count: int = 0


def _chunks(values: Iterable, size: int = _CHUNK) -> Iterable[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _fetch(queryset, lookup: str, values: Iterable) -> list:
    rows = []
    for chunk in _chunks(set(values)):
        rows.extend(queryset.filter(**{f"{lookup}__in": chunk}))
    return rows


class ImportPlan:
    """All records of one import; `validate()` then `write()` inside one transaction."""

    def __init__(
        self,
        problems: Problems,
        *,
        may_create: frozenset[str] = ALL_MODELS,
        create_users: bool = False,
        user=None,
        progress: Progress = no_progress,
    ) -> None:
        self.problems = problems
        self.may_create = may_create
        self.create_users = create_users
        self.user = user
        self.progress = progress
        self.records: list[Record] = []
        self.result = ImportResult()
        self._known: dict[type, str] = {}

    def add(self, records: Iterable[Record]) -> None:
        self.records.extend(records)

    # Validation --------------------------------------------------------------------

    def validate(self) -> None:
        by_type: dict[str, list[Record]] = {}
        for record in self.records:
            by_type.setdefault(record.type, []).append(record)
        self.codebooks = self._rows(by_type.get("codebook", []), self._codebook_values, lambda v: v["slug"])
        self.frames = self._rows(by_type.get("frame", []), self._frame_values, lambda v: (v["codebook"], v["slug"]))
        self.outlets = self._rows(by_type.get("outlet", []), self._outlet_values, lambda v: v["slug"])
        self.events = self._rows(by_type.get("event", []), self._event_values, lambda v: v["slug"])
        self.topics = self._rows(by_type.get("topic", []), self._topic_values, lambda v: (v["event"], v["slug"]))
        self.sources = self._rows(
            by_type.get("source", []), self._source_values, lambda v: (v["name"], v["affiliation"])
        )
        self.articles = self._read_articles(by_type.get("article", []))
        self.statements = self._read_statements(by_type.get("statement", []))
        self._load_existing()
        self._check_references()
        self._check_articles()
        self._check_statements()

    def _rows(self, records: list[Record], read, key) -> dict[Any, _Row]:
        rows: dict[Any, _Row] = {}
        for record in records:
            values = read(record)
            if values is None:
                continue
            k = key(values)
            if k in rows:
                self.problems.add(
                    record.file, record.line, "record", f"duplicate of the {record.type} on line {rows[k].record.line}"
                )
                continue
            rows[k] = _Row(record, values)
        return rows

    def _codebook_values(self, record: Record) -> dict | None:
        f = RecordFields(record, self.problems, {"slug", "name", "description"})
        values = {
            "slug": f.slug("slug"),
            "name": f.text("name", max_length=200, required=True),
            "description": f.text("description", ""),
        }
        return values if f.ok else None

    def _frame_values(self, record: Record) -> dict | None:
        f = RecordFields(record, self.problems, {"codebook", "slug", "name", "number", "description"})
        values = {
            "codebook": f.slug("codebook"),
            "slug": f.slug("slug"),
            "name": f.text("name", max_length=200, required=True),
            "number": f.integer("number", 0, high=32767),
            "description": f.text("description", ""),
        }
        return values if f.ok else None

    def _outlet_values(self, record: Record) -> dict | None:
        f = RecordFields(
            record, self.problems, {"slug", "name", "country", "language", "ownership", "website", "colour"}
        )
        values = {
            "slug": f.slug("slug"),
            "name": f.text("name", max_length=200, required=True),
            "country": f.text("country", "", max_length=100),
            "language": f.text("language", "", max_length=20),
            "ownership": f.choice("ownership", Ownership, Ownership.OTHER),
            "website": f.text("website", "", max_length=200),
            "colour": f.text("colour", "", max_length=7),
        }
        if values["colour"] and not _HEX_COLOUR.match(values["colour"]):
            f.fail("colour", f"“{values['colour']}” is not a hex colour like #0072B2")
        return values if f.ok else None

    def _event_values(self, record: Record) -> dict | None:
        f = RecordFields(record, self.problems, {"slug", "name", "date", "description", "codebook"})
        values = {
            "slug": f.slug("slug"),
            "name": f.text("name", max_length=300, required=True),
            "date": f.day("date"),
            "description": f.text("description", ""),
            "codebook": f.slug("codebook", MEDIA_FRAMES_CODEBOOK_SLUG),
        }
        return values if f.ok else None

    def _topic_values(self, record: Record) -> dict | None:
        f = RecordFields(record, self.problems, {"event", "slug", "name", "is_key", "description", "number"})
        values = {
            "event": f.slug("event"),
            "slug": f.slug("slug"),
            "name": f.text("name", max_length=200, required=True),
            "is_key": f.boolean("is_key", False),
            "description": f.text("description", ""),
            "number": f.integer("number", 0, high=32767),
        }
        return values if f.ok else None

    def _source_values(self, record: Record) -> dict | None:
        f = RecordFields(record, self.problems, {"name", "affiliation", "type", "aliases"})
        values = {
            "name": f.text("name", max_length=200, required=True),
            "affiliation": f.text("affiliation", "", max_length=200),
            "type": f.choice("type", SourceType),
            "aliases": f.text("aliases", ""),
        }
        return values if f.ok else None

    def _read_articles(self, records: list[Record]) -> list[_ArticleEntry]:
        entries = []
        allowed = {
            "event",
            "outlet",
            "url",
            "headline",
            "published_at",
            "byline",
            "body",
            "body_hash",
            "original_text",
            "created_at",
            "tagging_status",
        }
        for record in records:
            f = RecordFields(record, self.problems, allowed)
            values = {
                "url": f.get("url", None),
                "headline": f.text("headline", max_length=500, required=True),
                "published_at": f.moment("published_at", None, nullable=True),
                "byline": f.text("byline", "", max_length=300),
                "body": f.text("body", required=True),
                "original_text": f.text("original_text", ""),
                "created_at": f.moment("created_at", None, nullable=True),
                # Bundles from before tagging status existed say nothing: their articles are not started.
                "tagging_status": f.choice("tagging_status", TaggingStatus, TaggingStatus.NOT_STARTED),
            }
            event, outlet = f.slug("event"), f.slug("outlet")
            if values["url"] is not None:
                try:
                    if not isinstance(values["url"], str) or len(values["url"]) > 1000:
                        raise ValidationError("bad")
                    URLValidator()(values["url"])
                except ValidationError:
                    f.fail("url", f"{values['url']!r} is not a URL (or null)"[:300])
            body_hash = content_hash(values["body"])
            given_hash = record.data.get("body_hash")
            if given_hash is not None and given_hash != body_hash:
                f.fail("body_hash", "does not match the SHA-256 of the body; the body was changed after export")
            if f.ok:
                entries.append(_ArticleEntry(record, values, event, outlet, body_hash))
        return entries

    def _read_statements(self, records: list[Record]) -> list[tuple[Record, dict]]:
        allowed = {
            "article",
            "start",
            "end",
            "text",
            "kind",
            "source",
            "topic",
            "frame",
            "tone",
            "target",
            "status",
            "proposed_source_name",
            "tagged_by",
            "tagged_at",
        }
        statements = []
        for record in self.progress(records, len(records), "Checking statements"):
            f = RecordFields(record, self.problems, allowed)
            article = f.get("article")
            if not isinstance(article, dict) or not (
                set(article) == {"url"} or set(article) == {"event", "outlet", "body_hash"}
            ):
                f.fail("article", 'must be {"url": …} or {"event": …, "outlet": …, "body_hash": …}')
            topic = f.get("topic", None)
            if topic is not None and not isinstance(topic, str):
                f.fail("topic", "must be a topic slug of the article's event, or null")
            tagged_by = f.get("tagged_by", None)
            if tagged_by is not None and not isinstance(tagged_by, str):
                f.fail("tagged_by", "must be a username or null")
            values = {
                "article": article,
                "start": f.integer("start"),
                "end": f.integer("end"),
                "text": f.text("text", required=True),
                "kind": f.choice("kind", StatementKind),
                "source": f.ref("source", ("name", "affiliation")),
                "topic": topic,
                "frame": f.ref("frame", ("codebook", "slug")),
                "tone": f.integer("tone", 0, low=TONE_MIN, high=TONE_MAX),
                "target": f.text("target", "", max_length=200),
                "status": f.choice("status", StatementStatus, StatementStatus.ACCEPTED),
                "proposed_source_name": f.text("proposed_source_name", "", max_length=200),
                "tagged_by": tagged_by,
                "tagged_at": f.moment("tagged_at", None, nullable=True),
            }
            if f.ok:
                statements.append((record, values))
        return statements

    def _load_existing(self) -> None:
        """Read every existing row the import names, a fixed number of queries in all."""
        event_slugs = set(self.events) | {t[0] for t in self.topics} | {a.event for a in self.articles}
        outlet_slugs = set(self.outlets) | {a.outlet for a in self.articles}
        urls = {a.values["url"] for a in self.articles if a.values["url"]}
        hashes = {a.body_hash for a in self.articles}
        usernames = set()
        source_names = {k[0] for k in self.sources}
        codebook_slugs = (
            set(self.codebooks) | {k[0] for k in self.frames} | {r.values["codebook"] for r in self.events.values()}
        )
        for _, values in self.statements:
            ref = values["article"]
            if "url" in ref:
                urls.add(ref["url"])
            else:
                hashes.add(ref["body_hash"])
                event_slugs.add(ref["event"])
            if values["source"]:
                source_names.add(values["source"]["name"])
            if values["frame"]:
                codebook_slugs.add(values["frame"]["codebook"])
            if values["tagged_by"]:
                usernames.add(values["tagged_by"])
        articles = Article.objects.select_related("event", "outlet")
        found = {a.pk: a for a in _fetch(articles, "url", urls)}
        found.update({a.pk: a for a in _fetch(articles, "body_hash", hashes)})
        self.db_articles_by_url = {a.url: a for a in found.values() if a.url}
        self.db_articles_by_hash = {(a.event.slug, a.outlet.slug, a.body_hash): a for a in found.values()}
        event_slugs |= {a.event.slug for a in found.values()}  # their topics and codebooks are needed too
        self.db_events = {e.slug: e for e in _fetch(Event.objects.select_related("codebook"), "slug", event_slugs)}
        codebook_slugs |= {e.codebook.slug for e in self.db_events.values()}
        self.db_codebooks = {c.slug: c for c in _fetch(Codebook.objects.all(), "slug", codebook_slugs)}
        self.db_frames = {
            (f.codebook.slug, f.slug): f
            for f in _fetch(Frame.objects.select_related("codebook"), "codebook__slug", codebook_slugs)
        }
        self.db_outlets = {o.slug: o for o in _fetch(Outlet.objects.all(), "slug", outlet_slugs)}
        self.db_topics = {
            (t.event.slug, t.slug): t for t in _fetch(Topic.objects.select_related("event"), "event__slug", event_slugs)
        }
        self.db_sources = {(s.name, s.affiliation): s for s in _fetch(Source.objects.all(), "name", source_names)}
        # Plain dicts, not model instances: a re-imported bundle may name 100,000 saved statements.
        self.db_spans: dict[int, dict[tuple[int, int], dict]] = {}
        saved = Statement.objects.values("id", "article_id", "start", "end", "text", "kind", "tone", "target", "status")
        for statement in _fetch(saved, "article_id", found):
            self.db_spans.setdefault(statement["article_id"], {})[(statement["start"], statement["end"])] = statement
        self.db_users = {u.username: u for u in _fetch(get_user_model().objects.all(), "username", usernames)}

    def _match(self, kind: str, rows: dict, existing: dict, compare: dict) -> None:
        """Pair rows with existing ones; new rows need permission; differences are warnings."""
        for key, row in rows.items():
            obj = existing.get(key)
            if obj is None:
                row.new = True
                if kind not in self.may_create:
                    self.problems.add(
                        row.record.file,
                        row.record.line,
                        kind,
                        f"{kind} {key!r} does not exist and you may not add {kind}s",
                    )
                continue
            row.obj = obj
            self.result.existing[kind] += 1
            for name, read in compare.items():
                if read(obj) != row.values[name]:
                    self.result.warnings.append(
                        f"{row.record.file}, line {row.record.line}, field “{name}”: the existing {kind} {key!r} "
                        f"has {read(obj)!r}; it was kept and {row.values[name]!r} ignored"
                    )

    def _check_references(self) -> None:
        plain = lambda name: lambda obj: getattr(obj, name)  # noqa: E731
        self._match("codebook", self.codebooks, self.db_codebooks, {n: plain(n) for n in ("name", "description")})
        for row in self.frames.values():
            self._need_codebook(row.record, "codebook", row.values["codebook"])
        self._match("frame", self.frames, self.db_frames, {n: plain(n) for n in ("name", "number", "description")})
        outlet_fields = ("name", "country", "language", "ownership", "website", "colour")
        self._match("outlet", self.outlets, self.db_outlets, {n: plain(n) for n in outlet_fields if n != "colour"})
        for row in self.events.values():
            self._need_codebook(row.record, "codebook", row.values["codebook"])
        self._match(
            "event",
            self.events,
            self.db_events,
            {**{n: plain(n) for n in ("name", "date", "description")}, "codebook": lambda e: e.codebook.slug},
        )
        for row in self.topics.values():
            self._need_event(row.record, "event", row.values["event"])
        self._match(
            "topic", self.topics, self.db_topics, {n: plain(n) for n in ("name", "is_key", "description", "number")}
        )
        self._match("source", self.sources, self.db_sources, {n: plain(n) for n in ("type", "aliases")})

    def _need_codebook(self, record: Record, name: str, slug: str) -> None:
        if slug not in self.codebooks and slug not in self.db_codebooks:
            self.problems.add(record.file, record.line, name, f"no codebook “{slug}” in this import or in the database")

    def _need_event(self, record: Record, name: str, slug: str) -> bool:
        if slug in self.events or slug in self.db_events:
            return True
        known = self._known_slugs(Event)
        self.problems.add(
            record.file,
            record.line,
            name,
            f"no event “{slug}” in this import or in the database; the events are: {known}",
        )
        return False

    def _need_outlet(self, record: Record, name: str, slug: str) -> bool:
        if slug in self.outlets or slug in self.db_outlets:
            return True
        known = self._known_slugs(Outlet)
        self.problems.add(
            record.file,
            record.line,
            name,
            f"no outlet “{slug}” in this import or in the database; the outlets are: {known}",
        )
        return False

    def _known_slugs(self, model) -> str:
        """The slugs that exist, for messages about unknown ones (one query per model)."""
        if model not in self._known:
            self._known[model] = (
                ", ".join(model.objects.order_by("slug").values_list("slug", flat=True)[:50]) or "none yet"
            )
        return self._known[model]

    def event_codebook(self, event_slug: str) -> str:
        """The codebook that applies: the database's when the event exists (it is kept), else the import's."""
        if event_slug in self.db_events:
            return self.db_events[event_slug].codebook.slug
        return self.events[event_slug].values["codebook"]

    def _check_articles(self) -> None:
        self.articles_by_url: dict[str, _ArticleEntry] = {}
        self.articles_by_hash: dict[tuple[str, str, str], _ArticleEntry] = {}
        for entry in self.articles:
            record, url = entry.record, entry.values["url"]
            if not (self._need_event(record, "event", entry.event) & self._need_outlet(record, "outlet", entry.outlet)):
                continue
            hash_key = (entry.event, entry.outlet, entry.body_hash)
            if url and url in self.articles_by_url:
                self.problems.add(
                    record.file,
                    record.line,
                    "url",
                    f"duplicate of the article on line {self.articles_by_url[url].record.line} ({self.articles_by_url[url].record.file})",
                )
                continue
            if hash_key in self.articles_by_hash:
                other = self.articles_by_hash[hash_key].record
                self.problems.add(
                    record.file,
                    record.line,
                    "body",
                    f"same body, event and outlet as the article in {other.file}"
                    + (f", line {other.line}" if other.line else ""),
                )
                continue
            if url:
                self.articles_by_url[url] = entry
            self.articles_by_hash[hash_key] = entry
            by_hash = self.db_articles_by_hash.get(hash_key)
            existing = self.db_articles_by_url.get(url) if url else by_hash
            if url and existing is None and by_hash is not None:
                where = f"under the URL {by_hash.url}" if by_hash.url else "without a URL"
                self.problems.add(
                    record.file,
                    record.line,
                    "url",
                    f"article {by_hash.pk} with the same body is already saved "
                    f"in this event and outlet {where}; an import never changes a saved article",
                )
                continue
            if existing is not None:
                self._compare_article(entry, existing)
            elif "article" not in self.may_create:
                self.problems.add(record.file, record.line, "article", "you may not add articles")

    def _compare_article(self, entry: _ArticleEntry, existing: Article) -> None:
        entry.existing = existing
        actual = {
            "event": existing.event.slug,
            "outlet": existing.outlet.slug,
            "body": existing.body,
            "headline": existing.headline,
            "published_at": existing.published_at,
            "byline": existing.byline,
        }
        wanted = {
            "event": entry.event,
            "outlet": entry.outlet,
            **{k: entry.values[k] for k in ("body", "headline", "published_at", "byline")},
        }
        for name, value in wanted.items():
            if actual[name] != value:
                shown = repr(actual[name])[:80]
                self.problems.add(
                    entry.record.file,
                    entry.record.line,
                    name,
                    f"article {existing.pk} with this {'URL' if entry.values['url'] else 'body'} is already saved with {name} {shown}; "
                    "an import never changes a saved article",
                )
                return

    def _resolve_article(self, ref: dict) -> tuple[_ArticleEntry | None, Article | None]:
        if "url" in ref:
            return self.articles_by_url.get(ref["url"]), self.db_articles_by_url.get(ref["url"])
        key = (ref["event"], ref["outlet"], ref["body_hash"])
        return self.articles_by_hash.get(key), self.db_articles_by_hash.get(key)

    def _check_statements(self) -> None:
        seen: dict[tuple, int | None] = {}
        self.new_statements: list[tuple[Record, dict, _ArticleEntry | Article]] = []
        for record, values in self.statements:
            entry, db_article = self._resolve_article(values["article"])
            article = entry.existing if entry and entry.existing else db_article
            target = entry if entry is not None else db_article
            if target is None:
                self.problems.add(
                    record.file,
                    record.line,
                    "article",
                    f"no article {values['article']} in this import or in the database",
                )
                continue
            if entry is not None:
                event_slug, body = entry.event, entry.values["body"]
            else:
                event_slug, body = db_article.event.slug, db_article.body
            ok = self._check_offsets(record, values, body)
            span_key = (id(target), values["start"], values["end"])
            if span_key in seen:
                self.problems.add(
                    record.file,
                    record.line,
                    "start",
                    f"duplicate of the statement on line {seen[span_key]} (same article and offsets)",
                )
                continue
            seen[span_key] = record.line
            ok &= self._check_statement_refs(record, values, event_slug)
            if not ok:
                continue
            if entry is not None:
                entry.statement_count += 1
            existing = self.db_spans.get(article.pk, {}).get((values["start"], values["end"])) if article else None
            if existing is not None:
                self._compare_statement(record, values, existing)
                self.result.existing["statement"] += 1
            elif "statement" not in self.may_create:
                self.problems.add(record.file, record.line, "statement", "you may not add statements")
            else:
                self.new_statements.append((record, values, target))

    def _check_offsets(self, record: Record, values: dict, body: str) -> bool:
        start, end, text = values["start"], values["end"], values["text"]
        if end <= start:
            self.problems.add(record.file, record.line, "end", f"end ({end}) must be greater than start ({start})")
        elif end > len(body):
            self.problems.add(
                record.file,
                record.line,
                "end",
                f"end ({end}) is past the end of the article body ({len(body)} characters)",
            )
        elif body[start:end] != text:
            self.problems.add(
                record.file,
                record.line,
                "text",
                f"does not match the article body at {start}–{end}, which reads “{body[start:end][:80]}”",
            )
        else:
            return True
        return False

    def _check_statement_refs(self, record: Record, values: dict, event_slug: str) -> bool:
        ok = True
        if (
            values["topic"]
            and (event_slug, values["topic"]) not in self.topics
            and (event_slug, values["topic"]) not in self.db_topics
        ):
            self.problems.add(
                record.file, record.line, "topic", f"no topic “{values['topic']}” in event “{event_slug}”"
            )
            ok = False
        if values["source"]:
            key = (values["source"]["name"], values["source"]["affiliation"])
            if key not in self.sources and key not in self.db_sources:
                self.problems.add(
                    record.file, record.line, "source", f"no source {key[0]!r} with affiliation {key[1]!r}"
                )
                ok = False
        if frame := values["frame"]:
            key = (frame["codebook"], frame["slug"])
            if key not in self.frames and key not in self.db_frames:
                self.problems.add(record.file, record.line, "frame", f"no frame “{key[1]}” in codebook “{key[0]}”")
                ok = False
            elif key[0] != self.event_codebook(event_slug):
                self.problems.add(
                    record.file,
                    record.line,
                    "frame",
                    f"codebook “{key[0]}” is not the codebook of event “{event_slug}”",
                )
                ok = False
        username = values["tagged_by"]
        if username and username not in self.db_users:
            if not self.create_users:
                self.problems.add(
                    record.file,
                    record.line,
                    "tagged_by",
                    f"no user “{username}”; create the user first (or import with --create-users)",
                )
                ok = False
        return ok

    def _compare_statement(self, record: Record, values: dict, existing: dict) -> None:
        for name in ("text", "kind", "tone", "target", "status"):
            if values[name] != (value := existing[name]):
                self.problems.add(
                    record.file,
                    record.line,
                    name,
                    f"the statement already saved at these offsets (id {existing['id']}) has {name} {value!r}; "
                    "an import never changes a saved statement",
                )
                return

    # Writing -----------------------------------------------------------------------

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
        for entry in new_entries:
            values = {**entry.values, "created_at": entry.values["created_at"] or timezone.now()}
            entry.obj = Article(
                event=self._event(entry.event),
                outlet=self._outlet(entry.outlet),
                body_hash=entry.body_hash,
                words=count_words(entry.values["body"]),
                **values,
            )
        Article.objects.bulk_create([e.obj for e in new_entries], batch_size=BATCH_SIZE)
        result.created["article"] += len(new_entries)
        result.existing["article"] += len(self.articles_by_hash) - len(new_entries)
        result.new_articles = [e.obj for e in new_entries]
        changed_events = self._write_statements(users) | {e.obj.event_id for e in new_entries}
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
        rows = []  # attname → value: a model instance per row costs more than the insert itself
        for _, values, target in self.new_statements:
            article = target.obj if isinstance(target, _ArticleEntry) else target
            event_slug = target.event if isinstance(target, _ArticleEntry) else target.event.slug
            topic = values["topic"] and self._lookup(self.topics, self.db_topics, (event_slug, values["topic"]))
            source = values["source"] and self._lookup(
                self.sources, self.db_sources, (values["source"]["name"], values["source"]["affiliation"])
            )
            frame = values["frame"] and self._lookup(
                self.frames, self.db_frames, (values["frame"]["codebook"], values["frame"]["slug"])
            )
            tagger = users[values["tagged_by"]] if values["tagged_by"] else None
            events.add(article.event_id)
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
            batches = list(_chunks(rows, BATCH_SIZE))
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
            batches = list(_chunks(rows, BATCH_SIZE))
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

    def previews(self) -> list[ArticlePreview]:
        return [
            ArticlePreview(
                file=e.record.file,
                headline=e.values["headline"],
                published_at=e.values["published_at"],
                byline=e.values["byline"],
                url=e.values["url"],
                body=e.values["body"],
                already_imported=e.existing is not None,
                statements=e.statement_count,
            )
            for e in self.articles_by_hash.values()
        ]
