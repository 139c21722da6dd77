"""Which language an article is in: the outlet's, or a stop-word count.

The rule: count the words of the text that are among the commonest function words of
each supported language (lists below, chosen so that no word is in both); the language
with more wins, English on a tie. A few hundred words of news text are plenty; the rule
needs no model and no download.
"""

from __future__ import annotations

import re

from .lexicon import LANGUAGES

_STOP_WORDS = {
    "en": frozenset(
        "the and of to is was that for on with he she it by at from has have be are were his her this "
        "which an said would will not but they their been who its after".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ein eine zu den dem mit sich des auf für von im sie er es wird wurde "
        "sagte auch nach bei aus sei hat werden nur noch wie einer".split()
    ),
}
_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE_WORDS = 3000


def normalise_language(code: str | None) -> str | None:
    """ "de-AT", "DE", "deu" → "de"; a language the suggester has no rules for → None."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    base = {"eng": "en", "deu": "de", "ger": "de"}.get(base, base)
    return base if base in LANGUAGES else None


def detect_language(text: str) -> str:
    """ "en" or "de", by the stop-word rule in this module's docstring."""
    counts = dict.fromkeys(LANGUAGES, 0)
    for n, match in enumerate(_WORD.finditer(text)):
        if n >= _SAMPLE_WORDS:
            break
        word = match.group().lower()
        for language in LANGUAGES:
            counts[language] += word in _STOP_WORDS[language]
    return "de" if counts["de"] > counts["en"] else "en"


def choose_language(declared: str | None, text: str) -> str:
    """The outlet's language when the suggester has rules for it, otherwise the detected one."""
    return normalise_language(declared) or detect_language(text)
