"""What an import says: each problem once with its lines, dependants as skipped, texts made comparable,
and the admin's outlet handling (issue 11, item 5)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from coverage.importers import ImportFailed, ImportFile, import_files
from coverage.importers.bundle import FORMAT
from coverage.models import Article, Outlet, Topic

from .conftest import make_event, make_outlet, make_user

IMPORT_URL = reverse("admin:coverage_article_import")
BODY = "The council voted for the tram line. “A good day,” the mayor said."


def bundle(*records: dict) -> bytes:
    lines = [{"format": FORMAT, "version": 1}, *records]
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines).encode("utf-8")


def article(**fields) -> dict:
    return {
        "record": "article",
        "event": "tram-vote",
        "outlet": "valley-post",
        "url": "https://valley.example/tram",
        "headline": "Council approves the tram line",
        "body": BODY,
        **fields,
    }


def statement(start: int = 0, end: int = 36, **fields) -> dict:
    return {
        "record": "statement",
        "article": {"url": "https://valley.example/tram"},
        "start": start,
        "end": end,
        "text": BODY[start:end],
        "kind": "assertion",
        **fields,
    }


def failure_of(*files: ImportFile, **kwargs) -> ImportFailed:
    with pytest.raises(ImportFailed) as failure:
        import_files(list(files), **kwargs)
    return failure.value


@pytest.fixture
def places(db):
    return make_event(slug="tram-vote"), make_outlet(slug="valley-post")


def test_one_unknown_tagger_on_many_lines_is_one_problem_naming_the_lines(places):
    spans = [(0, 36), (37, 49), (50, 66)]
    data = bundle(article(), *[statement(a, b, tagged_by="x") for a, b in spans])
    failure = failure_of(ImportFile("b.jsonl", data))
    assert [str(p) for p in failure.problems] == [
        "b.jsonl, 3 records, lines 3–5, field “tagged_by”: no user “x”; create the user first "
        "(or import with --create-users)"
    ]


def test_records_of_a_refused_event_are_skipped_not_errors_of_their_own(db):
    data = bundle(
        {"record": "outlet", "slug": "valley-post", "name": "The Valley Post"},
        {"record": "event", "slug": "tram-vote", "name": "Tram vote", "date": "14 March 2019"},
        {"record": "topic", "event": "tram-vote", "slug": "cost", "name": "Cost"},
        article(),
        statement(topic="cost"),
    )
    failure = failure_of(ImportFile("b.jsonl", data))
    assert [(p.line, p.field) for p in failure.problems] == [(3, "date")]
    assert "none yet" not in failure.report()
    skipped = [str(s) for s in failure.skipped]
    assert skipped == [
        "b.jsonl, 2 records, lines 4–5: skipped because the event “tram-vote” (line 3) was refused",
        "b.jsonl, line 6: skipped because the article https://valley.example/tram (line 5) was refused",
    ]
    assert not Topic.objects.exists()


def test_statements_of_a_refused_article_are_skipped(places):
    data = bundle(article(headline=""), statement(), statement(37, 49))
    failure = failure_of(ImportFile("b.jsonl", data))
    assert [(p.line, p.field) for p in failure.problems] == [(2, "headline")]
    assert [s.lines for s in failure.skipped] == [(3, 4)]


def test_a_text_mismatch_shows_both_texts_with_their_whitespace(places):
    data = bundle(article(), {**statement(0, 36), "text": "The council  voted for the tram line"[:36]})
    (problem,) = failure_of(ImportFile("b.jsonl", data)).problems
    assert problem.field == "text"
    assert "“The·council··voted·for·the·tram·line”" in problem.message
    assert "which reads “The·council·voted·for·the·tram·line.”" in problem.message


def test_notes_about_kept_rows_name_no_line_none_and_no_enum(db, tmp_path):
    make_outlet(slug="valley-post", name="The Valley Post", ownership="private")
    event = make_event()
    path = tmp_path / "a.txt"
    path.write_text("Council approves the tram line\n\n14.03.2019\n\nThe council voted for the tram line.\n")
    err = io.StringIO()
    call_command(
        "import_articles",
        str(path),
        "--event",
        event.slug,
        "--outlet",
        "valley-post",
        "--create-outlet",
        "--outlet-name",
        "Valley Post",
        stdout=io.StringIO(),
        stderr=err,
    )
    notes = err.getvalue()
    assert "the existing outlet “valley-post” has 'The Valley Post'; it was kept and 'Valley Post' ignored" in notes
    assert "has 'private'; it was kept and 'other' ignored" in notes
    assert "line None" not in notes and "Ownership." not in notes and "command line, options, field “name”" in notes


def test_the_command_warns_when_no_headline_or_date_is_found(places, tmp_path):
    path = tmp_path / "lede.txt"
    path.write_text(
        "The council voted on Wednesday to build a tram line to the airport, ending a debate that had "
        "lasted for more than a decade.\n\nWork starts next spring.\n"
    )
    err = io.StringIO()
    call_command("import_articles", str(path), "--event", "tram-vote", "--outlet", "valley-post", stderr=err)
    assert "Note: lede.txt: no line looks like a headline; “(no headline: lede.txt)” stands in" in err.getvalue()
    assert "Note: lede.txt: no date found" in err.getvalue()
    assert Article.objects.get().body.startswith("The council voted on Wednesday")


# Admin -------------------------------------------------------------------------------


def test_an_outlet_saved_in_admin_without_a_colour_gets_the_next_palette_colour(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:coverage_outlet_add"),
        {"name": "The Valley Post", "slug": "valley-post", "ownership": "private", "colour": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Outlet.objects.get().colour.startswith("#")


def test_taggers_may_add_outlets_in_admin(client, tagger):
    client.force_login(tagger)
    response = client.post(
        reverse("admin:coverage_outlet_add"), {"name": "Valley Post", "slug": "valley-post", "ownership": "other"}
    )
    assert response.status_code == 302
    assert Outlet.objects.filter(slug="valley-post").exists()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


TEXT = b"Council approves the tram line\n\n14.03.2019\n\nThe council voted for the tram line on Wednesday.\n"


def test_a_new_outlet_is_created_from_the_import_page(client, tagger):
    make_event(slug="tram-vote")
    client.force_login(tagger)
    form = {"files": [upload("a.txt", TEXT)], "event": "tram-vote", "new_outlet_name": "The Valley Post"}
    form |= {"new_outlet_website": "https://valley.example/", "new_outlet_ownership": "private"}
    response = client.post(IMPORT_URL, form)
    assert response.status_code == 200 and "Saving creates 1 article(s), 1 outlet(s)." in response.content.decode()
    assert not Outlet.objects.exists()
    payload = re.search(r'name="payload" value="([^"]+)"', response.content.decode()).group(1)
    assert client.post(IMPORT_URL, {"payload": payload}).status_code == 302
    outlet = Outlet.objects.get()
    assert (outlet.slug, outlet.website, outlet.ownership) == ("the-valley-post", "https://valley.example/", "private")
    assert Article.objects.get().outlet == outlet


def test_a_new_outlet_that_exists_already_is_refused_on_the_form(client, tagger):
    make_event(slug="tram-vote")
    make_outlet(name="The Valley Post", slug="the-valley-post")
    client.force_login(tagger)
    form = {"files": [upload("a.txt", TEXT)], "event": "tram-vote", "new_outlet_name": "The Valley Post"}
    response = client.post(IMPORT_URL, form)
    assert response.status_code == 400 and "exists already; choose it above" in response.content.decode()


def test_staff_without_the_outlet_permission_may_not_add_one_through_a_bundle(client, db):
    staff = make_user("staff", None, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["add_article", "view_article"]))
    client.force_login(staff)
    data = bundle({"record": "outlet", "slug": "new-outlet", "name": "New outlet"})
    response = client.post(IMPORT_URL, {"files": [upload("b.jsonl", data)]})
    assert response.status_code == 400 and "you may not add outlets" in response.content.decode()


def test_an_empty_upload_names_the_file(client, tagger, places):
    client.force_login(tagger)
    response = client.post(IMPORT_URL, {"files": [upload("empty.txt", b"")], "event": "tram-vote"})
    assert response.status_code == 400
    assert "The file “empty.txt” is empty." in response.content.decode()


def test_a_missing_outlet_on_the_page_speaks_of_the_page_not_of_flags(client, tagger, places):
    client.force_login(tagger)
    response = client.post(IMPORT_URL, {"files": [upload("a.txt", TEXT)], "event": "tram-vote"})
    content = response.content.decode()
    assert response.status_code == 400 and "choose them on this page" in content and "--outlet" not in content


def test_the_preview_warns_and_the_headline_and_date_can_be_corrected(client, tagger, places):
    client.force_login(tagger)
    text = (
        b"The council voted on Wednesday to build a tram line to the airport, ending a debate that had "
        b"lasted for more than a decade.\n\nWork starts next spring.\n"
    )
    response = client.post(
        IMPORT_URL, {"files": [upload("lede.txt", text)], "event": "tram-vote", "outlet": "valley-post"}
    )
    content = response.content.decode()
    assert "Warning: no line looks like a headline" in content and "Warning: no date found" in content
    assert 'name="a0-headline"' in content and 'name="a0-published_at"' in content
    payload = re.search(r'name="payload" value="([^"]+)"', content).group(1)
    bad = client.post(IMPORT_URL, {"payload": payload, "a0-published_at": "the ides of March"})
    assert bad.status_code == 400 and not Article.objects.exists()
    corrected = {"payload": payload, "a0-headline": "Council backs airport tram", "a0-published_at": "2019-03-14T06:15"}
    assert client.post(IMPORT_URL, corrected).status_code == 302
    saved = Article.objects.get()
    assert saved.headline == "Council backs airport tram"
    assert saved.published_at == dt.datetime(2019, 3, 14, 6, 15, tzinfo=dt.UTC)
    assert saved.body.startswith("The council voted on Wednesday")


def test_an_import_error_report_is_escaped_and_lists_skipped_records(client, admin_user, places):
    client.force_login(admin_user)
    url = "https://valley.example/<b>x</b>"
    data = bundle(article(headline="", url=url), statement(article={"url": url}))
    response = client.post(IMPORT_URL, {"files": [upload("b.jsonl", data)]})
    content = response.content.decode()
    assert response.status_code == 400
    assert "<b>x</b>" not in content and "&lt;b&gt;x&lt;/b&gt;" in content
    assert "skipped because the article" in content


def test_the_command_reports_skipped_records_after_the_problems(places, tmp_path):
    path = tmp_path / "b.jsonl"
    path.write_bytes(bundle(article(headline=""), statement()))
    with pytest.raises(CommandError) as error:
        call_command("import_articles", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    report = str(error.value)
    assert report.index("field “headline”") < report.index("Not checked, because of the problems above:")
    assert "b.jsonl, line 3: skipped because the article https://valley.example/tram (line 2) was refused" in report
