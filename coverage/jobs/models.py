"""A background job as people see it: who started it, its state, progress and outcome.

The task that does the work (tasks.py) moves the job from queued to running to done,
failed or cancelled, and writes its progress as it goes; the outcome (the import's
summary, or its problems by file, line and field) is kept on the job for later.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone


class JobKind(models.TextChoices):
    IMPORT = "import", "Import"
    SUGGEST = "suggest", "Suggestions"


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)
# A running job whose progress has not moved for this long has lost its worker (stopped
# or killed mid-task): cancelling it then ends it at once. Its import wrote nothing, since
# the worker's transaction died with it.
STALE_AFTER = dt.timedelta(minutes=10)


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobQuerySet:
        """Admins see every job; everyone else sees the jobs they started."""
        if user.is_superuser:
            return self
        return self.filter(created_by=user.pk)

    def active(self) -> JobQuerySet:
        return self.filter(state__in=ACTIVE_STATES)


class Job(models.Model):
    kind = models.CharField(max_length=20, choices=JobKind)
    state = models.CharField(max_length=20, choices=JobState, default=JobState.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now, help_text="Last change of state or progress.")
    size = models.PositiveBigIntegerField(default=0, help_text="Bytes of the uploaded files, or of the article's body.")
    options = models.JSONField(
        default=dict, blank=True, help_text="What the task needs: an import's event and outlet, the rows it may add."
    )
    article = models.ForeignKey(
        "coverage.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestion_jobs",
        help_text="The article whose suggestions a suggestion job makes.",
    )
    progress_done = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True, help_text="What the job is doing, or did.")
    cancel_requested = models.BooleanField(default=False)
    summary = models.TextField(blank=True, help_text="What a finished job did.")
    warnings = models.JSONField(default=list, blank=True)
    problems = models.JSONField(
        default=list, blank=True, help_text="Why a failed import wrote nothing: file, line, field, message."
    )
    more_problems = models.PositiveIntegerField(default=0)
    articles = models.ManyToManyField(
        "coverage.Article", blank=True, related_name="import_jobs", help_text="The articles an import created."
    )
    task_id = models.CharField(max_length=64, blank=True, help_text="The id of the task result (django_tasks_db).")

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress_done__lte=F("progress_total")), name="job_progress_in_total"),
        ]
        indexes = [
            # A tagger's own jobs, newest first: the admin job list (JobQuerySet.visible_to).
            models.Index(fields=["created_by", "-created_at"], name="job_creator_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} job {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("admin:coverage_job_change", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def is_stale(self) -> bool:
        return self.state == JobState.RUNNING and timezone.now() - self.updated_at > STALE_AFTER

    @property
    def can_cancel(self) -> bool:
        return self.is_active and (not self.cancel_requested or self.is_stale)

    @property
    def percent(self) -> int:
        return 100 * self.progress_done // self.progress_total if self.progress_total else 0

    @property
    def progress_text(self) -> str:
        return f"{self.progress_done:,} of {self.progress_total:,} ({self.percent} %)"

    def start(self) -> bool:
        """Queued → running, as the worker picks the job up; False if it was cancelled first."""
        now = timezone.now()
        started = Job.objects.filter(pk=self.pk, state=JobState.QUEUED).update(
            state=JobState.RUNNING, started_at=now, updated_at=now, message="Started"
        )
        self.refresh_from_db()
        return bool(started)

    def finish(self, state: JobState, message: str, **outcome) -> None:
        now = timezone.now()
        if state == JobState.DONE:  # a full bar, even when the last stage had nothing to count
            outcome.setdefault("progress_total", Greatest(F("progress_total"), Value(1)))
            outcome.setdefault("progress_done", Greatest(F("progress_total"), Value(1)))
        Job.objects.filter(pk=self.pk).update(state=state, message=message, finished_at=now, updated_at=now, **outcome)
        self.refresh_from_db()

    def request_cancel(self) -> None:
        """A queued (or stale) job ends at once; a running one stops between batches, writing nothing."""
        now = timezone.now()
        jobs = Job.objects.filter(pk=self.pk)
        ended = dict(state=JobState.CANCELLED, cancel_requested=True, finished_at=now, updated_at=now)
        if not (
            jobs.filter(state=JobState.QUEUED).update(**ended, message="Cancelled before it ran: nothing was written.")
            or jobs.filter(state=JobState.RUNNING, updated_at__lt=now - STALE_AFTER).update(
                **ended, message="Cancelled: its worker had stopped, and nothing was written."
            )
        ):
            jobs.filter(state=JobState.RUNNING).update(cancel_requested=True)
        self.refresh_from_db()


def _upload_path(instance: JobFile, filename: str) -> str:
    return f"jobs/{instance.job_id}/{filename}"


class JobFile(models.Model):
    """An upload kept for a background import (in MEDIA_ROOT, never served)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255, help_text="The file's name as uploaded.")
    file = models.FileField(upload_to=_upload_path, max_length=500)
    size = models.PositiveBigIntegerField(help_text="Bytes.")

    class Meta:
        ordering = ["job", "id"]

    def __str__(self) -> str:
        return self.name


@receiver(post_delete, sender=JobFile)
def _delete_stored_upload(sender: type[JobFile], instance: JobFile, **kwargs) -> None:
    """Deleting a job (or one of its files) removes the stored upload too."""
    instance.file.delete(save=False)
