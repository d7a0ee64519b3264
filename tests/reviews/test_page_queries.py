"""The review page and the review list run in a fixed number of queries, whatever the number of
dimensions, skills, history entries and reviews."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import Review
from reviews.services import cycle_create, cycle_open
from scorecards.selectors import blueprint_to_dict, blueprint_version_by_id
from scorecards.services import blueprint_import
from tests.reviews.page_helpers import AUTH_QUERIES, engineer_review, rate, user, walk

pytestmark = pytest.mark.django_db

# The review with its cycle, people and blueprint; the caller's place in the chain; the scorecard,
# skills and responsibilities; the ratings; the history; the peer feedback requests; how many skills
# the engineer rated (the link to the detailed self-assessment by skill says "N of M rated"); the KPI
# panel's series, tiers and values, and the teams whose KPIs the caller may see (their subtree, its teams);
# the person's 30/60/90 plan with its counts (one query).
PAGE_QUERIES = AUTH_QUERIES + 15
# The caller's chain; a count and a page of reviews; their ratings; the cycles of the filter.
LIST_QUERIES = AUTH_QUERIES + 5


@pytest.fixture
def big_review(open_cycle, staff_blueprint):
    """The same engineer in a second cycle, against a blueprint with 40 dimensions and 120 skills."""
    data = blueprint_to_dict(blueprint_version_by_id(staff_blueprint.pk))
    data["scorecard"] = [
        {"name": f"Dimension {n} of delivery", "meets_bar": f"Delivers outcome {n} with care", "weight": Decimal("2.5")}
        for n in range(40)
    ]
    data["skills"] = data["skills"] + [
        {**data["skills"][0], "name": f"Extra delivery skill {n}", "description": f"Outcome {n} delivery"}
        for n in range(85)
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
    assert review.blueprint_version.dimensions.count() == 40
    for score in (2, 3, 4):  # plenty of history
        rate(user("engineer"), review, score, f"take {score}")
    return walk(review, "manager_submitted")


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("username", ["engineer", "manager", "director", "hr"])
def test_it_renders_the_review_page_in_a_fixed_number_of_queries(client, open_cycle, big_review, username):
    small = walk(engineer_review(open_cycle), "manager_submitted")
    client.force_login(user(username))
    counts = [_count(client, reverse("reviews:detail", args=[review.pk])) for review in (small, big_review)]
    assert counts[0] == counts[1] <= PAGE_QUERIES, counts


def test_it_renders_a_page_being_edited_in_a_fixed_number_of_queries(
    client, open_cycle, big_review, django_assert_max_num_queries
):
    Review.objects.filter(pk=big_review.pk).update(state="draft")
    client.force_login(user("engineer"))
    with django_assert_max_num_queries(PAGE_QUERIES):
        html = client.get(reverse("reviews:detail", args=[big_review.pk])).content.decode()
    assert html.count('class="rating-field"') == 40


@pytest.mark.parametrize("username", ["manager", "director", "hr"])
def test_it_lists_reviews_in_a_fixed_number_of_queries(client, open_cycle, big_review, username):
    client.force_login(user(username))
    few = _count(client, reverse("reviews:list") + f"?cycle={open_cycle.pk}")
    more = _count(client, reverse("reviews:list"))
    assert few == more <= LIST_QUERIES, (few, more)
