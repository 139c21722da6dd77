"""Reviewing claim omission candidates in admin: lists per event, confirm and dismiss, permissions, history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coverage.claim_models import ClaimOmission
from coverage.claims import match_event
from coverage.models import TaggingStatus
from tests.claim_fixtures import EVER_GIVEN, load_fixture_event
from tests.conftest import make_article, make_user

CHANGELIST = "admin:coverage_claimomission_changelist"


@pytest.fixture
def ever_given(db):
    loaded = load_fixture_event(EVER_GIVEN)
    match_event(loaded["event"].pk)
    return loaded


@pytest.fixture
def queue_omission(ever_given) -> ClaimOmission:
    """The Continental Business Review left out the 360 ships waiting that two others reported."""
    return ClaimOmission.objects.get(outlet=ever_given["outlets"]["review"], claim__text__contains="360")


def act(client, action: str, omissions):
    data = {"action": action, "_selected_action": [o.pk for o in omissions]}
    return client.post(reverse(CHANGELIST), data, follow=True)


def test_a_tagger_lists_the_candidates_of_one_event(client, tagger, ever_given, queue_omission):
    client.force_login(tagger)
    response = client.get(
        reverse(CHANGELIST), {"event__id__exact": ever_given["event"].pk, "status__exact": "candidate"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "More than 360" in html and "Continental Business Review" in html
    assert 'value="confirm"' in html and 'value="dismiss"' in html


def test_a_tagger_confirms_a_candidate_and_history_says_who(client, tagger, queue_omission):
    client.force_login(tagger)
    response = act(client, "confirm", [queue_omission])
    assert "Confirmed 1 claim omission(s)." in response.content.decode()
    queue_omission.refresh_from_db()
    assert (queue_omission.status, queue_omission.decided_by) == ("confirmed", tagger)
    assert queue_omission.decided_at is not None
    last = queue_omission.history.latest()
    assert (last.status, last.history_user) == ("confirmed", tagger)


def test_a_tagger_dismisses_a_candidate(client, tagger, queue_omission):
    client.force_login(tagger)
    act(client, "dismiss", [queue_omission])
    queue_omission.refresh_from_db()
    assert (queue_omission.status, queue_omission.decided_by) == ("dismissed", tagger)
    assert queue_omission.history.latest().history_change_reason == "Claim omission dismissed"


def test_confirming_is_refused_while_the_outlets_tagging_is_unfinished(client, tagger, ever_given, queue_omission):
    make_article(
        ever_given["event"], queue_omission.outlet, body="Not tagged yet.", tagging_status=TaggingStatus.IN_PROGRESS
    )
    client.force_login(tagger)
    response = act(client, "confirm", [queue_omission])
    html = response.content.decode()
    assert "Confirmed 0 claim omission(s)." in html and "not all completely tagged" in html
    queue_omission.refresh_from_db()
    assert queue_omission.status == "candidate"


def test_a_candidates_page_shows_what_the_other_outlets_said(client, tagger, ever_given, queue_omission):
    client.force_login(tagger)
    response = client.get(reverse("admin:coverage_claimomission_change", args=[queue_omission.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Harbour Ledger" in html and "Nile Coast Times" in html
    assert "More than 360 ships were waiting" in html and "More than 360 vessels had been queuing" in html
    assert "tagging" in html and "complete" in html


def test_a_candidate_is_confirmed_on_its_page(client, tagger, queue_omission):
    client.force_login(tagger)
    url = reverse("admin:coverage_claimomission_change", args=[queue_omission.pk])
    response = client.post(url, {"status": "confirmed"})
    assert response.status_code == 302
    queue_omission.refresh_from_db()
    assert (queue_omission.status, queue_omission.decided_by) == ("confirmed", tagger)
    assert queue_omission.history.latest().history_user == tagger


def test_the_page_refuses_to_confirm_while_tagging_is_unfinished(client, tagger, ever_given, queue_omission):
    make_article(
        ever_given["event"], queue_omission.outlet, body="Not tagged yet.", tagging_status=TaggingStatus.NOT_STARTED
    )
    client.force_login(tagger)
    url = reverse("admin:coverage_claimomission_change", args=[queue_omission.pk])
    response = client.post(url, {"status": "confirmed"})
    assert response.status_code == 200
    assert "not all completely tagged" in response.content.decode()
    queue_omission.refresh_from_db()
    assert queue_omission.status == "candidate"


def test_nobody_adds_or_deletes_omissions_in_admin(client, admin_user, queue_omission):
    client.force_login(admin_user)
    assert client.get(reverse("admin:coverage_claimomission_add")).status_code == 403
    assert client.get(reverse("admin:coverage_claimomission_delete", args=[queue_omission.pk])).status_code == 403


def test_editors_and_staff_without_the_permission_cannot_review(client, editor, queue_omission):
    client.force_login(editor)
    assert client.get(reverse(CHANGELIST)).status_code == 302  # admin is closed to editors: to the login page
    staff = make_user("plainstaff", None, is_staff=True)
    client.force_login(staff)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert act(client, "confirm", [queue_omission]).status_code == 403
    queue_omission.refresh_from_db()
    assert queue_omission.status == "candidate"


def test_claims_and_matched_statements_are_read_only_for_taggers(client, tagger, ever_given):
    client.force_login(tagger)
    response = client.get(reverse("admin:coverage_statementmatch_changelist"), {"trimming__exact": "shortened"})
    html = response.content.decode()
    assert response.status_code == 200 and "We have managed to refloat the vessel" in html
    assert client.get(reverse("admin:coverage_claim_changelist")).status_code == 200
    assert client.get(reverse("admin:coverage_claim_add")).status_code == 403
