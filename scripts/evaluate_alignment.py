"""Precision, recall and F1 of the statement matching on the hand-labelled set (docs/alignment.md).

    .venv/bin/python scripts/evaluate_alignment.py            # the shipped threshold, tuning and test
    .venv/bin/python scripts/evaluate_alignment.py --sweep    # F1 on the tuning events per threshold

The threshold is chosen with --sweep on the tuning events only (claims' F1, ties to the
lower threshold); the test event is scored with the chosen value and is not part of the sweep.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402 - settings must be named first

django.setup()

from coverage.alignment import MATCH_THRESHOLD  # noqa: E402
from tests.claim_fixtures import TEST_EVENTS, TUNING_EVENTS, Scores, evaluate_all, sweep  # noqa: E402


def _line(name: str, scores: Scores) -> str:
    s = scores
    return (
        f"{name:28} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} "
        f"(tp {s.true_positives}, fp {s.false_positives}, fn {s.false_negatives})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="F1 on the tuning events for thresholds 0.10–0.60")
    args = parser.parse_args()
    out = sys.stdout
    if args.sweep:
        best = None
        for threshold, (direct, claims) in sweep(TUNING_EVENTS, [step / 100 for step in range(10, 61)]).items():
            out.write(f"{threshold:.2f}  " + _line("claims", claims) + "  | direct F1=" + f"{direct.f1:.3f}\n")
            if best is None or claims.f1 > best[0] + 1e-9:
                best = (claims.f1, threshold)
        out.write(f"best on tuning events: threshold {best[1]:.2f} (claims F1 {best[0]:.3f})\n")
        return
    out.write(f"threshold {MATCH_THRESHOLD}\n")
    for label, names in (("tuning", TUNING_EVENTS), ("test (held out)", TEST_EVENTS)):
        direct, claims = evaluate_all(names, MATCH_THRESHOLD)
        out.write(_line(f"{label}, direct matches", direct) + "\n")
        out.write(_line(f"{label}, claims", claims) + "\n")
    for name in (*TUNING_EVENTS, *TEST_EVENTS):
        direct, claims = evaluate_all((name,), MATCH_THRESHOLD)
        out.write(_line(f"{name}, claims", claims) + "\n")


if __name__ == "__main__":
    main()
