"""Transitions refused: the wrong role or state (403), missing ratings (400 listing them), an unknown
action or a reopen without reason (400), a stale version (409), a review out of scope (404)."""

import pytest
from django.contrib.auth.models import User

from reviews.services import ACTIONS, cycle_advance, cycle_close, unfinished_review_ids
from tests.reviews.api_support import as_, dimensions, fresh, move_to, rate, review_of, url

pytestmark = pytest.mark.django_db

ALLOWED = {
    "draft": {("engineer", "submit_self")},
    "self_submitted": {("manager", "submit_manager"), ("hr", "reopen")},
    "manager_submitted": {("hr", "calibrate"), ("hr", "reopen")},
    "calibrated": {("hr", "calibrate"), ("manager", "share"), ("hr", "reopen")},
    "shared": {("engineer", "acknowledge"), ("hr", "reopen")},
    "acknowledged": {("hr", "reopen")},
}


@pytest.mark.parametrize("state", list(ALLOWED))
def test_every_other_role_and_action_is_refused_with_403(open_cycle, state):
    review = move_to(review_of(open_cycle, "engineer"), state)
    rate_all = {"draft": ["engineer"], "self_submitted": ["manager"]}.get(state, [])
    for persona in rate_all:  # refusals must come from the role and state, not from missing ratings
        rate(persona, review, 3)
    review = fresh(review)
    for persona in ("engineer", "manager", "director", "hr"):
        allowed = {action for who, action in ALLOWED[state] if who == persona}
        assert as_(persona).get(url(review)).json()["actions"] == [a for a in ACTIONS if a in allowed], persona
        for action in ACTIONS:
            if action in allowed:
                continue
            response = as_(persona).post(url(review, "transitions"), {"action": action, "reason": "because"})
            assert response.status_code == 403, (persona, action, response.content)
            assert response.json()["detail"].startswith("The review is ")
    assert fresh(review).state == state and fresh(review).version == review.version


@pytest.mark.parametrize("persona", ["engineer2", "manager2"])
def test_people_outside_the_chain_get_404(open_cycle, persona):
    review = review_of(open_cycle, "engineer")
    response = as_(persona).post(url(review, "transitions"), {"action": "submit_self"})
    assert response.status_code == 404


def test_submitting_the_self_assessment_lists_the_missing_dimensions(open_cycle):
    review = review_of(open_cycle, "engineer")
    names = dimensions(review)
    rate("engineer", review, [4, 4, None, 4, 4, None, 4])
    response = as_("engineer").post(url(review, "transitions"), {"action": "submit_self"})
    assert response.status_code == 400
    body = response.json()
    assert body["missing"] == [names[2], names[5]] and body["side"] == "self"
    assert names[2] in body["detail"]
    assert fresh(review).state == "draft"


def test_submitting_the_manager_review_lists_the_missing_dimensions(open_cycle):
    review = move_to(review_of(open_cycle, "engineer"), "self_submitted")
    rate("manager", review, [3, 3, 3, 3, 3, 3, None])
    response = as_("manager").post(url(review, "transitions"), {"action": "submit_manager"})
    assert response.status_code == 400
    assert response.json()["missing"] == [dimensions(review)[6]] and response.json()["side"] == "manager"
    assert fresh(review).state == "self_submitted"


@pytest.mark.parametrize("body", [{"action": "approve"}, {"action": ""}, {}, {"action": None}, {"action": 3}])
def test_an_unknown_action_answers_400(open_cycle, body):
    review = review_of(open_cycle, "engineer")
    response = as_("engineer").post(url(review, "transitions"), body)
    assert response.status_code == 400 and "action" in response.json()


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopen_needs_a_reason(open_cycle, reason):
    review = move_to(review_of(open_cycle, "engineer"), "self_submitted")
    response = as_("hr").post(url(review, "transitions"), {"action": "reopen", "reason": reason})
    assert response.status_code == 400 and "reason" in response.json()
    assert fresh(review).state == "self_submitted"


def test_a_stale_version_answers_409(open_cycle):
    review = review_of(open_cycle, "engineer")
    read = review.version
    rate("engineer", review, 4)
    response = as_("engineer").post(url(review, "transitions"), {"action": "submit_self", "version": read})
    assert response.status_code == 409 and response.json()["version"] == read + 1
    assert fresh(review).state == "draft"
    response = as_("engineer").post(url(review, "transitions"), {"action": "submit_self", "version": read + 1})
    assert response.status_code == 200


def test_a_closed_cycle_refuses_every_transition(open_cycle):
    submitted = move_to(review_of(open_cycle, "engineer"), "self_submitted")
    draft = review_of(open_cycle, "engineer2")
    rate("engineer2", draft, 4)
    hr = User.objects.get(username="hr")
    cycle = cycle_advance(actor=hr, cycle=open_cycle)
    cycle_close(actor=hr, cycle=cycle, confirm_unfinished=unfinished_review_ids(cycle=cycle))
    response = as_("engineer2").post(url(draft, "transitions"), {"action": "submit_self"})
    assert response.status_code == 403 and "closed" in response.json()["detail"]
    response = as_("hr").post(url(submitted, "transitions"), {"action": "reopen", "reason": "too late"})
    assert response.status_code == 403 and "closed" in response.json()["detail"]


def test_a_calibrating_cycle_still_takes_late_submissions(open_cycle):
    review = review_of(open_cycle, "engineer")
    rate("engineer", review, 4)
    cycle_advance(actor=User.objects.get(username="hr"), cycle=open_cycle)
    response = as_("engineer").post(url(review, "transitions"), {"action": "submit_self"})
    assert response.status_code == 200
