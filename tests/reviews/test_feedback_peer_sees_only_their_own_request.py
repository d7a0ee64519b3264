"""A peer sees their own request: the dimensions with their bar, their own answers. Never the review's
ratings, never other peers' answers, never the review's other requests."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from reviews.services import RatingInput, review_rate
from tests.reviews.feedback_builders import answer, ask, dimension_names, open_feedback_cycle, review_of, user

pytestmark = pytest.mark.django_db

SELF_MARKER = "self-assessment only the chain reads"
MANAGER_MARKER = "manager rating only the chain reads"
NEWHIRE_WORDS = "Words of newhire for the manager"


@pytest.fixture
def requests(staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    names = dimension_names(review)
    review_rate(actor=user("engineer"), review=review, version=None, ratings=[RatingInput(names[0], 5, SELF_MARKER)])
    review_rate(actor=user("manager"), review=review, version=None, ratings=[RatingInput(names[0], 2, MANAGER_MARKER)])
    engineer2, newhire = ask("manager", review, ["engineer2", "newhire"])
    answer(newhire, {names[0]: (3, NEWHIRE_WORDS)})
    return {"engineer2": engineer2, "newhire": newhire}


def test_it_shows_the_peer_the_dimensions_with_their_bar_and_nothing_of_the_review(client, requests):
    request = requests["engineer2"]
    client.force_login(user("engineer2"))
    body = client.get(reverse("feedback:answer", kwargs={"request_id": request.pk})).content.decode()
    for dimension in request.review.blueprint_version.dimensions.all():
        assert escape(dimension.name) in body and escape(dimension.meets_bar) in body
    for hidden in (SELF_MARKER, MANAGER_MARKER, NEWHIRE_WORDS, "Noor Newhire"):
        assert hidden not in body


def test_it_hides_other_peers_requests_and_the_review_from_a_peer(client, requests):
    client.force_login(user("engineer2"))
    other = reverse("feedback:answer", kwargs={"request_id": requests["newhire"].pk})
    assert client.get(other).status_code == 404
    review_page = reverse("feedback:review", kwargs={"review_id": requests["newhire"].review_id})
    assert client.get(review_page).status_code == 404
    inbox = client.get(reverse("feedback:inbox")).content.decode()
    assert other not in inbox and NEWHIRE_WORDS not in inbox


def test_it_shows_the_peer_only_their_own_answers_once_submitted(client, requests):
    client.force_login(user("newhire"))
    body = client.get(reverse("feedback:answer", kwargs={"request_id": requests["newhire"].pk})).content.decode()
    assert NEWHIRE_WORDS in body
    assert SELF_MARKER not in body and MANAGER_MARKER not in body
