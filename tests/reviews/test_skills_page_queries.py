"""The skills page and the skills API answer in a fixed number of queries, whatever the number of skills."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.services import cycle_create, cycle_open, review_rate_skills
from scorecards.selectors import blueprint_to_dict, blueprint_version_by_id
from scorecards.services import blueprint_import
from tests.reviews.page_helpers import AUTH_QUERIES, engineer_review, user, walk

pytestmark = pytest.mark.django_db

# The review with its cycle, people and blueprint; the caller's place in the chain; the skills; the ratings.
PAGE_QUERIES = AUTH_QUERIES + 4


def _rate_every_other_skill(review):
    skills = review.blueprint_version.skills.order_by("position").values_list("pk", flat=True)
    review_rate_skills(
        actor=User.objects.get(username="engineer"),
        review=review,
        skills={
            pk: {"score": 3, "comment": "ok", "evidence": ["https://x.test/a"], "version": 0} for pk in skills[::2]
        },
    )


@pytest.fixture
def big_review(open_cycle, staff_blueprint):
    """The same engineer in a second cycle, against a blueprint with 160 skills."""
    data = blueprint_to_dict(blueprint_version_by_id(staff_blueprint.pk))
    data["skills"] = data["skills"] + [
        {**data["skills"][n % 5], "name": f"Extra skill {n}", "description": f"Skill number {n}"} for n in range(125)
    ]
    blueprint_import(actor=None, data=data, publish=True)
    hr = user("hr")
    cycle = cycle_create(
        actor=hr,
        name="2027 Q1",
        period_start=date(2027, 1, 1),
        period_end=date(2027, 3, 31),
        self_due=date(2027, 3, 5),
        manager_due=date(2027, 3, 12),
        calibration_due=date(2027, 3, 19),
        signoff_due=date(2027, 4, 9),
    )
    cycle_open(actor=hr, cycle=cycle)
    review = engineer_review(cycle)
    assert review.blueprint_version.skills.count() == 160
    _rate_every_other_skill(review)
    return review


@pytest.fixture
def small_review(open_cycle):
    review = engineer_review(open_cycle)
    _rate_every_other_skill(review)
    return review


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_it_renders_the_form_in_a_fixed_number_of_queries(client, small_review, big_review):
    client.force_login(user("engineer"))
    counts = [_count(client, reverse("reviews:skills", args=[r.pk])) for r in (small_review, big_review)]
    assert counts[0] == counts[1] <= PAGE_QUERIES, counts
    html = client.get(reverse("reviews:skills", args=[big_review.pk])).content.decode()
    assert html.count("<select") == 160


@pytest.mark.parametrize("username", ["engineer", "manager", "director", "hr"])
def test_it_renders_the_read_only_page_in_a_fixed_number_of_queries(client, small_review, big_review, username):
    reviews = [walk(r, "self_submitted") for r in (small_review, big_review)]
    client.force_login(user(username))
    counts = [_count(client, reverse("reviews:skills", args=[r.pk])) for r in reviews]
    assert counts[0] == counts[1] <= PAGE_QUERIES, counts


@pytest.mark.parametrize("username", ["engineer", "hr"])
def test_the_api_lists_the_skills_in_a_fixed_number_of_queries(client, small_review, big_review, username):
    reviews = [walk(r, "self_submitted") for r in (small_review, big_review)]
    client.force_login(user(username))
    counts = [_count(client, f"/api/v1/reviews/{r.pk}/skills/") for r in reviews]
    assert counts[0] == counts[1] <= PAGE_QUERIES, counts
