"""Each kind of import record read into typed values, checked by the models' own validators.

A record that fails is refused with a problem per bad field; `refused_keys` says which
natural keys it claimed, so that records depending on it are reported as skipped
because of it rather than as errors of their own (errors.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model

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
)

from .bundle import Progress, Record, no_progress
from .errors import Problems, show
from .fields import RecordFields

Values = dict[str, Any]

ARTICLE_FIELDS = {
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
STATEMENT_FIELDS = {
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


def codebook_values(record: Record, problems: Problems) -> Values | None:
    f = RecordFields(record, problems, {"slug", "name", "description"})
    values = {
        "slug": f.slug("slug"),
        "name": f.text("name", max_length=200, required=True),
        "description": f.text("description", ""),
    }
    f.model_checks(Codebook, values)
    return values if f.ok else None


def frame_values(record: Record, problems: Problems) -> Values | None:
    f = RecordFields(record, problems, {"codebook", "slug", "name", "number", "description"})
    values = {
        "codebook": f.slug("codebook"),
        "slug": f.slug("slug"),
        "name": f.text("name", max_length=200, required=True),
        "number": f.integer("number", 0, high=32767),
        "description": f.text("description", ""),
    }
    f.model_checks(Frame, values, skip={"codebook"})
    return values if f.ok else None


def outlet_values(record: Record, problems: Problems) -> Values | None:
    f = RecordFields(record, problems, {"slug", "name", "country", "language", "ownership", "website", "colour"})
    values = {
        "slug": f.slug("slug"),
        "name": f.text("name", max_length=200, required=True),
        "country": f.text("country", "", max_length=100),
        "language": f.text("language", "", max_length=20),
        "ownership": f.choice("ownership", Ownership, Ownership.OTHER),
        "website": f.text("website", "", max_length=200),
        "colour": f.text("colour", "", max_length=7),
    }
    # The admin's own rules: a website is an http(s) or ftp URL, never `javascript:…`.
    f.model_checks(Outlet, values)
    return values if f.ok else None


def event_values(record: Record, problems: Problems) -> Values | None:
    f = RecordFields(record, problems, {"slug", "name", "date", "description", "codebook"})
    values = {
        "slug": f.slug("slug"),
        "name": f.text("name", max_length=300, required=True),
        "date": f.day("date"),
        "description": f.text("description", ""),
        "codebook": f.slug("codebook", MEDIA_FRAMES_CODEBOOK_SLUG),
    }
    f.model_checks(Event, values, skip={"codebook"})
    return values if f.ok else None


def topic_values(record: Record, problems: Problems) -> Values | None:
    f = RecordFields(record, problems, {"event", "slug", "name", "is_key", "description", "number"})
    values = {
        "event": f.slug("event"),
        "slug": f.slug("slug"),
        "name": f.text("name", max_length=200, required=True),
        "is_key": f.boolean("is_key", False),
        "description": f.text("description", ""),
        "number": f.integer("number", 0, high=32767),
    }
    f.model_checks(Topic, values, skip={"event"})
    return values if f.ok else None


def source_values(record: Record, problems: Problems) -> Values | None:
    f = RecordFields(record, problems, {"name", "affiliation", "type", "aliases"})
    values = {
        "name": f.text("name", max_length=200, required=True),
        "affiliation": f.text("affiliation", "", max_length=200),
        "type": f.choice("type", SourceType),
        "aliases": f.text("aliases", ""),
    }
    f.model_checks(Source, values)
    return values if f.ok else None


def article_values(record: Record, problems: Problems, keep_created_at: bool = True) -> tuple[Values, str, str] | None:
    """(values, event slug, outlet slug) of an article record, or None when it is refused."""
    f = RecordFields(record, problems, ARTICLE_FIELDS)
    url = f.get("url", None)
    if url is not None and not isinstance(url, str):
        f.fail("url", f"must be a URL or null, not {show(url)}")
        url = None
    url = url or None  # "" means no URL, as when an article is saved in admin
    values = {
        "url": url,
        "headline": f.text("headline", max_length=500, required=True),
        "published_at": f.moment("published_at", None, nullable=True),
        "byline": f.text("byline", "", max_length=300),
        "body": f.text("body", required=True),
        "original_text": f.text("original_text", ""),
        "created_at": f.moment("created_at", None, nullable=True),
        # Bundles from before tagging status existed say nothing: their articles are not started.
        "tagging_status": f.choice("tagging_status", TaggingStatus, TaggingStatus.NOT_STARTED),
    }
    if not keep_created_at:
        values["created_at"] = None  # only an admin's import keeps the recorded times
    event, outlet = f.slug("event"), f.slug("outlet")
    f.model_checks(Article, {k: v for k, v in values.items() if k != "url" or v})
    given_hash = record.data.get("body_hash")
    if f.ok and given_hash is not None and given_hash != content_hash(str(values["body"])):
        f.fail("body_hash", "does not match the SHA-256 of the body; the body was changed after export")
    return (values, event, outlet) if f.ok else None


def _article_ref(f: RecordFields) -> dict | None:
    article = f.get("article")
    keys = set(article) if isinstance(article, dict) else set()
    if (keys == {"url"} or keys == {"event", "outlet", "body_hash"}) and all(
        isinstance(v, str) for v in article.values()
    ):
        return article
    f.fail("article", 'must be {"url": …} or {"event": …, "outlet": …, "body_hash": …}, with strings')
    return None


def statement_values(record: Record, problems: Problems, tagger: str | None = None) -> Values | None:
    """A statement's values; with `tagger` the statement is credited to that user, now.

    Only an admin's import keeps who tagged a statement and when (issue 12): anyone else's
    import records the importing user as the tagger.
    """
    f = RecordFields(record, problems, STATEMENT_FIELDS)
    topic = f.get("topic", None)
    if topic is not None and not isinstance(topic, str):
        f.fail("topic", "must be a topic slug of the article's event, or null")
    tagged_by = f.get("tagged_by", None)
    if tagged_by is not None and not isinstance(tagged_by, str):
        f.fail("tagged_by", "must be a username or null")
    elif tagged_by is not None and tagger is None:
        f.run_validators("tagged_by", get_user_model()._meta.get_field("username"), tagged_by)
    values = {
        "article": _article_ref(f),
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
        "tagged_by": tagged_by if tagger is None else tagger,
        "tagged_at": f.moment("tagged_at", None, nullable=True) if tagger is None else None,
    }
    f.model_checks(Statement, {k: values[k] for k in ("target", "proposed_source_name")})
    return values if f.ok else None


def read_statements(
    records: list[Record], problems: Problems, tagger: str | None, progress: Progress = no_progress
) -> list[tuple[Record, Values]]:
    statements = []
    for record in progress(records, len(records), "Checking statements"):
        values = statement_values(record, problems, tagger)
        if values is not None:
            statements.append((record, values))
    return statements


def _text(data: dict, name: str, default: str | None = None) -> str | None:
    value = data.get(name, default)
    return value if isinstance(value, str) else None


def refused_keys(record: Record) -> list[tuple[str, Any]]:
    """(kind, natural key) pairs that a refused record claimed, as far as they can be read."""
    data = record.data
    keys: dict[str, Callable[[], Any]] = {
        "codebook": lambda: _text(data, "slug"),
        "outlet": lambda: _text(data, "slug"),
        "event": lambda: _text(data, "slug"),
        "frame": lambda: (_text(data, "codebook"), _text(data, "slug")),
        "topic": lambda: (_text(data, "event"), _text(data, "slug")),
        "source": lambda: (_text(data, "name"), _text(data, "affiliation", "")),
    }
    if record.type in keys:
        key = keys[record.type]()
        parts = key if isinstance(key, tuple) else (key,)
        return [(record.type, key)] if all(p is not None for p in parts) else []
    if record.type == "article":
        found: list[tuple[str, tuple[str, Any]]] = []
        if url := _text(data, "url"):
            found.append(("article", ("url", url)))
        event, outlet, body = _text(data, "event"), _text(data, "outlet"), _text(data, "body")
        if event is not None and outlet is not None and body is not None:
            found.append(("article", ("hash", (event, outlet, content_hash(body)))))
        return found
    return []


def describe_key(kind: str, key: Any) -> str:
    """How a message names a row by its natural key."""
    if kind == "article":
        how, value = key
        return f"article {value}" if how == "url" else f"article of {value[1]} in {value[0]} (body {value[2][:12]}…)"
    if kind == "source":
        return f"source “{key[0]}”" + (f" ({key[1]})" if key[1] else "")
    if isinstance(key, tuple):
        return f"{kind} “{key[1]}” of “{key[0]}”"
    return f"{kind} “{key}”"
