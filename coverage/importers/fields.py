"""Typed reads of one import record's fields; a bad value becomes a problem naming the field."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import validate_slug
from django.db import models

from .bundle import Record
from .errors import Problems, show

_MISSING = object()
# The largest value of an integer column on every backend (PostgreSQL's `integer`).
INT_MAX = 2**31 - 1


@functools.cache
def _values_of(choices: type[models.Choices]) -> frozenset:
    return frozenset(choices.values)  # `.values` is rebuilt on every access


class RecordFields:
    """Typed reads of one record's fields; a bad value becomes a problem naming the field."""

    def __init__(self, record: Record, problems: Problems, allowed: set[str]) -> None:
        self.record, self.problems, self.ok = record, problems, True
        self.failed: set[str] = set()
        for name in sorted(set(record.data) - allowed):
            self.fail(name, f"unknown field for a {record.type} record")

    def fail(self, name: str, message: str) -> None:
        self.ok = False
        self.failed.add(name)
        self.problems.add(self.record.file, self.record.line, name, message)

    def get(self, name: str, default: Any = _MISSING) -> Any:
        value = self.record.data.get(name, default)
        if value is _MISSING:
            self.fail(name, "missing")
        return value

    def text(self, name: str, default: Any = _MISSING, max_length: int | None = None, required: bool = False) -> str:
        value = self.get(name, default)
        if value is _MISSING:
            return ""
        if not isinstance(value, str):
            self.fail(name, f"must be a string, not {show(value)}")
            return ""
        if required and not value.strip():
            self.fail(name, "must not be empty")
        if max_length and len(value) > max_length:
            self.fail(name, f"is {len(value)} characters long; at most {max_length}")
        return value

    def slug(self, name: str, default: Any = _MISSING) -> str:
        value = self.text(name, default, max_length=100, required=True)
        try:
            validate_slug(value)
        except ValidationError:
            self.fail(name, f"“{value}” is not a slug (letters, digits, hyphens, underscores)")
        return value

    def integer(self, name: str, default: Any = _MISSING, low: int = 0, high: int = INT_MAX) -> int:
        value = self.get(name, default)
        if value is _MISSING:
            return 0
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(name, f"must be a whole number, not {show(value)}")
            return 0
        if value < low or value > high:
            self.fail(name, f"{show(value)} is out of range ({low} to {high})")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.get(name, default)
        if not isinstance(value, bool):
            self.fail(name, f"must be true or false, not {show(value)}")
            return default
        return value

    def choice(self, name: str, choices: type[models.Choices], default: Any = _MISSING) -> str:
        value = self.get(name, default)
        if value is not _MISSING and (not isinstance(value, str) or value not in _values_of(choices)):
            self.fail(name, f"{show(value)} is not one of {', '.join(choices.values)}")
            return ""
        return str(value) if value is not _MISSING else ""

    def moment(self, name: str, default: Any = _MISSING, nullable: bool = False) -> dt.datetime | None:
        value = self.get(name, default)
        if value is None and nullable:
            return None
        if value is _MISSING or value is None:
            if value is None:
                self.fail(name, "must not be null")
            return None
        if isinstance(value, dt.datetime):  # from a .txt or .html file
            return value
        try:
            parsed = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail(name, f"{show(value)} is not an ISO 8601 date and time")
        elif parsed.tzinfo is None:
            self.fail(name, f"{show(value)} has no UTC offset; write it like 2017-05-02T18:40:00+00:00")
            parsed = None
        else:
            try:
                parsed.astimezone(dt.UTC)  # how the database stores it
            except OverflowError:
                self.fail(name, f"{show(value)} is out of range once moved to UTC")
                parsed = None
        return parsed

    def day(self, name: str) -> dt.date | None:
        value = self.get(name)
        if value is _MISSING:
            return None
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(name, f"{show(value)} is not a date like 2017-05-02")
            return None

    def ref(self, name: str, keys: tuple[str, ...], nullable: bool = True) -> dict | None:
        value = self.get(name, None if nullable else _MISSING)
        if value is None or value is _MISSING:
            return None
        if not isinstance(value, dict) or set(value) != set(keys) or not all(isinstance(value[k], str) for k in keys):
            self.fail(name, f"must be an object with the strings {', '.join(keys)}" + (" or null" if nullable else ""))
            return None
        return value

    def run_validators(self, name: str, model_field: models.Field, value: Any) -> None:
        """The model field's own validators (the ones admin runs), as problems of this field."""
        try:
            model_field.run_validators(value)
        except ValidationError as error:
            self.fail(name, " ".join(str(m) for m in error.messages))

    def model_checks(
        self, model: type[models.Model], values: dict[str, Any], skip: frozenset | set = frozenset()
    ) -> None:
        """Run the validators of `model` on `values` (URL schemes, lengths, colours, ranges)."""
        for name, value in values.items():
            if name in skip or name in self.failed or value is None or value == "":
                continue
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(model_field, models.Field) and not model_field.is_relation:
                self.run_validators(name, model_field, value)
