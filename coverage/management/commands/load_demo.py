"""Loads the demo event and makes the demo editor, tagger and admin if they are missing."""

from __future__ import annotations

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from coverage.demo.loader import load_demo
from coverage.roles import EDITORS, TAGGERS

# username, group, is_staff, is_superuser, environment variable holding its password
DEMO_USERS = [
    ("editor", EDITORS, False, False, "DEMO_EDITOR_PASSWORD"),
    ("tagger", TAGGERS, True, False, "DEMO_TAGGER_PASSWORD"),
    ("admin", None, True, True, "DEMO_ADMIN_PASSWORD"),
]


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
        for username, password in logins:
            shown = password if password else "(unchanged; run load_demo --reset-passwords for a new one)"
            self.stdout.write(f"  login {username:<7} password {shown}")

    def _ensure_users(self, reset_passwords: bool) -> list[tuple[str, str | None]]:
        User = get_user_model()
        logins = []
        for username, group_name, is_staff, is_superuser, env_name in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            password = None
            if user is None:
                user = User(username=username, is_staff=is_staff, is_superuser=is_superuser)
                password = os.environ.get(env_name) or secrets.token_urlsafe(12)
            elif reset_passwords:
                password = os.environ.get(env_name) or secrets.token_urlsafe(12)
            elif os.environ.get(env_name) and not user.check_password(os.environ[env_name]):
                password = os.environ[env_name]
            if password is not None:
                user.set_password(password)
                user.save()
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            logins.append((username, password))
        return logins
