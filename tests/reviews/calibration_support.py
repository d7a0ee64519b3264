"""Helpers for the calibration tests: the demo organisation with an open cycle, and reviews put in a state
with chosen scores directly (the services that get them there have tests of their own)."""

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from reviews.models import Cycle, Rating, Review
from tests.reviews.cycle_support import open_cycle_around_today

DIMENSIONS = 7  # the Staff Software Engineer scorecard: weights 25, 20, 15, 15, 10, 10, 5


def calibration_cycle(engineers: int = 0) -> Cycle:
    """The demo organisation (with N synthetic engineers: eng0001-eng0008 under mgr001, and so on) and an
    open cycle with a draft review for everyone with a role."""
    return open_cycle_around_today("Calibration cycle", engineers=engineers)


def review(cycle: Cycle, username: str) -> Review:
    return Review.objects.select_related("employee", "reviewer", "blueprint_version").get(
        cycle=cycle, employee__user__username=username
    )


def scores_of(value: int | Sequence[int | None]) -> list[int | None]:
    return [value] * DIMENSIONS if isinstance(value, int) else list(value)


def place(
    cycle: Cycle,
    username: str,
    *,
    state: str,
    self_scores: int | Sequence[int | None] | None = None,
    manager_scores: int | Sequence[int | None] | None = None,
    potential: str = "",
    final: int | None = None,
    justification: str = "",
) -> Review:
    """Give a review its scores, state, potential and final rating."""
    target = review(cycle, username)
    for side, chosen in ((Rating.Side.SELF, self_scores), (Rating.Side.MANAGER, manager_scores)):
        if chosen is None:
            continue
        rows = list(Rating.objects.filter(review=target, side=side).order_by("dimension__position"))
        for rating, score in zip(rows, scores_of(chosen), strict=True):
            rating.score = score
        Rating.objects.bulk_update(rows, ["score"])
    Review.objects.filter(pk=target.pk).update(
        state=state, potential=potential, final_rating=final, calibration_justification=justification
    )
    return review(cycle, username)


def synthetic(manager: int, count: int = 8) -> list[str]:
    """The usernames of the synthetic engineers of mgrNNN."""
    first = (manager - 1) * 8 + 1
    return [f"eng{n:04d}" for n in range(first, first + count)]


def client_as(username: str | None) -> Client:
    client = Client()
    if username is not None:
        client.force_login(User.objects.get(username=username))
    return client


def page_url(cycle: Cycle, query: str = "") -> str:
    return reverse("cycles:calibration", args=[cycle.pk]) + query


def adjust_url(cycle: Cycle, target: Any) -> str:
    return reverse("cycles:calibration-adjust", args=[cycle.pk, target.pk])


def accept_url(cycle: Cycle) -> str:
    return reverse("cycles:calibration-accept", args=[cycle.pk])


def user(username: str) -> User:
    return User.objects.get(username=username)
