"""Helpers for the review page tests: walk a review of the demo cycle to a state through the services."""

from typing import Any

from django.contrib.auth.models import User

from reviews.models import Review
from reviews.services import RatingInput, review_rate, review_transition

# Session, user and groups, then the caller's employee record: every page of a logged-in employee pays these.
AUTH_QUERIES = 4


def user(username: str) -> User:
    return User.objects.get(username=username)


def dimension_names(review: Review) -> list[str]:
    return list(review.blueprint_version.dimensions.order_by("position").values_list("name", flat=True))


def rate(actor: Any, review: Review, scores: dict[str, int] | int, comment: str = "ok") -> Review:
    names = dimension_names(review)
    chosen = scores if isinstance(scores, dict) else dict.fromkeys(names, scores)
    ratings = [RatingInput(name, score, comment) for name, score in chosen.items()]
    return review_rate(actor=actor, review=review, ratings=ratings, version=None)


STATES = ["draft", "self_submitted", "manager_submitted", "calibrated", "shared", "acknowledged"]


def walk(review: Review, state: str, *, self_score: int = 4, manager_score: int = 3) -> Review:
    """Rate and move the review on from where it is until it is in `state` (engineer → manager → HR →
    manager → engineer)."""
    engineer, manager, hr = review.employee.user, review.reviewer.user, user("hr")
    review.refresh_from_db()
    for step in STATES[STATES.index(review.state) + 1 : STATES.index(state) + 1]:
        if step == "self_submitted":
            review = rate(engineer, review, self_score, "self comment")
            review = review_transition(actor=engineer, review=review, action="submit_self")
        elif step == "manager_submitted":
            review = rate(manager, review, manager_score, "manager comment")
            review = review_transition(actor=manager, review=review, action="submit_manager")
        elif step == "calibrated":
            review = review_transition(actor=hr, review=review, action="calibrate")
        elif step == "shared":
            review = review_transition(actor=manager, review=review, action="share")
        elif step == "acknowledged":
            review = review_transition(actor=engineer, review=review, action="acknowledge", reason="Fair.")
    return Review.objects.select_related("blueprint_version", "employee__user", "reviewer__user").get(pk=review.pk)


def engineer_review(cycle: Any, username: str = "engineer") -> Review:
    return Review.objects.select_related("blueprint_version", "employee__user", "reviewer__user").get(
        cycle=cycle, employee__user__username=username
    )
