"""Background work, as Django tasks (`django.tasks`): enqueued after commit, never run on a page view."""

from __future__ import annotations

import logging

from django.tasks import task

logger = logging.getLogger(__name__)


@task
def match_event_claims(event_id: int) -> dict[str, int]:
    """Match one event's statements into claims and refresh its claim omission candidates (issue 13)."""
    from .claims import match_event

    report = match_event(event_id)
    logger.info(
        "Matched event %s: %s statements, %s matches, %s claims, %s candidates added, %s removed",
        report.event_id,
        report.statements,
        report.matches,
        report.claims,
        report.candidates_added,
        report.candidates_removed,
    )
    return {
        "statements": report.statements,
        "matches": report.matches,
        "claims": report.claims,
        "candidates_added": report.candidates_added,
        "candidates_removed": report.candidates_removed,
    }
