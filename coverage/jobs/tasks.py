"""The tasks that run jobs on the worker, and the functions that start them.

Tasks are Django tasks (`django.tasks.task`) on the default backend, django-tasks-db:
`enqueue` stores a row in the same database, inside the caller's transaction, so a job
and its task are saved together or not at all. `manage.py db_worker` runs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.tasks import Task, task

from coverage.importers import ImportFailed, ImportFile, import_files
from coverage.models import Article, Statement
from coverage.suggest import suggest_for_article

from .models import Job, JobFile, JobKind, JobState
from .progress import JobCancelled, JobProgress


def _stopped(error: BaseException, kept: str, again: str) -> str:
    """Why a job ended without finishing: its worker was stopped, or an error nobody expected."""
    if isinstance(error, (SystemExit, KeyboardInterrupt)):
        return f"Stopped with the worker; {kept}. {again}"
    return f"Stopped by an unexpected error ({type(error).__name__}); {kept}."


def _enqueue(job: Job, work: Task) -> None:
    result = work.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


# Imports ---------------------------------------------------------------------------------


def start_import(
    uploads: Sequence[UploadedFile], *, user, event: str | None, outlet: str | None, may_create: frozenset[str]
) -> Job:
    """Store the uploads and queue their import; `may_create` is what the user may add now."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=JobKind.IMPORT,
            created_by=user,
            size=sum(upload.size for upload in uploads),
            options={"event": event, "outlet": outlet, "may_create": sorted(may_create)},
            message="Waiting for the worker",
        )
        for upload in uploads:
            JobFile.objects.create(job=job, name=upload.name or "upload", size=upload.size or 0, file=upload)
        _enqueue(job, run_import)
    return job


def _stored_files(job: Job) -> list[ImportFile]:
    files = []
    for stored in job.files.all():
        with stored.file.open("rb") as handle:
            files.append(ImportFile(stored.name, handle.read()))
    return files


@task
def run_import(job_id: int) -> str:
    """Import a job's stored uploads, all or nothing, writing progress on the job."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if not job.start():
        return job.state
    progress = JobProgress(job)
    try:
        result, _ = import_files(
            _stored_files(job),
            event=job.options.get("event"),
            outlet=job.options.get("outlet"),
            may_create=frozenset(job.options.get("may_create", [])),
            user=job.created_by,
            progress=progress,
        )
    except JobCancelled:
        job.finish(JobState.CANCELLED, "Cancelled: nothing was imported.")
    except ImportFailed as failure:
        job.finish(
            JobState.FAILED,
            f"Nothing was imported: {len(failure.problems) + failure.more} problem(s).",
            problems=[{**asdict(problem), "where": problem.where} for problem in failure.problems]
            + [{"file": s.file, "where": "", "field": "", "message": str(s), "skipped": True} for s in failure.skipped],
            more_problems=failure.more,
        )
    except BaseException as error:
        # The worker records the traceback on the task result; the job says what it means.
        job.finish(JobState.FAILED, _stopped(error, "nothing was imported", "Upload the files again to import them."))
        raise
    else:
        job.articles.add(*result.new_articles)
        job.finish(JobState.DONE, "Done", summary=result.summary(), warnings=result.warnings)
    finally:
        progress.close()
    return job.state


# Suggestions -----------------------------------------------------------------------------


@dataclass
class Suggesting:
    """What became of an article's suggestions: made now, queued as a job, or not made."""

    created: list[Statement] = field(default_factory=list)
    job: Job | None = None
    note: str = ""


def suggest_now_or_later(article: Article, user=None) -> Suggesting:
    """Suggestions for a short body at once; for a long one a background job; none past the cap.

    The suggester's time grows faster than the text (about 2 s for 400,000 characters and
    50 s for 2,000,000 on the benchmark machine, docs/performance.md), so long bodies never
    hold up a request or an import's transaction.
    """
    length = len(article.body)
    if length <= settings.SUGGEST_INLINE_MAX_CHARS:
        return Suggesting(created=suggest_for_article(article))
    if length > settings.SUGGEST_MAX_CHARS:
        return Suggesting(
            note=f"No suggestions for “{article.headline}”: its body is {length:,} characters, "
            f"more than the suggester takes ({settings.SUGGEST_MAX_CHARS:,}, SUGGEST_MAX_CHARS)."
        )
    job = Job.objects.active().filter(kind=JobKind.SUGGEST, article=article).first()
    if job is None:
        job = Job.objects.create(
            kind=JobKind.SUGGEST,
            created_by=user,
            article=article,
            size=len(article.body.encode()),
            message="Waiting for the worker",
        )
        _enqueue(job, run_suggestions)
    return Suggesting(
        job=job, note=f"Suggestions for “{article.headline}” ({length:,} characters) are made in the background: {job}."
    )


@task
def run_suggestions(job_id: int) -> str:
    """Propose statements for a long article; a cancel before they are saved keeps none."""
    job = Job.objects.select_related("article").get(pk=job_id)
    if not job.start():
        return job.state
    article = job.article
    if article is None:
        job.finish(JobState.FAILED, "The article was deleted before its suggestions were made.")
        return job.state
    progress = JobProgress(job)
    try:
        progress.report(0, 1, f"Reading “{article.headline[:200]}”", force=True)
        with transaction.atomic():
            created = suggest_for_article(article)
            progress.report(1, 1, f"Saving {len(created)} suggestion(s)", force=True)
    except JobCancelled:
        job.finish(JobState.CANCELLED, "Cancelled: no suggestion was saved.")
    except BaseException as error:
        job.finish(
            JobState.FAILED, _stopped(error, "no suggestion was saved", "Save the article again for its suggestions.")
        )
        raise
    else:
        job.finish(
            JobState.DONE,
            "Done",
            summary=f"{len(created)} suggestion(s) proposed for “{article.headline}”; "
            "review them on the article's page.",
        )
    finally:
        progress.close()
    return job.state
