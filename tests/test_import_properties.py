"""Property tests of the three import formats (issue 12, item 6).

Whatever the bytes of a .txt, .html or .jsonl file, an import either lands whole or writes
nothing and says why, file by file: never a traceback, never a 500, never half an import.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coverage.importers import ImportFailed, ImportFile, import_files
from coverage.importers.bundle import FORMAT, RECORD_TYPES
from coverage.models import Article, Codebook, Event, Frame, Outlet, Source, Statement, Topic

from .conftest import make_event, make_outlet

MODELS = (Codebook, Frame, Outlet, Event, Topic, Source, Article, Statement)
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces real scraped pages are made of, and pieces that have broken importers before.
LINES = [
    "Skip to main content",
    "Politics",
    "The Valley Post",
    "Council approves the airport tram line",
    "By Claire Martin",
    "14.03.2019",
    "2019-03-14 06:15:04",
    "3. Mai 2019",
    "Photo: Reuters/Anna Berg",
    "1.2K likes",
    "Related News",
    "Comments",
    "Share on WhatsApp",
    "The city council voted on Wednesday to build a tram line to the airport, ending a long debate.",
    "“This is a good day for the city,” the mayor said after the vote.",
    "\x00",
    "\ufeff",
    "\u2028",
    "",
]
text_lines = st.lists(st.one_of(st.sampled_from(LINES), st.text(max_size=80)), max_size=12)
txt_files = st.one_of(
    text_lines.map(lambda ls: "\n".join(ls).encode("utf-8")),
    st.binary(max_size=400),
    text_lines.map(lambda ls: "\r\n".join(ls).encode("utf-16")),
)
CHARSETS = ["utf-8", "windows-1251", "latin-1", "rot13", "unicode_escape", "utf-16", "nope", "base64", ""]
html_files = st.builds(
    lambda charset, title, paragraphs, tail: (
        f'<html><head><meta charset="{charset}"><title>{title}</title></head><body><article>'
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + f"</article>{tail}</body></html>"
    ).encode("utf-8", "surrogatepass"),
    st.sampled_from(CHARSETS),
    st.one_of(st.sampled_from(LINES), st.text(max_size=60)),
    st.lists(st.one_of(st.sampled_from(LINES), st.text(max_size=200)), max_size=6),
    st.sampled_from(["", "<div>" * 300, "\\ud800", "<script>alert(1)</script>"]),
) | st.binary(max_size=400)

FIELDS = [
    "record", "slug", "name", "event", "outlet", "url", "headline", "body", "published_at", "article",
    "start", "end", "text", "kind", "source", "topic", "frame", "tone", "type", "affiliation", "date",
    "codebook", "website", "colour", "tagged_by", "tagged_at", "tagging_status", "number", "is_key",
]  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "tram-vote",
            "valley-post",
            "quote",
            "official",
            "2019-03-14",
            "2019-03-14T06:15:00+00:00",
            "0001-01-01T00:00:00+05:00",
            "javascript:alert(1)",
            "https://valley.example/tram",
            "\ud800",
            "a\x00b",
        ]
    ),  # fmt: skip
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
records = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8).map(
    lambda r: r if "record" in r else {**r, "record": "statement"}
) | st.builds(
    lambda kind, fields: {"record": kind, **fields},
    st.sampled_from(RECORD_TYPES),
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8),
)

VALID = [
    {"record": "outlet", "slug": "valley-post", "name": "The Valley Post"},
    {"record": "event", "slug": "tram-vote", "name": "Tram vote", "date": "2019-03-13"},
    {"record": "topic", "event": "tram-vote", "slug": "cost", "name": "Cost"},
    {"record": "source", "name": "Mayor", "type": "official"},
    {"record": "article", "event": "tram-vote", "outlet": "valley-post", "url": "https://valley.example/tram",
     "headline": "Council approves the tram line", "body": "The council voted for the tram line. It was close."},
    {"record": "statement", "article": {"url": "https://valley.example/tram"}, "start": 0, "end": 36,
     "text": "The council voted for the tram line.", "kind": "assertion", "topic": "cost",
     "source": {"name": "Mayor", "affiliation": ""}},
]  # fmt: skip


@st.composite
def bundles(draw) -> bytes:
    """A valid bundle with some records changed, dropped or added; or lines of any text."""
    chosen = [dict(r) for r in VALID if draw(st.booleans())]
    for record in chosen:
        if draw(st.integers(0, 3)) == 0:
            record[draw(st.sampled_from(FIELDS))] = draw(json_values)
    chosen += draw(st.lists(records, max_size=3))
    header = draw(st.sampled_from([{"format": FORMAT, "version": 1}, {"format": FORMAT, "version": [1]}, {}]))
    texts = [json.dumps(r, ensure_ascii=draw(st.booleans())) for r in [header, *chosen]]
    texts += draw(st.lists(st.sampled_from(["", "{", "[" * 5000, "null", '"x"', "{}" * 3]), max_size=2))
    return "\n".join(texts).encode("utf-8", "surrogatepass")


def counts() -> list[int]:
    return [model.objects.count() for model in MODELS]


def lands_whole_or_not_at_all(name: str, data: bytes, **kwargs) -> None:
    """The property: a result with rows, or ImportFailed naming this file and writing nothing."""
    with transaction.atomic():
        before = counts()
        try:
            result, _ = import_files([ImportFile(name, data)], **kwargs)
        except ImportFailed as failure:
            assert failure.problems
            assert all(p.file in (name, "command line") and p.field for p in failure.problems)
            assert counts() == before
        else:
            assert counts()[MODELS.index(Article)] >= before[MODELS.index(Article)]
            assert sum(result.created.values()) + sum(result.existing.values()) > 0
        transaction.set_rollback(True)  # each example starts from the same database


@pytest.fixture
def places(db):
    return make_event(slug="tram-vote"), make_outlet(slug="valley-post")


@PROPERTY
@given(data=txt_files)
def test_any_text_file_lands_whole_or_says_why(places, data):
    lands_whole_or_not_at_all("a.txt", data, event="tram-vote", outlet="valley-post")


@PROPERTY
@given(data=html_files)
def test_any_html_file_lands_whole_or_says_why(places, data):
    lands_whole_or_not_at_all("a.html", data, event="tram-vote", outlet="valley-post")


@PROPERTY
@given(data=bundles())
def test_any_bundle_lands_whole_or_says_why(db, data):
    lands_whole_or_not_at_all("b.jsonl", data, create_users=True)


@settings(PROPERTY, max_examples=15)
@given(name=st.sampled_from(["a.txt", "a.html", "b.jsonl"]), data=st.one_of(txt_files, html_files, bundles()))
def test_the_admin_page_answers_any_upload_with_a_page_not_a_500(places, tagger, client, name, data):
    client.force_login(tagger)
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    with transaction.atomic():
        response = client.post(
            reverse("admin:coverage_article_import"), {"files": [upload], "event": "tram-vote", "outlet": "valley-post"}
        )
        transaction.set_rollback(True)
    assert response.status_code in (200, 400)
