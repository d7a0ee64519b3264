"""POST /api/v1/reviews/{id}/calibration/: HR sets the final rating; one that differs from the rounded
weighted manager score needs a justification."""

import pytest

from audit.models import AuditEntry
from tests.reviews.api_support import as_, fresh, move_to, review_of, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(open_cycle):
    # Manager scores 3 everywhere: the weighted manager score is 3.00, rounded 3.
    return move_to(review_of(open_cycle, "engineer"), "manager_submitted", manager_score=3)


def _calibrate(persona, review, **body):
    return as_(persona).post(url(review, "calibration"), {"version": fresh(review).version, **body})


def test_hr_accepts_the_weighted_score_without_a_justification(submitted):
    response = _calibrate("hr", submitted, final_rating=3)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["final_rating"], body["calibration_justification"]) == ("calibrated", 3, "")
    assert body["version"] == submitted.version + 1


def test_a_different_final_rating_needs_a_justification(submitted):
    response = _calibrate("hr", submitted, final_rating=4)
    assert response.status_code == 400
    assert "(3)" in response.json()["justification"][0]
    assert fresh(submitted).state == "manager_submitted"
    response = _calibrate("hr", submitted, final_rating=4, justification="   ")
    assert response.status_code == 400
    response = _calibrate("hr", submitted, final_rating=4, justification="Carried the on-call rota alone.")
    assert response.status_code == 200
    assert response.json()["final_rating"] == 4
    entry = AuditEntry.objects.get(action="review.calibrate", target_id=str(submitted.pk))
    assert entry.reason == "Carried the on-call rota alone." and entry.after["final_rating"] == 4


def test_hr_may_calibrate_again(submitted):
    assert _calibrate("hr", submitted, final_rating=3).status_code == 200
    response = _calibrate("hr", submitted, final_rating=2, justification="Aligned with the org.")
    assert response.status_code == 200 and response.json()["final_rating"] == 2


@pytest.mark.parametrize("final_rating", [0, 6, 3.5, "3", True, None])
def test_a_final_rating_is_a_whole_number_from_1_to_5(submitted, final_rating):
    response = _calibrate("hr", submitted, final_rating=final_rating, justification="why")
    assert response.status_code == 400 and "final_rating" in response.json()
    assert fresh(submitted).final_rating is None


def test_the_version_is_required_and_a_stale_one_answers_409(submitted):
    response = as_("hr").post(url(submitted, "calibration"), {"final_rating": 3})
    assert response.status_code == 400 and "version" in response.json()
    response = as_("hr").post(url(submitted, "calibration"), {"final_rating": 3, "version": submitted.version - 1})
    assert response.status_code == 409 and response.json()["version"] == submitted.version


@pytest.mark.parametrize("persona", ["engineer", "manager", "director"])
def test_only_hr_calibrates(submitted, persona):
    response = _calibrate(persona, submitted, final_rating=3)
    assert response.status_code == 403 and response.json() == {"detail": "Only HR calibrates reviews."}
    assert fresh(submitted).state == "manager_submitted"


@pytest.mark.parametrize("persona", ["engineer2", "manager2"])
def test_people_outside_the_chain_get_404(submitted, persona):
    assert _calibrate(persona, submitted, final_rating=3).status_code == 404


@pytest.mark.parametrize("state", ["draft", "self_submitted", "shared"])
def test_a_review_is_calibrated_only_between_manager_review_and_sharing(open_cycle, state):
    review = move_to(review_of(open_cycle, "engineer"), state)
    response = _calibrate("hr", review, final_rating=3)
    assert response.status_code == 403 and "calibrate is for HR" in response.json()["detail"]
