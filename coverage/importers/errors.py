"""Import problems: each names the file, the line (or record) and the field, once.

The same problem on many lines (82 statements naming one unknown tagger) is one problem
listing its lines. A record that depends on a refused one (the topics of a refused event,
the statements of a refused article) is not a problem of its own: it is reported as
skipped because of that one.
"""

from __future__ import annotations

import dataclasses
import reprlib
from dataclasses import dataclass
from enum import Enum
from typing import Any

# Past this many problems a report stops growing: the first ones are what a person fixes.
MAX_PROBLEMS = 50
COMMAND_LINE = "command line"  # the "file" of rows asked for by options (--create-outlet, a new outlet)
_SHOW = reprlib.Repr(maxstring=80, maxother=80, maxlist=4, maxdict=4, maxlevel=2)


def show(value: Any) -> str:
    """A value as a message quotes it: short, one level deep, enums by their stored value."""
    if isinstance(value, Enum):
        value = value.value
    return _SHOW.repr(value)


_VISIBLE = str.maketrans({" ": "·", "\n": "↵", "\t": "⇥", "\u00a0": "⍽", "\r": "␍", "\u200b": "␣"})


def visible(text: str, limit: int = 80) -> str:
    """Text with its whitespace made visible, so that two texts that differ only there show it."""
    shown = text[:limit].translate(_VISIBLE)
    return shown + ("…" if len(text) > limit else "")


def line_ranges(lines: tuple[int, ...], limit: int = 6) -> str:
    """3, 4, 5, 9, 12 → "3–5, 9, 12"; at most `limit` ranges, then "…"."""
    ranges: list[list[int]] = []
    for number in sorted(set(lines)):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    parts = [f"{a}–{b}" if a != b else str(a) for a, b in ranges[:limit]]
    return ", ".join(parts) + (", …" if len(ranges) > limit else "")


def where(line: int | None, lines: tuple[int, ...] = (), file: str = "") -> str:
    if len(lines) > 1:
        return f"{len(lines)} records, lines {line_ranges(lines)}"
    if line is not None:
        return f"line {line}"
    if file == COMMAND_LINE:
        return "options"
    return "whole page" if "://" in file[:20] else "whole file"


@dataclass(frozen=True)
class ImportProblem:
    file: str
    line: int | None
    field: str
    message: str
    lines: tuple[int, ...] = ()  # every line with this problem when there are several

    @property
    def where(self) -> str:
        return where(self.line, self.lines, self.file)

    def __str__(self) -> str:
        return f"{self.file}, {self.where}, field “{self.field}”: {self.message}"


@dataclass(frozen=True)
class SkippedRecords:
    """Records left out because a record they depend on was refused."""

    file: str
    lines: tuple[int, ...]
    because: str

    @property
    def where(self) -> str:
        return where(self.lines[0] if self.lines else None, self.lines)

    def __str__(self) -> str:
        return f"{self.file}, {self.where}: skipped because {self.because}"


class ImportFailed(Exception):
    """An import that wrote nothing, with every problem found (up to MAX_PROBLEMS)."""

    def __init__(
        self, problems: list[ImportProblem], more: int = 0, skipped: list[SkippedRecords] | None = None
    ) -> None:
        self.problems = problems
        self.more = more
        self.skipped = skipped or []
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(problem) for problem in self.problems]
        if self.more:
            lines.append(f"… and {self.more} more problem(s).")
        noun = "problem" if len(self.problems) + self.more == 1 else "problems"
        report = f"Nothing was imported; {len(self.problems) + self.more} {noun}:\n" + "\n".join(lines)
        if self.skipped:
            report += "\nNot checked, because of the problems above:\n" + "\n".join(str(s) for s in self.skipped)
        return report


@dataclass
class _Group:
    file: str
    line: int | None
    field: str
    message: str
    lines: list[int] = dataclasses.field(default_factory=list)


class Problems:
    """Collects problems while validating so that one run reports them all, each once."""

    def __init__(self) -> None:
        self._groups: dict[tuple[str, str, str], _Group] = {}
        self._skipped: dict[tuple[str, str], list[int]] = {}
        self.more = 0

    def add(self, file: str, line: int | None, field: str, message: str) -> None:
        key = (file, field, message)
        group = self._groups.get(key)
        if group is not None:
            if line is not None:
                group.lines.append(line)
        elif len(self._groups) < MAX_PROBLEMS:
            self._groups[key] = _Group(file, line, field, message, [line] if line is not None else [])
        else:
            self.more += 1

    def skip(self, file: str, line: int | None, because: str) -> None:
        self._skipped.setdefault((file, because), []).extend([line] if line is not None else [])

    @property
    def items(self) -> list[ImportProblem]:
        return [ImportProblem(g.file, g.line, g.field, g.message, tuple(g.lines)) for g in self._groups.values()]

    @property
    def skipped(self) -> list[SkippedRecords]:
        return [SkippedRecords(file, tuple(lines), because) for (file, because), lines in self._skipped.items()]

    def __bool__(self) -> bool:
        return bool(self._groups) or bool(self._skipped)

    def raise_if_any(self) -> None:
        if self:
            raise ImportFailed(self.items, self.more, self.skipped)
