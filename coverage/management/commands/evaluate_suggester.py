"""Measures the suggester: against the hand tagging in the database, or against the labelled set."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coverage.models import Article, StatementStatus
from coverage.suggest import evaluate
from coverage.suggesting.scoring import EVALUATION_DIR, Evaluation, load_labelled, score_labelled


class Command(BaseCommand):
    help = (
        "Run the suggester on every article with accepted statements (or one event's) and compare "
        "its proposals with the hand tagging; with --labelled, on the labelled evaluation set "
        "(coverage/evaluation/), per language. The matching rule is in docs/tagging.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--event", help="Slug of one event; default: every event.")
        parser.add_argument(
            "--labelled",
            nargs="?",
            const=str(EVALUATION_DIR),
            metavar="DIR",
            help="Measure on the labelled set instead of the database (default folder: coverage/evaluation/).",
        )

    def handle(self, *args, event: str | None = None, labelled: str | None = None, **options) -> None:
        if labelled is not None:
            self._labelled(Path(labelled))
            return
        tagged = Article.objects.filter(statements__status=StatementStatus.ACCEPTED).distinct()
        if event:
            tagged = tagged.filter(event__slug=event)
        articles = list(tagged.select_related("outlet"))
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

    def _labelled(self, directory: Path) -> None:
        try:
            articles = load_labelled(directory)
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"The labelled set in {directory} cannot be read: {error}") from error
        if not articles:
            raise CommandError(f"No labelled article (<language>/<name>.json) in {directory}.")
        known = score_labelled(articles, known_sources=True)
        unknown = score_labelled(articles, known_sources=False)
        detected = score_labelled(articles, known_sources=True, use_language=False)
        self.stdout.write(
            "| language | articles | labels | suggestions | precision | recall | speaker right "
            "| speaker right, no sources known | language detected: recall |"
        )
        self.stdout.write("|---|---|---|---|---|---|---|---|---|")
        for language in sorted(known):
            count = sum(a.language == language for a in articles)
            self.stdout.write(self._row(language, count, known[language], unknown[language], detected[language]))

    @staticmethod
    def _row(language: str, count: int, known: Evaluation, unknown: Evaluation, detected: Evaluation) -> str:
        return (
            f"| {language} | {count} | {known.tagged} | {known.suggestions} | {known.precision:.3f} "
            f"| {known.recall:.3f} ({known.found} of {known.tagged}) "
            f"| {known.source_accuracy:.3f} ({known.hits_with_right_source} of {known.hits}) "
            f"| {unknown.source_accuracy:.3f} ({unknown.hits_with_right_source} of {unknown.hits}) "
            f"| {detected.recall:.3f} |"
        )
