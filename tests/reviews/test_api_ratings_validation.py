"""A score outside 1..5 or not a whole number, an unknown dimension or a bad version answers 400 and
changes nothing."""

import pytest

from reviews.models import Rating
from tests.reviews.api_support import as_, dimensions, fresh, review_of, url

pytestmark = pytest.mark.django_db


def _unchanged(review):
    assert fresh(review).version == review.version
    assert not Rating.objects.filter(review=review).exclude(score=None).exists()
    assert not Rating.objects.filter(review=review).exclude(comment="").exists()


@pytest.mark.parametrize("score", [0, 6, -1, 100, 3.5, 4.0, "4", "", True, False, None, [4], {"value": 4}])
def test_it_refuses_a_score_that_is_not_a_whole_number_from_1_to_5(open_cycle, score):
    review = review_of(open_cycle, "engineer")
    first, second = dimensions(review)[:2]
    response = as_("engineer").patch(
        url(review, "ratings"),
        {
            "version": review.version,
            "ratings": [{"dimension": first, "score": 3, "comment": "fine"}, {"dimension": second, "score": score}],
        },
    )
    assert response.status_code == 400
    assert response.json() == {"ratings": [f"{second}: A score is a whole number from 1 to 5."]}
    _unchanged(review)


def test_it_names_unknown_dimensions(open_cycle):
    review = review_of(open_cycle, "engineer")
    response = as_("engineer").patch(
        url(review, "ratings"),
        {
            "version": review.version,
            "ratings": [
                {"dimension": dimensions(review)[0], "score": 3},
                {"dimension": "Vibes", "score": 5},
                {"dimension": "Typing speed", "score": 1},
            ],
        },
    )
    assert response.status_code == 400
    assert response.json() == {"ratings": ["Unknown dimension 'Vibes'.", "Unknown dimension 'Typing speed'."]}
    _unchanged(review)


def test_it_refuses_a_dimension_named_twice(open_cycle):
    review = review_of(open_cycle, "engineer")
    name = dimensions(review)[0]
    response = as_("engineer").patch(
        url(review, "ratings"),
        {"version": review.version, "ratings": [{"dimension": name, "score": 3}, {"dimension": name, "score": 4}]},
    )
    assert response.status_code == 400
    assert response.json() == {"ratings": [f"{name}: named more than once."]}
    _unchanged(review)


@pytest.mark.parametrize(
    "body", [{}, {"version": None}, {"version": "1"}, {"version": 1.5}, {"version": 0}, {"version": True}]
)
def test_it_needs_the_version_the_caller_read(open_cycle, body):
    review = review_of(open_cycle, "engineer")
    ratings = [{"dimension": dimensions(review)[0], "score": 3}]
    response = as_("engineer").patch(url(review, "ratings"), {**body, "ratings": ratings})
    assert response.status_code == 400
    assert list(response.json()) == ["version"]
    _unchanged(review)


@pytest.mark.parametrize(
    "body",
    [
        [],
        "4",
        {"version": 1, "ratings": "all fours"},
        {"version": 1, "ratings": [4]},
        {"version": 1, "ratings": [{"score": 4}]},
        {"version": 1, "ratings": [{"dimension": "x", "evidence": ["javascript:alert(1)"]}]},
    ],
)
def test_it_answers_400_in_json_for_malformed_bodies(open_cycle, body):
    review = review_of(open_cycle, "engineer")
    response = as_("engineer").patch(url(review, "ratings"), body)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    _unchanged(review)
