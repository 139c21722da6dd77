import io
import os

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from coverage.models import Article, Event, Outlet, Source, SourceType, Statement, StatementKind, Topic

FURNITURE = ["Skip to main content", "Popular Video", "icon", "Photo credit"]


def _snapshot() -> dict:
    models = [Outlet, Event, Topic, Source, Article, Statement, get_user_model()]
    return {m.__name__: sorted((o.pk, repr(sorted(model_to_dict(o).items()))) for o in m.objects.all()) for m in models}


def _run(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_the_demo_has_two_outlets_two_articles_and_a_full_tagging(demo):
    assert demo.articles.count() == 2
    assert set(Outlet.objects.values_list("name", flat=True)) == {"RT", "Opposing Views"}
    for article in demo.articles.all():
        assert 15 <= article.statements.count() <= 30, article.outlet
        assert not article.statements.filter(source=None).exists()
        assert not article.statements.filter(topic=None).exists()
        assert not article.statements.filter(frame=None).exists()
    kinds = set(Statement.objects.values_list("kind", flat=True))
    assert kinds == set(StatementKind.values)
    assert demo.topics.filter(is_key=True).exists()


def test_every_demo_statement_points_exactly_at_its_text(demo):
    for statement in Statement.objects.select_related("article"):
        assert statement.article.body[statement.start : statement.end] == statement.text


def test_no_page_furniture_is_left_in_either_body(demo):
    for article in demo.articles.all():
        for furniture in FURNITURE:
            assert furniture not in article.body, (article.outlet, furniture)
        assert article.original_text  # the raw text is kept for provenance


def test_the_demo_shows_real_differences_between_the_outlets(demo):
    rt, ov = Outlet.objects.get(slug="rt"), Outlet.objects.get(slug="opposing-views")

    def topics(outlet):
        return set(Statement.objects.filter(article__outlet=outlet).values_list("topic__slug", flat=True))

    assert "thaad" in topics(rt) and "thaad" not in topics(ov)
    assert "election-interference" in topics(ov) and "election-interference" not in topics(rt)
    experts = Statement.objects.filter(source__type=SourceType.EXPERT)
    assert set(experts.values_list("article__outlet__slug", flat=True)) == {"opposing-views"}


def test_loading_twice_changes_nothing(db):
    first = _run()
    assert "created" in first
    before = _snapshot()
    second = _run()
    assert "nothing changed" in second
    assert _snapshot() == before


def test_it_creates_the_three_demo_users_and_prints_their_logins(db, monkeypatch):
    monkeypatch.setenv("DEMO_EDITOR_PASSWORD", "editor-pass-from-env")
    output = _run()
    User = get_user_model()
    editor, tagger, admin = (User.objects.get(username=n) for n in ("editor", "tagger", "admin"))
    assert editor.check_password("editor-pass-from-env")
    assert "editor-pass-from-env" in output
    assert editor.groups.filter(name="Editors").exists() and not editor.is_staff
    assert tagger.groups.filter(name="Taggers").exists() and tagger.is_staff and not tagger.is_superuser
    assert admin.is_superuser
    for line in ("login editor", "login tagger", "login admin"):
        assert line in output


def test_generated_passwords_differ_and_are_kept_on_a_second_run(db):
    for name in ("DEMO_EDITOR_PASSWORD", "DEMO_TAGGER_PASSWORD", "DEMO_ADMIN_PASSWORD"):
        os.environ.pop(name, None)
    output = _run()
    passwords = [line.split("password ")[1] for line in output.splitlines() if "login " in line]
    assert len(set(passwords)) == 3 and all(len(p) >= 12 for p in passwords)
    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password(passwords[0])
    assert "unchanged" in _run()
    editor.refresh_from_db()
    assert editor.check_password(passwords[0])


def test_statements_are_credited_to_the_demo_tagger(db):
    _run()
    assert not Statement.objects.exclude(tagged_by__username="tagger").exists()


@pytest.mark.parametrize("article_key", ["rt", "ov"])
def test_the_tagging_refers_only_to_known_rows(article_key):
    from coverage.demo import tagging

    topics = {t[0] for t in tagging.TOPICS}
    sources = {s[0] for s in tagging.SOURCES}
    items = [s for s in tagging.STATEMENTS if s["article"] == article_key]
    assert items
    for item in items:
        assert item["topic"] in topics and item["source"] in sources
        assert -2 <= item["tone"] <= 2


@pytest.mark.parametrize("weak", ["a", "password1234", "9876543210987"])
def test_a_weak_demo_password_from_the_environment_is_refused_and_nothing_is_made(db, monkeypatch, weak):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", weak)
    with pytest.raises(CommandError) as refused:
        _run()
    assert str(refused.value).startswith("DEMO_ADMIN_PASSWORD is too weak:")
    assert "Set a stronger one" in str(refused.value)
    assert not get_user_model().objects.exists()


def test_a_weak_password_is_refused_when_resetting_too(db, monkeypatch):
    _run()
    monkeypatch.setenv("DEMO_EDITOR_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="DEMO_EDITOR_PASSWORD is too weak: This password is too short"):
        _run("--reset-passwords")


def test_generated_demo_passwords_pass_the_password_validators(db):
    for name in ("DEMO_EDITOR_PASSWORD", "DEMO_TAGGER_PASSWORD", "DEMO_ADMIN_PASSWORD"):
        os.environ.pop(name, None)
    output = _run()
    users = {user.username: user for user in get_user_model().objects.all()}
    for line in (line for line in output.splitlines() if "login " in line):
        username, password = line.split()[1], line.split("password ")[1]
        validate_password(password, users[username])
        assert len(password) >= 20
