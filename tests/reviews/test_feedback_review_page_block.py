"""The review page's peer feedback block, rendered from feedback_panel's context."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from reviews.feedback import feedback_panel
from tests.reviews.feedback_builders import answer, ask, dimension_names, open_feedback_cycle, review_of, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    answered, _open = ask("manager", review, ["engineer2", "newhire"])
    answer(answered, {dimension_names(review)[0]: (4, "Words for the chain only.")})
    ask("engineer", review, ["director"])
    return review


def _block(username, review):
    context = feedback_panel(user(username), review)
    assert context["feedback_enabled"]
    return render_to_string("reviews/partials/review_feedback.html", context)


def test_it_lists_the_peers_and_links_the_reviewer_to_approvals(review):
    block = _block("manager", review)
    assert "1 of 3 answered" in block and "1 awaiting approval" in block
    assert "Emery Engineer" in block and "Noor Newhire" in block and "Dana Director" in block
    assert "Read who said what" in block and "Approve requests" in block
    assert reverse("feedback:review", kwargs={"review_id": review.pk}) in block
    assert "Words for the chain only." not in block


def test_it_tells_the_engineer_when_the_summary_comes(review):
    block = _block("engineer", review)
    assert "once your review is shared" in block and "Ask peers for feedback" in block
    assert "Words for the chain only." not in block and "Approve requests" not in block


def test_it_is_not_shown_to_peers_or_other_managers(review):
    for username in ("engineer2", "manager2"):
        assert feedback_panel(user(username), review) == {"feedback_enabled": False, "feedback": None}
