"""A peer answers the dimensions they can speak to: a comment each, a score if they like."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reviews.feedback import feedback_answer
from reviews.models import FeedbackAnswer
from tests.reviews.feedback_builders import answer, ask, dimension_names, open_feedback_cycle, review_of, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    return ask("manager", review, ["engineer2"])[0]


def test_it_requires_a_comment_for_each_dimension_answered(request_):
    first, second = dimension_names(request_.review)[:2]
    with pytest.raises(ValidationError) as refused:
        answer(request_, {first: (4, "Clear designs."), second: (3, "   ")})
    assert "comment is required" in refused.value.message_dict[second][0]
    request_.refresh_from_db()
    assert request_.state == "open" and not FeedbackAnswer.objects.exists()


def test_it_takes_a_comment_without_a_score_and_leaves_other_dimensions_out(request_):
    first, second = dimension_names(request_.review)[:2]
    answer(request_, {first: (None, "Never saw their design work up close."), second: (5, "Ran the incident review.")})
    rows = {a.dimension.name: (a.score, a.comment) for a in FeedbackAnswer.objects.select_related("dimension")}
    assert rows == {first: (None, "Never saw their design work up close."), second: (5, "Ran the incident review.")}
    request_.refresh_from_db()
    assert request_.state == "answered" and request_.answered_at is not None


def test_it_needs_at_least_one_dimension(request_):
    with pytest.raises(ValidationError, match="at least one dimension"):
        answer(request_, {})


def test_it_refuses_unknown_dimensions_and_scores_outside_1_to_5(request_):
    first = dimension_names(request_.review)[0]
    with pytest.raises(ValidationError, match="Unknown dimension"):
        answer(request_, {"Juggling": (3, "Fine.")})
    for bad in (0, 6, "4", True):
        with pytest.raises(ValidationError, match="from 1 to 5"):
            answer(request_, {first: (bad, "Fine.")})  # type: ignore[dict-item]
    assert not FeedbackAnswer.objects.exists()


def test_it_lets_only_the_peer_answer(request_):
    first = dimension_names(request_.review)[0]
    for someone_else in ("engineer", "newhire", "manager", "hr"):
        with pytest.raises(PermissionDenied, match="Emery Engineer, who was asked"):
            feedback_answer(actor=user(someone_else), request=request_, answers={first: (3, "Hm.")})


def test_it_shows_the_rule_in_the_form_when_a_score_comes_without_a_comment(client, request_):
    dimension = request_.review.blueprint_version.dimensions.order_by("position")[0]
    client.force_login(user("engineer2"))
    page = reverse("feedback:answer", kwargs={"request_id": request_.pk})
    response = client.post(page, {f"score_{dimension.pk}": "4"})
    assert response.status_code == 200
    assert "A comment is required for each dimension you answer" in response.content.decode()
    response = client.post(page, {})
    assert "Answer at least one dimension" in response.content.decode()
    assert not FeedbackAnswer.objects.exists()
