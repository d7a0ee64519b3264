"""POST /api/v1/reviews/{id}/transitions/ walks a review from draft to acknowledged, and HR reopens it."""

import pytest

from audit.models import AuditEntry
from tests.reviews.api_support import as_, dimensions, fresh, review_of, url

pytestmark = pytest.mark.django_db


def _rate(persona, review, score):
    version = fresh(review).version
    ratings = [{"dimension": name, "score": score, "comment": f"{persona} says {score}"} for name in dimensions(review)]
    response = as_(persona).patch(url(review, "ratings"), {"version": version, "ratings": ratings})
    assert response.status_code == 200, response.content


def _move(persona, review, action, reason=""):
    response = as_(persona).post(
        url(review, "transitions"), {"action": action, "reason": reason, "version": fresh(review).version}
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_it_walks_a_review_from_draft_to_acknowledged(open_cycle):
    review = review_of(open_cycle, "engineer")
    _rate("engineer", review, 4)
    body = _move("engineer", review, "submit_self")
    assert body["state"] == "self_submitted" and body["self_submitted_at"] and body["actions"] == []
    assert as_("manager").get(url(review)).json()["actions"] == ["submit_manager"]
    _rate("manager", review, 3)
    body = _move("manager", review, "submit_manager")
    assert body["state"] == "manager_submitted" and body["weighted_manager_score"] == 3.0
    assert as_("hr").get(url(review)).json()["actions"] == ["calibrate", "reopen"]
    body = _move("hr", review, "calibrate")
    assert (body["state"], body["final_rating"]) == ("calibrated", 3)
    assert as_("engineer").get(url(review)).json()["final_rating"] is None
    body = _move("manager", review, "share")
    assert body["state"] == "shared"
    body = as_("engineer").get(url(review)).json()
    assert body["final_rating"] == 3 and body["weighted_manager_score"] == 3.0 and body["actions"] == ["acknowledge"]
    body = _move("engineer", review, "acknowledge", "I see Communication differently.")
    assert body["state"] == "acknowledged"
    assert body["acknowledgement_comment"] == "I see Communication differently."
    assert body["version"] == fresh(review).version
    actions = set(
        AuditEntry.objects.filter(target_type="reviews.review", target_id=str(review.pk)).values_list(
            "action", flat=True
        )
    )
    assert {
        "review.submit_self",
        "review.submit_manager",
        "review.calibrate",
        "review.share",
        "review.acknowledge",
    } <= (actions)


def test_hr_reopens_with_a_reason(open_cycle):
    review = review_of(open_cycle, "engineer")
    _rate("engineer", review, 4)
    _move("engineer", review, "submit_self")
    _rate("manager", review, 5)
    _move("manager", review, "submit_manager")
    _move("hr", review, "calibrate")
    body = _move("hr", review, "reopen", "The manager review used last year's goals.")
    assert body["state"] == "self_submitted" and body["final_rating"] is None
    assert body["editable"] == {"self": False, "manager": False}
    assert as_("manager").get(url(review)).json()["editable"]["manager"] is True
    body = _move("hr", review, "reopen", "The engineer asks to add evidence.")
    assert body["state"] == "draft"
    assert as_("engineer").get(url(review)).json()["editable"]["self"] is True
    reasons = set(
        AuditEntry.objects.filter(action="review.reopen", target_id=str(review.pk)).values_list("reason", flat=True)
    )
    assert reasons == {"The manager review used last year's goals.", "The engineer asks to add evidence."}


def test_the_version_is_optional_for_transitions(open_cycle):
    review = review_of(open_cycle, "engineer")
    _rate("engineer", review, 4)
    response = as_("engineer").post(url(review, "transitions"), {"action": "submit_self"})
    assert response.status_code == 200 and response.json()["state"] == "self_submitted"
