"""Matching an event's statements into claims (coverage/claims.py) and when it runs."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.tasks import task_backends

from coverage.claim_models import Claim, ClaimOmission, ClaimStatement, StatementMatch
from coverage.claims import match_event, schedule_matching
from coverage.merging import merge_sources
from coverage.models import Statement, StatementStatus, TaggingStatus
from coverage.tagging_admin import bulk_set, review_statements
from tests.claim_fixtures import EVER_GIVEN, load_fixture_event
from tests.conftest import make_article, make_event, make_outlet, make_statement, make_topic


@pytest.fixture
def queued(settings):
    """Tasks are kept, not run (Django's dummy task backend): returns the list of enqueued event ids."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]

    def events() -> list[int]:
        return sorted(arg for result in backend.results for arg in result.args)

    return events


@pytest.fixture
def ever_given(db, django_capture_on_commit_callbacks):
    # Loading schedules a run for when the test's transaction commits, which it never does:
    # cancel it, so that what a test does schedules afresh.
    with django_capture_on_commit_callbacks() as pending:
        loaded = load_fixture_event(EVER_GIVEN)
    for callback in pending:
        callback.cancel()
    return loaded


def _statement(loaded, start: str) -> Statement:
    return next(s for s in loaded["statements"] if s.text.startswith(start))


def _claim_of(statement: Statement) -> int:
    return ClaimStatement.objects.get(statement=statement).claim_id


def test_it_groups_the_statements_of_outlets_that_report_the_same_claim(ever_given):
    report = match_event(ever_given["event"].pk)
    assert report.statements == len(EVER_GIVEN.statements) == ClaimStatement.objects.count()
    queue = [_statement(ever_given, "More than 360 ships"), _statement(ever_given, "More than 360 vessels")]
    assert _claim_of(queue[0]) == _claim_of(queue[1])
    assert _claim_of(queue[0]) != _claim_of(_statement(ever_given, "Insurers expect"))
    assert StatementMatch.objects.filter(statement_a=queue[0], statement_b=queue[1]).exists()
    assert Claim.objects.get(pk=_claim_of(queue[0])).outlet_count == 2


def test_each_outlet_gets_a_candidate_for_every_claim_only_others_carried(ever_given):
    match_event(ever_given["event"].pk)
    review = ever_given["outlets"]["review"]
    insurers = _claim_of(_statement(ever_given, "Insurers expect"))
    queue = _claim_of(_statement(ever_given, "More than 360 ships"))
    left_out = set(ClaimOmission.objects.filter(outlet=review).values_list("claim_id", flat=True))
    assert queue in left_out and insurers not in left_out
    others = {o.pk for key, o in ever_given["outlets"].items() if key != "review"}
    assert set(ClaimOmission.objects.filter(claim_id=insurers).values_list("outlet_id", flat=True)) == others
    assert set(ClaimOmission.objects.values_list("status", flat=True)) == {"candidate"}


def test_it_flags_a_shortened_quote_and_a_paraphrase_of_the_same_source(ever_given):
    match_event(ever_given["event"].pk)
    full = _statement(ever_given, "We have managed to refloat the vessel, and")
    short = next(s for s in ever_given["statements"] if s.text == "We have managed to refloat the vessel")
    paraphrase = _statement(ever_given, "The authority said it had refloated")
    pair = StatementMatch.objects.get(statement_a=full, statement_b=short)
    assert pair.trimming == "shortened"
    assert StatementMatch.objects.get(statement_a=full, statement_b=paraphrase).trimming == "paraphrased"
    reworded = StatementMatch.objects.get(statement_a=_statement(ever_given, "Every day of closure holds up roughly"))
    assert reworded.trimming == "reworded"


def test_a_rerun_keeps_claim_ids_and_creates_nothing_new(ever_given):
    event = ever_given["event"].pk
    match_event(event)
    before = (set(Claim.objects.values_list("pk", flat=True)), set(ClaimOmission.objects.values_list("pk", flat=True)))
    report = match_event(event)
    after = (set(Claim.objects.values_list("pk", flat=True)), set(ClaimOmission.objects.values_list("pk", flat=True)))
    assert after == before
    assert (report.candidates_added, report.candidates_removed) == (0, 0)


def test_a_decision_survives_while_its_omission_holds_and_is_kept_aside_when_it_no_longer_does(ever_given):
    event = ever_given["event"].pk
    match_event(event)
    review = ever_given["outlets"]["review"]
    queue_statement = _statement(ever_given, "More than 360 ships")
    omission = ClaimOmission.objects.get(outlet=review, claim_id=_claim_of(queue_statement))
    user = get_user_model().objects.create_user("decider")
    assert ClaimOmission.objects.filter(pk=omission.pk).decide("confirmed", user) == (1, [])
    match_event(event)
    omission.refresh_from_db()
    assert (omission.status, omission.current, omission.decided_by) == ("confirmed", True, user)

    # The review now carries the claim: the confirmed omission is no longer found, but kept.
    article = ever_given["articles"]["review"]
    article.body += " More than 360 ships were waiting at both ends of the canal, the authority said."
    article.save()
    make_statement(article, "More than 360 ships were waiting at both ends of the canal, the authority said.")
    match_event(event)
    omission.refresh_from_db()
    assert (omission.status, omission.current) == ("confirmed", False)
    assert not ClaimOmission.objects.filter(outlet=review, claim_id=omission.claim_id, current=True).exists()


def test_candidates_nobody_decided_go_when_the_omission_does(ever_given):
    event = ever_given["event"].pk
    match_event(event)
    review = ever_given["outlets"]["review"]
    claim = _claim_of(_statement(ever_given, "The ship's Japanese owner"))
    assert ClaimOmission.objects.filter(outlet=review, claim_id=claim).exists()
    _statement(ever_given, "The ship's Japanese owner").delete()
    report = match_event(event)
    assert report.candidates_removed >= 3
    assert not Claim.objects.filter(pk=claim).exists()
    assert not ClaimOmission.objects.filter(claim_id=claim).exists()


def test_only_accepted_statements_are_matched(ever_given):
    statement = _statement(ever_given, "Insurers expect")
    statement.status = StatementStatus.SUGGESTED
    statement.save()
    match_event(ever_given["event"].pk)
    assert not ClaimStatement.objects.filter(statement=statement).exists()


def test_an_outlet_with_an_untagged_article_still_gets_candidates(ever_given):
    late = make_article(ever_given["event"], make_outlet(name="Late Outlet"), tagging_status=TaggingStatus.NOT_STARTED)
    match_event(ever_given["event"].pk)
    assert ClaimOmission.objects.filter(outlet=late.outlet).count() == Claim.objects.count()


# ---------------------------------------------------------------- when it runs


def test_many_statement_changes_in_one_transaction_enqueue_one_run_per_event(
    ever_given, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            other = make_article(body="A different event's article. It says one thing.")
            for statement in ever_given["statements"][:10]:
                statement.tone = 1
                statement.save()
            make_statement(other, "A different event's article.")
    assert queued() == sorted([ever_given["event"].pk, other.event_id])


def test_nothing_runs_before_the_transaction_commits_or_when_it_rolls_back(
    ever_given, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            ever_given["statements"][0].save()
            assert queued() == []
            transaction.set_rollback(True)
    assert queued() == []


def test_a_new_suggestion_does_not_trigger_matching_but_accepting_it_does(
    ever_given, tagger, queued, django_capture_on_commit_callbacks
):
    article = ever_given["articles"]["review"]
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = make_statement(article, "Insurers expect large claims", status=StatementStatus.SUGGESTED)
    assert queued() == []
    with django_capture_on_commit_callbacks(execute=True):
        review_statements(Statement.objects.filter(pk=suggestion.pk), StatementStatus.ACCEPTED, tagger)
    assert queued() == [ever_given["event"].pk]


def test_a_bulk_topic_change_triggers_one_run_and_a_tone_change_none(
    ever_given, tagger, queued, django_capture_on_commit_callbacks
):
    statements = Statement.objects.filter(pk__in=[s.pk for s in ever_given["statements"]])
    topic = make_topic(ever_given["event"])
    with django_capture_on_commit_callbacks(execute=True):
        bulk_set(statements, "tone", 1, tagger)
    assert queued() == []
    with django_capture_on_commit_callbacks(execute=True):
        bulk_set(statements, "topic", topic, tagger)
    assert queued() == [ever_given["event"].pk]


IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_the_task_runs_the_matching_after_commit(ever_given, django_capture_on_commit_callbacks, settings):
    """With the immediate task backend the run happens when the transaction commits (the
    database-backed worker runs the same task; tests/test_jobs_worker.py drives it)."""
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        schedule_matching(event_ids=[ever_given["event"].pk])
        assert not ClaimStatement.objects.exists()
    assert ClaimStatement.objects.count() == len(EVER_GIVEN.statements)


def test_deleting_an_article_rematches_its_event(ever_given, django_capture_on_commit_callbacks, settings):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        schedule_matching(event_ids=[ever_given["event"].pk])
    review = ever_given["articles"]["review"]
    with django_capture_on_commit_callbacks(execute=True):
        review.statements.all().delete()
        review.delete()
    assert not ClaimOmission.objects.filter(outlet=ever_given["outlets"]["review"]).exists()
    assert ClaimStatement.objects.count() == len([s for s in EVER_GIVEN.statements if s.article != "review"])


def test_an_import_of_several_files_enqueues_one_run_for_its_event(
    db, tmp_path, queued, django_capture_on_commit_callbacks
):
    event, outlet = make_event(), make_outlet()
    paths = []
    for n in range(3):
        path = tmp_path / f"{n}.txt"
        path.write_text(f"Headline {n}\n\nThe minister said the bridge would open in spring, article {n}.\n", "utf-8")
        paths.append(str(path))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", *paths, "--event", event.slug, "--outlet", outlet.slug, stdout=io.StringIO())
    assert queued() == [event.pk]


def test_merging_sources_rematches_the_events_of_the_moved_statements(
    ever_given, queued, django_capture_on_commit_callbacks
):
    statements = ever_given["statements"]
    survivor, other = statements[1].source, statements[4].source  # the authority; the analyst
    with django_capture_on_commit_callbacks(execute=True):
        merge_sources(survivor, [other])
    assert queued() == [ever_given["event"].pk]


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_the_matching_an_import_queued():
    """Beside the web server the run waits in the database queue until the worker takes it."""
    from .worker import restore_migration_data, run_worker_here

    restore_migration_data()
    loaded = load_fixture_event(EVER_GIVEN)  # commits: the run is queued, not made
    assert not ClaimStatement.objects.exists()
    run_worker_here()
    assert ClaimStatement.objects.filter(statement__article__event=loaded["event"]).count() == len(
        EVER_GIVEN.statements
    )
