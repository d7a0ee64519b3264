"""Helpers for the review API tests: callers as the demo people, and reviews moved to a state."""

from typing import Any

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from reviews.models import Review
from reviews.services import RatingInput, review_rate, review_transition


class Caller:
    """An API client signed in as one person. Each request loads the user afresh, as a real request
    does, so nothing the access policy caches on the user outlives a request."""

    def __init__(self, username: str | None) -> None:
        self.username = username

    def _client(self) -> APIClient:
        client = APIClient()
        if self.username is not None:
            client.force_authenticate(User.objects.get(username=self.username))
        return client

    def get(self, url: str, **params: Any) -> Any:
        return self._client().get(url, params or None)

    def post(self, url: str, data: Any = None) -> Any:
        return self._client().post(url, data if data is not None else {}, format="json")

    def patch(self, url: str, data: Any = None) -> Any:
        return self._client().patch(url, data if data is not None else {}, format="json")


def as_(username: str | None) -> Caller:
    return Caller(username)


def review_of(cycle: Any, username: str) -> Review:
    return Review.objects.select_related("blueprint_version").get(cycle=cycle, employee__user__username=username)


def url(review: Review, action: str = "") -> str:
    return f"/api/v1/reviews/{review.pk}/{action + '/' if action else ''}"


def dimensions(review: Review) -> list[str]:
    return list(review.blueprint_version.dimensions.order_by("position").values_list("name", flat=True))


def fresh(review: Review) -> Review:
    return Review.objects.get(pk=review.pk)


def rate(username: str, review: Review, score: int | list[int]) -> Review:
    """Rate every dimension of the caller's side through the service."""
    names = dimensions(review)
    scores = score if isinstance(score, list) else [score] * len(names)
    actor = User.objects.get(username=username)
    return review_rate(
        actor=actor,
        review=fresh(review),
        version=None,
        ratings=[RatingInput(name, s, f"{username} on {name}") for name, s in zip(names, scores, strict=True)],
    )


STEPS = [
    ("engineer", "submit_self", "self_submitted"),
    ("manager", "submit_manager", "manager_submitted"),
    ("hr", "calibrate", "calibrated"),
    ("manager", "share", "shared"),
    ("engineer", "acknowledge", "acknowledged"),
]


def move_to(review: Review, state: str, *, self_score: int = 4, manager_score: int = 3) -> Review:
    """Take engineer's draft review (reviewer: manager) to `state` through the services."""
    if state == "draft":
        return fresh(review)
    rate("engineer", review, self_score)
    for actor, action, reached in STEPS:
        if action == "submit_manager":
            rate("manager", review, manager_score)
        review_transition(actor=User.objects.get(username=actor), review=fresh(review), action=action)
        if reached == state:
            break
    return fresh(review)
