"""Ratings: a side the caller may not write now answers 403; a review out of scope 404; anonymous 401."""

import pytest
from django.contrib.auth.models import User

from reviews.models import Rating
from reviews.services import cycle_advance, cycle_close, unfinished_review_ids
from tests.reviews.api_support import as_, dimensions, fresh, move_to, review_of, url

pytestmark = pytest.mark.django_db


def _write(persona, review):
    return as_(persona).patch(
        url(review, "ratings"),
        {"version": review.version, "ratings": [{"dimension": dimensions(review)[0], "score": 1, "comment": "late"}]},
    )


def _untouched(review, side):
    return not Rating.objects.filter(review=review, side=side, comment="late").exists()


def test_the_person_reviewed_cannot_change_a_submitted_self_assessment(open_cycle):
    review = move_to(review_of(open_cycle, "engineer"), "self_submitted")
    response = _write("engineer", review)
    assert response.status_code == 403
    assert response.json() == {"detail": "The self-assessment can no longer be edited (the review is self submitted)."}
    assert _untouched(review, "self") and fresh(review).version == review.version


def test_the_reviewer_cannot_change_a_submitted_manager_review(open_cycle):
    review = move_to(review_of(open_cycle, "engineer"), "manager_submitted")
    response = _write("manager", review)
    assert response.status_code == 403
    assert "manager review can no longer be edited" in response.json()["detail"]
    assert _untouched(review, "manager")


@pytest.mark.parametrize("persona", ["director", "hr"])
def test_people_who_only_read_a_review_cannot_rate_it(open_cycle, persona):
    review = review_of(open_cycle, "engineer")
    response = _write(persona, review)
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the person reviewed and their reviewer write ratings."}
    assert _untouched(review, "self") and _untouched(review, "manager")


@pytest.mark.parametrize("persona", ["engineer2", "manager2"])
def test_people_outside_the_chain_get_404(open_cycle, persona):
    review = review_of(open_cycle, "engineer")
    assert _write(persona, review).status_code == 404


def test_anonymous_callers_get_401(open_cycle):
    review = review_of(open_cycle, "engineer")
    assert _write(None, review).status_code == 401
    assert _untouched(review, "self")


def test_nobody_rates_in_a_closed_cycle(open_cycle):
    review = review_of(open_cycle, "engineer")
    hr = User.objects.get(username="hr")
    cycle = cycle_advance(actor=hr, cycle=open_cycle)
    cycle_close(actor=hr, cycle=cycle, confirm_unfinished=unfinished_review_ids(cycle=cycle))
    response = _write("manager", review)
    assert response.status_code == 403 and "closed" in response.json()["detail"]
