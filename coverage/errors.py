"""Error pages in the site's layout, each with navigation and a way out (config/urls.py handlers).

The 500 page is rendered without touching the database: the failure may be the database.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def _back_url(request: HttpRequest) -> str:
    """The page the visitor came from, if it is on this site; empty otherwise."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return ""


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: a request Django refused (a malformed or suspicious one), not the filter pages' own 400.

    No link back: the refused part may be the Host header, which the check of the referer needs.
    """
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: for a logged-in account with no role, what happened, whom to ask and how to log out."""
    user = request.user
    no_role = user.is_authenticated and not user.has_perm("coverage.view_event")
    return render(request, "403.html", {"no_role": no_role, "back_url": _back_url(request)}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 in the site's layout, naming the address that led nowhere."""
    return render(request, "404.html", {"back_url": _back_url(request)}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: the template reads neither the user, the session nor messages (see 500.html)."""
    return render(request, "500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form sent from a stale page (CSRF_FAILURE_VIEW), in the site's layout."""
    return render(request, "403_csrf.html", {"back_url": _back_url(request)}, status=403)
