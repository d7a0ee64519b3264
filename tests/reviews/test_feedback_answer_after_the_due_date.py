from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from reviews.models import FeedbackAnswer, FeedbackRequest
from tests.reviews.feedback_builders import answer, ask, dimension_names, open_feedback_cycle, review_of, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    (request,) = ask("manager", review, ["engineer2"], due=timezone.localdate())
    # As if a day had passed since the due date.
    FeedbackRequest.objects.filter(pk=request.pk).update(due=timezone.localdate() - timedelta(days=1))
    request.refresh_from_db()
    return request


def test_it_accepts_answers_on_the_due_date_itself(staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    (request,) = ask("manager", review, ["engineer2"], due=timezone.localdate())
    assert answer(request, {dimension_names(review)[0]: (None, "Steady.")}).state == "answered"


def test_it_refuses_answers_after_the_due_date_with_a_clear_message(overdue):
    with pytest.raises(PermissionDenied, match=r"The deadline for this feedback was .*; answers are closed\."):
        answer(overdue, {dimension_names(overdue.review)[0]: (4, "Late but useful.")})
    assert not FeedbackAnswer.objects.exists()


def test_it_says_so_on_the_page_and_refuses_a_late_post(client, overdue):
    client.force_login(user("engineer2"))
    page = reverse("feedback:answer", kwargs={"request_id": overdue.pk})
    response = client.get(page)
    assert response.status_code == 200
    assert "answers are closed" in response.content.decode() and "<textarea" not in response.content.decode()
    dimension = overdue.review.blueprint_version.dimensions.order_by("position")[0]
    response = client.post(page, {f"comment_{dimension.pk}": "Late but useful."})
    assert response.status_code == 403 and "answers are closed" in response.content.decode()
    assert not FeedbackAnswer.objects.exists()
