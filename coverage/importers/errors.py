"""Import problems: each names the file, the line (or record) and the field."""

from __future__ import annotations

from dataclasses import dataclass

# Past this many problems a report stops growing: the first ones are what a person fixes.
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class ImportProblem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "whole file"
        return f"{self.file}, {where}, field “{self.field}”: {self.message}"


class ImportFailed(Exception):
    """An import that wrote nothing, with every problem found (up to MAX_PROBLEMS)."""

    def __init__(self, problems: list[ImportProblem], more: int = 0) -> None:
        self.problems = problems
        self.more = more
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(problem) for problem in self.problems]
        if self.more:
            lines.append(f"… and {self.more} more problem(s).")
        noun = "problem" if len(self.problems) + self.more == 1 else "problems"
        return f"Nothing was imported; {len(self.problems) + self.more} {noun}:\n" + "\n".join(lines)


class Problems:
    """Collects problems while validating so that one run reports them all."""

    def __init__(self) -> None:
        self.items: list[ImportProblem] = []
        self.more = 0

    def add(self, file: str, line: int | None, field: str, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(ImportProblem(file, line, field, message))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportFailed(self.items, self.more)
