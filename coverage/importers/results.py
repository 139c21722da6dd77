"""What an import did, or would do: counts, notes, timings and article previews."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from coverage.models import Article


@dataclass
class ArticlePreview:
    """What an import does with one article: shown on the admin page before saving."""

    file: str
    headline: str
    published_at: dt.datetime | None
    byline: str
    url: str | None
    body: str
    already_imported: bool
    statements: int
    warnings: tuple[str, ...] = ()
    correction: Any = None  # the admin preview's form to correct headline and date


@dataclass
class ImportResult:
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    previews: list[ArticlePreview] = field(default_factory=list)
    new_articles: list[Article] = field(default_factory=list)
    jobs: list = field(default_factory=list)  # background jobs the import queued (coverage.jobs.Job)
    fetched: list = field(default_factory=list)  # ImportFile of each page fetched by URL
    timings: dict[str, float] = field(default_factory=dict)  # seconds: read, check, write

    def summary(self) -> str:
        made = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(self.created.items()) if n) or "nothing"
        kept = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(self.existing.items()) if n)
        return f"Created {made}." + (f" Already there and left unchanged: {kept}." if kept else "")

    def preview_summary(self) -> str:
        """The same counts for the preview, before anything is saved."""
        made = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(self.created.items()) if n) or "nothing"
        kept = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(self.existing.items()) if n)
        return f"Saving creates {made}." + (f" Already there, left unchanged: {kept}." if kept else "")
