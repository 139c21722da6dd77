"""Checks on admin query strings, made before any value reaches the database.

Admin turns list-filter parameters into lookups as they come. Some values make the
database itself fail (PostgreSQL refuses NUL bytes; SQLite cannot hold an integer of 2^63
or more; Python's datetime has no year 2^31), which would be a 500. `query_problems`
names each such value so that the admin site answers 400 instead
(coverage/admin_site.py).
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import QueryDict

# Longer than any field admin searches or filters (an article URL is at most 1,000).
MAX_VALUE_LENGTH = 1000
# The ids of every Framescope table are 64-bit.
MAX_ID = 2**63 - 1

# Changelist parameters of admin itself, not lookups.
ADMIN_PARAMETERS = frozenset({"q", "o", "p", "e", "all", "_popup", "_to_field", "_facets", "_changelist_filters"})
INTEGER_LOOKUPS = frozenset({"", "exact", "in", "gt", "gte", "lt", "lte"})
# Admin's date drill-down also asks for the following year, so the last year it can show is 9998.
DATE_PARTS = {"year": (dt.MINYEAR, dt.MAXYEAR - 1), "month": (1, 12), "day": (1, 31)}
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


def parse_id(raw: object) -> int | None:
    """A primary key from a query or form value, or None if it is not one a table can hold."""
    text = str(raw)
    if not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def shown(value: str) -> str:
    """A value as the 400 page names it: quoted, control characters visible, long ones cut."""
    text = repr(value)[1:-1]
    return f"“{text[:80]}…” ({len(value):,} characters)" if len(text) > 80 else f"“{text}”"


def text_problems(name: str, value: str) -> list[str]:
    problems = []
    if "\x00" in name or "\x00" in value:
        problems.append(f"{shown(name)}={shown(value)}: contains a NUL byte (\\x00), which no field can hold.")
    if len(value) > MAX_VALUE_LENGTH:
        problems.append(f"{shown(name)}={shown(value)}: longer than {MAX_VALUE_LENGTH:,} characters.")
    return problems


def _field_and_lookup(model: type[models.Model], key: str) -> tuple[models.Field | None, str]:
    """The model field a lookup key names and the lookup after it (`article__event__id__exact`
    → Event.id, "exact"); (None, "") when the key names no field (admin reports those itself)."""
    parts = key.split("__")
    for end in range(len(parts), 0, -1):
        try:
            field = get_fields_from_path(model, "__".join(parts[:end]))[-1]
        except (FieldDoesNotExist, NotRelationField):
            continue
        target = getattr(field, "target_field", None) if field.is_relation else None
        return (target if isinstance(target, models.Field) else field), "__".join(parts[end:])
    return None, ""


def _integer_problems(
    name: str, value: str, field: models.Field, lookup: str, connection: BaseDatabaseWrapper
) -> list[str]:
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    low = -(2**63) if low is None else low
    high = 2**63 - 1 if high is None else high
    values = value.split(",") if lookup == "in" else [value]
    for part in values:
        part = part.strip()
        # Not a number at all: admin refuses those itself, with its "invalid lookup" redirect.
        if _WHOLE_NUMBER.fullmatch(part) and not low <= int(part) <= high:
            return [f"{shown(name)}={shown(value)}: {part[:40]} is outside the range {low}…{high}."]
    return []


def _date_part_problems(name: str, value: str, part: str) -> list[str]:
    low, high = DATE_PARTS[part]
    if not _WHOLE_NUMBER.fullmatch(value.strip()) or not low <= int(value) <= high:
        return [f"{shown(name)}={shown(value)}: a {part} must be a whole number from {low} to {high}."]
    return []


def query_problems(
    params: QueryDict, connection: BaseDatabaseWrapper, model: type[models.Model] | None = None
) -> list[str]:
    """Why the query string cannot be run, one sentence per bad value; empty when it can.

    Every value is checked for NUL bytes and length. With a `model` (a changelist), whole
    numbers looked up in integer fields must fit the column, and date parts
    (`…__year`, `__month`, `__day`) must be possible dates.
    """
    problems: list[str] = []
    for name, values in params.lists():
        for value in values:
            found = text_problems(name, value)
            if not found and model is not None and name not in ADMIN_PARAMETERS and value != "":
                found = _lookup_problems(model, name, value, connection)
            problems += found
    return problems


def _lookup_problems(model: type[models.Model], name: str, value: str, connection: BaseDatabaseWrapper) -> list[str]:
    field, lookup = _field_and_lookup(model, name)
    if field is None:
        return []
    if lookup in DATE_PARTS and isinstance(field, models.DateField):
        return _date_part_problems(name, value, lookup)
    if lookup in INTEGER_LOOKUPS and isinstance(field, models.IntegerField):
        return _integer_problems(name, value, field, lookup, connection)
    return []
