"""In a real browser: a tagger uploads a scraped text file, reads the preview and saves it."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import Page, expect

from coverage.models import MEDIA_FRAMES_CODEBOOK_SLUG, Article, Codebook, Event, Outlet

from ..conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

SEED = Path(__file__).resolve().parents[2] / "coverage" / "demo" / "seeds" / "000_fb43e5f0ce7b0368.txt"
HEADLINE = "Putin, Trump speak by phone, discuss Syria, N. Korea – Kremlin"


@pytest.fixture
def tagger_login(live_server):
    # Transactional tests flush the database, data migrations included: make what this test needs.
    codebook, _ = Codebook.objects.get_or_create(
        slug=MEDIA_FRAMES_CODEBOOK_SLUG, defaults={"name": "Media Frames Corpus"}
    )
    Event.objects.create(slug="call", name="Putin–Trump phone call", date=dt.date(2017, 5, 2), codebook=codebook)
    Outlet.objects.create(slug="rt", name="RT")
    user = make_user("importer", None, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="coverage", codename__in=["add_article", "change_article", "view_article"]
        )
    )
    return "importer", "pw-for-tests-only"


def test_a_tagger_uploads_a_file_previews_it_and_saves_it(page: Page, live_server, tagger_login):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    # Django admin pages name no icon, so the browser asks for /favicon.ico; that 404 is not ours.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(f"{live_server.url}/admin/login/?next=/admin/coverage/article/")
    page.get_by_label("Username").fill(tagger_login[0])
    page.get_by_label("Password").fill(tagger_login[1])
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Import articles").click()
    page.set_input_files("input[name=files]", str(SEED))
    page.locator("select[name=event]").select_option("call")
    page.locator("select[name=outlet]").select_option("rt")
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("heading", name="Preview: nothing is saved yet")).to_be_visible()
    preview = page.locator(".import-preview")
    expect(preview.get_by_role("heading", name=HEADLINE)).to_be_visible()
    expect(preview).to_contain_text("2 May 2017, 18:40")
    expect(preview.locator(".import-body")).to_contain_text("Russian President Vladimir Putin and his US counterpart")
    expect(preview.locator(".import-body")).not_to_contain_text("Skip to main content")
    assert not Article.objects.exists()

    page.get_by_role("button", name="Save these articles").click()
    expect(page.locator(".messagelist")).to_contain_text("Import saved. Created 1 article(s).")
    expect(page.get_by_role("link", name=HEADLINE)).to_be_visible()
    article = Article.objects.get()
    assert (article.event.slug, article.outlet.slug, article.headline) == ("call", "rt", HEADLINE)
    assert errors == []
