"""Helpers for the cycle page and reminder tests: the demo organisation (without its demo cycle), cycles
in each state, and reviews moved along through the services."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from reviews.models import Cycle, Review
from reviews.services import RatingInput, cycle_advance, cycle_create, cycle_open, review_rate, review_transition

PERIOD = (date(2026, 10, 1), date(2026, 12, 31))
DEADLINES = (date(2026, 12, 5), date(2026, 12, 12), date(2026, 12, 19), date(2027, 1, 9))


def user(username: str) -> User:
    return User.objects.get(username=username)


def client_as(username: str | None, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if username is not None:
        client.force_login(user(username))
    return client


def new_cycle(name: str = "2026 Q4", *, deadlines: tuple[date, date, date, date] = DEADLINES, **extra: Any) -> Cycle:
    self_due, manager_due, calibration_due, signoff_due = deadlines
    return cycle_create(
        actor=user("hr"),
        name=name,
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        self_due=self_due,
        manager_due=manager_due,
        calibration_due=calibration_due,
        signoff_due=signoff_due,
        **extra,
    )


def opened(cycle: Cycle) -> Cycle:
    return cycle_open(actor=user("hr"), cycle=cycle).cycle


def calibrating(cycle: Cycle) -> Cycle:
    return cycle_advance(actor=user("hr"), cycle=cycle)


def deadlines_from(today: date, *days: int) -> tuple[date, date, date, date]:
    self_due, manager_due, calibration_due, signoff_due = (today + timedelta(days=d) for d in days)
    return self_due, manager_due, calibration_due, signoff_due


def open_cycle_around_today(name: str, *, engineers: int = 0) -> Cycle:
    """The demo organisation (without its demo cycle, plus N synthetic engineers) and an open cycle whose
    period covers today and whose deadlines are all ahead, whatever day the suite runs."""
    from django.utils import timezone

    from reviews.demo import demo_seed

    demo_seed(engineers=engineers, cycle=False)
    today = timezone.localdate()
    cycle = cycle_create(
        actor=user("hr"),
        name=name,
        period_start=today - timedelta(days=60),
        period_end=today + timedelta(days=30),
        self_due=today + timedelta(days=7),
        manager_due=today + timedelta(days=14),
        calibration_due=today + timedelta(days=21),
        signoff_due=today + timedelta(days=42),
    )
    return opened(cycle)


def review_of(cycle: Cycle, username: str) -> Review:
    return Review.objects.select_related("blueprint_version", "reviewer__user").get(
        cycle=cycle, employee__user__username=username
    )


def rate_all(actor: str, review: Review, score: int = 3) -> Review:
    review = Review.objects.get(pk=review.pk)
    names = review.blueprint_version.dimensions.order_by("position").values_list("name", flat=True)
    return review_rate(
        actor=user(actor),
        review=review,
        version=review.version,
        ratings=[RatingInput(name, score, "ok") for name in names],
    )


def move(review: Review, state: str) -> Review:
    """Walk a draft review forward to `state` as its people and HR would."""
    steps = ["self_submitted", "manager_submitted", "calibrated", "shared", "acknowledged"]
    engineer = review.employee.user.username
    reviewer = review.reviewer.user.username if review.reviewer else ""
    for step in steps[: steps.index(state) + 1]:
        if step == "self_submitted":
            rate_all(engineer, review)
            review = review_transition(actor=user(engineer), review=review, action="submit_self")
        elif step == "manager_submitted":
            rate_all(reviewer, review)
            review = review_transition(actor=user(reviewer), review=review, action="submit_manager")
        elif step == "calibrated":
            review = review_transition(actor=user("hr"), review=review, action="calibrate")
        elif step == "shared":
            review = review_transition(actor=user(reviewer), review=review, action="share")
        else:
            review = review_transition(actor=user(engineer), review=review, action="acknowledge")
    return review


@pytest.fixture
def demo_org(db: Any, staff_blueprint: Any) -> Any:
    """The demo organisation with the engineers' blueprint published, and no review cycle yet."""
    from reviews.demo import demo_seed

    demo_seed(cycle=False)
    return staff_blueprint
