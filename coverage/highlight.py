"""Split an article body into runs of text for highlighting statements, overlaps included."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


class Span(Protocol):
    start: int
    end: int


@dataclass
class Segment:
    text: str
    start: int
    statements: list = field(default_factory=list)
    opens: list = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def innermost(self):
        """The shortest statement covering this run: it decides the run's colour."""
        return min(self.statements, key=lambda s: s.end - s.start) if self.statements else None


def segments(body: str, spans: Sequence[Span]) -> list[Segment]:
    """Cut `body` at every statement boundary.

    Each segment lists the statements that cover it (outermost first) and `opens`, the
    statements that begin there, so that the template can anchor `#statement-N` on them.
    """
    cuts = {0, len(body)}
    for span in spans:
        cuts.update((span.start, span.end))
    points = sorted(c for c in cuts if 0 <= c <= len(body))
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    result = []
    for left, right in zip(points, points[1:], strict=False):
        covering = [s for s in ordered if s.start <= left and s.end >= right]
        opens = [s for s in ordered if s.start == left]
        result.append(Segment(text=body[left:right], start=left, statements=covering, opens=opens))
    return result
