"""The summary the person reviewed reads: counts, an average only from two scores up, and comments in
an order fixed per review that does not follow the order in which peers were asked or answered."""

from decimal import Decimal

import pytest

from reviews.feedback import answers_for_review, feedback_summary
from tests.org_builders import person
from tests.reviews.feedback_builders import answer, ask, dimension_names, open_feedback_cycle, review_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(staff_blueprint):
    return review_of(open_feedback_cycle(), "engineer")


def test_it_counts_and_averages_per_dimension_from_two_scores(review):
    first, second, third = dimension_names(review)[:3]
    a, b, c = ask("manager", review, ["engineer2", "newhire", "director"])
    answer(a, {first: (4, "a1"), second: (5, "a2"), third: (None, "a3")})
    answer(b, {first: (3, "b1"), second: (None, "b2")})
    answer(c, {first: (4, "c1")})
    summary = {s.dimension.name: s for s in feedback_summary(review=review, answers=answers_for_review(review=review))}
    assert list(summary) == [first, second, third]
    assert (summary[first].answers, summary[first].average) == (3, Decimal("3.7"))
    assert (summary[second].answers, summary[second].average) == (2, None)  # one score would name its author
    assert (summary[third].answers, summary[third].average) == (1, None)
    assert sorted(summary[first].comments) == ["a1", "b1", "c1"]


def test_it_orders_comments_the_same_way_every_time_but_not_as_peers_answered(review):
    first = dimension_names(review)[0]
    team = review.employee.team
    peers = ["engineer2", "newhire", "director", "hr", "manager2"]
    peers += [person(f"peer{n}", team=team).user.username for n in range(5)]
    requests = ask("manager", review, peers)
    for number, request in enumerate(requests):
        answer(request, {first: (None, f"comment {number:02d}")})
    in_answer_order = [f"comment {number:02d}" for number in range(len(requests))]
    orders = [feedback_summary(review=review, answers=answers_for_review(review=review))[0].comments for _ in range(3)]
    assert orders[0] == orders[1] == orders[2]
    assert sorted(orders[0]) == in_answer_order and orders[0] != in_answer_order


def test_it_leaves_out_requests_not_answered(review):
    first = dimension_names(review)[0]
    answered, _open = ask("manager", review, ["engineer2", "newhire"])
    answer(answered, {first: (2, "only this one")})
    (only,) = feedback_summary(review=review, answers=answers_for_review(review=review))
    assert only.comments == ["only this one"] and only.answers == 1
