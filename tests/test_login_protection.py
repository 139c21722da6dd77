"""Logins: throttled per username and per address, explained, unlocked by an admin, logged;
strong passwords; sessions that end when their user goes idle."""

from __future__ import annotations

import datetime as dt
import logging
import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from coverage.security import RENEWED_AT, client_ip
from tests.conftest import make_user

PASSWORD = "pw-for-tests-only"
LOGIN_PAGES = ["login", "admin:login"]


def attempt(client: Client, page: str, username: str, password: str, ip: str = "127.0.0.2"):
    return client.post(reverse(page), {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_the_right_password_is_refused_after_five_wrong_ones_for_that_username(client, editor, admin_user, page):
    user = admin_user if page == "admin:login" else editor
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        # From a different address each time: the username alone is enough to lock it.
        assert attempt(client, page, user.username, "wrong", ip=f"127.0.1.{n}").status_code == 200
    assert attempt(client, page, user.username, "wrong", ip="127.0.1.99").status_code == 429  # the last straw
    response = attempt(client, page, user.username, PASSWORD, ip="127.0.2.1")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "blocked for 15 minutes" in response.content.decode()
    assert response["Retry-After"] == "900"
    assert not logged_in(client)


def test_an_address_that_guesses_many_usernames_is_locked_out_too(client, editor):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "login", f"guess-{n}", "wrong", ip="127.0.3.1")
    assert attempt(client, "login", editor.username, PASSWORD, ip="127.0.3.1").status_code == 429
    assert not logged_in(client)
    # Another address logs the same user in at once.
    assert attempt(client, "login", editor.username, PASSWORD, ip="127.0.3.2").status_code == 302
    assert logged_in(client)


def test_fewer_failures_than_the_limit_still_let_the_user_in_and_are_then_forgotten(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "login", editor.username, "wrong")
    assert attempt(client, "login", editor.username, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=editor.username).exists()


def test_the_lockout_page_is_the_login_page_with_the_reason(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "login", editor.username, "wrong")
    html = attempt(client, "login", editor.username, PASSWORD).content.decode()
    assert '<form method="post" action="/login/"' in html
    assert "an administrator can unlock it sooner" in html
    assert "didn’t match" not in html
    admin_html = attempt(client, "admin:login", editor.username, PASSWORD).content.decode()
    assert "Framescope admin" in admin_html and "Too many failed logins" in admin_html


def test_an_admin_unlocks_a_username_in_admin(client, editor, admin_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "login", editor.username, "wrong")
    attempts = AccessAttempt.objects.filter(username=editor.username)
    assert attempts.exists()
    admin = Client()
    admin.force_login(admin_user)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert editor.username in admin.get(changelist).content.decode()
    response = admin.post(
        changelist,
        {"action": "delete_selected", "_selected_action": list(attempts.values_list("pk", flat=True)), "post": "yes"},
    )
    assert response.status_code == 302
    assert attempt(client, "login", editor.username, PASSWORD).status_code == 302


def test_taggers_cannot_see_or_clear_lockouts(client, tagger):
    client.force_login(tagger)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_logins_failures_lockouts_and_refusals_are_logged(client, editor, caplog):
    caplog.set_level(logging.INFO, logger="framescope.security")
    attempt(client, "login", editor.username, PASSWORD, ip="127.0.4.1")
    client.force_login(make_user("nobody"))
    client.get(reverse("coverage:event_list"))  # no role: 403
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), "login", "ed\nforged line", "wrong", ip="127.0.4.2")
    lines = [record.getMessage() for record in caplog.records if record.name == "framescope.security"]
    assert "login user=ed ip=127.0.4.1 path=/login/" in lines
    assert "access denied user=nobody ip=127.0.0.1 GET '/'" in lines
    assert "login failed username='ed\\nforged line' ip=127.0.4.2 path=/login/" in lines
    assert any(line.startswith("lockout username='ed\\nforged line' ip=127.0.4.2") for line in lines)
    assert not any("wrong" in line or PASSWORD in line for line in lines)


@pytest.mark.parametrize("password", ["short-pw1", "password1234", "123456789012345", "aaaaaaaaaaa"])
def test_weak_passwords_are_refused(db, password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted(db):
    validate_password("plover-cinder-marsh-41")


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_the_forwarded_address_is_ignored(rf):
    request = rf.get("/", REMOTE_ADDR="127.0.0.9", HTTP_X_FORWARDED_FOR="127.0.0.66")
    assert client_ip(request) == "127.0.0.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_is_the_clients(rf):
    # A client may send its own X-Forwarded-For; the proxy appends the address it really saw.
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.66, 127.0.0.5")
    assert client_ip(request) == "127.0.0.5"
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"


# ---------------------------------------------------------------- idle sessions


def session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_lasts_the_idle_timeout_from_login(editor_client):
    expires = session_row(editor_client).expire_date
    expected = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs(expires - expected) < dt.timedelta(minutes=1)
    assert settings.SESSION_COOKIE_AGE == 60 * 60


def test_an_idle_session_ends_and_the_user_logs_in_again(editor_client):
    Session.objects.filter(pk=session_row(editor_client).pk).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = editor_client.get(reverse("coverage:event_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_activity_renews_the_session_at_most_once_a_minute(editor_client):
    soon = timezone.now() + dt.timedelta(minutes=5)
    row = session_row(editor_client)
    Session.objects.filter(pk=row.pk).update(expire_date=soon)
    editor_client.get(reverse("coverage:event_list"))
    assert session_row(editor_client).expire_date == soon  # renewed at login, less than a minute ago

    session = editor_client.session
    session[RENEWED_AT] = int(time.time()) - 61
    session.save()
    Session.objects.filter(pk=row.pk).update(expire_date=soon)
    response = editor_client.get(reverse("coverage:event_list"))
    assert response.status_code == 200
    assert session_row(editor_client).expire_date > timezone.now() + dt.timedelta(minutes=59)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


def test_public_pages_do_not_start_a_session(client, db):
    response = client.get(reverse("login"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies
