"""A job's page in admin: full page and htmx partial, cancel, permissions, the job list, large uploads."""

from __future__ import annotations

import os
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coverage.jobs.models import STALE_AFTER, Job, JobKind, JobState
from coverage.models import Article

from .conftest import make_article, make_event, make_outlet, make_user

HX = {"HTTP_HX_REQUEST": "true"}
IMPORT_URL = reverse("admin:coverage_article_import")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tagger_client(client, tagger):
    client.force_login(tagger)
    return client


def page_url(job: Job) -> str:
    return reverse("admin:coverage_job_change", args=[job.pk])


def cancel_url(job: Job) -> str:
    return reverse("admin:coverage_job_cancel", args=[job.pk])


def make_job(user, **fields) -> Job:
    fields.setdefault("kind", JobKind.IMPORT)
    return Job.objects.create(created_by=user, **fields)


def test_the_full_page_shows_the_progress_and_polls_while_the_job_runs(tagger_client, tagger):
    job = make_job(tagger, state=JobState.RUNNING, progress_done=30, progress_total=120, message="Checking statements")
    response = tagger_client.get(page_url(job))
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    content = response.content.decode()
    assert "<html" in content and "Running" in content and "Checking statements" in content
    assert '<progress max="120" value="30"' in content and "30 of 120 (25 %)" in content
    assert f'hx-get="{page_url(job)}" hx-trigger="every 1s"' in content
    assert "django_htmx/htmx-2.min.js" in content
    assert 'name="csrfmiddlewaretoken"' in content and "Cancel this job" in content


def test_the_htmx_partial_is_the_status_region_alone(tagger_client, tagger):
    job = make_job(tagger, state=JobState.RUNNING, progress_done=1, progress_total=4)
    response = tagger_client.get(page_url(job), **HX)
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    content = response.content.decode()
    assert "<html" not in content and content.lstrip().startswith('<section id="job-status"')
    assert 'hx-trigger="every 1s"' in content and "1 of 4 (25 %)" in content


def test_a_finished_job_stops_the_polling_and_keeps_its_result(tagger_client, tagger):
    job = make_job(tagger, state=JobState.RUNNING)
    job.finish(JobState.DONE, "Done", summary="Created 2 article(s).", warnings=["a note on <b>line 3</b>"])
    content = tagger_client.get(page_url(job), **HX).content.decode()
    assert "hx-trigger" not in content and "Cancel this job" not in content
    assert "Created 2 article(s)." in content and '<progress max="1" value="1"' in content
    assert "Note: a note on &lt;b&gt;line 3&lt;/b&gt;" in content


def test_a_failed_import_shows_each_problem_by_file_line_and_field(tagger_client, tagger):
    problem = {"file": "bad.txt", "line": 1, "field": "encoding", "message": "byte 0xe9 is not UTF-8"}
    job = make_job(tagger, state=JobState.FAILED, message="Nothing was imported: 3 problem(s).", problems=[problem])
    job.more_problems = 2
    job.save()
    content = tagger_client.get(page_url(job)).content.decode()
    assert "Failed" in content and "Nothing was imported: 3 problem(s)." in content
    assert "<strong>bad.txt</strong>, line 1, field <code>encoding</code>: byte 0xe9 is not UTF-8" in content
    assert "… and 2 more." in content


def test_the_page_links_the_imported_articles(tagger_client, tagger, db):
    article = make_article(headline="Harbour reopens")
    job = make_job(tagger, state=JobState.DONE)
    job.articles.add(article)
    content = tagger_client.get(page_url(job)).content.decode()
    assert f'href="{reverse("admin:coverage_article_change", args=[article.pk])}">Harbour reopens</a>' in content


def test_the_page_has_no_inline_script(tagger_client, tagger):
    content = tagger_client.get(page_url(make_job(tagger))).content.decode()
    scripts = re.findall(r"<script[^>]*>", content)
    assert scripts and all(" src=" in tag for tag in scripts)


def test_cancelling_a_queued_job_ends_it_at_once(tagger_client, tagger):
    job = make_job(tagger)
    response = tagger_client.post(cancel_url(job), follow=True)
    assert response.redirect_chain[-1][0] == page_url(job)
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and job.message == "Cancelled before it ran: nothing was written."
    assert f"{job} is cancelled." in response.content.decode()


def test_cancelling_a_running_job_asks_it_to_stop_at_its_next_batch(tagger_client, tagger):
    job = make_job(tagger, state=JobState.RUNNING)
    response = tagger_client.post(cancel_url(job), follow=True)
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.cancel_requested
    content = response.content.decode()
    assert "stops at its next batch" in content and "Cancel this job" not in content


def test_a_running_job_whose_worker_stopped_is_cancelled_at_once(tagger_client, tagger):
    job = make_job(tagger, state=JobState.RUNNING, updated_at=timezone.now() - STALE_AFTER * 2)
    assert "its worker seems to have stopped" in tagger_client.get(page_url(job)).content.decode()
    tagger_client.post(cancel_url(job))
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and "its worker had stopped" in job.message


def test_cancelling_a_finished_job_changes_nothing(tagger_client, tagger):
    job = make_job(tagger, state=JobState.DONE)
    response = tagger_client.post(cancel_url(job), follow=True)
    assert "there is nothing to cancel" in response.content.decode()
    job.refresh_from_db()
    assert job.state == JobState.DONE and not job.cancel_requested


def test_cancel_needs_a_post_with_a_csrf_token(tagger):
    job = make_job(tagger)
    client = Client(enforce_csrf_checks=True)
    client.force_login(tagger)
    assert client.get(cancel_url(job)).status_code == 405
    assert client.post(cancel_url(job)).status_code == 403
    job.refresh_from_db()
    assert job.state == JobState.QUEUED


def test_a_tagger_neither_sees_nor_cancels_another_taggers_job(tagger_client, db):
    other = make_user("other", "Taggers", is_staff=True)
    job = make_job(other)
    assert tagger_client.get(page_url(job)).status_code == 404
    assert tagger_client.get(page_url(job), **HX).status_code == 404
    assert tagger_client.post(cancel_url(job)).status_code == 404
    job.refresh_from_db()
    assert job.state == JobState.QUEUED


def test_the_job_list_shows_a_tagger_their_own_jobs_and_an_admin_all(tagger_client, tagger, admin_user):
    other = make_user("other", "Taggers", is_staff=True)
    mine, theirs = make_job(tagger, message="mine"), make_job(other, message="theirs")
    listing = tagger_client.get(reverse("admin:coverage_job_changelist")).content.decode()
    assert page_url(mine) in listing and page_url(theirs) not in listing
    admin = Client()
    admin.force_login(admin_user)
    listing = admin.get(reverse("admin:coverage_job_changelist")).content.decode()
    assert page_url(mine) in listing and page_url(theirs) in listing
    assert admin.get(page_url(theirs)).status_code == 200
    admin.post(cancel_url(theirs))
    theirs.refresh_from_db()
    assert theirs.state == JobState.CANCELLED


def test_staff_without_the_job_permission_are_refused(client, db):
    staff = make_user("staff", None, is_staff=True)
    job = make_job(staff)
    client.force_login(staff)
    assert client.get(page_url(job)).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_job"))
    assert client.get(page_url(job)).status_code == 200
    assert client.post(cancel_url(job)).status_code == 403, "seeing a job is not cancelling it"


def test_editors_and_anonymous_users_are_sent_to_the_admin_login(client, editor):
    job = make_job(editor)
    response = client.get(page_url(job))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(editor)
    response = client.get(page_url(job))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# Large uploads on the import page --------------------------------------------------------


def test_an_upload_over_the_background_size_becomes_a_queued_job(settings, tagger_client, tagger):
    settings.IMPORT_BACKGROUND_BYTES = 100
    make_event(slug="storm"), make_outlet(slug="paper")
    text = ("Harbour reopens after the storm\n\n" + "The ferry waits on the quay. " * 20).encode()
    upload = SimpleUploadedFile("harbour.txt", text)
    response = tagger_client.post(IMPORT_URL, {"files": [upload], "event": "storm", "outlet": "paper"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == page_url(job)
    assert (job.kind, job.state, job.created_by, job.size) == (JobKind.IMPORT, JobState.QUEUED, tagger, len(text))
    assert job.options["event"] == "storm" and "article" in job.options["may_create"]
    assert "event" not in job.options["may_create"], "a tagger may not add events"
    assert "outlet" in job.options["may_create"], "a tagger may add outlets"
    (stored,) = job.files.all()
    assert stored.name == "harbour.txt" and stored.file.read() == text
    assert DBTaskResult.objects.get(id=job.task_id).task_path == "coverage.jobs.tasks.run_import"
    assert not Article.objects.exists()


def test_an_upload_over_the_largest_size_is_refused_with_the_limit(settings, tagger_client, db):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1_000_000
    upload = SimpleUploadedFile("big.jsonl", b"x" * 1_500_000)
    response = tagger_client.post(IMPORT_URL, {"files": [upload]})
    assert response.status_code == 400
    assert "These files are 1.5 MB together, more than the 1.0 MB an upload may be" in response.content.decode()
    assert not Job.objects.exists()


def test_deleting_a_job_deletes_its_stored_uploads(settings, tagger_client, tagger):
    settings.IMPORT_BACKGROUND_BYTES = 10
    make_event(slug="storm"), make_outlet(slug="paper")
    upload = SimpleUploadedFile("harbour.txt", b"Harbour reopens after the storm\n\nThe ferry waits on the quay.")
    tagger_client.post(IMPORT_URL, {"files": [upload], "event": "storm", "outlet": "paper"})
    stored = Job.objects.get().files.get()
    path = stored.file.path
    Job.objects.all().delete()
    assert not os.path.exists(path)


def test_saving_a_long_article_in_admin_queues_its_suggestions_and_links_the_job(settings, tagger_client, tagger):
    settings.SUGGEST_INLINE_MAX_CHARS = 40
    event, outlet = make_event(), make_outlet()
    data = {
        "event": event.pk,
        "outlet": outlet.pk,
        "headline": "Harbour reopens",
        "url": "",
        "byline": "",
        "body": "“We will rebuild the pier within a month,” Anna Petrova said on Monday.",
        "original_text": "",
        "tagging_status": "not_started",
        "statements-TOTAL_FORMS": "0",
        "statements-INITIAL_FORMS": "0",
    }
    response = tagger_client.post(reverse("admin:coverage_article_add"), data, follow=True)
    article = Article.objects.get()
    job = Job.objects.get()
    assert (job.kind, job.article, job.created_by) == (JobKind.SUGGEST, article, tagger)
    assert not article.statements.exists()
    assert f'its suggestions are made in the background by <a href="{page_url(job)}">{job}</a>' in (
        response.content.decode()
    )


@pytest.mark.parametrize("articles", [2, 20])
def test_the_polled_status_takes_the_same_queries_however_many_articles(
    articles, tagger_client, tagger, django_assert_num_queries
):
    job = make_job(tagger, state=JobState.DONE)
    job.articles.add(*[make_article(headline=f"Report {n}") for n in range(articles)])
    tagger_client.get(page_url(job), **HX)  # the session and the user, loaded once per client
    # session and user, admin's permission checks, the job, its article count, its articles
    # and the suggestion jobs for them: the same for any number of articles
    with django_assert_num_queries(10):
        response = tagger_client.get(page_url(job), **HX)
    assert response.content.decode().count("Report ") == articles


def test_a_previewed_import_of_a_long_article_links_the_job_making_its_suggestions(settings, tagger_client):
    settings.SUGGEST_INLINE_MAX_CHARS = 20
    make_event(slug="storm"), make_outlet(slug="paper")
    upload = SimpleUploadedFile(
        "harbour.txt", "Harbour reopens after the storm\n\n“We will rebuild,” Anna Petrova said.".encode()
    )
    preview = tagger_client.post(IMPORT_URL, {"files": [upload], "event": "storm", "outlet": "paper"})
    payload = re.search(r'name="payload" value="([^"]+)"', preview.content.decode()).group(1)
    response = tagger_client.post(IMPORT_URL, {"payload": payload}, follow=True)
    job = Job.objects.get()
    assert job.article == Article.objects.get() and job.state == JobState.QUEUED
    assert f'Suggestions for “Harbour reopens after the storm” are made by <a href="{page_url(job)}">{job}</a>.' in (
        response.content.decode()
    )
