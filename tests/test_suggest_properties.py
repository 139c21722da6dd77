"""Whatever the text, the suggester answers, and every proposal's offsets point at its text."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coverage.suggesting import find_proposals
from coverage.suggesting.scoring import NamedSource

# Texts built from the pieces the rules look at, so that generated bodies reach them often.
_PIECES = st.sampled_from(
    [
        "“",
        "”",
        "„",
        "“",
        "‚",
        "‘",
        "’",
        "«",
        "»",
        "‹",
        "›",
        '"',
        "'",
        "''",
        "``",
        " said ",
        " sagte ",
        ", so ",
        " teilte ",
        " mit",
        " according to ",
        " laut ",
        " zufolge ",
        " hieß es von ",
        " he ",
        " sie ",
        " the statement ",
        " der Minister ",
        "Putin",
        "Angela Merkel",
        "Bundeskanzlerin ",
        "Mr ",
        " (CDU) ",
        ", ",
        ". ",
        "! ",
        "? ",
        ": ",
        " – ",
        "\n",
        "\n\n",
        "We will act",
        "Wir schaffen das",
        " und ",
        " and ",
        " by ",
        " sei ",
        "U.S. ",
        "19. ",
    ]
)
_TEXTS = st.one_of(st.text(max_size=300), st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=60).map("".join))
_SOURCES = [NamedSource("Vladimir Putin", ("Putin",)), NamedSource("Angela Merkel", ("Merkel", "die Kanzlerin"))]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=_TEXTS, language=st.sampled_from([None, "en", "de", "fr", ""]), known=st.booleans())
@example(body="“0 0 0 0 0\x1f", language=None, known=False)  # an unclosed quote ending in a control space
def test_no_text_crashes_the_suggester_and_every_span_is_inside_it(body, language, known):
    proposals = find_proposals(body, _SOURCES if known else [], language)
    for p in proposals:
        assert 0 <= p.start < p.end <= len(body)
        assert body[p.start : p.end] == body[p.start : p.end].strip() or p.kind == "paraphrase"
        assert p.kind in ("quote", "paraphrase")
        assert p.source is None or p.proposed_source_name == ""
    assert proposals == sorted(proposals, key=lambda p: (p.start, p.end))


@settings(max_examples=200, deadline=None)
@given(body=_TEXTS)
def test_a_stored_suggestions_text_is_the_body_at_its_offsets(body):
    """What `suggest_for_article` stores as `text` is `body[start:end]`, which the model requires."""
    for p in find_proposals(body, _SOURCES, None):
        text = body[p.start : p.end]
        assert text and body.find(text, p.start) == p.start
