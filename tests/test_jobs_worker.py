"""Background jobs run by the real worker: django-tasks-db's, as `manage.py db_worker` or in this process."""

from __future__ import annotations

import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tasks_db.models import DBTaskResult

from coverage.importers import ALL_MODELS, ImportFile, import_files
from coverage.importers.bundle import FORMAT
from coverage.jobs import progress as job_progress
from coverage.jobs.models import Job, JobKind, JobState
from coverage.jobs.tasks import start_import, suggest_now_or_later
from coverage.models import Article, Outlet, Source, Statement, StatementStatus

from .conftest import make_article, make_event, make_outlet, make_user
from .worker import restore_migration_data, run_db_worker, run_worker_here

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Harbour reopens after the storm\n\n“We will rebuild the pier within a month,” Anna Petrova said on Monday.\n"


@pytest.fixture(autouse=True)
def setup(settings, tmp_path):
    restore_migration_data()
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def target(db):
    return make_event(slug="storm"), make_outlet(slug="paper")


@pytest.fixture
def importer(db):
    return make_user("importer", "Taggers", is_staff=True)


def upload(name: str, content: str | bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def bundle(articles: int, statements_each: int = 0, outlet: str = "bundled") -> bytes:
    """A bundle with its own outlet and `articles` articles on the event "storm"."""
    lines = [{"format": FORMAT, "version": 1}, {"record": "outlet", "slug": outlet, "name": outlet.title()}]
    for n in range(articles):
        body = " ".join(f"Sentence {s} of article {n}." for s in range(max(statements_each, 1)))
        url = f"https://example.org/{outlet}/{n}"
        lines.append(
            {"record": "article", "event": "storm", "outlet": outlet, "url": url, "headline": f"A{n}", "body": body}
        )
        for s in range(statements_each):
            text = f"Sentence {s} of article {n}."
            start = body.index(text)
            lines.append(
                {
                    "record": "statement",
                    "article": {"url": url},
                    "start": start,
                    "end": start + len(text),
                    "text": text,
                    "kind": "assertion",
                }
            )
    return "\n".join(json.dumps(line) for line in lines).encode()


def queue(importer, *files: SimpleUploadedFile) -> Job:
    return start_import(files, user=importer, event="storm", outlet="paper", may_create=ALL_MODELS - {"user"})


def test_the_db_worker_command_imports_a_queued_upload_and_the_job_keeps_the_result(target, importer):
    job = queue(importer, upload("harbour.txt", TEXT), upload("b.jsonl", bundle(2)))
    assert job.state == JobState.QUEUED and job.size == len(TEXT.encode()) + len(bundle(2))
    assert not Article.objects.exists()

    run_db_worker()

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    assert job.summary == "Created 3 article(s), 1 outlet(s)."
    assert sorted(job.articles.values_list("headline", flat=True)) == ["A0", "A1", "Harbour reopens after the storm"]
    assert job.progress_total > 0 and job.progress_done == job.progress_total
    assert job.started_at and job.finished_at and job.started_at <= job.finished_at
    # The text's quote became a suggestion, as an import in the request would make it.
    assert Statement.objects.get().status == StatementStatus.SUGGESTED
    task_result = DBTaskResult.objects.get(id=job.task_id)
    assert task_result.status == "SUCCESSFUL" and task_result.return_value == "done"


def test_a_failed_import_keeps_its_problems_on_the_job_and_writes_nothing(target, importer):
    job = queue(importer, upload("good.txt", TEXT), upload("bad.txt", "Caf\u00e9\n\nText".encode("latin-1")))
    run_worker_here()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.message == "Nothing was imported: 1 problem(s)."
    (problem,) = job.problems
    assert (problem["file"], problem["line"], problem["field"]) == ("bad.txt", 1, "encoding")
    assert not Article.objects.exists()


def test_the_job_uses_the_permissions_its_starter_had(target, importer):
    job = start_import(
        [upload("b.jsonl", bundle(1))], user=importer, event=None, outlet=None, may_create=frozenset({"article"})
    )
    run_worker_here()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "you may not add outlets" in job.problems[0]["message"]
    assert not Outlet.objects.filter(slug="bundled").exists()


def test_an_unexpected_error_fails_the_job_and_the_task_keeps_the_traceback(target, importer, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("coverage.jobs.tasks.import_files", explode)
    job = queue(importer, upload("harbour.txt", TEXT))
    run_worker_here()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.message == "Stopped by an unexpected error (RuntimeError); nothing was imported."
    task_result = DBTaskResult.objects.get(id=job.task_id)
    assert task_result.status == "FAILED" and "disk on fire" in task_result.traceback


def test_a_job_cancelled_before_the_worker_takes_it_never_runs(target, importer):
    job = queue(importer, upload("harbour.txt", TEXT))
    job.request_cancel()
    assert job.state == JobState.CANCELLED
    run_worker_here()
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and job.started_at is None
    assert not Article.objects.exists()
    assert DBTaskResult.objects.get(id=job.task_id).return_value == "cancelled"


def _on_report(monkeypatch, when, action) -> None:
    """Run `action(job)` once, the first time the job reports progress that `when` accepts."""
    monkeypatch.setattr(job_progress, "SAVE_EVERY", 0)
    original = job_progress.JobProgress.report
    fired = []

    def report(self, done, total, message, *, force=False):
        if not fired and when(done, message):
            fired.append(message)
            action(self.job)
        return original(self, done, total, message, force=force)

    monkeypatch.setattr(job_progress.JobProgress, "report", report)


def _from_another_connection(work) -> None:
    """Do `work` as the web server would: on a connection of its own, in another thread."""

    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def test_a_job_cancelled_while_it_reads_stops_at_the_next_batch_and_writes_nothing(target, importer, monkeypatch):
    _on_report(
        monkeypatch,
        lambda done, message: message.startswith("Reading b.jsonl") and done >= 1,
        lambda job: _from_another_connection(lambda: Job.objects.get(pk=job.pk).request_cancel()),
    )
    job = queue(importer, upload("b.jsonl", bundle(3)))
    run_worker_here()
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert job.message == "Cancelled: nothing was imported."
    assert not Article.objects.exists() and not Outlet.objects.filter(slug="bundled").exists()


def test_a_cancel_seen_between_write_batches_rolls_back_everything_the_import_wrote(target, importer, monkeypatch):
    monkeypatch.setattr("coverage.importers.writing.BATCH_SIZE", 2)
    writing = []
    _on_report(monkeypatch, lambda done, message: message.startswith("Writing") and done >= 1, writing.append)
    # By the first write batch's end the outlet, the articles and two statements are written
    # in the transaction; from then on the job reads as cancelled.
    monkeypatch.setattr(job_progress.JobProgress, "cancel_requested", lambda self: bool(writing))
    job = queue(importer, upload("b.jsonl", bundle(2, statements_each=3)))
    run_worker_here()
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert not Article.objects.exists() and not Statement.objects.exists()
    assert not Outlet.objects.filter(slug="bundled").exists()


def test_others_see_the_progress_while_the_import_checks_on_postgresql_and_its_reading_on_sqlite(
    target, importer, monkeypatch
):
    seen = []
    _on_report(
        monkeypatch,
        lambda done, message: message == "Checking statements" and done >= 2,
        lambda job: _from_another_connection(
            lambda: seen.append(Job.objects.values_list("message", "progress_done").get(pk=job.pk))
        ),
    )
    queue(importer, upload("b.jsonl", bundle(1, statements_each=5)))
    run_worker_here()
    if connection.vendor == "postgresql":
        # Written through a connection of its own while the import's transaction is open.
        assert seen == [("Checking statements", 1)]
    else:
        # SQLite: one writer at a time, so the figures from before the transaction stay.
        assert seen == [("Reading files", 1)]


def test_a_long_article_gets_its_suggestions_from_the_worker(settings, target, importer):
    settings.SUGGEST_INLINE_MAX_CHARS = 50
    petrova = Source.objects.create(name="Anna Petrova", type="official")
    article = make_article(*target, body=TEXT.split("\n\n", 1)[1] + "The ferry waits. " * 3)
    suggesting = suggest_now_or_later(article, importer)
    assert suggesting.created == [] and suggesting.job.kind == JobKind.SUGGEST
    assert "made in the background" in suggesting.note
    assert suggest_now_or_later(article, importer).job == suggesting.job, "one job per article at a time"
    assert not article.statements.exists()

    run_worker_here()

    job = suggesting.job
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert job.summary.startswith("1 suggestion(s) proposed for")
    suggestion = article.statements.get()
    assert (suggestion.status, suggestion.source) == (StatementStatus.SUGGESTED, petrova)


def test_a_body_past_the_suggesters_cap_gets_no_suggestions_and_a_note_why(settings, target):
    settings.SUGGEST_INLINE_MAX_CHARS = 10
    settings.SUGGEST_MAX_CHARS = 20
    article = make_article(*target, body="A body longer than twenty characters.")
    suggesting = suggest_now_or_later(article)
    assert suggesting.job is None and suggesting.created == []
    assert "37 characters, more than the suggester takes (20, SUGGEST_MAX_CHARS)" in suggesting.note
    assert not Job.objects.exists()


def test_an_import_queues_the_suggestions_of_its_long_articles_in_its_own_transaction(settings, target, importer):
    settings.SUGGEST_INLINE_MAX_CHARS = 50
    result, _ = import_files([ImportFile("harbour.txt", TEXT.encode())], event="storm", outlet="paper", user=importer)
    (job,) = result.jobs
    assert job.article == Article.objects.get() and job.created_by == importer
    assert any("made in the background" in warning for warning in result.warnings)
    assert DBTaskResult.objects.filter(id=job.task_id).exists()
    import_files(
        [ImportFile("other.txt", TEXT.replace("pier", "quay").encode())],
        event="storm",
        outlet="paper",
        dry_run=True,
    )
    assert Job.objects.count() == 1, "a dry run queues nothing"


def test_a_job_whose_worker_is_stopped_mid_task_says_so_and_writes_nothing(target, importer, monkeypatch):
    def stop_the_worker(job) -> None:
        raise SystemExit(1)  # what db_worker's handler does on a second Ctrl+C or SIGTERM

    _on_report(monkeypatch, lambda done, message: message == "Checking statements", stop_the_worker)
    job = queue(importer, upload("b.jsonl", bundle(2, statements_each=2)))
    run_worker_here()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.message == "Stopped with the worker; nothing was imported. Upload the files again to import them."
    assert not Article.objects.exists() and not Outlet.objects.filter(slug="bundled").exists()
