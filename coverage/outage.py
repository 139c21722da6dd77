"""A styled 503 while the database is unreachable, and the health check.

Any request that needs the database while it is down ends on `templates/503.html` with
`Retry-After`, instead of a bare 500. Nothing else changes: persistent connections are
checked before reuse (CONN_HEALTH_CHECKS), so the first request after the database is back
reconnects by itself.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger("framescope.security")

# What the database driver raises when it cannot be reached or the connection broke.
UNREACHABLE = (OperationalError, InterfaceError)
_FLAG = "_framescope_database_unavailable"


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 page. It renders without the database: no user, no session, no messages."""
    request.user = AnonymousUser()  # base.html must not load the session's user
    ctx = {"user": request.user, "messages": [], "retry_after": settings.DATABASE_RETRY_AFTER}
    response = render(request, "503.html", ctx, status=503)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns "cannot reach the database" into the 503 page, wherever below it happened."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except UNREACHABLE:  # the 500 handler itself could not run
            return self._unavailable(request)
        if getattr(request, _FLAG, False):  # raised in another middleware and made a 500 there
            return self._unavailable(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UNREACHABLE):
            return self._unavailable(request)
        return None

    def _unavailable(self, request: HttpRequest) -> HttpResponse:
        log.error("database unavailable: %s %r answered 503", request.method, request.path)
        return unavailable_response(request)


@receiver(got_request_exception)
def _mark_database_unavailable(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Django makes a 500 of an exception raised outside the view (in middleware) before the
    middleware above sees it; flag the request so that it can answer 503 instead."""
    if request is not None and isinstance(sys.exc_info()[1], UNREACHABLE):
        setattr(request, _FLAG, True)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Public: {"database": "ok"} (200) or {"database": "unavailable"} (503), nothing more."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = JsonResponse({"database": "unavailable"}, status=503)
        response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
        return response
    return JsonResponse({"database": "ok"})
