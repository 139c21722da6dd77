"""Hypothesis strategies for query strings: plausible values, values at every limit, and junk.

A query string is drawn as (name, value) pairs and percent-encoded by hand, so that it can
carry what a browser never would: NUL bytes, invalid UTF-8, 5,000-character values, numbers
past 2^63, impossible dates.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from urllib.parse import quote, quote_from_bytes

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Examples per fuzzed view; raise FRAMESCOPE_FUZZ_EXAMPLES for a longer hunt.
EXAMPLES = int(os.environ.get("FRAMESCOPE_FUZZ_EXAMPLES", "25"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a page's time varies with the machine's load; speed is not the property here
    derandomize=bool(os.environ.get("CI")),  # CI runs the same examples every time
    # The demo and the logged-in client are made once per test; examples only read (or add share links).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

EDGE_NUMBERS = [0, -1, 1, 2**15, 2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, -(2**63) - 1, 2**64, 10**20, 10**40]

edge_numbers = st.sampled_from(EDGE_NUMBERS).map(str)
any_numbers = st.integers(min_value=-(2**80), max_value=2**80).map(str)
dates = st.dates().map(lambda d: d.isoformat())
broken_dates = st.sampled_from(
    ["2017-02-30", "2017-13-01", "0000-01-01", "99999-01-01", "2017-5-2", "02/05/2017", "2017-05-02T10:00", "-1-01-01"]
)
short_text = st.text(max_size=30)  # any code point but lone surrogates, NUL included
hostile_text = st.sampled_from(
    [
        "\x00",
        "a\x00b",
        "'; DROP TABLE coverage_statement; --",
        "<script>alert(1)</script>",
        "%00",
        "..",
        "\u202e",
        "😀" * 10,
    ]
)
long_text = st.integers(min_value=1001, max_value=6000).map(lambda n: "x" * n)
invalid_utf8 = st.binary(min_size=1, max_size=12).filter(lambda b: not _is_utf8(b))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def values(known: Sequence[str] = ()) -> st.SearchStrategy:
    """A parameter value: often a real one (`known`), else a number, a date, text or junk."""
    junk = st.one_of(edge_numbers, any_numbers, dates, broken_dates, short_text, hostile_text, long_text, st.just(""))
    strategy = st.one_of(st.sampled_from(list(known)), junk) if known else junk
    return st.one_of(strategy, invalid_utf8)


def encode(value: str | bytes) -> str:
    return quote_from_bytes(value, safe="") if isinstance(value, bytes) else quote(value, safe="")


def query_strings(params: dict[str, Sequence[str]], max_pairs: int = 8) -> st.SearchStrategy[str]:
    """Query strings of up to `max_pairs` pairs: names from `params` (values drawn with their
    known values) and, now and then, a name no view expects."""
    named = st.sampled_from(sorted(params)).flatmap(lambda name: st.tuples(st.just(name), values(params[name])))
    stray = st.tuples(st.one_of(short_text, hostile_text), values())
    pairs = st.lists(st.one_of(named, named, named, stray), max_size=max_pairs)
    return pairs.map(lambda items: "&".join(f"{encode(name)}={encode(value)}" for name, value in items))
