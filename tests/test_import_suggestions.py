"""Imported articles that arrive untagged get machine suggestions; tagged ones keep their tagging."""

import io

from django.core.management import call_command

from coverage.models import Article, Statement, StatementStatus
from tests.conftest import make_event, make_outlet


def test_an_imported_text_file_gets_suggestions_that_stay_off_the_dashboard(db, tmp_path):
    _event, _outlet = make_event(slug="call"), make_outlet(slug="paper")
    path = tmp_path / "story.txt"
    path.write_text(
        "Leaders talk\n\nThe two presidents spoke on Tuesday.\n\n“We agreed to work together,” the minister said.\n",
        encoding="utf-8",
    )
    call_command(
        "import_articles",
        str(path),
        "--event",
        "call",
        "--outlet",
        "paper",
        "--no-progress",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    article = Article.objects.get()
    suggestions = Statement.objects.filter(article=article)
    assert suggestions.exists()
    assert set(suggestions.values_list("status", flat=True)) == {StatementStatus.SUGGESTED}
    assert not Statement.objects.accepted().exists()
    for s in suggestions:
        assert article.body[s.start : s.end] == s.text


def test_a_bundle_with_its_own_tagging_gets_no_suggestions(demo, tmp_path):
    bundle = tmp_path / "demo.jsonl"
    call_command("export_event", demo.slug, "-o", str(bundle), stdout=io.StringIO())
    before = Statement.objects.count()
    Statement.objects.all().delete()
    Article.objects.all().delete()
    call_command("import_articles", str(bundle), "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
    assert Statement.objects.count() == before
    assert not Statement.objects.filter(status=StatementStatus.SUGGESTED).exists()
