"""An open cycle around today, and shortcuts through the feedback and review services, for the
peer feedback tests (plain functions: call them from tests that use the `staff_blueprint` fixture)."""

from collections.abc import Sequence
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from org.models import Employee
from reviews.feedback import feedback_answer, feedback_request
from reviews.models import Cycle, FeedbackRequest, Review
from reviews.services import RatingInput, cycle_create, cycle_open, review_rate, review_transition

MANAGER_RATING_MARKER = "manager-only rating comment"


def user(username: str) -> User:
    return User.objects.get(username=username)


def employee(username: str) -> Employee:
    return Employee.objects.select_related("user").get(user__username=username)


def open_feedback_cycle(*, today: date | None = None) -> Cycle:
    """The demo organisation with an open cycle whose manager review is due in two weeks."""
    from reviews.demo import demo_seed

    today = today or timezone.localdate()
    demo_seed()
    cycle = cycle_create(
        actor=user("hr"),
        name="Feedback cycle",
        period_start=today - timedelta(days=80),
        period_end=today + timedelta(days=10),
        self_due=today + timedelta(days=7),
        manager_due=today + timedelta(days=14),
        calibration_due=today + timedelta(days=21),
        signoff_due=today + timedelta(days=28),
    )
    return cycle_open(actor=user("hr"), cycle=cycle).cycle


def review_of(cycle: Cycle, username: str) -> Review:
    return Review.objects.select_related("cycle", "employee", "reviewer", "blueprint_version").get(
        cycle=cycle, employee__user__username=username
    )


def ask(
    by: str, review: Review, peers: Sequence[str], *, due: date | None = None, message: str = ""
) -> list[FeedbackRequest]:
    return feedback_request(
        actor=user(by),
        review=review,
        peers=[employee(name) for name in peers],
        due=due or timezone.localdate() + timedelta(days=5),
        message=message,
    )


def dimension_names(review: Review) -> list[str]:
    return list(review.blueprint_version.dimensions.order_by("position").values_list("name", flat=True))


def answer(request: FeedbackRequest, answers: dict[str, tuple[int | None, str]]) -> FeedbackRequest:
    return feedback_answer(actor=request.peer.user, request=request, answers=answers)


def share(review: Review) -> Review:
    """Take a draft review through both sides, calibration and sharing."""
    names = dimension_names(review)
    review = review_rate(
        actor=review.employee.user, review=review, version=None, ratings=[RatingInput(n, 4, "self") for n in names]
    )
    review = review_transition(actor=review.employee.user, review=review, action="submit_self")
    assert review.reviewer is not None
    manager = review.reviewer.user
    review = review_rate(
        actor=manager, review=review, version=None, ratings=[RatingInput(n, 3, MANAGER_RATING_MARKER) for n in names]
    )
    review = review_transition(actor=manager, review=review, action="submit_manager")
    review = review_transition(actor=user("hr"), review=review, action="calibrate")
    return review_transition(actor=manager, review=review, action="share")
