"""manage.py import_articles with .txt and .html files: cleaning, atomicity, idempotence, errors."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from coverage import importers
from coverage.importers import ImportFailed, ImportFile, import_files
from coverage.management.commands.import_articles import tqdm_progress
from coverage.models import Article, Event, Outlet, Statement

from .conftest import make_article, make_event, make_outlet

SEEDS = Path(__file__).resolve().parent.parent / "coverage" / "demo" / "seeds"
RT_SEED, OV_SEED = SEEDS / "000_fb43e5f0ce7b0368.txt", SEEDS / "002_63c9fd7a613bfd28.txt"
CURLY = "Skip to main content\n\nЗаголовок — «тест»\n\n“Quoted,” she said — and left… Ça va ‘bien’.\n\nZweiter Absatz – Straße.\n"
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Заголовок — «тест»</title>
<meta name="author" content="Анна Петрова">
<meta property="article:published_time" content="2017-05-02T18:40:00+00:00">
<link rel="canonical" href="https://example.org/news/1"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Заголовок — «тест»</h1>
<p>“Quoted,” she said — and left… Это первый абзац, достаточно длинный для извлечения текста из страницы.</p>
<p>A second paragraph with enough words that the extractor keeps it as part of the main article text.</p>
</article><footer>Share this article · Copyright 2017</footer></body></html>"""


def run(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *args, stdout=out, stderr=err)
    return out.getvalue()


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


def snapshot() -> list:
    return [
        sorted(repr(sorted(model_to_dict(o).items())) for o in m.objects.all())
        for m in (Event, Outlet, Article, Statement)
    ]


def test_the_seed_files_give_the_demos_bodies_byte_for_byte(demo, tmp_path):
    run(str(RT_SEED), "--event", "copy", "--outlet", "rt", "--create-event", "--event-date", "2017-05-02")
    run(str(OV_SEED), "--event", "copy", "--outlet", "opposing-views")
    for outlet in ("rt", "opposing-views"):
        original = Article.objects.get(event=demo, outlet__slug=outlet)
        imported = Article.objects.get(event__slug="copy", outlet__slug=outlet)
        assert imported.body.encode("utf-8") == original.body.encode("utf-8")
        assert (imported.headline, imported.published_at, imported.original_text) == (
            original.headline,
            original.published_at,
            original.original_text,
        )


def test_importing_the_demos_own_seed_into_the_demo_creates_nothing(demo):
    before = snapshot()
    output = run(str(RT_SEED), str(OV_SEED), "--event", demo.slug, "--outlet", "rt")
    assert Article.objects.filter(event=demo, outlet__slug="rt").count() == 2  # the OV text is new for RT
    run(str(RT_SEED), "--event", demo.slug, "--outlet", "opposing-views")
    assert "Created" in output and before != snapshot()
    again = snapshot()
    assert "Created nothing" in run(str(RT_SEED), str(OV_SEED), "--event", demo.slug, "--outlet", "rt")
    assert snapshot() == again


def test_it_finds_the_rt_date_and_stores_it_as_utc(db, tmp_path):
    event, outlet = make_event(), make_outlet()
    run(str(RT_SEED), "--event", event.slug, "--outlet", outlet.slug)
    article = Article.objects.get()
    assert article.published_at == dt.datetime(2017, 5, 2, 18, 40, tzinfo=dt.UTC)
    assert article.headline == "Putin, Trump speak by phone, discuss Syria, N. Korea – Kremlin"


def test_reimporting_the_same_file_creates_and_changes_nothing(db, tmp_path):
    event, outlet = make_event(), make_outlet()
    path = write(tmp_path, "a.txt", CURLY)
    run(path, "--event", event.slug, "--outlet", outlet.slug)
    before = snapshot()
    output = run(path, "--event", event.slug, "--outlet", outlet.slug)
    assert "Created nothing" in output and "1 article(s)" in output
    assert snapshot() == before


def test_curly_quotes_dashes_and_cyrillic_survive_unchanged(db, tmp_path):
    event, outlet = make_event(), make_outlet()
    run(write(tmp_path, "ru.txt", CURLY), "--event", event.slug, "--outlet", outlet.slug)
    article = Article.objects.get()
    assert article.headline == "Заголовок — «тест»"
    assert article.body == "“Quoted,” she said — and left… Ça va ‘bien’.\n\nZweiter Absatz – Straße."
    assert article.original_text == CURLY


def test_a_latin1_file_is_refused_with_its_line_and_nothing_is_written(db, tmp_path):
    event, outlet = make_event(), make_outlet()
    good = write(tmp_path, "good.txt", CURLY)
    bad = write(tmp_path, "bad.txt", "Headline\n\nFirst line.\nCaf\u00e9 society.\n".encode("latin-1"))
    with pytest.raises(CommandError) as error:
        run(good, bad, "--event", event.slug, "--outlet", outlet.slug)
    message = str(error.value)
    assert "bad.txt, line 4, field “encoding”: byte 0xe9 at column 4 is not UTF-8" in message
    assert "UnicodeDecodeError" not in message
    assert not Article.objects.exists()


@pytest.mark.parametrize("content", [b"", b"  \n\n"])
def test_an_empty_file_is_refused(db, tmp_path, content):
    event, outlet = make_event(), make_outlet()
    with pytest.raises(CommandError, match=r"empty.txt, line 1, field “file”: the file is empty"):
        run(write(tmp_path, "empty.txt", content), "--event", event.slug, "--outlet", outlet.slug)


def test_a_file_that_is_only_furniture_is_refused(db, tmp_path):
    event, outlet = make_event(), make_outlet()
    with pytest.raises(CommandError, match=r"menu.txt, whole file, field “body”: no text left"):
        run(
            write(tmp_path, "menu.txt", "Skip to main content\n\nPopular Video\n"),
            "--event",
            event.slug,
            "--outlet",
            outlet.slug,
        )


def test_an_unknown_event_or_outlet_fails_listing_the_existing_ones(db, tmp_path):
    make_event(slug="known-event"), make_outlet(slug="known-outlet")
    with pytest.raises(CommandError) as error:
        run(str(RT_SEED), "--event", "nope", "--outlet", "nada")
    message = str(error.value)
    assert "field “event”: no event “nope”" in message and "the events are: known-event" in message
    assert "field “outlet”: no outlet “nada”" in message and "the outlets are: known-outlet" in message
    assert not Event.objects.filter(slug="nope").exists()


def test_it_creates_the_event_and_outlet_only_when_asked(db, tmp_path):
    run(
        str(RT_SEED),
        "--event",
        "call",
        "--create-event",
        "--event-date",
        "2017-05-02",
        "--event-name",
        "The call",
        "--outlet",
        "rt",
        "--create-outlet",
        "--outlet-name",
        "RT",
        "--outlet-country",
        "Russia",
        "--outlet-ownership",
        "state_funded",
    )
    event, outlet = Event.objects.get(slug="call"), Outlet.objects.get(slug="rt")
    assert (event.name, event.date, event.codebook.slug) == ("The call", dt.date(2017, 5, 2), "media-frames-corpus")
    assert (outlet.name, outlet.country, outlet.ownership) == ("RT", "Russia", "state_funded")
    assert outlet.colour.startswith("#")
    assert Article.objects.get().event == event


def test_a_failing_file_also_undoes_the_created_event_and_outlet(db, tmp_path):
    bad = write(tmp_path, "bad.txt", b"\xff\xfeoops")
    with pytest.raises(CommandError):
        run(
            str(RT_SEED),
            bad,
            "--event",
            "call",
            "--create-event",
            "--event-date",
            "2017-05-02",
            "--outlet",
            "rt",
            "--create-outlet",
        )
    assert not Event.objects.exists() and not Outlet.objects.exists() and not Article.objects.exists()


def test_create_event_needs_a_date(db):
    with pytest.raises(CommandError, match="--create-event needs --event SLUG and --event-date"):
        run(str(RT_SEED), "--event", "call", "--create-event", "--outlet", "rt")


def test_an_unknown_kind_of_file_and_a_missing_file_are_named(db, tmp_path):
    event, outlet = make_event(), make_outlet()
    with pytest.raises(CommandError, match=r"notes.docx, whole file, field “file”: unknown kind of file"):
        run(write(tmp_path, "notes.docx", "x"), "--event", event.slug, "--outlet", outlet.slug)
    with pytest.raises(CommandError, match=r"missing.txt, whole file, field “file”: cannot read it"):
        run(str(tmp_path / "missing.txt"), "--event", event.slug, "--outlet", outlet.slug)


def test_a_txt_file_without_event_or_outlet_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match=r"000_fb43e5f0ce7b0368.txt, whole file, field “event”"):
        run(str(RT_SEED))


def test_the_same_text_twice_in_one_import_is_a_duplicate(db, tmp_path):
    event, outlet = make_event(), make_outlet()
    with pytest.raises(
        CommandError, match=r"b.txt, whole file, field “body”: same body, event and outlet as the article in a.txt"
    ):
        run(
            write(tmp_path, "a.txt", CURLY),
            write(tmp_path, "b.txt", CURLY),
            "--event",
            event.slug,
            "--outlet",
            outlet.slug,
        )
    assert not Article.objects.exists()


def test_a_changed_headline_for_a_saved_body_is_refused_not_overwritten(db, tmp_path):
    event, outlet = make_event(), make_outlet()
    article = make_article(
        event, outlet, headline="Kept", body="“Quoted,” she said — and left… Ça va ‘bien’.\n\nZweiter Absatz – Straße."
    )
    with pytest.raises(
        CommandError, match=r"ru.txt, whole file, field “headline”: article \d+ with this body is already saved"
    ):
        run(write(tmp_path, "ru.txt", CURLY), "--event", event.slug, "--outlet", outlet.slug)
    article.refresh_from_db()
    assert article.headline == "Kept"


def test_html_gives_title_date_author_url_and_main_text(db, tmp_path):
    event, outlet = make_event(), make_outlet()
    run(write(tmp_path, "page.html", PAGE), "--event", event.slug, "--outlet", outlet.slug)
    article = Article.objects.get()
    assert article.headline == "Заголовок — «тест»"
    assert article.byline == "Анна Петрова"
    assert article.url == "https://example.org/news/1"
    assert article.published_at == dt.datetime(2017, 5, 2, 18, 40, tzinfo=dt.UTC)
    assert article.body.startswith("“Quoted,” she said — and left… Это первый абзац")
    assert "\n\nA second paragraph" in article.body
    for furniture in ("Home", "Sport", "Share this article", "Copyright"):
        assert furniture not in article.body
    before = snapshot()
    assert "Created nothing" in run(write(tmp_path, "page.html", PAGE), "--event", event.slug, "--outlet", outlet.slug)
    assert snapshot() == before


def test_html_in_a_declared_charset_is_decoded_by_it(db, tmp_path):
    event, outlet = make_event(), make_outlet()
    page = (
        PAGE.replace('charset="utf-8"', 'charset="windows-1251"')
        .replace("“", '"')
        .replace("”", '"')
        .replace("…", "...")
    )
    page = page.replace("Анна Петрова", "Анна").replace("«тест»", "тест").replace("—", "-")
    run(write(tmp_path, "page.html", page.encode("windows-1251")), "--event", event.slug, "--outlet", outlet.slug)
    assert Article.objects.get().headline == "Заголовок - тест"


def test_html_not_in_utf8_and_declaring_nothing_is_refused(db, tmp_path):
    event, outlet = make_event(), make_outlet()
    page = PAGE.replace('<meta charset="utf-8">', "").replace("Анна Петрова", "Zoë").replace("«тест»", "é")
    page = page.encode("utf-8").decode("utf-8").encode("latin-1", errors="replace")
    with pytest.raises(CommandError, match=r"page.html, line \d+, field “encoding”: byte 0x"):
        run(write(tmp_path, "page.html", page), "--event", event.slug, "--outlet", outlet.slug)


def test_after_import_is_called_once_with_the_new_articles(db, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(
        importers, "_after_import", lambda result, user=None: calls.append([a.pk for a in result.new_articles])
    )
    event, outlet = make_event(), make_outlet()
    run(str(RT_SEED), str(OV_SEED), "--event", event.slug, "--outlet", outlet.slug)
    assert calls == [sorted(Article.objects.values_list("pk", flat=True))]
    run(str(RT_SEED), "--event", event.slug, "--outlet", outlet.slug)
    assert calls[1] == []


def test_a_dry_run_checks_everything_and_writes_nothing(db, tmp_path):
    event, outlet = make_event(), make_outlet()
    output = run(str(RT_SEED), "--event", event.slug, "--outlet", outlet.slug, "--dry-run")
    assert "Dry run" in output and "1 article(s)" in output
    assert not Article.objects.exists()


def test_import_files_reports_every_problem_at_once(db):
    event, outlet = make_event(), make_outlet()
    with pytest.raises(ImportFailed) as failure:
        import_files(
            [ImportFile("a.txt", b""), ImportFile("b.txt", b"\xe9"), ImportFile("c.pdf", b"x")],
            event=event.slug,
            outlet=outlet.slug,
        )
    assert [(p.file, p.field) for p in failure.value.problems] == [
        ("a.txt", "file"),
        ("b.txt", "encoding"),
        ("c.pdf", "file"),
    ]


def test_the_progress_bar_goes_to_stderr_and_only_when_enabled(capsys):
    assert list(tqdm_progress(True)(range(3), 3, "Reading bundle")) == [0, 1, 2]
    captured = capsys.readouterr()
    assert "Reading bundle" in captured.err and captured.out == ""
    list(tqdm_progress(False)(range(3), 3, "Quiet"))
    assert "Quiet" not in capsys.readouterr().err


def test_the_command_shows_no_bar_when_stderr_is_not_a_terminal(db, capsys, tmp_path):
    event, outlet = make_event(), make_outlet()
    run(str(RT_SEED), "--event", event.slug, "--outlet", outlet.slug)
    assert "Reading" not in capsys.readouterr().err


def test_manage_py_exits_non_zero_and_prints_the_problem(tmp_path):
    root = Path(__file__).resolve().parent.parent
    empty = write(tmp_path, "empty.txt", b"")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, str(root / "manage.py"), "import_articles", empty, "--event", "e", "--outlet", "o"],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=120,
    )
    assert done.returncode == 1
    assert "empty.txt, line 1, field “file”: the file is empty" in done.stderr
    assert "Traceback" not in done.stderr
