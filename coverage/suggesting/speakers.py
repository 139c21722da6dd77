"""Who said it: attribution frames around reporting verbs, and the speaker each names.

A *frame* is a reporting verb (or marker: "according to", "laut", "zufolge", "hieß es")
outside quotation marks with the noun phrase that is its source: the subject before the
verb ("X said", "X, a fellow at Y, told", "the Kremlin press service reported"), after it
("said X", "sagte X", "so X", "teilte die Partei mit"), or the object of a marker
("according to X", "laut X", "hieß es von X", "X zufolge"). A noun phrase becomes a
speaker in this order of preference:

1. a known source named in it (`Source.name` or an alias);
2. a person's or organisation's name (titles dropped: "Bundesverkehrsminister Volker
   Wissing (FDP)" → "Volker Wissing");
3. a pronoun ("he", "sie"): the most recent speaker or sentence subject;
4. a description ("the statement", "der Bundespräsident", "die Partei"): a statement's
   issuer is the last speaker; a title goes to the last person named with it
   ("Bundespräsident Alexander Van der Bellen"); otherwise the last source named with that
   word, or the most recent speaker or subject.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from typing import Any, Protocol

from .lexicon import Lexicon, is_title, verb_pattern
from .quotes import Quote


class SourceLike(Protocol):
    name: str

    def alias_list(self) -> list[str]: ...


@dataclass(frozen=True)
class Voice:
    """A speaker: a known source, or the name of one to be created."""

    source: Any = None
    name: str = ""

    def __bool__(self) -> bool:
        return self.source is not None or bool(self.name)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    source: Any


@dataclass(frozen=True)
class Frame:
    verb_start: int
    verb_end: int
    voice: Voice
    claim: bool


_TOKEN = re.compile(r"[^\W_][\w’'./-]*|[(),;:–—]")
_PARTICLES = {"von", "van", "der", "den", "de", "da", "di", "du", "la", "le", "bin", "ibn", "al", "el", "ten", "zu"}
_RELATIVE = re.compile(r"^\s*(?:who|which|whose|der|die|das|welche[rs]?|dessen|deren)\b")
_PREPOSITIONS_BEFORE_SPEAKER = {"von", "aus", "bei", "seitens", "vom", "in", "im"}
_CLOSING_MARKS = "”“\"’'»«›‹"
# English verbs that put their subject after them ("…, said X"); others take an object there
# ("X, a fellow at Y, told the paper"; "…, describing Trump's strategy as").
_INVERTS = {
    "said",
    "says",
    "added",
    "adds",
    "wrote",
    "writes",
    "noted",
    "explained",
    "continued",
    "recalled",
    "stated",
    "insisted",
    "declared",
    "announced",
    "reported",
    "reports",
    "tweeted",
    "replied",
    "answered",
}
# How far back a description looks for the source it names ("the agency" → "civil security agency").
_LOOK_BACK = 5000
_SO_BEFORE = re.compile(r"[,”“\"’'»«›‹]\s*$")


def find_mentions(body: str, sources: list[Any]) -> list[Mention]:
    """Every place a source is named by name or alias, the longest name winning where two overlap."""
    candidates = []
    for source in sources:
        for name in {source.name, *source.alias_list()}:
            if len(name) < 3:
                continue
            flags = re.IGNORECASE if " " in name else 0
            for match in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", body, flags):
                candidates.append(Mention(match.start(), match.end(), source))
    candidates.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[Mention] = []  # sorted by start, never overlapping
    starts: list[int] = []
    for mention in candidates:
        i = bisect_left(starts, mention.start)
        if i > 0 and kept[i - 1].end > mention.start or i < len(kept) and kept[i].start < mention.end:
            continue
        kept.insert(i, mention)
        starts.insert(i, mention.start)
    return kept


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper()


@dataclass
class Reader:
    """Reads the attribution frames of one body, in text order, remembering who spoke last."""

    body: str
    lexicon: Lexicon
    mentions: list[Mention]
    quotes: list[Quote]
    # Speakers and sentence subjects by position, for "he" and "die Partei": ((position, n), voice).
    salient: list[tuple[tuple[int, int], Voice]] = field(default_factory=list)
    last_voice: Voice | None = None
    last_voice_at: int = -1
    # Verbs that only attribute a quote ("…,” X said"; "X told reporters: “…”"): no paraphrase of their own.
    consumed: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        # Sorted positions, so that every look-up is a binary search: long texts stay linear.
        self._opens = [q.open_at for q in self.quotes]
        self._closes = [q.close_end for q in self.quotes]
        self._mention_starts = [m.start for m in self.mentions]
        self.verbs = verb_pattern(self.lexicon)
        self.titled = self._titled_names()
        self._titled_at = [at for at, _, _ in self.titled]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return self.mentions[bisect_left(self._mention_starts, start) : bisect_left(self._mention_starts, end)]

    def quotes_opening_in(self, start: int, end: int) -> list[Quote]:
        return self.quotes[bisect_left(self._opens, start) : bisect_left(self._opens, end)]

    def last_quote_end(self, start: int, end: int) -> int | None:
        """The end of the last quote that closes in [start, end], if any."""
        i = bisect_right(self._closes, end) - 1
        return self._closes[i] if i >= 0 and self._closes[i] >= start else None

    # ------------------------------------------------------------ words

    def _tokens(self, start: int, end: int) -> list[re.Match[str]]:
        return list(_TOKEN.finditer(self.body, start, end))

    def _is_stop(self, token: str) -> bool:
        lowered = token.lower()
        return lowered in self.lexicon.stop_words or lowered in self.lexicon.clause_words

    def _inside_quote(self, position: int) -> bool:
        i = bisect_right(self._opens, position) - 1
        return i >= 0 and position < self._closes[i]

    # ------------------------------------------------------------ noun phrases

    def np_after(self, start: int, limit: int) -> tuple[int, int] | None:
        """The noun phrase that starts at `start`: "Donald Tusk", "der Bundespräsident", "sie"."""
        tokens = self._tokens(start, limit)
        if not tokens or self.body[start : tokens[0].start()].strip(' „“"«»‹›‚‘'):
            return None
        first = tokens[0].group()
        if first.lower() in self.lexicon.pronouns:
            return tokens[0].start(), tokens[0].end()
        kept: list[re.Match[str]] = []
        i = 0
        if first.lower() in self.lexicon.determiners:
            kept.append(tokens[0])
            i = 1
        while i < len(tokens) and len(kept) < 8:
            word = tokens[i].group()
            if word == "(":
                close = next((j for j in range(i, len(tokens)) if tokens[j].group() == ")"), None)
                if close is None:
                    break
                i = close + 1
                continue
            lowered = word.lower()
            named = any(_is_capitalised(t.group()) for t in kept)
            if _is_capitalised(word) and not (named and lowered in self.lexicon.determiners):
                kept.append(tokens[i])
            elif lowered in _PARTICLES and named and i + 1 < len(tokens) and _is_capitalised(tokens[i + 1].group()):
                kept.append(tokens[i])
            elif not named and not self._is_stop(word) and word[0].isalpha() and lowered not in self.lexicon.pronouns:
                kept.append(tokens[i])  # "acting governor", "bayerische"
            elif named and lowered in ("des", "der", "of") and i + 1 < len(tokens):
                kept.append(tokens[i])  # "ein Sprecher des Innenministeriums", "the president of ..."
            else:
                break
            i += 1
        while kept and (kept[-1].group().lower() in ("des", "der", "of") or kept[-1].group().lower() in _PARTICLES):
            kept.pop()
        if not kept or not any(
            _is_capitalised(t.group()) or t.group().lower() not in self.lexicon.determiners for t in kept
        ):
            return None
        return kept[0].start(), kept[-1].end()

    def np_before(self, floor: int, verb_start: int) -> list[tuple[int, int, bool]]:
        """Candidate subjects ending at the verb: the noun phrase, then asides between commas.

        Each is (start, end, is_relative_clause). "The Ukip leader, Nigel Farage, who has
        campaigned …, told" gives "The Ukip leader", "Nigel Farage" and the relative clause.
        """
        end = verb_start
        auxiliaries = r"(?:\s+(?:has|had|have|also|then|later|again|further|once|previously|reportedly|earlier))*\s*$"
        match = re.search(auxiliaries, self.body[floor:end])
        end = floor + match.start() if match else end
        asides: list[tuple[int, int, bool]] = []
        for _ in range(3):
            text = self.body[floor:end].rstrip()
            if not text.endswith(","):
                break
            comma = floor + len(text) - 1
            previous = max(self.body.rfind(mark, floor, comma) for mark in ",;:(–—")
            aside_start = previous + 1 if previous >= floor else floor
            aside = (aside_start, comma, bool(_RELATIVE.match(self.body, aside_start, comma)))
            asides.append(aside)
            end = previous if previous >= floor else floor
            if previous < floor:
                return asides
        tokens = self._tokens(floor, end)
        start = end
        for token in reversed(tokens):
            word = token.group()
            if word in ",;:–—" or word.lower() in self.lexicon.clause_words or end - token.start() > 120:
                break
            start = token.start()
        for token in self._tokens(start, end):  # "But he noted": the subject is "he"
            if not self._is_stop(token.group()) or token.group().lower() in self.lexicon.pronouns:
                break
            start = token.end()
        start = self._skip_space(start)
        return [(start, end, False), *asides] if start < end else asides

    # ------------------------------------------------------------ resolving

    def voice_of(self, start: int, end: int) -> tuple[int, Voice]:
        """(rank, voice) of the phrase body[start:end]; lower rank is surer, 9 is nothing."""
        inside = self.mentions_in(start, end)
        names = [m for m in inside if not self._is_description(m.start, m.end)]
        if names:
            # "SCA chairman Osama Rabie": the name at the end; "The White House statement on the call
            # between Trump and Putin": the head at the start.
            at_end = [
                m
                for m in names
                if not self.body[m.end : end].strip(" ().,")
                and not any(self._is_stop(t.group()) for t in self._tokens(start, m.start))
            ]
            return 0, Voice((at_end or names)[0].source)
        words = [t for t in self._tokens(start, end) if t.group() not in "(),;:–—"]
        if not words:
            return 9, Voice()
        if len(words) == 1 and words[0].group().lower() in self.lexicon.pronouns:
            return 2, self.salient_before(start)
        name = self._name(words)
        if name and self.lexicon.verb_second and words[0].group().lower() in self.lexicon.determiners:
            name = self._german_name(name)
        if name:
            return 1, Voice(name=name)
        if inside:  # only a description such as "the statement" is a known alias
            head = list(_TOKEN.finditer(self.body, inside[0].start, inside[0].end))[-1]
            described = self._described(start, head.start(), head.end(), definite=False)
            return 3, described or Voice(inside[0].source)
        head = words[-1]
        if head.group().lower() in self.lexicon.stop_words or not head.group()[0].isalpha():
            return 9, Voice()
        definite = words[0].group().lower() in self.lexicon.definite and len(words) <= 3
        return 3, self._described(start, head.start(), head.end(), definite)

    def _is_description(self, start: int, end: int) -> bool:
        """ "the statement", "the state media": a known alias that is a description, not a name."""
        words = self.body[start:end].split()
        return (
            len(words) > 1
            and words[0].lower() in self.lexicon.determiners
            and not any(_is_capitalised(w) for w in words[1:])
        )

    def first_name_in(self, start: int, end: int) -> Voice:
        """A headline's speaker: "Merkel zur Flüchtlingslage: „…“", "… – Kurz: «…»"."""
        inside = [m for m in self.mentions_in(start, end) if not self._is_description(m.start, m.end)]
        if inside:
            return Voice(inside[0].source)
        run = []
        for token in self._tokens(start, end):
            if _is_capitalised(token.group()) and not self._is_stop(token.group()):
                run.append(token)
            elif run:
                break
        return Voice(name=self._name(run)) if run else Voice()

    def _name(self, words: list[re.Match[str]]) -> str:
        """The name at the end of a phrase, titles and determiners dropped; "" for a description."""
        run: list[str] = []
        for token in reversed(words):
            word = token.group().rstrip(".")
            if _is_capitalised(word) or (run and word.lower() in _PARTICLES):
                run.insert(0, word)
            else:
                break
        while run and run[0].lower() in _PARTICLES:
            run.pop(0)
        while run and (is_title(run[0], self.lexicon) or run[0].lower() in self.lexicon.determiners):
            if len(run) == 1:
                return ""
            run.pop(0)
        if not run or is_title(run[-1], self.lexicon) or self._is_stop(run[-1]):
            return ""
        if run[-1].lower() in self.lexicon.pronouns:
            return ""
        return " ".join(w.rstrip("’'s") if w.endswith(("’s", "'s")) and len(run) > 1 else w for w in run)

    @staticmethod
    def _german_name(name: str) -> str:
        """German capitalises every noun: after an article, "Parteiführung" is a description and
        "Betreiber PreussenElektra" a description before a name; "Deutsche Bahn" stays whole."""
        words = name.split()
        if len(words) == 1:
            return ""
        return name if words[0].endswith(("e", "en")) else " ".join(words[1:])

    def _described(self, position: int, head_start: int, head_end: int, definite: bool) -> Voice:
        head = self.body[head_start:head_end].lower().rstrip(".")
        if head in self.lexicon.document_nouns and self.last_voice:
            return self.last_voice
        if is_title(head, self.lexicon):
            i = bisect_left(self._titled_at, position) - 1
            while i >= 0 and self.titled[i][0] >= position - _LOOK_BACK:
                _at, title, voice = self.titled[i]
                if title.endswith(head) or head.endswith(title):
                    return voice
                i -= 1
        for mention in reversed(self.mentions_in(position - _LOOK_BACK, position)):
            if mention.end <= position and head in self.body[mention.start : mention.end].lower():
                return Voice(mention.source)
        # "die Partei", "the agency": a short definite description points back; "ballistic missiles" does not.
        return self.salient_before(position) if definite else Voice()

    def salient_before(self, position: int) -> Voice:
        """The latest speaker or sentence subject before `position`."""
        i = bisect_left(self.salient, (position, -1), key=lambda entry: entry[0]) - 1
        return self.salient[i][1] if i >= 0 else Voice()

    def _remember(self, position: int, voice: Voice) -> None:
        if voice:
            insort(self.salient, ((position, len(self.salient)), voice), key=lambda entry: entry[0])

    def _titled_names(self) -> list[tuple[int, str, Voice]]:
        """ "Bundespräsident Alexander Van der Bellen" → ("bundespräsident", that person), in text order."""
        found = []
        tokens = self._tokens(0, len(self.body))
        for i, token in enumerate(tokens[:-1]):
            if not (_is_capitalised(token.group()) and is_title(token.group(), self.lexicon)):
                continue
            j = i + 1
            while j < len(tokens) and (_is_capitalised(tokens[j].group()) or tokens[j].group() in _PARTICLES):
                if is_title(tokens[j].group(), self.lexicon):
                    break
                j += 1
            if j > i + 1:
                start, end = tokens[i + 1].start(), tokens[j - 1].end()
                rank, voice = self.voice_of(start, end)
                if rank <= 1:
                    found.append((token.start(), token.group().lower().rsplit("-", 1)[-1], voice))
        return found

    # ------------------------------------------------------------ frames

    def frames(self, s_start: int, s_end: int) -> list[Frame]:
        """The attribution frames of one sentence, each with the speaker it names (maybe none)."""
        result: list[Frame] = []
        for match in self.verbs.finditer(self.body, s_start, s_end):
            if self._inside_quote(match.start()):
                continue
            word = " ".join(match.group().lower().split())
            # A subject never reaches back into a quote.
            floor = self.last_quote_end(s_start, match.start()) or s_start
            if not self._is_attribution(word, match, s_end):
                continue
            voice = self._frame_voice(word, match, floor, s_end)
            if voice is None and result and re.search(r"(?:\band|\bund)\s*$", self.body[s_start : match.start()]):
                voice = result[-1].voice  # "X kritisierte … und forderte, …"
            if voice is None:
                voice = Voice()  # an attribution whose speaker is not named: the quote is still attributed
            claim = (
                word in self.lexicon.claim_verbs or word in self.lexicon.speaker_follows | self.lexicon.speaker_precedes
            )
            result.append(Frame(match.start(), match.end(), voice, claim))
        return result

    def _is_attribution(self, word: str, match: re.Match[str], s_end: int) -> bool:
        """ "teilte" only with "mit" later in the clause; "so" only right after a quote or comma."""
        particles = self.lexicon.particle_verbs.get(word)
        if particles:
            rest = self.body[match.end() : s_end].lower()
            if not any(re.search(rf"(?<![\w-]){p}(?![\w-])", rest) for p in particles):
                return False
        return word != "so" or bool(_SO_BEFORE.search(self.body, max(0, match.start() - 4), match.start()))

    def _frame_voice(self, word: str, match: re.Match[str], s_start: int, s_end: int) -> Voice | None:
        if word in self.lexicon.speaker_follows:
            span = self.np_after(self._skip_space(match.end()), s_end)
            if span and self.voice_of(*span)[0] > 1:  # "according to an analysis by Climate Action Tracker"
                by = re.match(r"\s+(?:by|from|of|von|des|der)\s+", self.body[span[1] : s_end])
                inner = self.np_after(span[1] + by.end(), s_end) if by else None
                span = inner or span
            return self.voice_of(*span)[1] if span else None
        if word in self.lexicon.speaker_precedes:
            candidates = self.np_before(s_start, match.start())
            return self._best(candidates)
        if word in ("hieß", "heißt"):
            after = self._skip_space(match.end())
            rest = re.match(r"es\s+(\w+)\s+", self.body[after:s_end])
            if rest and rest.group(1).lower() in _PREPOSITIONS_BEFORE_SPEAKER:
                span = self.np_after(after + rest.end(), s_end)
                return self.voice_of(*span)[1] if span else None
            return self._best(self._strip_preposition(self.np_before(s_start, match.start())))
        by = re.match(r"\s+by\s+", self.body[match.end() : s_end]) if self.lexicon.passive_by else None
        if by and word.endswith("ed"):
            span = self.np_after(match.end() + by.end(), s_end)
            return self.voice_of(*span)[1] if span else None
        before = self.np_before(s_start, match.start())
        after_span = self.np_after(self._skip_space(match.end()), s_end)
        opened = self.body[s_start : match.start()].rstrip()
        if after_span and (not opened or opened[-1] in ",;" + _CLOSING_MARKS):
            # ", sagte der CDU-Vorsitzende", ", said Jesada …": after a comma the subject follows the
            # verb; English "told" takes an object there ("X, a fellow at Y, told the paper").
            rank, voice = self.voice_of(*after_span)
            if voice and (self.lexicon.verb_second or (rank <= 1 and word in _INVERTS)):
                return voice
        if re.search(r"(?:\band|\bund|\bor|\boder)$", opened):
            return None  # the caller gives a coordinated verb its neighbour's subject
        options = list(before)
        subject = self._has_subject(before)
        # "said X" in English only where nothing stands before the verb; German puts the subject after
        # the verb whenever something else opens the clause ("Zugleich kündigte sie an").
        if after_span and (self.lexicon.verb_second or not subject):
            options.append((after_span[0], after_span[1], False))
        return self._best(options, prefer_after=not subject)

    def _has_subject(self, candidates: list[tuple[int, int, bool]]) -> bool:
        return any(self.voice_of(s, e)[0] < 9 for s, e, relative in candidates if not relative)

    def _strip_preposition(self, candidates: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
        stripped = []
        for start, end, relative in candidates:
            first = _TOKEN.match(self.body, start)
            if first and first.group().lower() in _PREPOSITIONS_BEFORE_SPEAKER | {"aus", "von"}:
                start = self._skip_space(first.end())
            stripped.append((start, end, relative))
        return stripped

    def _best(self, candidates: list[tuple[int, int, bool]], prefer_after: bool = False) -> Voice | None:
        ranked = []
        for order, (start, end, relative) in enumerate(candidates):
            if relative:
                continue
            rank, voice = self.voice_of(start, end)
            if voice:
                last = order == len(candidates) - 1
                ranked.append((rank, 0 if (prefer_after and last) else 1, order, voice))
        return min(ranked, key=lambda r: r[:3])[3] if ranked else None

    def _skip_space(self, position: int) -> int:
        while position < len(self.body) and self.body[position] in " \t":
            position += 1
        return position

    # ------------------------------------------------------------ memory

    def spoke(self, position: int, voice: Voice) -> None:
        if voice:
            self._remember(position, voice)
            self.last_voice, self.last_voice_at = voice, position

    def subject(self, s_start: int, s_end: int) -> None:
        """Remember the first source or full name in a sentence, for a later "he" or "die Kanzlerin"."""
        known = [m for m in self.mentions_in(s_start, s_end) if not self._is_description(m.start, m.end)]
        if known:
            self._remember(known[0].start, Voice(known[0].source))
            return
        tokens = self._tokens(s_start, s_end)
        for a, b in zip(tokens, tokens[1:], strict=False):
            if self._inside_quote(a.start()):
                continue
            words = (a.group(), b.group())
            if all(_is_capitalised(w) and not self._is_stop(w) and not is_title(w, self.lexicon) for w in words):
                if a.start() > s_start or a.group().lower() not in self.lexicon.determiners:
                    self._remember(a.start(), Voice(name=f"{words[0]} {words[1]}"))
                    return
