"""Someone who may not open the review gets access's 404 instead of a packet: another team's manager,
another engineer, and anyone asking for a review that does not exist."""

import pytest
from django.http import Http404

from reviews.packets import review_packet_html, review_packet_pdf
from tests.reviews.page_helpers import engineer_review, user, walk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reader", ["manager2", "engineer2", "newhire"])
def test_it_answers_404_outside_the_requesters_scope(open_cycle, reader):
    review = walk(engineer_review(open_cycle), "calibrated")
    with pytest.raises(Http404):
        review_packet_html(review_id=review.pk, requester=user(reader))
    with pytest.raises(Http404):
        review_packet_pdf(review_id=review.pk, requester=user(reader))


def test_it_answers_404_for_a_review_that_does_not_exist(open_cycle):
    with pytest.raises(Http404):
        review_packet_html(review_id=987654, requester=user("hr"))
