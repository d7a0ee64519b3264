"""condensed_pages leaves out, without a word, the people outside the requester's calibration scope:
a manager gets their reports, a director their org, HR everyone, an engineer nobody."""

import pytest

from reviews.packets import condensed_pages
from tests.reviews.page_helpers import engineer_review, user, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviews(open_cycle):
    return {
        username: walk(engineer_review(open_cycle, username), "manager_submitted").pk
        for username in ("engineer", "engineer2")
    }


@pytest.mark.parametrize(
    ("reader", "seen"),
    [
        ("manager", ["engineer"]),
        ("manager2", ["engineer2"]),
        ("director", ["engineer", "engineer2"]),
        ("hr", ["engineer", "engineer2"]),
        ("engineer", []),
    ],
)
def test_it_leaves_out_people_outside_the_calibration_scope(reviews, reader, seen):
    ids = [reviews["engineer"], reviews["engineer2"], 987654]
    people = condensed_pages(review_ids=ids, requester=user(reader))
    assert [person.username for person in people] == seen


def test_it_keeps_the_order_asked_and_each_person_once(reviews):
    ids = [reviews["engineer2"], reviews["engineer"], reviews["engineer2"]]
    people = condensed_pages(review_ids=ids, requester=user("hr"))
    assert [person.username for person in people] == ["engineer2", "engineer"]
