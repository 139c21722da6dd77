"""manage.py generate_synthetic: the data the benchmark measures (docs/performance.md)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Avg, Count, F
from django.urls import reverse

from coverage.models import Article, Event, Outlet, Source, SourceType, Statement, StatementKind, TaggingStatus
from coverage.synthetic import SLUG_PREFIX


def generate(statements=1200, seed=7, events=6, outlets=4):
    call_command(
        "generate_synthetic",
        statements=statements,
        seed=seed,
        events=events,
        outlets=outlets,
        verbosity=0,
    )


def snapshot() -> list[tuple]:
    """Everything generated, without the ids (which depend on what the database held before)."""
    return list(
        Statement.objects.order_by("article__event__slug", "article__url", "start").values_list(
            "article__event__slug",
            "article__outlet__slug",
            "article__url",
            "article__headline",
            "article__body_hash",
            "article__tagging_status",
            "article__published_at",
            "start",
            "end",
            "text",
            "kind",
            "source__name",
            "source__affiliation",
            "topic__slug",
            "frame__slug",
            "tone",
            "status",
            "tagged_by__username",
            "tagged_at",
        )
    )


@pytest.mark.django_db
def test_it_writes_exactly_the_statements_events_and_outlets_asked_for():
    generate()
    assert Statement.objects.count() == 1200
    assert Event.objects.filter(slug__startswith=SLUG_PREFIX).count() == 6
    assert Outlet.objects.filter(slug__startswith=SLUG_PREFIX).count() == 4


@pytest.mark.django_db
def test_every_statement_points_at_its_text_in_the_body():
    generate()
    bodies = dict(Article.objects.values_list("id", "body"))
    for article_id, start, end, text in Statement.objects.values_list("article_id", "start", "end", "text"):
        assert bodies[article_id][start:end] == text


@pytest.mark.django_db
def test_it_covers_every_kind_source_type_and_tagging_state_and_one_big_event():
    generate(statements=3000, events=8, outlets=6)
    assert set(Statement.objects.values_list("kind", flat=True)) == set(StatementKind.values)
    assert set(Statement.objects.values_list("source__type", flat=True)) == set(SourceType.values)
    assert set(Article.objects.values_list("tagging_status", flat=True)) == set(TaggingStatus.values)
    per_event = dict(Statement.objects.values_list("article__event__slug").annotate(n=Count("id")))
    assert per_event[f"{SLUG_PREFIX}big-event"] == max(per_event.values()) >= 600
    assert Article.objects.values("published_at__date").distinct().count() > 8


@pytest.mark.django_db
def test_frames_come_from_the_events_codebook_and_topics_from_the_event():
    generate(statements=2000, events=12)
    assert not Statement.objects.exclude(frame=None).exclude(frame__codebook=F("article__event__codebook")).exists()
    assert not Statement.objects.exclude(topic=None).exclude(topic__event=F("article__event")).exists()
    assert Event.objects.filter(slug__startswith=SLUG_PREFIX).values("codebook").distinct().count() == 2


@pytest.mark.django_db
def test_outlets_differ_in_tone_and_sources():
    generate(statements=3000, outlets=6)
    means = [row["mean"] for row in Statement.objects.values("article__outlet").annotate(mean=Avg("tone"))]
    assert max(means) - min(means) > 0.5
    experts = Statement.objects.filter(source__type=SourceType.EXPERT)
    assert experts.exclude(source__affiliation="").exists()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    generate(seed=3)
    first = snapshot()
    Statement.objects.all().delete()
    Article.objects.all().delete()
    Event.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    Outlet.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    Source.objects.filter(name__endswith="(syn)").delete()
    generate(seed=3)
    assert snapshot() == first
    Statement.objects.all().delete()
    Article.objects.all().delete()
    Event.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    Outlet.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    Source.objects.filter(name__endswith="(syn)").delete()
    generate(seed=4)
    assert snapshot() != first


@pytest.mark.django_db
def test_it_refuses_a_database_that_already_holds_synthetic_data():
    generate(statements=100)
    with pytest.raises(CommandError, match="already holds synthetic data"):
        generate(statements=100)


@pytest.mark.django_db
def test_the_dashboard_pages_render_the_generated_data(editor_client):
    generate(statements=1500, events=4)
    big = Event.objects.get(slug=f"{SLUG_PREFIX}big-event")
    outlet = Outlet.objects.filter(slug__startswith=SLUG_PREFIX).first()
    article = Article.objects.filter(event=big).first()
    urls = [
        reverse("coverage:event_list"),
        reverse("coverage:event_detail", args=[big.slug]),
        reverse("coverage:event_statements", args=[big.slug]) + f"?outlet={outlet.slug}",
        reverse("coverage:event_compare", args=[big.slug]),
        reverse("coverage:outlet_overview"),
        reverse("coverage:chart", args=[big.slug, "topic-coverage"]),
        reverse("coverage:chart_across_events", args=["tone"]),
        reverse("coverage:article_detail", args=[article.pk]),
    ]
    for url in urls:
        assert editor_client.get(url).status_code == 200, url
