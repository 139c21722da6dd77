"""The admin import page: permission, preview without saving, signed confirm, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from coverage.models import Article

from .conftest import make_event, make_outlet, make_user

URL = reverse("admin:coverage_article_import")
SEED = Path(__file__).resolve().parent.parent / "coverage" / "demo" / "seeds" / "000_fb43e5f0ce7b0368.txt"
HEADLINE = "Putin, Trump speak by phone, discuss Syria, N. Korea – Kremlin"


@pytest.fixture
def tagger_client(client, tagger):
    client.force_login(tagger)
    return client


@pytest.fixture
def target(db):
    return make_event(slug="call"), make_outlet(slug="rt")


def upload(name: str = SEED.name, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SEED.read_bytes() if content is None else content, content_type="text/plain")


def preview(client: Client, *files, event: str = "call", outlet: str = "rt"):
    return client.post(URL, {"files": list(files) or [upload()], "event": event, "outlet": outlet})


def payload_of(response) -> str:
    return re.search(r'name="payload" value="([^"]+)"', response.content.decode()).group(1)


def test_the_changelist_links_to_the_import_page(tagger_client):
    response = tagger_client.get(reverse("admin:coverage_article_changelist"))
    assert f'href="{URL}"' in response.content.decode() and "Import articles" in response.content.decode()


def test_the_page_shows_an_upload_form(tagger_client, target):
    response = tagger_client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'type="file"' in content and "multiple" in content and 'enctype="multipart/form-data"' in content


def test_it_needs_permission_to_add_articles(client, db):
    staff = make_user("staff-only", None, is_staff=True)
    client.force_login(staff)
    assert client.get(URL).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="add_article"))
    assert client.get(URL).status_code == 200


def test_anonymous_users_are_sent_to_the_admin_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_preview_shows_the_cleaned_text_and_saves_nothing(tagger_client, target):
    response = preview(tagger_client)
    assert response.status_code == 200
    content = response.content.decode()
    content = content[content.index('class="import-preview"') :]
    assert HEADLINE in content
    assert "2 May 2017, 18:40" in content
    assert "Russian President Vladimir Putin and his US counterpart" in content
    assert "Skip to main content" not in content and "bookmarkicon" not in content
    assert "New article" in content and 'name="payload"' in content
    assert not Article.objects.exists()


def test_confirming_saves_what_the_preview_showed(tagger_client, target, tagger):
    payload = payload_of(preview(tagger_client))
    response = tagger_client.post(URL, {"payload": payload})
    assert response.status_code == 302 and response["Location"] == reverse("admin:coverage_article_changelist")
    article = Article.objects.get()
    assert (article.headline, article.event.slug, article.outlet.slug) == (HEADLINE, "call", "rt")
    followed = tagger_client.get(response["Location"])
    assert "Import saved. Created 1 article(s)." in followed.content.decode()


def test_confirming_twice_creates_nothing_more(tagger_client, target):
    payload = payload_of(preview(tagger_client))
    tagger_client.post(URL, {"payload": payload})
    tagger_client.post(URL, {"payload": payload})
    assert Article.objects.count() == 1
    assert "Already imported" in preview(tagger_client).content.decode()


def test_a_tampered_payload_is_refused(tagger_client, target):
    payload = payload_of(preview(tagger_client))
    response = tagger_client.post(URL, {"payload": payload[:-3] + "xyz"})
    assert response.status_code == 400 and b"expired or was altered" in response.content
    assert not Article.objects.exists()


def test_a_payload_made_for_another_user_is_refused(tagger_client, target, client, db):
    payload = payload_of(preview(tagger_client))
    other = make_user("other-tagger", "Taggers", is_staff=True)
    other_client = Client()
    other_client.force_login(other)
    response = other_client.post(URL, {"payload": payload})
    assert response.status_code == 400 and b"another user" in response.content
    assert not Article.objects.exists()


def test_several_files_preview_together_and_a_bad_one_stops_all(tagger_client, target):
    good, bad = upload(), upload("bad.txt", "Caf\u00e9\n\nText".encode("latin-1"))
    response = preview(tagger_client, good, bad)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Nothing was imported" in content
    assert "<strong>bad.txt</strong>, line 1, field <code>encoding</code>" in content
    assert 'name="payload"' not in content and not Article.objects.exists()


def test_a_missing_event_is_explained(tagger_client, target):
    response = tagger_client.post(URL, {"files": [upload()], "event": "", "outlet": "rt"})
    assert response.status_code == 400
    assert "needs an event and an outlet" in response.content.decode()


def test_without_files_the_form_says_so(tagger_client, target):
    response = tagger_client.post(URL, {"event": "call", "outlet": "rt"})
    assert response.status_code == 400 and "Upload a file or give a web address." in response.content.decode()


def test_posting_needs_a_csrf_token(tagger, target):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tagger)
    response = client.post(URL, {"files": [upload()], "event": "call", "outlet": "rt"})
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_headlines_and_bodies_are_escaped(tagger_client, target):
    response = preview(tagger_client, upload("x.txt", b"<script>alert(1)</script>\n\nBody <b>bold</b>.\n"))
    content = response.content.decode()
    assert "<script>alert(1)" not in content and "&lt;script&gt;" in content
    assert "<b>bold</b>" not in content
