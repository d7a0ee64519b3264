"""Each side of a review is on the page only for those the policy lets read it: not hidden, absent."""

import pytest
from django.urls import reverse

from reviews.services import review_rate
from tests.reviews.page_helpers import engineer_review, rate, user, walk

pytestmark = pytest.mark.django_db

SELF_TEXT = "self comment"
MANAGER_TEXT = "manager comment"


def _page(client, username, review):
    client.force_login(user(username))
    return client.get(reverse("reviews:detail", args=[review.pk]))


def _sides(html):
    return {
        "self_edit": 'name="r-' in html and '-self-score"' in html,
        "manager_edit": '-manager-score"' in html,
        "self_text": SELF_TEXT in html,
        "manager_text": MANAGER_TEXT in html,
    }


def test_it_shows_the_engineer_only_their_own_side_until_the_review_is_shared(client, open_cycle):
    review = engineer_review(open_cycle)
    rate(user("manager"), review, 2, MANAGER_TEXT)
    html = _page(client, "engineer", review).content.decode()
    assert _sides(html) == {"self_edit": True, "manager_edit": False, "self_text": False, "manager_text": False}
    assert "Manager review" not in html.split('id="scores-heading"')[1].split("Scorecard")[0]
    assert "once the review is shared" in html

    review = walk(review, "calibrated")
    html = _page(client, "engineer", review).content.decode()
    assert _sides(html) == {"self_edit": False, "manager_edit": False, "self_text": True, "manager_text": False}
    assert "Final rating" not in html

    review = walk(review, "shared")
    html = _page(client, "engineer", review).content.decode()
    assert _sides(html)["manager_text"] and "Final rating" in html


def test_it_shows_the_manager_the_self_assessment_only_once_submitted(client, open_cycle):
    review = engineer_review(open_cycle)
    rate(user("engineer"), review, 4, SELF_TEXT)
    html = _page(client, "manager", review).content.decode()
    assert _sides(html) == {"self_edit": False, "manager_edit": True, "self_text": False, "manager_text": False}
    assert "self-assessment is shown once they submit it" in html

    review = walk(review, "self_submitted")
    html = _page(client, "manager", review).content.decode()
    assert _sides(html)["self_text"] and _sides(html)["manager_edit"]
    assert 'name="potential"' in html

    review = walk(review, "manager_submitted")
    html = _page(client, "manager", review).content.decode()
    assert _sides(html) == {"self_edit": False, "manager_edit": False, "self_text": True, "manager_text": True}


@pytest.mark.parametrize("username", ["director", "hr"])
def test_it_shows_the_chain_and_hr_both_sides_read_only(client, open_cycle, username):
    review = walk(engineer_review(open_cycle), "manager_submitted")
    html = _page(client, username, review).content.decode()
    assert _sides(html) == {"self_edit": False, "manager_edit": False, "self_text": True, "manager_text": True}
    assert "<form" not in html.split('id="scores-heading"')[1].split('id="actions"')[0]


@pytest.mark.parametrize("username", ["engineer2", "manager2"])
def test_it_answers_404_outside_the_callers_scope(client, open_cycle, username):
    review = engineer_review(open_cycle)
    assert _page(client, username, review).status_code == 404


def test_it_never_shows_the_potential_to_the_person_reviewed(client, open_cycle):
    review = walk(engineer_review(open_cycle), "self_submitted")
    review_rate(actor=user("manager"), review=review, ratings=[], version=None, potential="high")
    review = walk(review, "shared")
    engineer_html = _page(client, "engineer", review).content.decode()
    assert "Potential" not in engineer_html and "High" not in engineer_html
    assert "High" in _page(client, "director", review).content.decode()


def test_it_leaves_the_managers_ratings_out_of_the_engineers_history_until_shared(client, open_cycle):
    review = walk(engineer_review(open_cycle), "self_submitted")
    rate(user("manager"), review, {"Communication": 2}, "terse updates")
    review_rate(actor=user("manager"), review=review, ratings=[], version=None, potential="low")
    review = walk(review, "calibrated")
    html = _page(client, "engineer", review).content.decode()
    history = html.split('id="history"')[1]
    assert "Rated Communication (self-assessment)" in history
    assert "(manager review)" not in history and "terse updates" not in history
    assert "Set the potential" not in history
    # The calibration shows as a step, without the final rating it set.
    assert "Calibrated the review" in history and "Final rating" not in history

    review = walk(review, "shared")
    history = _page(client, "engineer", review).content.decode().split('id="history"')[1]
    assert "Rated Communication (manager review)" in history and MANAGER_TEXT in history
    assert "Final rating" in history
    assert "Set the potential" not in history
    manager_history = _page(client, "manager", review).content.decode().split('id="history"')[1]
    assert "Set the potential" in manager_history


def test_it_leaves_the_self_ratings_out_of_the_managers_history_until_submitted(client, open_cycle):
    review = engineer_review(open_cycle)
    rate(user("engineer"), review, {"Communication": 5}, "I write well")
    history = _page(client, "manager", review).content.decode().split('id="history"')[1]
    assert "I write well" not in history and "Nothing has happened" in history
