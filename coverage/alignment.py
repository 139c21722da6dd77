"""Claims across outlets, as pure functions: matching, claims, claim omissions, quote trimming.

Statements of different outlets that report the same claim are *matched* by text
similarity (TF-IDF cosine on word n-grams and on character n-grams, scikit-learn; the
method and the threshold were chosen on a hand-labelled set, docs/alignment.md). Matched
statements are grouped into *claims* (connected components). A claim that other outlets
carried and an outlet did not is a *claim omission candidate* for that outlet; it is claimed
only when every article of the outlet on the event is completely tagged. Two matched
statements of the same source, one a direct quote and the other shorter, reworded or a
paraphrase, are flagged as *quote trimming*.

Nothing here reads the database: rows come in as plain values (`StatementText`), results
go out as plain values.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

# The score of a pair is the mean of its word and character cosines, plus these for a shared
# topic and a shared source (as tagged). The bonuses (from a grid of eight pairs) and the
# threshold (0.10–0.60) were chosen on the tuning events of the labelled set; the held-out
# test event was scored with them afterwards (docs/alignment.md).
SAME_TOPIC_BONUS = 0.10
SAME_SOURCE_BONUS = 0.10
MATCH_THRESHOLD = 0.33
# Candidate pairs (scored_pairs): a word cosine over distinctive n-grams of at least this.
CANDIDATE_FLOOR = 0.02
_COMMON_SHARE = 0.02
_COMMON_MIN = 50
# Rows of the similarity product computed at once: bounds memory on large events.
_BLOCK = 2000
# The shorter of two quotes must have this many words for containment to count as a match.
MIN_CONTAINED_WORDS = 4

QUOTE = "quote"
PARAPHRASE = "paraphrase"


class Trimming:
    """How two outlets' versions of the same source's statement differ (empty: they do not)."""

    NONE = ""
    SHORTENED = "shortened"  # both quote it; one quotes fewer of the words
    PARAPHRASED = "paraphrased"  # one quotes it, the other paraphrases it
    REWORDED = "reworded"  # both quote it, with different words

    CHOICES = [
        (SHORTENED, "Quote shortened"),
        (PARAPHRASED, "Quoted by one, paraphrased by the other"),
        (REWORDED, "Quoted in different words"),
    ]


@dataclass(frozen=True)
class StatementText:
    """One accepted statement, as the matching sees it."""

    id: int
    outlet_id: int
    text: str
    kind: str = ""
    source_id: int | None = None
    topic_id: int | None = None


@dataclass(frozen=True)
class Match:
    """Two statements of different outlets that report the same claim; `a` < `b`."""

    a: int
    b: int
    score: float  # combined similarity, compared with MATCH_THRESHOLD
    word_score: float  # TF-IDF cosine on word 1–2-grams
    char_score: float  # TF-IDF cosine on character 3–5-grams
    trimming: str = Trimming.NONE
    contained: bool = False  # matched because a quote of the same source stands inside the other


# ---------------------------------------------------------------- text


_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def normalise(text: str) -> str:
    """Lower case, accents and typographic quotes folded, brackets kept (an editor's insertion is text)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


# ---------------------------------------------------------------- similarity


def _vectorisers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    # Imported here: scikit-learn takes about two seconds to import, which every process
    # that loads the models (every manage.py command, every web worker) would pay otherwise.
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(
        preprocessor=normalise, token_pattern=_WORD.pattern, ngram_range=(1, 2), stop_words=None, sublinear_tf=True
    )
    char = TfidfVectorizer(analyzer=char_grams, sublinear_tf=True)
    return word, char


_CHAR_SIZES = (3, 4)
_SPACES = re.compile(r"\s\s+")


def char_grams(text: str) -> list[str]:
    """Character 3- and 4-grams of each word padded with a space, as scikit-learn's "char_wb" analyzer
    makes them, but each distinct word cut once: a large event repeats the same words thousands of times."""
    return [gram for word in _SPACES.sub(" ", normalise(text)).split() for gram in _word_grams(word)]


@functools.lru_cache(maxsize=200_000)
def _word_grams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    grams = []
    for n in _CHAR_SIZES:
        if len(padded) <= n:
            grams.append(padded)  # a word shorter than n counts once, whole
            break
        grams.extend(padded[k : k + n] for k in range(len(padded) - n + 1))
    return tuple(grams)


def _fit(texts: list[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """L2-normalised TF-IDF rows of `texts` for words and for characters; IDF from these texts."""
    word, char = _vectorisers()
    return word.fit_transform(texts).tocsr(), char.fit_transform(texts).tocsr()


def scored_pairs(
    statements: list[StatementText], extra: Collection[tuple[int, int]] = ()
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Arrays (i, j, word cosine, char cosine) for the candidate pairs i < j of different outlets.

    Indices are positions in `statements`. Candidates share distinctive words: their word
    cosine, counting only word n-grams that at most `_COMMON_SHARE` of the event's
    statements (and at least `_COMMON_MIN`) contain, reaches `CANDIDATE_FLOOR`. In an event
    of up to `_COMMON_MIN` statements no n-gram is left out. Without this, words like "the"
    would make every pair of a large event a candidate. The pairs in `extra` are candidates
    too. Both cosines of a candidate are then computed in full. The search runs in blocks of
    rows, so memory stays bounded.
    """
    import numpy as np

    if len(statements) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), np.zeros(0)
    word_rows, char_rows = _fit([s.text for s in statements])
    distinctive = _without_common_columns(word_rows)
    outlets = np.array([s.outlet_id for s in statements])
    firsts, seconds = [], []
    for start in range(0, len(statements), _BLOCK):
        block = (distinctive[start : start + _BLOCK] @ distinctive.T).tocoo()
        rows, cols = block.row + start, block.col
        keep = (cols > rows) & (outlets[rows] != outlets[cols]) & (block.data >= CANDIDATE_FLOOR)
        firsts.append(rows[keep])
        seconds.append(cols[keep])
    if extra:
        pairs = np.array(sorted(extra), dtype=np.int64)
        firsts.append(pairs[:, 0])
        seconds.append(pairs[:, 1])
    # One entry per pair, in (i, j) order.
    first, second = np.unique(np.stack([np.concatenate(firsts), np.concatenate(seconds)]), axis=1)
    return first, second, _row_dots(word_rows, first, second), _row_dots(char_rows, first, second)


def _without_common_columns(rows: sparse.csr_matrix) -> sparse.csr_matrix:
    """`rows` with the columns of n-grams that too many rows contain set to zero."""
    import numpy as np

    limit = max(_COMMON_MIN, _COMMON_SHARE * rows.shape[0])
    document_frequency = np.bincount(rows.indices, minlength=rows.shape[1])
    pruned = rows.copy()
    pruned.data[document_frequency[pruned.indices] > limit] = 0.0
    pruned.eliminate_zeros()
    return pruned


def _row_dots(rows: sparse.csr_matrix, first: np.ndarray, second: np.ndarray, cells: int = 2_000_000) -> np.ndarray:
    """The dot product of rows first[k] and second[k], for each k (cosines: the rows are unit length).

    Pairs are taken in blocks of first rows: those rows are spread into a dense array of
    about `cells` numbers, and each second row's entries are looked up in it, so that no
    row is copied per pair (a small block stays in the processor's cache).
    """
    import numpy as np

    result = np.zeros(len(first))
    lengths = np.diff(rows.indptr)
    keep = (lengths[first] > 0) & (lengths[second] > 0)  # a row without n-grams has cosine 0 with all
    order = np.flatnonzero(keep)
    order = order[np.argsort(first[order], kind="stable")]
    first, second = first[order], second[order]
    width = rows.shape[1]
    block = max(1, cells // max(1, width))
    bounds = np.searchsorted(first, np.arange(0, rows.shape[0] + block, block))
    dense = np.zeros(block * width)
    for number, (start, stop) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)):
        if start == stop:
            continue
        low = number * block
        # Spread the block's first rows into `dense` (only their entries: the rest stays zero).
        spread = slice(rows.indptr[low], rows.indptr[min(low + block, rows.shape[0])])
        block_lengths = lengths[low : low + block]
        row_of = np.repeat(np.arange(len(block_lengths)), block_lengths)
        filled = row_of * width + rows.indices[spread]
        dense[filled] = rows.data[spread]
        others = second[start:stop]
        counts = lengths[others]
        begins = np.cumsum(counts) - counts
        # Where every entry of every second row sits in rows.data / rows.indices, pair after pair.
        positions = np.repeat(rows.indptr[others] - begins, counts) + np.arange(begins[-1] + counts[-1])
        cells_of = np.repeat((first[start:stop] - low) * width, counts) + rows.indices[positions]
        result[order[start:stop]] = np.add.reduceat(rows.data[positions] * dense[cells_of], begins)
        dense[filled] = 0.0
    return result


def contained(shorter: str, longer: str) -> bool:
    """The shorter text's words stand, in order, inside the longer's (a quote cut short)."""
    short, long = words(shorter), words(longer)
    if len(short) < MIN_CONTAINED_WORDS or len(short) >= len(long):
        return False
    matcher = difflib.SequenceMatcher(a=short, b=long, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) == len(short)


def match_statements(statements: Iterable[StatementText], threshold: float = MATCH_THRESHOLD) -> list[Match]:
    """The pairs of statements of different outlets that report the same claim, strongest first.

    A pair's score is the mean of its word and character cosines, plus SAME_TOPIC_BONUS
    when both have the same topic and SAME_SOURCE_BONUS when both have the same source. It
    matches when the score reaches `threshold`, or
    when both are of the same source and a quote's words stand, in order, inside the other
    (a shortened quote). Each match says whether it is a case of quote trimming.
    """
    import numpy as np

    rows = list(statements)
    contained_pairs = _contained_quotes(rows)
    first, second, word_scores, char_scores = scored_pairs(rows, extra=contained_pairs)
    # Scored all at once: a large event has hundreds of thousands of candidates.
    topics = np.array([s.topic_id if s.topic_id is not None else -1 - n for n, s in enumerate(rows)])
    sources = np.array([s.source_id if s.source_id is not None else -1 - n for n, s in enumerate(rows)])
    scores = (
        (word_scores + char_scores) / 2
        + SAME_TOPIC_BONUS * (topics[first] == topics[second])
        + SAME_SOURCE_BONUS * (sources[first] == sources[second])
    )
    is_contained = np.zeros(len(first), dtype=bool)
    if contained_pairs:
        is_contained = np.array([pair in contained_pairs for pair in zip(first.tolist(), second.tolist(), strict=True)])
    matches = []
    for k in np.flatnonzero((scores >= threshold) | is_contained).tolist():
        a, b = rows[first[k]], rows[second[k]]
        a, b = (a, b) if a.id < b.id else (b, a)
        matches.append(
            Match(
                a.id,
                b.id,
                round(float(scores[k]), 4),
                round(float(word_scores[k]), 4),
                round(float(char_scores[k]), 4),
                quote_trimming(a, b),
                bool(is_contained[k]),
            )
        )
    matches.sort(key=lambda m: (-m.score, m.a, m.b))
    return matches


def _contained_quotes(rows: list[StatementText]) -> set[tuple[int, int]]:
    """Pairs (i < j, different outlets, same source) where a quote's words stand inside the other statement."""
    by_source: dict[int, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        if row.source_id is not None:
            by_source[row.source_id].append(index)
    pairs = set()
    for members in by_source.values():
        vocab = {i: set(words(rows[i].text)) for i in members}
        for i in members:
            if rows[i].kind != QUOTE or len(vocab[i]) < MIN_CONTAINED_WORDS:
                continue
            for j in members:
                other = rows[j]
                if other.outlet_id == rows[i].outlet_id or not vocab[i] <= vocab[j]:
                    continue
                if contained(rows[i].text, other.text):
                    pairs.add((min(i, j), max(i, j)))
    return pairs


# ---------------------------------------------------------------- quote trimming


def quote_trimming(a: StatementText, b: StatementText) -> str:
    """How two matched statements of the same source differ as quotations (Trimming), or ""."""
    if a.source_id is None or a.source_id != b.source_id or QUOTE not in (a.kind, b.kind):
        return Trimming.NONE
    if a.kind != b.kind:
        return Trimming.PARAPHRASED if PARAPHRASE in (a.kind, b.kind) else Trimming.NONE
    if words(a.text) == words(b.text):
        return Trimming.NONE
    shorter, longer = sorted((a.text, b.text), key=lambda t: len(words(t)))
    if contained(shorter, longer):
        return Trimming.SHORTENED
    return Trimming.REWORDED


@dataclass(frozen=True)
class Segment:
    text: str
    in_both: bool  # False: only this version has these words


def compare_versions(this: str, other: str) -> list[Segment]:
    """`this` cut into runs of words that the other version has too and runs that only it has.

    Shows two versions of a quote side by side: the full version's segments mark the words
    the shortened one left out. The segments put together give `this` back unchanged.
    """
    tokens = list(re.finditer(r"\S+\s*", this))
    token_words = [words(t.group()) for t in tokens]
    flat = [w for group in token_words for w in group]
    matcher = difflib.SequenceMatcher(a=flat, b=words(other), autojunk=False)
    shared = [False] * len(flat)
    for block in matcher.get_matching_blocks():
        shared[block.a : block.a + block.size] = [True] * block.size
    segments: list[Segment] = []
    position = 0
    for token, group in zip(tokens, token_words, strict=True):
        in_both = all(shared[position : position + len(group)])
        position += len(group)
        piece = this[: token.end()] if not segments else token.group()  # leading whitespace stays in front
        if segments and segments[-1].in_both == in_both:
            segments[-1] = Segment(segments[-1].text + piece, in_both)
        else:
            segments.append(Segment(piece, in_both))
    return segments


# ---------------------------------------------------------------- claims


def group_claims(statement_ids: Iterable[int], matches: Iterable[Match]) -> list[frozenset[int]]:
    """Claims as sets of statement ids: the connected components of the matches.

    Every statement is in exactly one claim; a statement matched to nothing is a claim of
    its own. Claims come out ordered by their smallest statement id.
    """
    parent = {i: i for i in statement_ids}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for match in matches:
        ra, rb = root(match.a), root(match.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, set[int]] = defaultdict(set)
    for i in parent:
        groups[root(i)].add(i)
    return [frozenset(groups[r]) for r in sorted(groups)]


def carry_over_claim_ids(claims: list[frozenset[int]], previous: Mapping[int, int]) -> list[int | None]:
    """For each new claim, the id of the stored claim it continues, or None for a new one.

    `previous` maps statement id to the stored claim it was in. Each stored claim is given to
    at most one new claim, the one sharing most statements with it (ties: the earlier
    claim), so that decisions on a claim's omissions survive a re-run that adds or removes
    a statement.
    """
    overlaps: list[tuple[int, int, int]] = []
    for index, claim in enumerate(claims):
        counts: dict[int, int] = defaultdict(int)
        for statement in claim:
            if statement in previous:
                counts[previous[statement]] += 1
        overlaps.extend((-n, index, old) for old, n in counts.items())
    overlaps.sort()
    result: list[int | None] = [None] * len(claims)
    taken: set[int] = set()
    for _, index, old in overlaps:
        if result[index] is None and old not in taken:
            result[index] = old
            taken.add(old)
    return result


def representatives(claims: list[frozenset[int]], matches: Iterable[Match], texts: Mapping[int, str]) -> list[int]:
    """The statement that stands for each claim: the best matched one (sum of its match scores), then the longest."""
    strength: dict[int, float] = defaultdict(float)
    for match in matches:
        strength[match.a] += match.score
        strength[match.b] += match.score
    return [max(claim, key=lambda s: (strength[s], len(texts.get(s, "")), -s)) for claim in claims]


# ---------------------------------------------------------------- claim omissions


class OmissionState:
    """What the dashboard says about a claim an outlet left out."""

    CANDIDATE = "candidate"  # found by matching, not yet reviewed
    CONFIRMED = "confirmed"  # a tagger confirmed it: a claim omission
    DISMISSED = "dismissed"  # a tagger dismissed it
    IN_PROGRESS = "in_progress"  # the outlet's coverage is not completely tagged: nothing is claimed


def claim_omission_candidates(
    outlet_ids: Iterable[int], carried: Mapping[int, Collection[int]]
) -> dict[int, dict[int, list[int]]]:
    """For each outlet, the claims other outlets carried and it did not, each mapped to those outlets.

    `carried[claim]` is the set of outlets with a statement in the claim. Like the topic
    rule (omissions.omitted_topics), but on claims, and with no key claims.
    """
    outlets = list(outlet_ids)
    result: dict[int, dict[int, list[int]]] = {outlet: {} for outlet in outlets}
    for claim, carriers in carried.items():
        carriers = set(carriers)
        for outlet in outlets:
            if outlet not in carriers and carriers:
                result[outlet][claim] = sorted(carriers)
    return result


def claims_only_in(
    carried: Mapping[int, Collection[int]], among: Collection[int] | None = None
) -> dict[int, list[int]]:
    """For each outlet, the claims it alone carried (among the outlets `among`, default all)."""
    only: dict[int, list[int]] = defaultdict(list)
    for claim, carriers in sorted(carried.items()):
        present = set(carriers) if among is None else set(carriers) & set(among)
        if len(present) == 1:
            only[next(iter(present))].append(claim)
    return dict(only)


def omission_state(stored_status: str, outlet_complete: bool) -> str:
    """The state shown for a claim omission: a stored decision, unless the outlet's tagging is unfinished."""
    if not outlet_complete:
        return OmissionState.IN_PROGRESS
    return stored_status or OmissionState.CANDIDATE


def confirmation_problem(outlet_name: str, outlet_complete: bool, still_found: bool) -> str:
    """Why a candidate cannot be confirmed now, or "" when it can."""
    if not outlet_complete:
        return f"{outlet_name}'s articles on this event are not all completely tagged: no omission can be claimed yet."
    if not still_found:
        return "The latest matching no longer finds this omission."
    return ""


def is_claimed(state: str) -> bool:
    """Whether a claim omission counts as an omission in the matrix (only confirmed ones do)."""
    return state == OmissionState.CONFIRMED
