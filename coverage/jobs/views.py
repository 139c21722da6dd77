"""A job's page in admin (progress bar polled by htmx, cancel button, outcome), and its start.

Permissions are checked here, for the full page and for the polled partial alike: a
user sees and cancels the jobs they started; admins (superusers) every job.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from .models import Job, JobKind
from .tasks import start_import

TEMPLATE = "admin/coverage/job/job.html"
SHOWN_ARTICLES = 100


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _job_or_404(request: HttpRequest, job_admin: ModelAdmin, object_id: str) -> Job:
    if not job_admin.has_view_permission(request):
        raise PermissionDenied
    job = job_admin.get_queryset(request).filter(pk=object_id).first() if str(object_id).isdigit() else None
    if job is None:  # another user's job is as absent as a missing one
        raise Http404("No such job.")
    return job


@require_GET
@vary_on_headers("HX-Request")
def job_page(request: HtmxHttpRequest, job_admin: ModelAdmin, object_id: str) -> HttpResponse:
    """The job's state and progress; while it runs, htmx polls this view for the status region."""
    job = _job_or_404(request, job_admin, object_id)
    ctx = {
        **job_admin.admin_site.each_context(request),
        "opts": job_admin.model._meta,
        "title": str(job),
        "job": job,
        "may_cancel": job.can_cancel and job_admin.has_change_permission(request, job),
        "files": job.files.all(),
        "articles": job.articles.order_by("pk")[:SHOWN_ARTICLES],
        "article_count": job.articles.count(),
        "suggestion_jobs": Job.objects.visible_to(request.user).filter(kind=JobKind.SUGGEST, article__import_jobs=job),
    }
    template = TEMPLATE
    if request.htmx and not request.htmx.history_restore_request:
        template += "#job-status"
    return render(request, template, ctx)


@require_POST
def cancel_job(request: HttpRequest, job_admin: ModelAdmin, object_id: str) -> HttpResponse:
    """Cancel: a queued job never runs; a running one stops between batches and writes nothing."""
    job = _job_or_404(request, job_admin, object_id)
    if not job_admin.has_change_permission(request, job):
        raise PermissionDenied
    if not job.can_cancel:
        messages.info(request, f"{job} is {job.get_state_display().lower()}: there is nothing to cancel.")
        return redirect(job)
    try:
        job.request_cancel()
    except OperationalError:
        # SQLite: the import holds the database's one write lock until its transaction ends.
        messages.warning(request, f"The database is busy writing {job}; press Cancel again in a moment.")
        return redirect(job)
    if job.is_active:
        messages.info(request, f"{job} stops at its next batch; nothing it did is kept.")
    else:
        messages.success(request, f"{job} is cancelled.")
    return redirect(job)


def start_import_job(
    request: HttpRequest,
    uploads: Sequence[UploadedFile],
    *,
    event: str | None,
    outlet: str | None,
    may_create: frozenset[str],
) -> HttpResponse:
    """Queue a large upload's import and send the user to its page."""
    job = start_import(uploads, user=request.user, event=event, outlet=outlet, may_create=may_create)
    messages.info(
        request, f"These files are large, so {job} imports them in the background; this page shows how it goes."
    )
    return redirect(job)
