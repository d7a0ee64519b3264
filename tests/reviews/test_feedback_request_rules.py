"""Whom feedback may be asked of, by whom, by when: every refusal says why and writes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from org.models import Employee
from reviews.models import Cycle, FeedbackRequest, Review
from tests.reviews.feedback_builders import ask, open_feedback_cycle, review_of, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(staff_blueprint):
    return review_of(open_feedback_cycle(), "engineer")


def _refused(exception, match, *args, **kwargs):
    before = (FeedbackRequest.objects.count(), AuditEntry.objects.filter(action="feedback.request").count())
    with pytest.raises(exception, match=match):
        ask(*args, **kwargs)
    assert (FeedbackRequest.objects.count(), AuditEntry.objects.filter(action="feedback.request").count()) == before


def test_it_refuses_the_person_reviewed_and_the_reviewer_as_peers(review):
    _refused(ValidationError, "is the person reviewed", "manager", review, ["engineer"])
    _refused(ValidationError, "writes this review", "engineer", review, ["manager"])


def test_it_refuses_deactivated_people(review):
    Employee.objects.filter(user__username="newhire").update(active=False, deactivated_at=timezone.now())
    _refused(ValidationError, "deactivated", "manager", review, ["newhire"])


def test_it_refuses_to_ask_anyone_twice(review):
    ask("engineer", review, ["engineer2"])
    _refused(ValidationError, "already been asked", "manager", review, ["engineer2"])
    _refused(ValidationError, "named twice", "manager", review, ["newhire", "newhire"])


def test_it_keeps_the_due_date_within_the_cycle_and_out_of_the_past(review):
    today = timezone.localdate()
    _refused(ValidationError, "in the past", "manager", review, ["engineer2"], due=today - timedelta(days=1))
    late = review.cycle.manager_due + timedelta(days=1)
    _refused(ValidationError, "manager review's deadline", "manager", review, ["engineer2"], due=late)
    assert ask("manager", review, ["engineer2"], due=review.cycle.manager_due)[0].due == review.cycle.manager_due


def test_it_lets_only_the_reviewer_and_the_person_reviewed_ask(review):
    for someone_else in ("engineer2", "manager2", "director", "hr"):
        _refused(PermissionDenied, "Only the reviewer and the person reviewed", someone_else, review, ["newhire"])


def test_it_asks_only_while_the_cycle_is_open(review):
    Cycle.objects.filter(pk=review.cycle_id).update(state=Cycle.State.CALIBRATING)
    _refused(PermissionDenied, "is calibrating", "manager", review, ["engineer2"])


def test_it_needs_at_least_one_peer(review):
    _refused(ValidationError, "at least one peer", "manager", review, [])


def test_it_asks_only_while_the_manager_review_is_being_written(review):
    review = share(review)
    _refused(PermissionDenied, "manager review is submitted", "manager", review, ["engineer2"])


def test_it_refuses_the_engineers_request_while_nobody_can_approve_it(review):
    Review.objects.filter(pk=review.pk).update(reviewer=None)
    _refused(PermissionDenied, "no reviewer to approve", "engineer", review, ["engineer2"])
