"""Claims across outlets (issue 13): matched statements, claims, and claim omissions.

Matching (`coverage/claims.py`, rules in `coverage/alignment.py`) writes `StatementMatch`,
`Claim` and `ClaimStatement` afresh for an event each time it runs, and keeps
`ClaimOmission` rows in step: a new omission is a *candidate*; a tagger confirms or
dismisses it, and that decision (who, when) is kept in its history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_update_with_history

from .alignment import OmissionState, Trimming, confirmation_problem


class Claim(models.Model):
    """One assertion that statements of one or more outlets on an event report."""

    event = models.ForeignKey("coverage.Event", on_delete=models.CASCADE, related_name="claims")
    # The statement that stands for the claim (the best matched one), and its text for lists.
    statement = models.ForeignKey(
        "coverage.Statement", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(help_text="The text of the statement that stands for the claim.")
    outlet_count = models.PositiveSmallIntegerField(default=0, help_text="Outlets that carried the claim.")
    matched_at = models.DateTimeField(help_text="When matching last wrote this claim.")

    class Meta:
        ordering = ["event", "-outlet_count", "id"]
        indexes = [
            # Serves the claims of one event (read functions, admin list filtered by event).
            models.Index(fields=["event", "-outlet_count"], name="claim_event_idx"),
        ]

    def __str__(self) -> str:
        excerpt = self.text if len(self.text) <= 80 else self.text[:77] + "…"
        return f"“{excerpt}”"


class ClaimStatement(models.Model):
    """A statement's place in a claim: every accepted statement of a matched event is in one claim."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="members")
    statement = models.OneToOneField("coverage.Statement", on_delete=models.CASCADE, related_name="claim_membership")
    # Copied from the statement's article so that reading an event's claims needs no join.
    event = models.ForeignKey("coverage.Event", on_delete=models.CASCADE, related_name="+")
    outlet = models.ForeignKey("coverage.Outlet", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["claim", "statement"]
        indexes = [
            # Serves claims_for_event / claim_links: WHERE event_id = ... [AND outlet_id IN (...)].
            models.Index(fields=["event", "outlet"], name="claimstatement_event_idx"),
        ]

    def __str__(self) -> str:
        return f"statement {self.statement_id} in claim {self.claim_id}"


class StatementMatch(models.Model):
    """Two statements of different outlets that report the same claim (a < b by id)."""

    event = models.ForeignKey("coverage.Event", on_delete=models.CASCADE, related_name="statement_matches")
    statement_a = models.ForeignKey("coverage.Statement", on_delete=models.CASCADE, related_name="+")
    statement_b = models.ForeignKey("coverage.Statement", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(help_text="Combined similarity (docs/alignment.md).")
    word_score = models.FloatField(help_text="TF-IDF cosine on word 1–2-grams.")
    char_score = models.FloatField(help_text="TF-IDF cosine on character 3–5-grams.")
    trimming = models.CharField(
        max_length=20,
        choices=Trimming.CHOICES,
        blank=True,
        help_text="Set when both are the same source's statement, quoted differently.",
    )

    class Meta:
        verbose_name_plural = "statement matches"
        ordering = ["event", "-score"]
        constraints = [
            models.CheckConstraint(condition=Q(statement_a__lt=F("statement_b")), name="statementmatch_a_before_b"),
            models.UniqueConstraint(fields=["statement_a", "statement_b"], name="statementmatch_unique_pair"),
        ]
        indexes = [
            # Serves claim_links and the trimmed-quotes list: an event's matches, strongest first.
            models.Index(fields=["event", "-score"], name="statementmatch_event_idx"),
        ]

    def __str__(self) -> str:
        return f"match {self.statement_a_id}–{self.statement_b_id} ({self.score:.2f})"


class ClaimOmissionStatus(models.TextChoices):
    CANDIDATE = OmissionState.CANDIDATE, "Candidate"
    CONFIRMED = OmissionState.CONFIRMED, "Confirmed omission"
    DISMISSED = OmissionState.DISMISSED, "Dismissed"


class ClaimOmissionQuerySet(models.QuerySet):
    def with_tagging(self) -> ClaimOmissionQuerySet:
        """Annotate `in_progress`: some article of the outlet on the event is not completely tagged."""
        from .models import Article, TaggingStatus

        unfinished = Article.objects.filter(event_id=OuterRef("event_id"), outlet_id=OuterRef("outlet_id")).exclude(
            tagging_status=TaggingStatus.COMPLETE
        )
        return self.annotate(in_progress=Exists(unfinished))

    def decide(self, status: str, user) -> tuple[int, list[str]]:
        """Confirm or dismiss these omissions as `user`; returns how many, and why others were refused.

        Only current omissions can be decided, and an omission is confirmed only when every
        article of its outlet on the event is completely tagged. History names the user.
        """
        decided, refused = [], []
        now = timezone.now()
        for omission in self.with_tagging().select_related("outlet", "claim"):
            problem = confirmation_problem(omission.outlet.name, not omission.in_progress, omission.current)
            if problem and (status == ClaimOmissionStatus.CONFIRMED or not omission.current):
                refused.append(f"{omission.outlet}, {omission.claim}: {problem}")
                continue
            if omission.status == status:
                continue
            omission.status, omission.decided_by, omission.decided_at = status, user, now
            decided.append(omission)
        reason = f"Claim omission {ClaimOmissionStatus(status).label.lower()}"
        bulk_update_with_history(
            decided,
            ClaimOmission,
            ["status", "decided_by", "decided_at"],
            default_user=user,
            default_change_reason=reason,
        )
        return len(decided), refused


class ClaimOmission(models.Model):
    """A claim other outlets carried and this outlet did not: a candidate until a tagger decides."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="omissions")
    outlet = models.ForeignKey("coverage.Outlet", on_delete=models.CASCADE, related_name="claim_omissions")
    # Copied from the claim so that lists per event need no join.
    event = models.ForeignKey("coverage.Event", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=ClaimOmissionStatus, default=ClaimOmissionStatus.CANDIDATE)
    current = models.BooleanField(
        default=True,
        help_text="Whether the latest matching still finds this omission. A decided omission that it no "
        "longer finds is kept (not current) so that the decision returns if the omission does.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ClaimOmissionQuerySet.as_manager()

    class Meta:
        ordering = ["event", "outlet", "claim"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "outlet"], name="claimomission_unique_claim_outlet"),
            models.CheckConstraint(
                condition=Q(status=ClaimOmissionStatus.CANDIDATE) | Q(decided_at__isnull=False),
                name="claimomission_decision_has_time",
            ),
        ]
        indexes = [
            # Serves claims_for_event and the admin review list: WHERE event_id = ... AND current.
            models.Index(fields=["event", "current", "outlet"], name="claimomission_event_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.outlet} left out {self.claim}"
