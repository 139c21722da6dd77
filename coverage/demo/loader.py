"""Loads the demo event: the phone call between Putin and Trump on 2 May 2017.

Both seed articles are cleaned with the same rules as the importer; topics, sources and
the hand tagging come from `tagging.py`. Loading is idempotent: rows are matched on their
natural keys and only written when they differ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from coverage.cleaning import clean_scraped_text
from coverage.models import (
    MEDIA_FRAMES_CODEBOOK_SLUG,
    Article,
    Codebook,
    Event,
    Frame,
    Outlet,
    Ownership,
    Source,
    Statement,
    StatementStatus,
    TaggingStatus,
    Topic,
)

from . import tagging

SEEDS = Path(__file__).resolve().parent / "seeds"
EVENT_SLUG = "putin-trump-call-2017-05-02"

OUTLETS = {
    "rt": {
        "name": "RT",
        "slug": "rt",
        "country": "Russia",
        "language": "en",
        "ownership": Ownership.STATE_FUNDED,
        "website": "https://www.rt.com/",
    },
    "ov": {
        "name": "Opposing Views",
        "slug": "opposing-views",
        "country": "United States",
        "language": "en",
        "ownership": Ownership.PRIVATE,
        "website": "https://www.opposingviews.com/",
    },
}
ARTICLE_FILES = {"rt": "000_fb43e5f0ce7b0368.txt", "ov": "002_63c9fd7a613bfd28.txt"}


class DemoDataError(ValueError):
    """The demo tagging does not fit the cleaned texts."""


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, model: str, created: bool, updated: bool) -> None:
        if created:
            self.created[model] = self.created.get(model, 0) + 1
        elif updated:
            self.updated[model] = self.updated.get(model, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _sync(report: LoadReport, model, lookup: dict, values: dict):
    """get-or-create by `lookup`, then write `values` only where they differ."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        report.count(model.__name__, created=True, updated=False)
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
        report.count(model.__name__, created=False, updated=True)
    return obj


def find_span(body: str, text: str, occurrence: int = 1) -> tuple[int, int]:
    """Offsets of the `occurrence`-th appearance of `text` in `body`."""
    start = -1
    for _ in range(occurrence):
        start = body.find(text, start + 1)
        if start < 0:
            raise DemoDataError(f"text not found in the body (occurrence {occurrence}): “{text[:70]}”")
    return start, start + len(text)


@transaction.atomic
def load_demo(tagger=None) -> LoadReport:
    report = LoadReport()
    codebook = Codebook.objects.get(slug=MEDIA_FRAMES_CODEBOOK_SLUG)
    frames = {f.slug: f for f in Frame.objects.filter(codebook=codebook)}
    event = _sync(
        report,
        Event,
        {"slug": EVENT_SLUG},
        {
            "name": "Putin–Trump phone call, 2 May 2017",
            "date": dt.date(2017, 5, 2),
            "description": "Presidents Putin and Trump spoke by telephone on 2 May 2017, their first "
            "conversation since the US missile strike on a Syrian airfield; both sides said they "
            "agreed to cooperate on North Korea and Syria.",
            "codebook": codebook,
        },
    )
    topics = {}
    for number, (slug, name, is_key, description) in enumerate(tagging.TOPICS, start=1):
        topics[slug] = _sync(
            report,
            Topic,
            {"event": event, "slug": slug},
            {"name": name, "is_key": is_key, "description": description, "number": number},
        )
    sources = {}
    for name, type_, affiliation, aliases in tagging.SOURCES:
        sources[name] = _sync(
            report,
            Source,
            {"name": name, "affiliation": affiliation},
            {"type": type_, "aliases": "\n".join(aliases)},
        )
    articles = {}
    for key, filename in ARTICLE_FILES.items():
        outlet_fields = dict(OUTLETS[key])
        outlet = _sync(report, Outlet, {"slug": outlet_fields.pop("slug")}, outlet_fields)
        raw = (SEEDS / filename).read_text(encoding="utf-8")
        cleaned = clean_scraped_text(raw)
        published_at = timezone.make_aware(cleaned.published_at, dt.UTC) if cleaned.published_at else None
        articles[key] = _sync(
            report,
            Article,
            {"event": event, "outlet": outlet},
            {
                "headline": cleaned.headline,
                "published_at": published_at,
                "body": cleaned.body,
                "original_text": raw,
                # Every quote and key claim of both seeds is tagged by hand (coverage/demo/tagging.py).
                "tagging_status": TaggingStatus.COMPLETE,
            },
        )
    for item in tagging.STATEMENTS:
        article = articles[item["article"]]
        start, end = find_span(article.body, item["text"], item.get("occurrence", 1))
        values = {
            "text": item["text"],
            "kind": item["kind"],
            "source": sources[item["source"]],
            "topic": topics[item["topic"]],
            "frame": frames[item["frame"]],
            "tone": item["tone"],
            "target": item.get("target", ""),
            "status": StatementStatus.ACCEPTED,
        }
        statement = Statement.objects.filter(article=article, start=start, end=end).first()
        if statement is None:
            values["tagged_by"] = tagger
        _sync(report, Statement, {"article": article, "start": start, "end": end}, values)
    return report
