import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coverage.models import Article, Codebook, Frame, Statement, Topic
from tests.conftest import make_article, make_event, make_outlet, make_statement, make_topic


@pytest.fixture
def article(db):
    return make_article(body="Putin said the talks were “businesslike and constructive.” Trump agreed.")


def test_media_frames_codebook_has_its_fifteen_frames(db):
    codebook = Codebook.objects.get(slug="media-frames-corpus")
    names = list(codebook.frames.values_list("name", flat=True))
    assert len(names) == 15
    assert names[0] == "Economic" and names[-1] == "Other"
    assert "Security and defense" in names


def test_it_saves_a_statement_whose_text_matches_the_body(article):
    statement = make_statement(article, "businesslike and constructive.")
    assert article.body[statement.start : statement.end] == statement.text


def test_it_refuses_to_save_offsets_that_do_not_match_the_text(article):
    with pytest.raises(ValidationError) as error:
        Statement.objects.create(article=article, start=0, end=5, text="Trump", kind="quote")
    assert "text" in error.value.message_dict
    assert "Putin" in error.value.message_dict["text"][0]
    assert not Statement.objects.exists()


def test_it_refuses_offsets_past_the_end_of_the_body(article):
    n = len(article.body)
    with pytest.raises(ValidationError) as error:
        Statement(article=article, start=n - 2, end=n + 3, text="xxxxx", kind="quote").full_clean()
    assert "end" in error.value.message_dict


def test_the_database_refuses_text_whose_length_does_not_fit_the_offsets(article):
    # bulk_create skips save(); the check constraint still holds the length to the offsets.
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.bulk_create([Statement(article=article, start=0, end=3, text="Putin", kind="quote")])


def test_the_database_refuses_end_before_start(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.bulk_create([Statement(article=article, start=5, end=5, text="", kind="quote")])


def test_it_refuses_tone_three_in_validation_and_in_the_database(article):
    statement = make_statement(article, "Trump agreed.")
    statement.tone = 3
    with pytest.raises(ValidationError) as error:
        statement.full_clean()
    assert "tone" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(tone=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(tone=-3)


def test_it_refuses_an_exact_duplicate_span(article):
    make_statement(article, "Trump agreed.")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_statement(article, "Trump agreed.")


def test_overlapping_statements_are_allowed(article):
    make_statement(article, "businesslike and constructive.")
    make_statement(article, "businesslike")
    assert article.statements.count() == 2


def test_article_urls_are_unique_but_may_be_empty(db):
    event, outlet = make_event(), make_outlet()
    make_article(event, outlet, url="https://example.com/a", body="one")
    make_article(event, outlet, url=None, body="two")
    make_article(event, outlet, url="", body="three")  # stored as NULL, so no clash
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(event, outlet, url="https://example.com/a", body="four")
    assert Article.objects.filter(url__isnull=True).count() == 2


def test_topic_slugs_are_unique_per_event_only(db):
    first, second = make_event(), make_event()
    make_topic(first, slug="thaad")
    make_topic(second, slug="thaad")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_topic(first, slug="thaad")
    assert Topic.objects.filter(slug="thaad").count() == 2


def test_a_statement_topic_must_belong_to_the_articles_event(article):
    other_topic = make_topic(make_event())
    statement = make_statement(article, "Trump agreed.")
    statement.topic = other_topic
    with pytest.raises(ValidationError) as error:
        statement.full_clean()
    assert "topic" in error.value.message_dict


def test_a_statement_frame_must_come_from_the_events_codebook(article):
    other = Codebook.objects.create(name="Research group", slug="research")
    foreign = Frame.objects.create(codebook=other, name="Hope", slug="hope")
    statement = make_statement(article, "Trump agreed.")
    statement.frame = foreign
    with pytest.raises(ValidationError) as error:
        statement.full_clean()
    assert "frame" in error.value.message_dict


def test_editing_a_body_under_tagged_statements_is_refused(article):
    make_statement(article, "Trump agreed.")
    article.body = "Completely different text that moves everything around. Trump agreed!"
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "body" in error.value.message_dict


def test_every_model_reads_as_text(article):
    statement = make_statement(article, "Trump agreed.", topic=make_topic(article.event, name="Korea"))
    assert str(statement) == "“Trump agreed.”"
    assert str(statement.topic) == "Korea"
    assert str(article).startswith(article.outlet.name)
