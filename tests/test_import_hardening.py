"""Input that used to crash an import becomes a problem naming file, line and field (issue 12, item 3).

Also: importers run the models' validators, a tagger's import is credited to the tagger,
and two imports of one bundle at once do not collide.
"""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from coverage.importers import ImportFailed, ImportFile, import_files
from coverage.importers.bundle import FORMAT
from coverage.models import Article, Event, Outlet, Statement

from .conftest import make_event, make_outlet, make_user

BODY = "The council voted for the tram line. “A good day,” the mayor said."
HEADER = json.dumps({"format": FORMAT, "version": 1})


def lines(*records: dict | str) -> bytes:
    texts = [HEADER] + [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    return ("\n".join(texts) + "\n").encode("utf-8", "surrogatepass")


def problem_of(name: str, data: bytes, **kwargs) -> tuple:
    with pytest.raises(ImportFailed) as failure:
        import_files([ImportFile(name, data)], **kwargs)
    (problem,) = failure.value.problems
    return problem.file, problem.line, problem.field, problem.message


OUTLET = {"record": "outlet", "slug": "valley-post", "name": "The Valley Post"}
EVENT = {"record": "event", "slug": "tram-vote", "name": "Tram vote", "date": "2019-03-13"}
ARTICLE = {
    "record": "article",
    "event": "tram-vote",
    "outlet": "valley-post",
    "url": "https://valley.example/tram",
    "headline": "Council approves the tram line",
    "body": BODY,
}


def statement(**fields) -> dict:
    return {
        "record": "statement",
        "article": {"url": "https://valley.example/tram"},
        "start": 0,
        "end": 36,
        "text": BODY[:36],
        "kind": "assertion",
        **fields,
    }


@pytest.mark.parametrize(
    "line, field, words",
    [
        ("[" * 100_000 + "]" * 100_000, "json", "nested too deeply"),  # RecursionError in json
        ('{"record": "outlet", "slug": ' + "[" * 50 + "]" * 50 + "}", "slug", "nested more than"),
        ('{"record": "source", "name": "\\ud800", "type": "official"}', "name", "lone surrogate (\\ud800)"),
        ('{"record": "source", "name": "Ann\\u0000", "type": "official"}', "name", "NUL character"),
        ('{"record": "source", "name": "Ann", "type": "official", "x\\u0000": 1}', "x\x00", "NUL character"),
        (
            '{"record": "frame", "codebook": "c", "slug": "s", "name": "n", "number": 1' + "0" * 5000 + "}",
            "json",
            "not readable JSON",
        ),
        (
            '{"record": "frame", "codebook": "c", "slug": "s", "name": "n", "number": 1e400}',
            "number",
            "must be a whole number",
        ),
        ('{"record": "source", "name": "Ann", "type": {"a": 1}}', "type", "is not one of"),
        ('{"record": [1], "name": "Ann"}', "record", "unknown record type"),
    ],
)
def test_odd_json_is_a_problem_on_its_line(db, line, field, words):
    file, number, got_field, message = problem_of("b.jsonl", lines(line))
    assert (file, number, got_field) == ("b.jsonl", 2, field)
    assert words in message


def test_a_header_with_an_odd_version_is_a_problem(db):
    data = (json.dumps({"format": FORMAT, "version": [1]}) + "\n" + json.dumps(OUTLET) + "\n").encode()
    assert problem_of("b.jsonl", data)[1:3] == (1, "version")


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"start": 10**30}, "start", "is out of range"),
        ({"end": 2**31}, "end", "is out of range"),
        ({"article": {"url": ["x"]}}, "article", "with strings"),
        ({"tagged_at": "0001-01-01T00:00:00+05:00"}, "tagged_at", "out of range once moved to UTC"),
        ({"tagged_by": "<b>boss</b>"}, "tagged_by", "Enter a valid username"),
        ({"tagged_by": "two\nlines"}, "tagged_by", "Enter a valid username"),
    ],
)
def test_wrong_types_huge_numbers_and_bad_usernames_in_statements(db, change, field, words):
    data = lines(OUTLET, EVENT, ARTICLE, statement(**change))
    file, number, got_field, message = problem_of("b.jsonl", data, create_users=True)
    assert (number, got_field) == (5, field) and words in message
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "https://valley.example/\nx"}, "website"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_outlets_are_checked_by_the_models_validators(db, change, field):
    assert problem_of("b.jsonl", lines({**OUTLET, **change}))[1:3] == (2, field)
    assert not Outlet.objects.exists()


def test_an_article_url_must_be_a_web_address(db):
    data = lines(OUTLET, EVENT, {**ARTICLE, "url": "javascript:alert(1)"})
    assert problem_of("b.jsonl", data)[1:3] == (4, "url")


def test_a_new_outlet_may_not_take_a_saved_outlets_name(db):
    make_outlet(slug="valley", name="The Valley Post")
    file, number, field, message = problem_of("b.jsonl", lines(OUTLET))
    assert (number, field) == (2, "name") and "“valley” is already named “The Valley Post”" in message


@pytest.mark.parametrize(
    "page, words",
    [
        (
            '<meta charset="rot13"><title>T</title><p>Text</p>',
            "“rot13” is not a character set a web page can be written in",
        ),
        ('<meta charset="unicode_escape"><p>\\ud800 text</p>', "not a character set a web page"),
        ('<meta charset="base64"><p>x</p>', "not a character set a web page"),
        ('<meta charset="no-such-set"><p>x</p>', "unknown charset “no-such-set”"),
    ],
)
def test_html_in_a_charset_that_is_no_character_set_is_refused(db, page, words):
    event, outlet = make_event(), make_outlet()
    file, number, field, message = problem_of("p.html", page.encode(), event=event.slug, outlet=outlet.slug)
    assert (number, field) == (1, "encoding") and words in message


@pytest.mark.parametrize("name", ["a.txt", "a.html"])
def test_nul_bytes_in_a_text_or_page_are_refused_with_their_line(db, name):
    event, outlet = make_event(), make_outlet()
    data = b"Council approves the tram line\n\nThe council voted\x00 for the tram line.\n"
    file, number, field, message = problem_of(name, data, event=event.slug, outlet=outlet.slug)
    assert (number, field) == (3, "encoding") and "NUL character" in message


def test_a_taggers_import_is_credited_to_the_tagger_now(db, tagger):
    make_user("someone-else")
    old = "2015-01-01T00:00:00+00:00"
    data = lines(ARTICLE, statement(tagged_by="someone-else", tagged_at=old))
    make_event(slug="tram-vote"), make_outlet(slug="valley-post")
    before = timezone.now()
    import_files([ImportFile("b.jsonl", data)], user=tagger, may_create=frozenset({"article", "statement"}))
    saved = Statement.objects.get()
    assert saved.tagged_by == tagger and saved.tagged_at >= before
    assert Article.objects.get().created_at >= before


def test_an_admins_import_keeps_who_tagged_and_when(db, admin_user):
    other = make_user("someone-else")
    data = lines(ARTICLE, statement(tagged_by="someone-else", tagged_at="2015-01-01T00:00:00+00:00"))
    make_event(slug="tram-vote"), make_outlet(slug="valley-post")
    import_files([ImportFile("b.jsonl", data)], user=admin_user)
    saved = Statement.objects.get()
    assert (saved.tagged_by, saved.tagged_at) == (other, dt.datetime(2015, 1, 1, tzinfo=dt.UTC))


def test_crash_inputs_give_400_not_500_in_admin(client, tagger):
    client.force_login(tagger)
    make_event(slug="tram-vote"), make_outlet(slug="valley-post")
    uploads = [
        ("deep.jsonl", lines("[" * 100_000 + "]" * 100_000)),
        ("surrogate.jsonl", lines('{"record": "source", "name": "\\ud800", "type": "official"}')),
        ("rot13.html", b'<meta charset="rot13"><p>x</p>'),
        ("nul.txt", b"Headline of the piece\n\nText\x00.\n"),
    ]
    for name, data in uploads:
        upload = SimpleUploadedFile(name, data, content_type="text/plain")
        response = client.post(
            reverse("admin:coverage_article_import"), {"files": [upload], "event": "tram-vote", "outlet": "valley-post"}
        )
        assert response.status_code == 400, name
        assert f"<strong>{name}</strong>" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_bundle_at_once_do_not_collide():
    data = lines(OUTLET, EVENT, ARTICLE, statement())
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            import_files([ImportFile("b.jsonl", data)])
        except ImportFailed as failure:
            errors.append(failure)
        except BaseException as error:  # anything else is the crash this test is about
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(isinstance(e, ImportFailed) and "run it again" in str(e) for e in errors), errors
    if connection.vendor == "postgresql":
        assert errors == []  # serialised by the advisory lock: the second finds the first's rows
    assert (Event.objects.count(), Article.objects.count(), Statement.objects.count()) == (1, 1, 1)
