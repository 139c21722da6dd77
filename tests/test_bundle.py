"""The JSON Lines bundle: export_event, the lossless round trip, and every bundle error."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import models

from coverage.importers.bundle import FORMAT, VERSION
from coverage.models import Article, Codebook, Event, Frame, Outlet, Source, Statement, Topic

from .conftest import make_user

EVENT = "putin-trump-call-2017-05-02"
EVENT_MODELS = [Codebook, Frame, Outlet, Event, Topic, Source, Article, Statement]


def _natural(obj) -> object:
    """A row's natural key, to compare rows across databases without their surrogate ids."""
    match obj:
        case None:
            return None
        case Codebook() | Outlet() | Event():
            return obj.slug
        case Frame():
            return (obj.codebook.slug, obj.slug)
        case Topic():
            return (obj.event.slug, obj.slug)
        case Source():
            return (obj.name, obj.affiliation)
        case Article():
            return obj.url or (obj.event.slug, obj.outlet.slug, obj.body_hash)
        case _:
            return obj.get_username()


def every_row() -> dict[str, list]:
    """Every field of every row of the event's models, foreign keys by natural key, ids left out."""
    rows = {}
    for model in EVENT_MODELS:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        rows[model.__name__] = sorted(
            repr(
                [
                    (
                        f.name,
                        _natural(getattr(obj, f.name)) if isinstance(f, models.ForeignKey) else getattr(obj, f.attname),
                    )
                    for f in fields
                ]
            )
            for obj in model.objects.all()
        )
    return rows


def export(slug: str = EVENT) -> str:
    out = io.StringIO()
    call_command("export_event", slug, stdout=out)
    return out.getvalue()


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_articles", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def empty_the_database() -> None:
    Statement.objects.all().delete()
    Statement.history.all().delete()
    Article.objects.all().delete()
    Event.objects.all().delete()
    for model in (Source, Outlet, Frame, Codebook):
        model.objects.all().delete()
    get_user_model().objects.all().delete()


@pytest.fixture
def tagged_demo(demo, settings):
    """The demo with its statements credited to a tagger, as `load_demo` does."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    Statement.objects.update(tagged_by=make_user("tagger"))
    # A machine suggestion whose speaker matched no source travels with its proposed name.
    article = demo.articles.get(outlet__slug="rt")
    text = "a new round of talks on Syria"
    start = article.body.index(text)
    Statement.objects.create(
        article=article,
        start=start,
        end=start + len(text),
        text=text,
        kind="paraphrase",
        status="suggested",
        proposed_source_name="Sergei Lavrov",
    )
    return demo


@pytest.fixture
def bundle_file(tagged_demo, tmp_path) -> Path:
    path = tmp_path / "demo.jsonl"
    call_command("export_event", EVENT, "-o", str(path), stdout=io.StringIO())
    return path


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def rewrite(path: Path, records: list[dict]) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return str(path)


def test_the_bundle_starts_with_a_versioned_header_and_holds_every_kind_of_record(bundle_file):
    records = lines(bundle_file)
    assert records[0] == {"format": FORMAT, "version": VERSION, "event": EVENT}
    kinds = {r["record"] for r in records[1:]}
    assert kinds == {"codebook", "frame", "outlet", "event", "topic", "source", "article", "statement"}
    statement = next(r for r in records if r.get("record") == "statement")
    assert set(statement) >= {
        "article",
        "start",
        "end",
        "text",
        "kind",
        "source",
        "topic",
        "frame",
        "tone",
        "target",
        "status",
        "tagged_by",
        "tagged_at",
    }
    assert statement["tagged_by"] == "tagger"
    assert sum(r.get("record") == "statement" for r in records) == Statement.objects.count()


def test_importing_an_export_into_an_empty_database_recreates_every_row(bundle_file):
    before = every_row()
    assert before["Statement"] and before["Article"]
    empty_the_database()
    assert not Article.objects.exists() and not Codebook.objects.exists()
    run(str(bundle_file), "--create-users")
    assert every_row() == before
    tagger = get_user_model().objects.get(username="tagger")
    assert not tagger.has_usable_password() and not tagger.is_staff


def test_export_import_export_gives_the_same_bytes(bundle_file, tmp_path):
    first = bundle_file.read_bytes()
    empty_the_database()
    run(str(bundle_file), "--create-users")
    again = tmp_path / "again.jsonl"
    call_command("export_event", EVENT, "-o", str(again), stdout=io.StringIO())
    assert again.read_bytes() == first


def test_reimporting_a_bundle_creates_and_changes_nothing(bundle_file):
    before, history = every_row(), Statement.history.count()
    output = run(str(bundle_file))
    assert "Created nothing" in output
    assert every_row() == before and Statement.history.count() == history


def test_imported_statements_get_history_rows(bundle_file):
    empty_the_database()
    run(str(bundle_file), "--create-users")
    assert Statement.history.count() == Statement.objects.count() > 0


def test_unknown_taggers_are_refused_without_create_users(bundle_file):
    empty_the_database()
    with pytest.raises(CommandError) as error:
        run(str(bundle_file))
    # One problem naming every line, not the same line once per statement.
    count = sum(r.get("record") == "statement" and r.get("tagged_by") == "tagger" for r in lines(bundle_file))
    assert "Nothing was imported; 1 problem:" in str(error.value)
    assert f"demo.jsonl, {count} records, lines " in str(error.value)
    assert "field “tagged_by”: no user “tagger”" in str(error.value)
    assert not Article.objects.exists() and not Codebook.objects.exists()


def _edit_first(records: list[dict], record_type: str, /, **changes) -> int:
    """Change the first record of `record_type`; return its line number."""
    for number, record in enumerate(records, start=1):
        if record.get("record") == record_type:
            record.update(changes)
            return number
    raise AssertionError(record_type)


def test_offsets_that_do_not_match_the_text_are_refused_and_nothing_is_written(bundle_file):
    records = lines(bundle_file)
    empty_the_database()
    line = _edit_first(records, "statement", start=records[-1]["start"] + 1)
    with pytest.raises(CommandError) as error:
        run(rewrite(bundle_file, records), "--create-users")
    assert f"demo.jsonl, line {line}, field “" in str(error.value)
    assert "does not match the article body" in str(error.value) or "must be greater than start" in str(error.value)
    assert not Article.objects.exists() and not Outlet.objects.exists() and not Statement.objects.exists()


def test_an_end_past_the_body_is_refused(bundle_file):
    records = lines(bundle_file)
    line = _edit_first(records, "statement", end=10**6)
    with pytest.raises(
        CommandError, match=rf"line {line}, field “end”: end \(1000000\) is past the end of the article body"
    ):
        run(rewrite(bundle_file, records))


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"topic": "no-such-topic"}, "topic", "no topic “no-such-topic” in event"),
        ({"source": {"name": "Nobody", "affiliation": ""}}, "source", "no source “Nobody”"),
        ({"frame": {"codebook": "media-frames-corpus", "slug": "nope"}}, "frame", "no frame “nope”"),
        ({"article": {"url": "https://example.org/missing"}}, "article", "no article"),
        ({"tone": 3}, "tone", "3 is out of range (-2 to 2)"),
        ({"kind": "gossip"}, "kind", "'gossip' is not one of"),
        ({"colour": "red"}, "colour", "unknown field for a statement record"),
    ],
)
def test_bad_references_and_values_name_line_and_field(bundle_file, change, field, message):
    records = lines(bundle_file)
    line = _edit_first(records, "statement", **change)
    count = Statement.objects.count()
    with pytest.raises(CommandError) as error:
        run(rewrite(bundle_file, records))
    assert f"demo.jsonl, line {line}, field “{field}”: {message}" in str(error.value)
    assert Statement.objects.count() == count


def test_an_unknown_event_for_an_article_lists_the_events(bundle_file):
    records = [r for r in lines(bundle_file) if r.get("record") not in ("statement",)]
    line = _edit_first(records, "article", event="elsewhere")
    with pytest.raises(
        CommandError, match=rf"line {line}, field “event”: no event “elsewhere”.*the events are: {EVENT}"
    ):
        run(rewrite(bundle_file, records))


@pytest.mark.parametrize("kind", ["statement", "source", "topic", "article"])
def test_a_duplicate_record_in_one_bundle_is_refused(bundle_file, kind):
    records = lines(bundle_file)
    empty_the_database()
    first = next(n for n, r in enumerate(records, start=1) if r.get("record") == kind)
    records.append(dict(records[first - 1]))
    with pytest.raises(CommandError) as error:
        run(rewrite(bundle_file, records), "--create-users")
    assert f"demo.jsonl, line {len(records)}, field" in str(error.value)
    assert f"line {first}" in str(error.value)
    assert not Article.objects.exists() and not Source.objects.exists()


def test_a_statement_that_differs_from_the_saved_one_is_refused(bundle_file):
    records = lines(bundle_file)
    statement = next(r for r in records if r.get("record") == "statement")
    line = _edit_first(records, "statement", tone=-statement["tone"] or 1)
    before = every_row()
    with pytest.raises(CommandError, match=rf"line {line}, field “tone”: the statement already saved"):
        run(rewrite(bundle_file, records))
    assert every_row() == before


def test_an_edited_body_no_longer_matches_its_hash(bundle_file):
    records = lines(bundle_file)
    article = next(r for r in records if r.get("record") == "article")
    line = _edit_first(records, "article", body=article["body"] + " Edited.")
    with pytest.raises(CommandError, match=rf"line {line}, field “body_hash”: does not match"):
        run(rewrite(bundle_file, records))


@pytest.mark.parametrize(
    "first_line, field",
    [
        ({"format": "something-else", "version": 1}, "format"),
        ({"format": FORMAT, "version": 99}, "version"),
        ({"record": "outlet", "slug": "x"}, "format"),
    ],
)
def test_the_header_is_checked(db, tmp_path, first_line, field):
    path = rewrite(tmp_path / "b.jsonl", [first_line])
    with pytest.raises(CommandError, match=rf"b.jsonl, line 1, field “{field}”"):
        run(path)


def test_broken_json_and_wrong_encoding_name_their_line(db, tmp_path):
    path = tmp_path / "b.jsonl"
    path.write_bytes(json.dumps({"format": FORMAT, "version": 1}).encode() + b'\n{"record": "outlet",\n')
    with pytest.raises(CommandError, match=r"b.jsonl, line 2, field “json”: not valid JSON"):
        run(str(path))
    path.write_bytes(
        json.dumps({"format": FORMAT, "version": 1}).encode() + b'\n{"record": "source", "name": "Caf\xe9"}\n'
    )
    with pytest.raises(CommandError, match=r"b.jsonl, line 2, field “encoding”: byte 0xe9"):
        run(str(path))
    path.write_bytes(b"")
    with pytest.raises(CommandError, match=r"b.jsonl, line 1, field “file”: the file is empty"):
        run(str(path))


def test_non_english_text_survives_the_round_trip_byte_for_byte(db, tmp_path):
    body = "«Мы договорились», — сказал он. “Quoted,” she said — and left… Ça va ‘bien’ – Straße."
    text = "«Мы договорились»"
    records = [
        {"format": FORMAT, "version": 1},
        {"record": "outlet", "slug": "ria", "name": "РИА Новости", "colour": "#0072B2"},
        {"record": "event", "slug": "call", "name": "Звонок — 2 мая", "date": "2017-05-02"},
        {"record": "topic", "event": "call", "slug": "korea", "name": "Корея"},
        {"record": "source", "name": "Дмитрий Песков", "affiliation": "Кремль", "type": "official"},
        {
            "record": "article",
            "event": "call",
            "outlet": "ria",
            "url": None,
            "headline": "Заголовок — «тест»",
            "published_at": "2017-05-02T18:40:00+03:00",
            "body": body,
        },
        {
            "record": "statement",
            "article": {
                "event": "call",
                "outlet": "ria",
                "body_hash": __import__("hashlib").sha256(body.encode()).hexdigest(),
            },
            "start": 0,
            "end": len(text),
            "text": text,
            "kind": "quote",
            "source": {"name": "Дмитрий Песков", "affiliation": "Кремль"},
            "topic": "korea",
            "frame": {"codebook": "media-frames-corpus", "slug": "political"},
            "tone": 1,
            "target": "США",
        },
    ]
    run(rewrite(tmp_path / "ru.jsonl", records))
    article = Article.objects.get()
    assert article.body.encode("utf-8") == body.encode("utf-8")
    assert article.headline == "Заголовок — «тест»"
    statement = Statement.objects.get()
    assert (statement.text, statement.source.name, statement.target) == (text, "Дмитрий Песков", "США")
    exported = export("call")
    assert body in exported and "\\u" not in exported  # written as UTF-8, not escaped


def test_export_event_names_the_existing_events_when_the_slug_is_unknown(tagged_demo):
    with pytest.raises(CommandError, match=rf"No event “nope”; the events are: {EVENT}"):
        export("nope")


def test_statements_missing_from_a_saved_article_are_added_and_nothing_else_changes(bundle_file):
    records = lines(bundle_file)
    statement = next(r for r in records if r.get("record") == "statement")
    saved = Statement.objects.get(start=statement["start"], end=statement["end"], text=statement["text"])
    saved.delete()
    before = every_row()
    output = run(str(bundle_file))
    assert "Created 1 statement(s)" in output
    after = every_row()
    assert len(after["Statement"]) == len(before["Statement"]) + 1
    assert {k: v for k, v in after.items() if k != "Statement"} == {k: v for k, v in before.items() if k != "Statement"}


def test_a_bundle_of_statements_alone_points_at_saved_articles(bundle_file):
    records = [r for r in lines(bundle_file) if "format" in r or r.get("record") == "statement"]
    Statement.objects.all().delete()
    output = run(rewrite(bundle_file, records))
    assert f"Created {len(records) - 1} statement(s)" in output


def test_export_to_a_file_reports_on_stderr_and_keeps_stdout_clean(tagged_demo, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_event", EVENT, "-o", str(tmp_path / "e.jsonl"), stdout=out, stderr=err)
    assert out.getvalue() == ""
    assert "lines to" in err.getvalue() and "e.jsonl" in err.getvalue()
