import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reviews.models import FeedbackAnswer
from tests.reviews.feedback_builders import answer, ask, dimension_names, open_feedback_cycle, review_of, user

pytestmark = pytest.mark.django_db


def test_it_keeps_submitted_answers_as_they_are(client, staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    (request,) = ask("manager", review, ["engineer2"])
    first, second = dimension_names(review)[:2]
    answer(request, {first: (4, "First thoughts.")})
    with pytest.raises(PermissionDenied, match="answers are final"):
        answer(request, {first: (2, "Second thoughts."), second: (3, "More.")})

    client.force_login(user("engineer2"))
    page = reverse("feedback:answer", kwargs={"request_id": request.pk})
    dimension = review.blueprint_version.dimensions.order_by("position")[0]
    response = client.post(page, {f"score_{dimension.pk}": "1", f"comment_{dimension.pk}": "Changed my mind."})
    assert response.status_code == 403
    body = response.content.decode()
    assert "answers are final" in body and "First thoughts." in body and "<textarea" not in body
    assert list(FeedbackAnswer.objects.values_list("score", "comment")) == [(4, "First thoughts.")]
