"""The review list runs in a fixed number of queries, whatever the number of reviews and dimensions."""

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from reviews.models import Review
from tests.reviews.cycle_support import open_cycle_around_today

pytestmark = pytest.mark.django_db

# The cycle filter, the caller (employee, groups, reports), the reviews, their ratings with dimensions.
MAX_QUERIES = 6


def _cycle_with_reviews(engineers: int):
    return open_cycle_around_today("Counted", engineers=engineers)


@pytest.mark.parametrize("persona", ["hr", "director", "manager"])
@pytest.mark.parametrize(("engineers", "reviews"), [(0, 3), (27, 30)])
def test_it_lists_reviews_in_a_fixed_number_of_queries(
    staff_blueprint, django_assert_max_num_queries, persona, engineers, reviews
):
    cycle = _cycle_with_reviews(engineers)
    assert Review.objects.filter(cycle=cycle).count() == reviews
    client = APIClient()
    client.force_authenticate(User.objects.get(username=persona))
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/api/v1/reviews/", {"cycle": cycle.pk})
    assert response.status_code == 200
    body = response.json()
    if persona != "manager":
        assert len(body) == reviews
    assert body and all(len(item["ratings"]) == 7 for item in body)


def test_a_page_of_the_list_is_fixed_too(staff_blueprint, django_assert_max_num_queries):
    cycle = _cycle_with_reviews(27)
    client = APIClient()
    client.force_authenticate(User.objects.get(username="hr"))
    with django_assert_max_num_queries(MAX_QUERIES + 1):
        response = client.get("/api/v1/reviews/", {"cycle": cycle.pk, "limit": 25})
    assert response.json()["count"] == 30 and len(response.json()["results"]) == 25


@pytest.mark.parametrize("persona", ["engineer", "manager", "director", "hr"])
def test_one_review_reads_in_a_fixed_number_of_queries(staff_blueprint, django_assert_max_num_queries, persona):
    cycle = _cycle_with_reviews(0)
    review = Review.objects.get(cycle=cycle, employee__user__username="engineer")
    client = APIClient()
    client.force_authenticate(User.objects.get(username=persona))
    # The caller (employee, groups), the review, the chain above its reviewer, its ratings.
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/reviews/{review.pk}/")
    assert response.status_code == 200
