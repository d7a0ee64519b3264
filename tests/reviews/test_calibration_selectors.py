"""The weighted scores the calibration selectors compute in SQL are exactly reviews.scoring.weighted_score:
for a table of awkward cases, and for any weights and scores."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews.calibration import CalibrationFilters, calibration_rows
from reviews.models import Review
from reviews.scoring import weighted_score
from scorecards.models import ScorecardDimension
from tests.reviews.calibration_support import DIMENSIONS, calibration_cycle, place, review, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(staff_blueprint):
    return calibration_cycle()


def set_weights(target: Review, weights: list[Decimal]) -> list[Decimal]:
    rows = list(ScorecardDimension.objects.filter(version=target.blueprint_version).order_by("position"))
    for row, weight in zip(rows, weights, strict=True):
        row.weight = weight
    ScorecardDimension.objects.bulk_update(rows, ["weight"])
    return [row.weight for row in ScorecardDimension.objects.filter(pk__in=[r.pk for r in rows]).order_by("position")]


def sql_scores(cycle, username: str) -> tuple[Decimal | None, Decimal | None]:
    [row] = [
        r
        for r in calibration_rows(user=user("hr"), cycle=cycle, filters=CalibrationFilters())
        if r.username == username
    ]
    return row.weighted_self, row.weighted_manager


# (weights, self scores, manager scores): halves at the rounding boundary, weights with cents, a third.
TABLE = [
    ([25, 20, 15, 15, 10, 10, 5], [3, 3, 3, 3, 3, 3, 3], [4, 4, 4, 4, 4, 4, 4]),
    ([25, 20, 15, 15, 10, 10, 5], [1, 2, 3, 4, 5, 4, 3], [5, 4, 3, 2, 1, 2, 3]),
    # 1 * 3 + 1 * 4 ... over 7 equal weights: 22 / 7 = 3.142857 -> 3.14
    ([1, 1, 1, 1, 1, 1, 1], [3, 3, 3, 3, 3, 3, 4], [3, 4, 3, 4, 3, 4, 4]),
    # (0.5 * 4 + 99.5 * 3 + ...) with 8 units of weight on the half: exactly x.xx5 rounds up
    (["12.5", "12.5", "12.5", "12.5", "12.5", "12.5", "25"], [3, 4, 3, 4, 3, 4, 4], [2, 3, 2, 3, 2, 3, 3]),
    (["12.35", "33.33", "0.01", "9.99", "14.32", "20", "10"], [5, 1, 5, 2, 3, 4, 1], [2, 5, 1, 3, 4, 5, 2]),
    # 200 / 600 weights: the total of 1/3 units gives 3.333... and 3.666...
    ([1, 1, 1, 0.5, 0.5, "0.75", "0.25"], [4, 3, 3, 5, 3, 4, 4], [3, 4, 4, 2, 5, 3, 3]),
]


@pytest.mark.parametrize(("weights", "self_scores", "manager_scores"), TABLE)
def test_it_computes_the_weighted_scores_as_scoring_does(cycle, weights, self_scores, manager_scores):
    target = review(cycle, "engineer")
    stored = set_weights(target, [Decimal(str(w)) for w in weights])
    place(cycle, "engineer", state="manager_submitted", self_scores=self_scores, manager_scores=manager_scores)
    assert sql_scores(cycle, "engineer") == (
        weighted_score(list(zip(stored, self_scores, strict=True))),
        weighted_score(list(zip(stored, manager_scores, strict=True))),
    )


def test_it_gives_an_incomplete_or_unsubmitted_side_no_score(cycle):
    place(cycle, "engineer", state="manager_submitted", self_scores=4, manager_scores=[3, 3, 3, 3, 3, 3, None])
    assert sql_scores(cycle, "engineer") == (Decimal("4.00"), None)
    place(cycle, "engineer", state="self_submitted", self_scores=4, manager_scores=3)
    assert sql_scores(cycle, "engineer") == (Decimal("4.00"), None)  # the manager has not submitted yet
    place(cycle, "engineer", state="draft", self_scores=4, manager_scores=3)
    assert sql_scores(cycle, "engineer") == (None, None)


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    # Weights in cents from 0.01 to 100, as a blueprint may have them.
    cents=st.lists(st.integers(min_value=1, max_value=10_000), min_size=DIMENSIONS, max_size=DIMENSIONS),
    scores=st.lists(st.integers(min_value=1, max_value=5), min_size=DIMENSIONS, max_size=DIMENSIONS),
)
def test_it_agrees_with_scoring_for_any_weights_and_scores(cycle, cents, scores):
    target = review(cycle, "engineer")
    stored = set_weights(target, [Decimal(c) / 100 for c in cents])
    place(cycle, "engineer", state="calibrated", self_scores=scores, manager_scores=scores[::-1], final=3)
    expected_self = weighted_score(list(zip(stored, scores, strict=True)))
    expected_manager = weighted_score(list(zip(stored, scores[::-1], strict=True)))
    assert sql_scores(cycle, "engineer") == (expected_self, expected_manager)
