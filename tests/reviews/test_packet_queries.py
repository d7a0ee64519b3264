"""review_packet_html runs a fixed number of queries, whatever the number of dimensions and ratings."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.packets import review_packet_html
from reviews.services import cycle_create, cycle_open
from scorecards.selectors import blueprint_to_dict, blueprint_version_by_id
from scorecards.services import blueprint_import
from tests.reviews.page_helpers import engineer_review, user, walk

pytestmark = pytest.mark.django_db

# The caller's groups and employee record; the review with its cycle, people and blueprint; the caller's
# place in the chain; the person's team and manager; the scorecard; the ratings; the KPI panel's series,
# tiers and values and the teams whose KPIs the caller may see; the peer feedback requests and answers;
# the person's 30/60/90 plan (one query: its goals with the plan and its indicator counts).
PACKET_QUERIES = 15


def _cycle_with_scorecard(staff_blueprint, name, weights):
    """A cycle opened on a new version of the blueprint whose scorecard has these weights."""
    data = blueprint_to_dict(blueprint_version_by_id(staff_blueprint.pk))
    data["scorecard"] = [
        {"name": f"{name} dimension {n}", "meets_bar": f"Delivers outcome {n}", "weight": Decimal(weight)}
        for n, weight in enumerate(weights)
    ]
    blueprint_import(actor=None, data=data, publish=True)
    hr = user("hr")
    cycle = cycle_create(
        actor=hr,
        name=name,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        self_due=date(2026, 4, 5),
        manager_due=date(2026, 4, 12),
        calibration_due=date(2026, 4, 19),
        signoff_due=date(2026, 5, 9),
    )
    return cycle_open(actor=hr, cycle=cycle).cycle


@pytest.fixture
def small_and_big(open_cycle, staff_blueprint):
    small = _cycle_with_scorecard(staff_blueprint, "Small", [30, 30, 40])
    big = _cycle_with_scorecard(staff_blueprint, "Big", [3] * 20 + [4] * 10)
    reviews = [walk(engineer_review(cycle), "calibrated") for cycle in (small, big)]
    assert [r.ratings.count() for r in reviews] == [6, 60]
    return reviews


def _count(review, username):
    requester = user(username)
    with CaptureQueriesContext(connection) as queries:
        review_packet_html(review_id=review.pk, requester=requester)
    return len(queries)


@pytest.mark.parametrize("username", ["hr", "director", "manager", "engineer"])
def test_it_renders_3_and_30_dimensions_in_the_same_number_of_queries(small_and_big, username):
    small, big = small_and_big
    counts = [_count(small, username), _count(big, username)]
    assert counts[0] == counts[1] <= PACKET_QUERIES, counts


def test_it_stays_within_the_bound(small_and_big, django_assert_max_num_queries):
    hr = user("hr")
    with django_assert_max_num_queries(PACKET_QUERIES):
        review_packet_html(review_id=small_and_big[1].pk, requester=hr)
