import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry
from reviews.models import Review
from reviews.services import (
    RatingInput,
    ReviewConflict,
    ReviewIncomplete,
    review_rate,
    review_transition,
)

pytestmark = pytest.mark.django_db


def _rate_all(actor, review, score):
    names = list(review.blueprint_version.dimensions.order_by("position").values_list("name", flat=True))
    return review_rate(
        actor=actor, review=review, version=review.version, ratings=[RatingInput(n, score, "ok") for n in names]
    )


def test_it_walks_a_review_from_draft_to_acknowledged(open_cycle, user):
    review = Review.objects.get(cycle=open_cycle, employee__user__username="engineer")
    assert review.reviewer.user.username == "manager" and review.state == "draft"
    with pytest.raises(ReviewIncomplete):
        review_transition(actor=user("engineer"), review=review, action="submit_self")
    review = _rate_all(user("engineer"), review, 4)
    review = review_transition(actor=user("engineer"), review=review, action="submit_self")
    review = _rate_all(user("manager"), review, 3)
    review = review_transition(actor=user("manager"), review=review, action="submit_manager")
    review = review_transition(actor=user("hr"), review=review, action="calibrate")
    assert review.final_rating == 3
    review = review_transition(actor=user("manager"), review=review, action="share")
    review = review_transition(actor=user("engineer"), review=review, action="acknowledge", reason="I disagree on 2")
    assert review.state == "acknowledged" and review.acknowledgement_comment == "I disagree on 2"
    actions = list(
        AuditEntry.objects.filter(target_type="reviews.review", target_id=str(review.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions.count("review.rating") == 2 * review.blueprint_version.dimensions.count()
    assert "review.acknowledge" in actions


def test_it_refuses_stale_versions_and_other_peoples_sides(open_cycle, user):
    review = Review.objects.get(cycle=open_cycle, employee__user__username="engineer")
    stale = review.version
    _rate_all(user("engineer"), review, 4)
    with pytest.raises(ReviewConflict):
        review_rate(actor=user("engineer"), review=review, version=stale, ratings=[])
    with pytest.raises(PermissionDenied):
        review_rate(actor=user("director"), review=review, version=None, ratings=[])


def test_it_never_overwrites_a_potential_set_since_the_writer_read_it(open_cycle, user):
    review = Review.objects.get(cycle=open_cycle, employee__user__username="engineer")
    # Another tab of the reviewer's set "low" after this one showed no potential.
    review = review_rate(actor=user("manager"), review=review, ratings=[], version=None, potential="low")
    with pytest.raises(ReviewConflict) as conflict:
        review_rate(actor=user("manager"), review=review, ratings=[], version=None, potential="high", potential_seen="")
    assert conflict.value.fields == {"potential": "low"}
    review.refresh_from_db()
    assert review.potential == "low"
    # Having seen "low", the same write goes through.
    review = review_rate(
        actor=user("manager"), review=review, ratings=[], version=None, potential="high", potential_seen="low"
    )
    assert review.potential == "high"
