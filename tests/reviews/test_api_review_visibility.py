"""Each caller sees of a review only what the access policy allows in its current state; the rest is null."""

import pytest
from django.contrib.auth.models import User

from reviews.services import RatingInput, review_calibrate, review_rate
from tests.reviews.api_support import as_, dimensions, fresh, move_to, rate, review_of, url

pytestmark = pytest.mark.django_db


def sides(body):
    """Which parts the body shows: self side, manager side, final rating, potential."""
    line = body["ratings"][0]
    return {
        "self": line["self_score"] is not None and body["weighted_self_score"] is not None,
        "manager": line["manager_score"] is not None and body["weighted_manager_score"] is not None,
        "final": body["final_rating"] is not None,
        "potential": body["potential"] is not None,
    }


def hidden_everywhere(body, side):
    lines = body["ratings"]
    return (
        all(line[f"{side}_score"] is None and line[f"{side}_comment"] is None for line in lines)
        and body[f"weighted_{side}_score"] is None
        and body["missing"][side] is None
    )


@pytest.fixture
def rated_draft(open_cycle):
    """engineer's draft, both sides fully rated (the reviewer may start before the self-assessment is in)."""
    review = review_of(open_cycle, "engineer")
    rate("engineer", review, 4)
    review = rate("manager", review, 3)
    review_rate(actor=User.objects.get(username="manager"), review=review, version=None, ratings=[], potential="high")
    return fresh(review)


EXPECTED = {
    # state: {persona: (self side, manager side, final rating, potential)}
    "draft": {
        "engineer": (True, False, False, False),
        "manager": (False, True, False, True),
        "director": (False, True, False, True),
        "hr": (True, True, False, True),
    },
    "self_submitted": {
        "engineer": (True, False, False, False),
        "manager": (True, True, False, True),
        "director": (True, True, False, True),
        "hr": (True, True, False, True),
    },
    "calibrated": {
        "engineer": (True, False, False, False),
        "manager": (True, True, True, True),
        "director": (True, True, True, True),
        "hr": (True, True, True, True),
    },
    "shared": {
        "engineer": (True, True, True, False),
        "manager": (True, True, True, True),
        "director": (True, True, True, True),
        "hr": (True, True, True, True),
    },
}


@pytest.mark.parametrize("state", list(EXPECTED))
def test_it_shows_each_caller_what_the_policy_allows(rated_draft, state):
    review = move_to(rated_draft, state, self_score=4, manager_score=3)
    assert review.state == state
    for persona, (own, theirs, final, potential) in EXPECTED[state].items():
        body = as_(persona).get(url(review)).json()
        assert sides(body) == {"self": own, "manager": theirs, "final": final, "potential": potential}, persona
        for side, shown in (("self", own), ("manager", theirs)):
            if not shown:
                assert hidden_everywhere(body, side), (persona, side)


def test_the_engineer_cannot_read_the_manager_scores_before_the_review_is_shared(rated_draft):
    review = move_to(rated_draft, "calibrated")
    body = as_("engineer").get(url(review)).json()
    assert [line["manager_score"] for line in body["ratings"]] == [None] * len(dimensions(review))
    assert body["weighted_manager_score"] is None and body["final_rating"] is None
    assert body["calibration_justification"] is None


def test_the_calibration_justification_follows_the_final_rating(rated_draft):
    review = move_to(rated_draft, "manager_submitted")
    review_calibrate(
        actor=User.objects.get(username="hr"), review=review, version=review.version, final_rating=4, justification="x"
    )
    assert as_("manager").get(url(review)).json()["calibration_justification"] == "x"
    assert as_("engineer").get(url(review)).json()["calibration_justification"] is None


@pytest.mark.parametrize("persona", ["engineer2", "manager2"])
def test_people_outside_the_chain_get_404(rated_draft, persona):
    response = as_(persona).get(url(rated_draft))
    assert response.status_code == 404
    assert response.json() == {"detail": "No such review."}


def test_the_director_reads_the_manager_side_while_the_self_assessment_waits(rated_draft):
    body = as_("director").get(url(rated_draft)).json()
    assert [line["manager_score"] for line in body["ratings"]] == [3] * len(dimensions(rated_draft))
    assert body["weighted_manager_score"] == 3.0
    assert body["actions"] == [] and body["editable"] == {"self": False, "manager": False}


def test_nobody_but_the_person_reviewed_reads_an_unsubmitted_comment(open_cycle):
    review = review_of(open_cycle, "engineer")
    review_rate(
        actor=User.objects.get(username="engineer"),
        review=review,
        version=None,
        ratings=[RatingInput(dimensions(review)[0], 5, "private until submitted")],
    )
    for persona in ("manager", "director"):
        body = as_(persona).get(url(review)).json()
        assert "private until submitted" not in str(body)
