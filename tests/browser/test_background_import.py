"""In a real browser: a tagger uploads a large bundle, watches the job's progress, and finds the articles."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import pytest
from playwright.sync_api import Page, expect

from coverage.importers.bundle import FORMAT
from coverage.jobs.models import Job, JobState
from coverage.models import MEDIA_FRAMES_CODEBOOK_SLUG, Article, Codebook, Event, Outlet, Statement
from coverage.roles import TAGGERS

from ..conftest import make_user
from ..worker import ROOT, worker_command, worker_env

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLES, STATEMENTS_EACH = 40, 60


def write_bundle(path) -> int:
    """A tagged bundle of the "storm" event larger than the preview's 2 MB cap."""
    lines = [{"format": FORMAT, "version": 1}]
    for n in range(ARTICLES):
        sentences = [f"Storm report {n}, part {s}: the northern pier lost {s} metres of decking." for s in range(60)]
        body = "\n\n".join(sentences)
        url = f"https://harbour.example/storm/{n}"
        lines.append(
            {
                "record": "article",
                "event": "storm",
                "outlet": "paper",
                "url": url,
                "headline": f"Storm report {n}",
                "body": body,
                "original_text": body * 9,  # the page as scraped: it makes the upload large
            }
        )
        for sentence in sentences[:STATEMENTS_EACH]:
            start = body.index(sentence)
            lines.append(
                {
                    "record": "statement",
                    "article": {"url": url},
                    "start": start,
                    "end": start + len(sentence),
                    "text": sentence,
                    "kind": "assertion",
                }
            )
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    return path.stat().st_size


@pytest.fixture
def setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    codebook = Codebook.objects.get(slug=MEDIA_FRAMES_CODEBOOK_SLUG)
    Event.objects.create(slug="storm", name="Harbour storm", date=dt.date(2019, 3, 3), codebook=codebook)
    Outlet.objects.create(slug="paper", name="The Harbour Paper")
    make_user("importer", TAGGERS, is_staff=True)


def test_a_tagger_uploads_a_large_bundle_watches_its_progress_and_finds_the_articles(
    page: Page, live_server, setup, tmp_path
):
    bundle = tmp_path / "storm.jsonl"
    assert write_bundle(bundle) > 2_000_000
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/coverage/article/import/")
    page.get_by_label("Username").fill("importer")
    page.get_by_label("Password").fill("pw-for-tests-only")
    page.get_by_role("button", name="Log in").click()

    page.set_input_files("input[name=files]", str(bundle))
    page.get_by_role("button", name="Preview").click()

    # No worker yet: the job waits, and its page says so.
    status = page.locator("#job-status")
    expect(status.get_by_role("heading", name="Queued")).to_be_visible()
    expect(page.locator(".messagelist")).to_contain_text("imports them in the background")
    expect(status.locator("progress")).to_be_visible()
    expect(status.get_by_role("button", name="Cancel this job")).to_be_visible()
    assert not Article.objects.exists()

    worker = subprocess.Popen(
        worker_command("--interval", "0.2"),
        cwd=ROOT,
        env=worker_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # The page polls (htmx) and shows the job through to its end without a reload.
        expect(status.get_by_role("heading", name="Done")).to_be_visible(timeout=120_000)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    expect(status).to_contain_text(f"Created {ARTICLES} article(s), {ARTICLES * STATEMENTS_EACH} statement(s).")
    expect(status.locator(".job-count")).to_contain_text("(100 %)")
    expect(status.get_by_role("button", name="Cancel this job")).to_have_count(0)
    assert Job.objects.get().state == JobState.DONE
    assert Statement.objects.count() == ARTICLES * STATEMENTS_EACH

    status.get_by_role("link", name="Storm report 7", exact=True).click()
    expect(page.locator("#id_headline")).to_have_value("Storm report 7")

    page.goto(f"{live_server.url}/admin/coverage/article/?q=Storm+report+39")
    expect(page.get_by_role("link", name="Storm report 39", exact=True)).to_be_visible()
    assert errors == []
