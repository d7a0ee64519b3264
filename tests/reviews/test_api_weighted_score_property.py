"""For any scores 1..5 on every dimension (and any positive weights), the API's weighted manager score
is Σ(weight * score) / Σ(weight) rounded half up to two places."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecards.models import ScorecardDimension
from tests.reviews.api_support import as_, dimensions, review_of, url

pytestmark = pytest.mark.django_db

DIMENSIONS = 7  # the Staff Software Engineer scorecard


def expected(weights: list[Decimal], scores: list[int]) -> Decimal:
    total = sum(weights, Decimal(0))
    weighted = sum((weight * score for weight, score in zip(weights, scores, strict=True)), Decimal(0))
    return (weighted / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    scores=st.lists(st.integers(min_value=1, max_value=5), min_size=DIMENSIONS, max_size=DIMENSIONS),
    # Weights in halves from 0.5 to 100, as a blueprint may have them (12.5, 33.5...).
    halves=st.one_of(
        st.none(), st.lists(st.integers(min_value=1, max_value=200), min_size=DIMENSIONS, max_size=DIMENSIONS)
    ),
)
def test_the_weighted_manager_score_is_the_weighted_mean_rounded_half_up(open_cycle, scores, halves):
    review = review_of(open_cycle, "engineer")
    rows = list(review.blueprint_version.dimensions.order_by("position"))
    assert len(rows) == DIMENSIONS
    if halves is not None:
        for row, half in zip(rows, halves, strict=True):
            row.weight = Decimal(half) / 2
        ScorecardDimension.objects.bulk_update(rows, ["weight"])
    weights = [
        row.weight for row in ScorecardDimension.objects.filter(pk__in=[r.pk for r in rows]).order_by("position")
    ]

    manager = as_("manager")
    version = manager.get(url(review)).json()["version"]
    ratings = [{"dimension": name, "score": score} for name, score in zip(dimensions(review), scores, strict=True)]
    response = manager.patch(url(review, "ratings"), {"version": version, "ratings": ratings})
    assert response.status_code == 200, response.content
    body = response.json()

    assert [line["manager_score"] for line in body["ratings"]] == scores
    assert [Decimal(str(line["weight"])) for line in body["ratings"]] == weights
    assert Decimal(str(body["weighted_manager_score"])) == expected(weights, scores)
    # The HR reader gets the same figure as the reviewer.
    assert as_("hr").get(url(review)).json()["weighted_manager_score"] == body["weighted_manager_score"]
