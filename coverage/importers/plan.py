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

from collections.abc import Iterable
from typing import Any, cast

from django.contrib.auth import get_user_model

from coverage.models import (
    Article,
    Codebook,
    Event,
    Frame,
    Outlet,
    Source,
    Statement,
    Topic,
    content_hash,
)

from .bundle import Progress, Record, no_progress
from .errors import Problems, show, visible, where
from .results import ArticlePreview, ImportResult
from .values import (
    article_values,
    codebook_values,
    describe_key,
    event_values,
    frame_values,
    outlet_values,
    read_statements,
    refused_keys,
    source_values,
    topic_values,
)
from .writing import ArticleEntry, PlanWriting, Row, chunks

ALL_MODELS = frozenset({"codebook", "frame", "outlet", "event", "topic", "source", "article", "statement", "user"})


def _at(record: Record) -> str:
    """Where a record is, for a message about another one: "a.txt", "b.jsonl, line 4"."""
    return record.file if record.line is None else f"{record.file}, line {record.line}"


def _refused_article_key(ref: dict) -> tuple:
    if "url" in ref:
        return ("url", ref["url"])
    return ("hash", (ref["event"], ref["outlet"], ref["body_hash"]))


def _fetch(queryset, lookup: str, values: Iterable) -> list:
    rows = []
    for chunk in chunks(set(values)):
        rows.extend(queryset.filter(**{f"{lookup}__in": chunk}))
    return rows


class ImportPlan(PlanWriting):
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
        # Only an admin's import (or the command's) keeps who tagged what and when;
        # anyone else's import is credited to its user, now (docs/bundle-format.md).
        self.keeps_attribution = user is None or user.is_superuser
        self.refused: dict[str, dict[Any, Record]] = {
            kind: {} for kind in ("codebook", "frame", "outlet", "event", "topic", "source", "article")
        }

    def add(self, records: Iterable[Record]) -> None:
        self.records.extend(records)

    # Validation --------------------------------------------------------------------

    def validate(self) -> None:
        by_type: dict[str, list[Record]] = {}
        for record in self.records:
            by_type.setdefault(record.type, []).append(record)
        self.codebooks = self._rows(by_type.get("codebook", []), codebook_values, lambda v: v["slug"])
        self.frames = self._rows(by_type.get("frame", []), frame_values, lambda v: (v["codebook"], v["slug"]))
        self.outlets = self._rows(by_type.get("outlet", []), outlet_values, lambda v: v["slug"])
        self.events = self._rows(by_type.get("event", []), event_values, lambda v: v["slug"])
        self.topics = self._rows(by_type.get("topic", []), topic_values, lambda v: (v["event"], v["slug"]))
        self.sources = self._rows(by_type.get("source", []), source_values, lambda v: (v["name"], v["affiliation"]))
        self.articles = self._read_articles(by_type.get("article", []))
        tagger = None if self.keeps_attribution else self.user.get_username()
        self.statements = read_statements(by_type.get("statement", []), self.problems, tagger, self.progress)
        self._load_existing()
        self._check_references()
        self._check_articles()
        self._check_statements()

    def _rows(self, records: list[Record], read, key) -> dict[Any, Row]:
        rows: dict[Any, Row] = {}
        for record in records:
            values = read(record, self.problems)
            if values is None:
                self._refuse_record(record)
                continue
            k = key(values)
            if k in rows:
                self.problems.add(
                    record.file, record.line, "record", f"duplicate of the {record.type} in {_at(rows[k].record)}"
                )
                continue
            rows[k] = Row(record, values)
        return rows

    def _read_articles(self, records: list[Record]) -> list[ArticleEntry]:
        entries = []
        for record in records:
            read = article_values(record, self.problems, keep_created_at=self.keeps_attribution)
            if read is None:
                self._refuse_record(record)
                continue
            values, event, outlet = read
            entries.append(ArticleEntry(record, values, event, outlet, content_hash(values["body"])))
        return entries

    # Refused records and the records that depend on them ---------------------------

    def _refuse_record(self, record: Record) -> None:
        for kind, key in refused_keys(record):
            self.refused[kind].setdefault(key, record)

    def _refuse(self, kind: str, key: Any, record: Record) -> None:
        self.refused[kind].setdefault(key, record)

    def _skipped_for(self, record: Record, kind: str, key: Any) -> bool:
        """True, and the record reported as skipped, when the row it needs was refused."""
        refused = self.refused[kind].get(key)
        if refused is None:
            return False
        at = where(refused.line, file=refused.file) if refused.file == record.file else _at(refused)
        self.problems.skip(record.file, record.line, f"the {describe_key(kind, key)} ({at}) was refused")
        return True

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
                        f"{describe_key(kind, key)} does not exist and you may not add {kind}s",
                    )
                continue
            row.obj = obj
            self.result.existing[kind] += 1
            for name, read in compare.items():
                if read(obj) != row.values[name]:
                    self.result.warnings.append(
                        f"{row.record.file}, {where(row.record.line, file=row.record.file)}, field “{name}”: the existing "
                        f"{describe_key(kind, key)} has {show(read(obj))}; it was kept and {show(row.values[name])} ignored"
                    )

    def _check_unique_names(self, kind: str, rows: dict, model) -> None:
        """Names are unique among outlets and among codebooks: a new one may not take a saved one's."""
        new = [row for row in rows.values() if row.new]
        taken = dict(_fetch(model.objects.values_list("name", "slug"), "name", [row.values["name"] for row in new]))
        seen: dict[str, Row] = {}
        for row in new:
            name = row.values["name"]
            if name in taken:
                message = f"the {kind} “{taken[name]}” is already named “{name}”; use its slug or another name"
            elif name in seen:
                message = (
                    f"the {kind} on {where(seen[name].record.line, file=seen[name].record.file)} has this name too"
                )
            else:
                seen[name] = row
                continue
            self.problems.add(row.record.file, row.record.line, "name", message)

    def _keep(self, kind: str, rows: dict, needs) -> dict:
        """The rows whose parents exist; the others are refused, so their own children are skipped."""
        kept = {}
        for key, row in rows.items():
            if needs(row):
                kept[key] = row
            else:
                self._refuse(kind, key, row.record)
        return kept

    def _check_references(self) -> None:
        plain = lambda name: lambda obj: getattr(obj, name)  # noqa: E731
        self._match("codebook", self.codebooks, self.db_codebooks, {n: plain(n) for n in ("name", "description")})
        self._check_unique_names("codebook", self.codebooks, Codebook)
        self.frames = self._keep(
            "frame", self.frames, lambda row: self._need_codebook(row.record, row.values["codebook"])
        )
        self._match("frame", self.frames, self.db_frames, {n: plain(n) for n in ("name", "number", "description")})
        outlet_fields = ("name", "country", "language", "ownership", "website", "colour")
        self._match("outlet", self.outlets, self.db_outlets, {n: plain(n) for n in outlet_fields if n != "colour"})
        self._check_unique_names("outlet", self.outlets, Outlet)
        self.events = self._keep(
            "event", self.events, lambda row: self._need_codebook(row.record, row.values["codebook"])
        )
        self._match(
            "event",
            self.events,
            self.db_events,
            {**{n: plain(n) for n in ("name", "date", "description")}, "codebook": lambda e: e.codebook.slug},
        )
        self.topics = self._keep(
            "topic", self.topics, lambda row: self._need_event(row.record, "event", row.values["event"])
        )
        self._match(
            "topic", self.topics, self.db_topics, {n: plain(n) for n in ("name", "is_key", "description", "number")}
        )
        self._match("source", self.sources, self.db_sources, {n: plain(n) for n in ("type", "aliases")})

    def _need_codebook(self, record: Record, slug: str) -> bool:
        if slug in self.codebooks or slug in self.db_codebooks:
            return True
        if not self._skipped_for(record, "codebook", slug):
            self.problems.add(
                record.file, record.line, "codebook", f"no codebook “{slug}” in this import or in the database"
            )
        return False

    def _need_event(self, record: Record, name: str, slug: str) -> bool:
        if slug in self.events or slug in self.db_events:
            return True
        if self._skipped_for(record, "event", slug):
            return False
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
        if self._skipped_for(record, "outlet", slug):
            return False
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
        self.articles_by_url: dict[str, ArticleEntry] = {}
        self.articles_by_hash: dict[tuple[str, str, str], ArticleEntry] = {}
        for entry in self.articles:
            record, url = entry.record, entry.values["url"]
            # `&`, not `and`: an unknown event and an unknown outlet are both reported.
            if not (self._need_event(record, "event", entry.event) & self._need_outlet(record, "outlet", entry.outlet)):
                self._refuse_record(record)
                continue
            hash_key = (entry.event, entry.outlet, entry.body_hash)
            if url and url in self.articles_by_url:
                self.problems.add(
                    record.file,
                    record.line,
                    "url",
                    f"duplicate of the article in {_at(self.articles_by_url[url].record)}",
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
                self._refuse_record(record)

    def _compare_article(self, entry: ArticleEntry, existing: Article) -> None:
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
                self.problems.add(
                    entry.record.file,
                    entry.record.line,
                    name,
                    f"article {existing.pk} with this {'URL' if entry.values['url'] else 'body'} is already saved "
                    f"with {name} {show(actual[name])}, not {show(value)}; an import never changes a saved article",
                )
                return

    def _resolve_article(self, ref: dict) -> tuple[ArticleEntry | None, Article | None]:
        if "url" in ref:
            return self.articles_by_url.get(ref["url"]), self.db_articles_by_url.get(ref["url"])
        key = (ref["event"], ref["outlet"], ref["body_hash"])
        return self.articles_by_hash.get(key), self.db_articles_by_hash.get(key)

    def _check_statements(self) -> None:
        seen: dict[tuple, int | None] = {}
        self.new_statements: list[tuple[Record, dict, ArticleEntry | Article]] = []
        for record, values in self.statements:
            entry, db_article = self._resolve_article(values["article"])
            article = entry.existing if entry and entry.existing else db_article
            target = entry if entry is not None else db_article
            if target is None:
                if not self._skipped_for(record, "article", _refused_article_key(values["article"])):
                    self.problems.add(
                        record.file,
                        record.line,
                        "article",
                        f"no article {show(values['article'])} in this import or in the database",
                    )
                continue
            if entry is not None:
                event_slug, body = entry.event, entry.values["body"]
            else:
                saved = cast(Article, db_article)  # not None: it is the target
                event_slug, body = saved.event.slug, saved.body
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
            if self._parent_refused(record, values, event_slug):
                continue
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
                f"“{visible(text)}” does not match the article body at {start}–{end}, "
                f"which reads “{visible(body[start:end])}” (· is a space, ↵ a line break, ⍽ a no-break space)",
            )
        else:
            return True
        return False

    def _parent_refused(self, record: Record, values: dict, event_slug: str) -> bool:
        """A statement whose topic, source or frame was refused is skipped because of it."""
        source, frame = values["source"], values["frame"]
        return (
            (values["topic"] is not None and self._skipped_for(record, "topic", (event_slug, values["topic"])))
            or (source is not None and self._skipped_for(record, "source", (source["name"], source["affiliation"])))
            or (frame is not None and self._skipped_for(record, "frame", (frame["codebook"], frame["slug"])))
        )

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
                self.problems.add(record.file, record.line, "source", f"no {describe_key('source', key)}")
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
                    f"the statement already saved at these offsets (id {existing['id']}) has {name} {show(value)}, "
                    f"not {show(values[name])}; an import never changes a saved statement",
                )
                return

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
                warnings=e.record.notes if e.existing is None else (),
            )
            for e in self.articles_by_hash.values()
        ]
