"""The rule-based suggester, without the database: quotes, attribution, language, scoring.

`coverage/suggest.py` stores its proposals; everything here is pure (no models, no ORM).
"""

from .language import choose_language, detect_language
from .proposals import PARAPHRASE, QUOTE, Proposal, find_proposals
from .scoring import Evaluation, kinds_match, spans_match

__all__ = [
    "PARAPHRASE",
    "QUOTE",
    "Evaluation",
    "Proposal",
    "choose_language",
    "detect_language",
    "find_proposals",
    "kinds_match",
    "spans_match",
]
