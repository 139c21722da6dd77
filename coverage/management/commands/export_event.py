"""Write one event as a Framescope bundle (docs/bundle-format.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from coverage.importers.bundle import export_event
from coverage.models import Event


class Command(BaseCommand):
    help = "Export an event with its outlets, topics, sources, codebook, articles and statements as JSON Lines."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write here instead of to standard output.")

    def handle(self, *args, slug: str, output: str | None = None, **options) -> None:
        event = Event.objects.select_related("codebook").filter(slug=slug).first()
        if event is None:
            known = ", ".join(Event.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No event “{slug}”; the events are: {known}")
        if output is None:
            export_event(event, self.stdout)
            return
        try:
            with open(output, "w", encoding="utf-8", newline="\n") as stream:
                lines = export_event(event, stream)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        # Standard output may be the bundle itself; the report goes to standard error.
        self.stderr.write(f"Wrote {lines} lines to {output}.")
