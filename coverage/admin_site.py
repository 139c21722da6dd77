"""Framescope's admin site: who may open it, and no query string that would make it fail.

Installed as the default site (coverage.apps.FramescopeAdminConfig), so `admin.site` and
`@admin.register` everywhere, third-party admins included, use it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.db import connections, router
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render

from .admin_inputs import query_problems
from .tagging_admin import can_open_admin

# Views whose GET parameters become database lookups, searches or (add) a form's initial values.
GUARDED_VIEWS = frozenset({"changelist_view", "autocomplete_view", "add_view"})

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


class FramescopeAdminSite(admin.AdminSite):
    site_header = "Framescope admin"
    site_title = "Framescope admin"
    index_title = "Tagging and data"

    def has_permission(self, request: HttpRequest) -> bool:
        # Editors read the dashboard only: even a staff flag set by mistake does not open admin to them.
        return can_open_admin(request)

    def admin_view(self, view: View, cacheable: bool = False) -> View:
        if getattr(view, "__name__", "") in GUARDED_VIEWS:
            view = cast(View, self._refuse_unusable_queries(view))
        return super().admin_view(view, cacheable)

    def _refuse_unusable_queries(self, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        """Wrap a changelist, autocomplete or add view: a query string it could not run gets a 400
        naming each bad value (after the permission check, so strangers learn nothing)."""
        model_admin = getattr(view, "__self__", None)
        model = model_admin.model if isinstance(model_admin, admin.ModelAdmin) else None

        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            connection = connections[router.db_for_read(model) if model else "default"]
            problems = query_problems(request.GET, connection, model)
            if problems:
                ctx = {**self.each_context(request), "title": "This list cannot be shown", "problems": problems}
                return render(request, "admin/bad_query.html", ctx, status=400)
            return view(request, *args, **kwargs)

        return guarded
