from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from reviews.feedback import feedback_approve, feedback_decline_request
from reviews.models import FeedbackRequest
from tests.reviews.feedback_builders import answer, ask, dimension_names, open_feedback_cycle, review_of, user

pytestmark = pytest.mark.django_db


def test_it_keeps_the_engineers_request_closed_until_the_reviewer_approves(
    staff_blueprint, django_capture_on_commit_callbacks
):
    review = review_of(open_feedback_cycle(), "engineer")
    with django_capture_on_commit_callbacks(execute=True):
        (request,) = ask("engineer", review, ["engineer2"])
    assert request.state == "awaiting_approval" and mail.outbox == []
    with pytest.raises(PermissionDenied, match="waiting for Morgan Manager's approval"):
        answer(request, {dimension_names(review)[0]: (None, "Good")})
    for someone_else in ("engineer", "engineer2", "director", "hr"):
        with pytest.raises(PermissionDenied):
            feedback_approve(actor=user(someone_else), request=request)

    with django_capture_on_commit_callbacks(execute=True):
        request = feedback_approve(actor=user("manager"), request=request)
    assert request.state == "open"
    assert [message.to for message in mail.outbox] == [["engineer2@demo.staffrole.test"]]


def test_it_lets_the_reviewer_decline_and_says_so_when_approving_twice(client, staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    (request,) = ask("engineer", review, ["newhire"])
    request = feedback_decline_request(actor=user("manager"), request=request, reason="Too new to judge")
    assert request.state == "declined"
    client.force_login(user("manager"))
    response = client.post(reverse("feedback:approve", kwargs={"request_id": request.pk}), follow=True)
    assert "This request is declined" in response.content.decode()
    request.refresh_from_db()
    assert request.state == "declined"


def test_it_asks_for_a_new_date_when_the_one_asked_for_has_passed(staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    (request,) = ask("engineer", review, ["engineer2"])
    FeedbackRequest.objects.filter(pk=request.pk).update(due=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError, match="has passed: choose a new one"):
        feedback_approve(actor=user("manager"), request=request)
    later = timezone.localdate() + timedelta(days=2)
    assert feedback_approve(actor=user("manager"), request=request, due=later).due == later


def test_it_shows_the_reviewer_pending_approvals_in_the_inbox(client, staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    (request,) = ask("engineer", review, ["engineer2"])
    client.force_login(user("manager"))
    page = client.get(reverse("feedback:inbox")).content.decode()
    assert "Waiting for your approval" in page
    assert reverse("feedback:approve", kwargs={"request_id": request.pk}) in page
    response = client.post(
        reverse("feedback:approve", kwargs={"request_id": request.pk}), {"next": reverse("feedback:inbox")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("feedback:inbox")
    request.refresh_from_db()
    assert request.state == "open"
