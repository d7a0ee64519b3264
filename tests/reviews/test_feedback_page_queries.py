"""The feedback pages and the review page's feedback block run in a fixed number of queries,
whatever the number of requests and answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.feedback import feedback_panel
from reviews.models import FeedbackAnswer, FeedbackRequest
from tests.org_builders import person
from tests.reviews.feedback_builders import answer, ask, dimension_names, open_feedback_cycle, review_of, share, user

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _grow(review, count, start):
    """Ask `count` more peers (some by the person reviewed, pending approval) and have most answer."""
    names = dimension_names(review)
    team = review.employee.team
    peers = [person(f"peer{start + n}", team=team).user.username for n in range(count)]
    for n, request in enumerate(ask("manager", review, peers[: count - 1])):
        if n % 3:
            answer(request, {name: (4, f"peer {start + n} on {name}") for name in names})
    ask("engineer", review, peers[count - 1 :])


@pytest.fixture
def review(staff_blueprint):
    return review_of(open_feedback_cycle(), "engineer")


@pytest.mark.parametrize("username", ["manager", "director", "hr", "engineer"])
def test_it_answers_the_review_feedback_page_in_fixed_queries(client, review, username):
    client.force_login(user(username))
    url = reverse("feedback:review", kwargs={"review_id": review.pk})
    _grow(review, 2, 0)
    few = _queries(client, url)
    _grow(review, 8, 10)
    assert _queries(client, url) == few
    assert few <= 14


def test_it_answers_the_anonymised_summary_in_fixed_queries(client, review):
    _grow(review, 2, 0)
    review = share(review_of(review.cycle, "engineer"))
    client.force_login(user("engineer"))
    url = reverse("feedback:review", kwargs={"review_id": review.pk})
    few = _queries(client, url)
    # Answers that arrived before sharing, written straight to the tables: the rules forbid new requests now.
    dimension = review.blueprint_version.dimensions.order_by("position")[0]
    for n in range(6):
        late = FeedbackRequest.objects.create(
            review=review,
            peer=person(f"late{n}"),
            requested_by=user("manager"),
            state="answered",
            due=review.cycle.manager_due,
        )
        FeedbackAnswer.objects.create(request=late, dimension=dimension, score=3, comment=f"late {n}")
    assert _queries(client, url) == few


@pytest.mark.parametrize("username", ["engineer2", "manager"])
def test_it_answers_the_request_page_in_fixed_queries(client, review, username):
    (request,) = ask("manager", review, ["engineer2"])
    _grow(review, 6, 0)
    client.force_login(user(username))
    url = reverse("feedback:answer", kwargs={"request_id": request.pk})
    unanswered = _queries(client, url)
    answer(request, dict.fromkeys(dimension_names(review), (3, "x")))
    assert _queries(client, url) <= unanswered + 1  # the answers, read once submitted
    assert unanswered <= 12


@pytest.mark.parametrize("username", ["engineer2", "manager"])
def test_it_answers_the_inbox_in_fixed_queries(client, staff_blueprint, username):
    cycle = open_feedback_cycle()
    client.force_login(user(username))
    url = reverse("feedback:inbox")
    ask("manager", review_of(cycle, "engineer"), ["engineer2"])
    few = _queries(client, url)
    ask("manager", review_of(cycle, "newhire"), ["engineer2"])
    ask("engineer", review_of(cycle, "engineer"), ["director", "hr", "manager2"])
    ask("newhire", review_of(cycle, "newhire"), ["hr", "manager2"])
    (done,) = ask("manager", review_of(cycle, "newhire"), ["director"])
    answer(done, {dimension_names(done.review)[0]: (None, "ok")})
    assert _queries(client, url) == few
    assert few <= 12


def test_it_builds_the_review_page_block_in_one_query(review, django_assert_num_queries):
    _grow(review, 5, 0)
    manager = user("manager")
    feedback_panel(manager, review)  # the caller's standing is loaded once per request
    with django_assert_num_queries(1):
        panel = feedback_panel(manager, review)
        assert panel["feedback_enabled"] and panel["feedback"]["counts"]["asked"] == 5
    assert feedback_panel(user("engineer2"), review) == {"feedback_enabled": False, "feedback": None}
