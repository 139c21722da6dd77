"""Measures the suggester against the hand tagging: precision, recall and speaker accuracy."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from coverage.models import Article, StatementStatus
from coverage.suggest import evaluate


class Command(BaseCommand):
    help = (
        "Run the suggester on every article with accepted statements (or one event's) and compare "
        "its proposals with the hand tagging. The matching rule is in docs/tagging.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--event", help="Slug of one event; default: every event.")

    def handle(self, *args, event: str | None = None, **options) -> None:
        articles = Article.objects.filter(statements__status=StatementStatus.ACCEPTED).distinct()
        if event:
            articles = articles.filter(event__slug=event)
        articles = list(articles.select_related("outlet"))
        if not articles:
            raise CommandError("No article with hand-tagged (accepted) statements to compare with.")
        result = evaluate(articles)
        self.stdout.write(f"Articles: {len(articles)}")
        self.stdout.write(f"Suggestions: {result.suggestions}, of which hits: {result.hits}")
        self.stdout.write(f"Precision: {result.precision:.3f}")
        self.stdout.write(f"Recall (quotes and paraphrases): {result.recall:.3f} ({result.found} of {result.tagged})")
        self.stdout.write(
            f"Recall (all statements): {result.recall_all:.3f} ({result.found_all} of {result.tagged_all})"
        )
        self.stdout.write(
            f"Speaker right among hits: {result.source_accuracy:.3f} ({result.hits_with_right_source} of {result.hits})"
        )
