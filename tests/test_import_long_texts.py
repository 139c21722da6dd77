"""Long texts through `manage.py import_articles`: read in chunks with progress, refused past one article's length, suggestions queued."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coverage.cleaning import clean_scraped_text
from coverage.jobs.models import Job, JobKind
from coverage.management.commands import import_articles
from coverage.models import Article

from .conftest import make_event, make_outlet

STORY = "Harbour reopens after the storm\n\n“We will rebuild the pier within a month,” Anna Petrova said on Monday.\n\n"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def target(db):
    return make_event(slug="storm"), make_outlet(slug="paper")


def test_a_text_longer_than_one_article_can_be_is_refused_naming_the_file(settings, target, tmp_path):
    settings.IMPORT_MAX_ARTICLE_CHARS = 200
    path = tmp_path / "everything.txt"
    text = STORY + "The ferry waits on the quay. " * 10
    path.write_text(text, encoding="utf-8")
    assert len(clean_scraped_text(text).body) == 362
    with pytest.raises(CommandError) as refusal:
        run(str(path), "--event", "storm", "--outlet", "paper")
    assert (
        "everything.txt, whole file, field “body”: the article's text is 362 characters, "
        "more than one article can be (200 at most; a long feature is about 100,000): "
        "check that the file holds one article, and split it if not"
    ) in str(refusal.value)
    assert not Article.objects.exists()


def test_a_text_at_the_limit_is_imported(settings, target, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    settings.IMPORT_MAX_ARTICLE_CHARS = len(clean_scraped_text(STORY).body)
    run(str(path), "--event", "storm", "--outlet", "paper")
    assert Article.objects.get().headline == "Harbour reopens after the storm"


def test_a_file_is_read_in_chunks_behind_a_byte_progress_bar(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(import_articles, "READ_CHUNK", 10)
    path = tmp_path / "story.txt"
    path.write_bytes(STORY.encode())
    read = import_articles.read_file(path, show_progress=True)
    assert (read.name, read.data) == ("story.txt", STORY.encode())
    assert "Reading story.txt" in capsys.readouterr().err
    import_articles.read_file(path, show_progress=False)
    assert "Reading" not in capsys.readouterr().err


def test_a_long_text_gets_its_suggestions_queued_and_the_command_says_so(settings, target, tmp_path):
    settings.SUGGEST_INLINE_MAX_CHARS = 20
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    out, err = run(str(path), "--event", "storm", "--outlet", "paper")
    job = Job.objects.get()
    assert job.kind == JobKind.SUGGEST and job.article == Article.objects.get() and job.created_by is None
    assert "Created 1 article(s)." in out
    assert (
        f"Note: Suggestions for “Harbour reopens after the storm” (71 characters) are made in the background: {job}."
        in err
    )
    assert "manage.py db_worker" in err
    assert not Article.objects.get().statements.exists()
