"""Rows that count their saves, for optimistic locking in admin (coverage/edit_conflicts.py)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F


class Versioned(models.Model):
    """A row that admin edits under optimistic locking (coverage/edit_conflicts.py).

    Every save of an existing row counts one more version, in the database itself
    (`version = version + 1`), so that a form opened at an older version can tell.
    Writers that bypass save() (bulk updates) count it themselves.
    """

    version = models.PositiveIntegerField(default=1, editable=False, help_text="Counts the saves of this row.")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        previous = self.version
        self.version = F("version") + 1  # read back by the UPDATE's RETURNING
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.version = previous
            raise
