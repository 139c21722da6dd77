"""Login protection and the security log.

django-axes counts failed logins (config/settings.py: AXES_*); this module gives it the
client's address and the page a locked-out visitor sees, keeps sessions alive only while
their user is active, and writes logins, failures, lockouts and refused requests to the
`framescope.security` logger.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

log = logging.getLogger("framescope.security")

# When the session was last renewed (seconds since the epoch), stored in the session itself.
RENEWED_AT = "_framescope_renewed_at"
# Renew at most this often: an active user's session is rewritten once a minute, not on every request.
RENEW_EVERY = 60


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front, the
    address the outermost of them saw (that many entries from the right of X-Forwarded-For)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-count] if len(forwarded) >= count else remote


def lockout_seconds() -> int:
    cool_off = get_cool_off()
    return int(cool_off.total_seconds()) if cool_off else 0


def lockout_message() -> str:
    return (
        "Too many failed logins for this username or from this address. Logging in is blocked for "
        f"{lockout_seconds() // 60} minutes; an administrator can unlock it sooner."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The login page (the dashboard's or admin's) with the lockout explained, status 429."""
    # Bound without the password, so that validating it never tries (and counts) another login.
    form = AuthenticationForm(request, data={"username": request.POST.get("username", "")})
    form.is_valid()
    form.errors.clear()
    form.add_error(None, lockout_message())
    ctx: dict[str, Any] = {"form": form, "locked_out": True, "next": request.POST.get("next", "")}
    if request.path == reverse("admin:login"):
        ctx.update(admin.site.each_context(request), title="Log in", app_path=request.get_full_path())
        template = "admin/login.html"
    else:
        template = "registration/login.html"
    response = render(request, template, ctx, status=429)
    response["Retry-After"] = str(lockout_seconds())
    return response


@receiver(user_logged_in)
def _log_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    request.session[RENEWED_AT] = int(time.time())
    log.info("login user=%s ip=%s path=%s", user.get_username(), client_ip(request), request.path)


@receiver(user_logged_out)
def _log_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and user is not None:
        log.info("logout user=%s ip=%s", user.get_username(), client_ip(request))


@receiver(user_login_failed)
def _log_login_failure(sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any) -> None:
    ip = client_ip(request) if request is not None else "-"
    path = request.path if request is not None else "-"
    # Usernames are logged with repr(): a newline in one cannot forge a log line.
    log.warning("login failed username=%r ip=%s path=%s", credentials.get("username", ""), ip, path)


@receiver(user_locked_out)
def _log_lockout(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    log.warning("lockout username=%r ip=%s path=%s", username or "", ip_address, request.path)


class IdleSessionMiddleware:
    """Renews the session of a user who is active, so that it ends SESSION_COOKIE_AGE seconds
    after their last request rather than after their login.

    Only sessions the request already read are renewed (no extra query for pages that never
    look at the user), and at most once a minute (no write on every request).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or response.status_code >= 500 or not session.accessed or not session.session_key:
            return response
        now = int(time.time())
        if now - int(session.get(RENEWED_AT, 0)) >= RENEW_EVERY:
            session[RENEWED_AT] = now  # modified: SessionMiddleware saves it with a fresh expiry
        return response


class DeniedAccessLogMiddleware:
    """Logs every 403 with who asked for what, so that probing shows up in the security log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            name = user.get_username() if user is not None and user.is_authenticated else "-"
            log.warning("access denied user=%s ip=%s %s %r", name, client_ip(request), request.method, request.path)
        return response
