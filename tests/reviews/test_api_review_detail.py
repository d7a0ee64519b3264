"""GET /api/v1/reviews/{id}/ answers the contract's shape, with weights and scores as JSON numbers."""

from decimal import Decimal

import pytest

from reviews.models import Review
from tests.reviews.api_support import as_, dimensions, rate, review_of, url

pytestmark = pytest.mark.django_db

CONTRACT_KEYS = {
    "id",
    "cycle",
    "employee",
    "reviewer",
    "role",
    "blueprint_version",
    "state",
    "version",
    "ratings",
    "weighted_self_score",
    "weighted_manager_score",
    "final_rating",
}
RATING_KEYS = {"dimension", "weight", "self_score", "self_comment", "manager_score", "manager_comment"}


def test_it_answers_the_contract_shape(open_cycle):
    review = review_of(open_cycle, "engineer")
    body = as_("engineer").get(url(review)).json()
    assert set(body) >= CONTRACT_KEYS
    assert body["id"] == review.pk and body["cycle"] == open_cycle.pk
    assert body["employee"] == {"username": "engineer", "name": "Eli Engineer"}
    assert body["reviewer"] == {"username": "manager", "name": "Morgan Manager"}
    assert body["role"] == "staff-software-engineer" and body["blueprint_version"] == 1
    assert body["state"] == "draft" and body["version"] == review.version
    assert [line["dimension"] for line in body["ratings"]] == dimensions(review)
    assert all(set(line) >= RATING_KEYS for line in body["ratings"])
    assert [line["weight"] for line in body["ratings"]] == [25, 20, 15, 15, 10, 10, 5]
    assert body["weighted_self_score"] is None and body["final_rating"] is None
    assert body["actions"] == ["submit_self"]
    assert body["editable"] == {"self": True, "manager": False}
    assert body["missing"] == {"self": dimensions(review), "manager": None}
    assert body["page_url"] == f"/reviews/{review.pk}/"


def test_it_answers_weights_and_weighted_scores_as_numbers(open_cycle):
    review = review_of(open_cycle, "engineer")
    first, second = review.blueprint_version.dimensions.order_by("position")[:2]
    first.weight, second.weight = Decimal("12.5"), Decimal("32.5")
    first.save(update_fields=["weight"])
    second.save(update_fields=["weight"])
    rate("engineer", review, [4, 3, 5, 2, 4, 3, 5])
    body = as_("engineer").get(url(review)).json()
    assert body["ratings"][0]["weight"] == 12.5 and body["ratings"][1]["weight"] == 32.5
    assert body["ratings"][2]["weight"] == 15 and isinstance(body["ratings"][2]["weight"], int)
    # (12.5*4 + 32.5*3 + 15*5 + 15*2 + 10*4 + 10*3 + 5*5) / 100 = 347.5 / 100
    assert body["weighted_self_score"] == 3.48
    assert [line["self_score"] for line in body["ratings"]] == [4, 3, 5, 2, 4, 3, 5]
    assert body["missing"]["self"] == []


def test_it_shows_a_review_without_reviewer_with_a_null_reviewer(open_cycle):
    review = review_of(open_cycle, "engineer")
    Review.objects.filter(pk=review.pk).update(reviewer=None)
    body = as_("hr").get(url(review)).json()
    assert body["reviewer"] is None


@pytest.mark.parametrize("review_id", ["0", "999999", "99999999999999999999999"])
def test_it_answers_404_in_json_for_unknown_reviews(open_cycle, review_id):
    response = as_("hr").get(f"/api/v1/reviews/{review_id}/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_it_answers_401_to_anonymous_callers(open_cycle):
    response = as_(None).get(url(review_of(open_cycle, "engineer")))
    assert response.status_code == 401
