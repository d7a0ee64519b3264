"""The review pages' answers to every kind of user on the demo data (the route matrix's entries for them):
the subject is engineer's review in the demo cycle, which engineer has submitted and manager is writing."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from reviews.models import Rating, Review

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "engineer", "engineer2", "manager", "manager2", "director", "hr")


def answers(anonymous=302, engineer=200, engineer2=404, manager=200, manager2=404, director=200, hr=200):
    return dict(zip(PERSONAS, (anonymous, engineer, engineer2, manager, manager2, director, hr), strict=True))


@pytest.fixture
def demo(staff_blueprint):
    from reviews.demo import demo_seed

    demo_seed()
    review = Review.objects.get(cycle__name__endswith="review", employee__user__username="engineer")
    assert review.state == "self_submitted"
    dimension_id = (
        Rating.objects.filter(review=review).order_by("dimension__position").values_list("dimension_id", flat=True)[0]
    )
    return review, dimension_id


def _routes(review, dimension_id):
    rating = {"review_id": review.pk, "dimension_id": dimension_id}
    return [
        ("get", reverse("reviews:list"), answers(engineer2=200, manager2=200)),
        ("get", reverse("reviews:detail", args=[review.pk]), answers()),
        ("post", reverse("reviews:detail", args=[review.pk]), answers(engineer=403, manager=302, director=403, hr=403)),
        (
            "post",
            reverse("reviews:transition", args=[review.pk]),
            answers(engineer=400, manager=400, director=400, hr=400),
        ),
        ("get", reverse("reviews:potential", args=[review.pk]), answers(engineer=403, director=403, hr=403)),
        ("post", reverse("reviews:potential", args=[review.pk]), answers(engineer=403, director=403, hr=403)),
        ("get", reverse("reviews:rating", kwargs={**rating, "side": "self"}), answers()),
        ("get", reverse("reviews:rating", kwargs={**rating, "side": "manager"}), answers(engineer=403)),
        (
            "post",
            reverse("reviews:rating", kwargs={**rating, "side": "self"}),
            answers(engineer=403, manager=403, director=403, hr=403),
        ),
        (
            "post",
            reverse("reviews:rating", kwargs={**rating, "side": "manager"}),
            answers(engineer=403, manager=400, director=403, hr=403),
        ),
    ]


def test_it_answers_each_kind_of_user_as_the_policy_says(demo):
    review, dimension_id = demo
    clients = {}
    for persona in PERSONAS:
        clients[persona] = Client()
        if persona != "anonymous":
            clients[persona].force_login(User.objects.get(username=persona))
    mismatches = []
    for method, url, expected in _routes(review, dimension_id):
        for persona, status in expected.items():
            response = getattr(clients[persona], method)(url)
            if response.status_code != status:
                mismatches.append(f"{method.upper()} {url} as {persona}: {response.status_code} != {status}")
            elif status == 302 and persona == "anonymous":
                assert response["Location"].startswith(reverse("login"))
    assert mismatches == []
