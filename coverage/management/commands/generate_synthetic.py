"""Writes synthetic coverage for measuring the dashboard (docs/performance.md)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from coverage.synthetic import default_events, generate
from coverage.tallies import refresh_tallies


class Command(BaseCommand):
    help = (
        "Write N synthetic statements (outlets with their own habits, many events and one big one, "
        "every tagging state) into an empty database; the same seed gives the same data."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--statements", type=int, required=True, help="How many statements to write.")
        parser.add_argument("--seed", type=int, required=True, help="Seed of the random choices.")
        parser.add_argument("--events", type=int, help="Events (default: N / 5,000, between 3 and 200).")
        parser.add_argument("--outlets", type=int, default=12, help="Outlets (default 12).")

    def handle(self, *args, statements: int, seed: int, events: int | None, outlets: int, **options) -> None:
        started = time.monotonic()
        verbose = options["verbosity"] > 0
        try:
            counts = generate(
                statements,
                seed,
                events or default_events(statements),
                outlets,
                out=self.stdout.write if verbose else lambda _: None,
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        summary = ", ".join(f"{n:,} {kind}{'' if n == 1 else 's'}" for kind, n in counts.items())
        # COPY and bulk inserts send no signals: the summary tables are rebuilt once the rows are in.
        if verbose:
            self.stdout.write("Counting the summary tables…")
        refresh_tallies()
        if verbose:
            self.stdout.write(self.style.SUCCESS(f"Wrote {summary} in {time.monotonic() - started:.1f} s."))
