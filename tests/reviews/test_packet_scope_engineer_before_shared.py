"""Before the review is shared, the engineer's own packet holds their self-assessment only: no manager
scores or comments, no final rating, no potential, and it says when the rest comes."""

import pytest

from reviews.packets import review_packet_html
from tests.reviews.packet_support import table_rows, words
from tests.reviews.page_helpers import engineer_review, user, walk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", ["self_submitted", "manager_submitted", "calibrated"])
def test_it_leaves_the_manager_side_and_the_final_rating_out(open_cycle, state):
    review = walk(engineer_review(open_cycle), state, self_score=4, manager_score=2)
    html = review_packet_html(review_id=review.pk, requester=user("engineer"))
    text = words(html)

    assert "self comment" in text
    assert "manager comment" not in text
    assert "Manager review:" not in text  # the manager's weighted score explained
    assert "Manager review 2" not in text  # the manager's comment block
    # Dimension, weight, self score, self contribution: no manager column, no final column.
    rows = table_rows(html, "scorecard")
    assert rows and all(len(row) == 4 for row in rows), rows
    assert all(row[2] == "4 Exceeds" for row in rows)
    assert "Partially meets" not in text  # the manager's 2s
    assert "Final rating" not in text and "Final (calibrated)" not in text
    assert "Potential" not in text
    assert "Your manager's ratings and comments are in the packet once the review is shared with you." in text
    assert "The final rating is in the packet once the review is shared with you." in text
