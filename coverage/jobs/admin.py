"""Background jobs in admin: the list, and each job's page in place of a change form."""

from __future__ import annotations

from typing import cast

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import path

from .models import Job, JobQuerySet
from .views import HtmxHttpRequest, cancel_job, job_page


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "state", "progress", "created_by", "created_at", "size"]
    list_filter = ["state", "kind"]
    list_select_related = ["created_by"]
    search_fields = ["message", "summary", "files__name", "article__headline"]
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> JobQuerySet:
        """Taggers see the jobs they started; admins every job."""
        return cast(JobQuerySet, super().get_queryset(request)).visible_to(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs are started by imports and by saving long articles

    @admin.display(description="progress")
    def progress(self, job: Job) -> str:
        return job.progress_text if job.progress_total else "—"

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None) -> HttpResponse:
        """A job is never edited by hand: its page shows its progress and outcome instead."""
        return job_page(cast(HtmxHttpRequest, request), self, object_id)  # django-htmx's middleware sets .htmx

    def get_urls(self):
        cancel = self.admin_site.admin_view(lambda request, object_id: cancel_job(request, self, object_id))
        return [path("<path:object_id>/cancel/", cancel, name="coverage_job_cancel"), *super().get_urls()]
