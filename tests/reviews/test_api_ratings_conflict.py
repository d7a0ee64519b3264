"""A rating write that names a stale version answers 409 with the current one and overwrites nothing."""

import pytest

from reviews.models import Rating
from tests.reviews.api_support import as_, dimensions, fresh, review_of, url

pytestmark = pytest.mark.django_db


def _write(persona, review, version, score, comment):
    return as_(persona).patch(
        url(review, "ratings"),
        {"version": version, "ratings": [{"dimension": dimensions(review)[0], "score": score, "comment": comment}]},
    )


def test_the_later_of_two_writers_from_one_version_gets_409(open_cycle):
    review = review_of(open_cycle, "engineer")
    read = as_("engineer").get(url(review)).json()["version"]
    assert _write("engineer", review, read, 4, "from the first tab").status_code == 200
    response = _write("engineer", review, read, 2, "from the second tab")
    assert response.status_code == 409
    assert response.json() == {"detail": "This review was changed since you loaded it.", "version": read + 1}
    stored = Rating.objects.get(review=review, dimension__name=dimensions(review)[0], side="self")
    assert (stored.score, stored.comment) == (4, "from the first tab")
    # Written again with the version the 409 named, it goes through.
    assert _write("engineer", review, response.json()["version"], 2, "from the second tab").status_code == 200


def test_a_write_to_the_other_side_also_moves_the_version(open_cycle):
    review = review_of(open_cycle, "engineer")
    read = review.version
    assert _write("manager", review, read, 3, "early notes").status_code == 200
    response = _write("engineer", review, read, 5, "mine")
    assert response.status_code == 409 and response.json()["version"] == fresh(review).version == read + 1


@pytest.mark.parametrize("offset", [1, 10])
def test_a_version_from_the_future_is_stale_too(open_cycle, offset):
    review = review_of(open_cycle, "engineer")
    response = _write("engineer", review, review.version + offset, 4, "")
    assert response.status_code == 409 and response.json()["version"] == review.version
    assert fresh(review).version == review.version
