"""Each feedback route as each persona of the demo organisation, on engineer's review (reviewer:
manager) with a request answered by engineer2: the answers the route matrix expects."""

import pytest
from django.test import Client
from django.urls import reverse

from reviews.models import FeedbackRequest
from tests.reviews.feedback_builders import answer, ask, dimension_names, open_feedback_cycle, review_of, user

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "engineer", "engineer2", "manager", "manager2", "director", "hr")


def statuses(answers: str) -> dict[str, int]:
    """Anonymous callers are sent to log in; the others answer in PERSONAS order."""
    return {"anonymous": 302, **dict(zip(PERSONAS[1:], map(int, answers.split()), strict=True))}


# Answers for: engineer, engineer2, manager, manager2, director, hr.
EXPECTED = [
    ("get", "feedback:inbox", None, statuses("200 200 200 200 200 200")),
    ("get", "feedback:review", "review", statuses("200 404 200 404 200 200")),
    ("post", "feedback:review", "review", statuses("200 404 200 404 403 403")),
    ("get", "feedback:answer", "request", statuses("403 200 200 404 200 200")),
    ("post", "feedback:answer", "request", statuses("403 403 403 404 403 403")),
    ("get", "feedback:approve", "request", statuses("405 405 405 405 405 405")),
    ("post", "feedback:approve", "request", statuses("403 403 302 404 403 403")),
    ("post", "feedback:decline", "request", statuses("403 403 302 404 403 403")),
]


@pytest.fixture
def demo(staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    (request,) = ask("manager", review, ["engineer2"])
    answer(request, {dimension_names(review)[0]: (4, "Solid.")})
    return {"review": {"review_id": review.pk}, "request": {"request_id": request.pk}}


@pytest.mark.parametrize(("method", "name", "obj", "expected"), EXPECTED, ids=[f"{m} {n}" for m, n, _o, _e in EXPECTED])
def test_it_answers_each_persona_as_the_policy_says(demo, method, name, obj, expected):
    url = reverse(name, kwargs=demo[obj] if obj else {})
    got = {}
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(user(persona))
        got[persona] = getattr(client, method)(url).status_code
    assert got == expected
    assert FeedbackRequest.objects.get().state == "answered"  # no refusal changed anything
