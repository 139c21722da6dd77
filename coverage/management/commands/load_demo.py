"""Loads the demo event and makes the demo editor, tagger and admin if they are missing."""

from __future__ import annotations

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from coverage.claims import match_event
from coverage.demo.loader import EVENT_SLUG, load_demo
from coverage.models import Event
from coverage.roles import EDITORS, TAGGERS

# username, group, is_staff, is_superuser, environment variable holding its password
DEMO_USERS = [
    ("editor", EDITORS, False, False, "DEMO_EDITOR_PASSWORD"),
    ("tagger", TAGGERS, True, False, "DEMO_TAGGER_PASSWORD"),
    ("admin", None, True, True, "DEMO_ADMIN_PASSWORD"),
]


def generated_password() -> str:
    """24 characters from a 144-bit random token: passes every password validator."""
    return secrets.token_urlsafe(18)


def checked_password(env_name: str, user) -> str | None:
    """The password set in the environment, refused (CommandError) if the validators would refuse it."""
    password = os.environ.get(env_name)
    if not password:
        return None
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise CommandError(
            f"{env_name} is too weak: {' '.join(error.messages)} Set a stronger one, or unset it to have one generated."
        ) from None
    return password


class Command(BaseCommand):
    help = "Load the demo event (idempotent) and create the demo users if they are missing."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give existing demo users new passwords (from the environment, or generated).",
        )
        parser.add_argument("--no-users", action="store_true", help="Load the data only.")

    @transaction.atomic
    def handle(self, *args, reset_passwords: bool = False, no_users: bool = False, **options) -> None:
        logins = [] if no_users else self._ensure_users(reset_passwords)
        tagger = get_user_model().objects.filter(username="tagger").first()
        report = load_demo(tagger=tagger)
        if report.changed:
            parts = [f"{n} {m} created" for m, n in sorted(report.created.items())]
            parts += [f"{n} {m} updated" for m, n in sorted(report.updated.items())]
            self.stdout.write("Demo event loaded: " + ", ".join(parts) + ".")
        else:
            self.stdout.write("Demo event already loaded; nothing changed.")
        # Match the demo's statements into claims now rather than on the task worker, so that a
        # fresh checkout shows the claim columns and the linked side-by-side reader at once.
        # A run with nothing changed writes nothing.
        claims = match_event(Event.objects.get(slug=EVENT_SLUG).pk)
        self.stdout.write(
            f"Claims matched: {claims.statements} statements, {claims.matches} matches, {claims.claims} claims."
        )
        for username, password in logins:
            shown = password if password else "(unchanged; run load_demo --reset-passwords for a new one)"
            self.stdout.write(f"  login {username:<7} password {shown}")

    def _ensure_users(self, reset_passwords: bool) -> list[tuple[str, str | None]]:
        User = get_user_model()
        logins = []
        for username, group_name, is_staff, is_superuser, env_name in DEMO_USERS:
            existing = User.objects.filter(username=username).first()
            user = existing or User(username=username, is_staff=is_staff, is_superuser=is_superuser)
            chosen = checked_password(env_name, user)
            password = None
            if existing is None or reset_passwords:
                password = chosen or generated_password()
            elif chosen and not user.check_password(chosen):
                password = chosen
            if password is not None:
                user.set_password(password)
                user.save()
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            logins.append((username, password))
        return logins
