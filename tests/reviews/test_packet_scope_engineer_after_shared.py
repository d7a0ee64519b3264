"""Once the review is shared, the engineer's packet holds the manager's scores and comments, the final
rating and an anonymised summary of the peer feedback: never a peer's name, never the potential."""

import pytest

from reviews.packets import review_packet_html
from tests.reviews.feedback_builders import (
    MANAGER_RATING_MARKER,
    answer,
    ask,
    dimension_names,
    employee,
    open_feedback_cycle,
    review_of,
    share,
    user,
)
from tests.reviews.packet_support import table_rows, words

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_with_feedback(staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    first = dimension_names(review)[0]
    for request, comment in zip(
        ask("manager", review, ["newhire", "engineer2"]),
        ["Peer word one: the design reviews were thorough.", "Peer word two: always unblocks us."],
        strict=True,
    ):
        answer(request, {first: (4, comment)})
    return share(review)


def test_it_shows_the_manager_side_and_the_final_rating_but_no_peer_names(shared_with_feedback):
    review = shared_with_feedback
    html = review_packet_html(review_id=review.pk, requester=user("engineer"))
    text = words(html)

    assert MANAGER_RATING_MARKER in text
    rows = table_rows(html, "scorecard")
    assert rows[0][:4] == [dimension_names(review)[0], "25", "4 Exceeds", "3 Meets the bar"]
    assert "Final rating 3 Meets the bar" in text
    assert "Peer word one: the design reviews were thorough." in text
    assert "Peer word two: always unblocks us." in text
    for peer in ("newhire", "engineer2"):
        assert employee(peer).name not in text, peer
        assert employee(peer).name not in html, peer
    assert "Potential" not in text
    assert "Your manager's ratings" not in text


def test_it_names_the_peers_for_the_manager_and_hr(shared_with_feedback):
    for reader in ("manager", "director", "hr"):
        text = words(review_packet_html(review_id=shared_with_feedback.pk, requester=user(reader)))
        assert f"{employee('newhire').name} 4" in text, reader
        assert employee("engineer2").name in text, reader
        assert "Potential" in text, reader
