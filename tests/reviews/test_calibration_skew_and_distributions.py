"""The distributions and each manager's skew (mean, spread, the rest's, the flag) against figures worked
out by hand. Every review's sides rate all seven dimensions alike, so each weighted score is that rating.

Weighted manager scores of the manager-submitted reviews (16 in all; the contract people stay in draft):

    mgr001: 5 5 4 4   n=4  sum=18  squares=82
    mgr002: 3 3 2 4   n=4  sum=12  squares=38
    mgr003: 4 4 4 3   n=4  sum=15  squares=57
    mgr004: 4 3 2 5   n=4  sum=14  squares=54
    all:              n=16 sum=59  squares=231

Spread is the population standard deviation: sqrt(squares/n - mean^2). A manager is flagged lenient or harsh
when |difference| >= max(0.50, 2 * rest spread / sqrt(n)); with n=4 that is max(0.50, rest spread).

    mgr001: mean 18/4 = 4.50; spread sqrt(20.5 - 20.25) = 0.50
            rest n=12 sum=41 squares=149: mean 3.4166 -> 3.42; spread sqrt(12.41667 - 11.67361) = 0.862 -> 0.86
            difference 4.50 - 3.42 = 1.08 >= 0.86: lenient, "Rates 1.1 above the rest (4.5 vs 3.4)"
    mgr002: mean 3.00; spread sqrt(9.5 - 9) = 0.7071 -> 0.71
            rest n=12 sum=47 squares=193: mean 3.9166 -> 3.92; spread sqrt(16.08333 - 15.34028) = 0.862 -> 0.86
            difference 3.00 - 3.92 = -0.92, 0.92 >= 0.86: harsh, "Rates 0.9 below the rest (3.0 vs 3.9)"
    mgr003: mean 3.75; spread sqrt(14.25 - 14.0625) = 0.4330 -> 0.43
            rest n=12 sum=44 squares=174: mean 3.6666 -> 3.67; spread sqrt(14.5 - 13.44444) = 1.0274 -> 1.03
            difference 0.08 < 1.03: not skewed, but 0.43 < 1.03 / 2: compressed
    mgr004: mean 3.50; spread sqrt(13.5 - 12.25) = 1.1180 -> 1.12
            rest n=12 sum=45 squares=177: mean 3.75; spread sqrt(14.75 - 14.0625) = 0.8292 -> 0.83
            difference -0.25, 0.25 < 0.83, spread not compressed: within range

Rounded manager scores: 2 x2, 3 x4, 4 x7, 5 x3 (16), mean 59/16 = 3.6875 -> 3.69.
Final ratings: eng0001 calibrated to 4 (proposed 5: adjusted), eng0002 to 5: 4 x1, 5 x1, mean 4.50.
"""

from decimal import Decimal

import pytest

from org.models import Employee
from reviews.calibration import CalibrationFilters, calibration_overview, manager_skews
from tests.reviews.calibration_support import calibration_cycle, place, synthetic, user

pytestmark = pytest.mark.django_db

MANAGER_SCORES = {1: [5, 5, 4, 4], 2: [3, 3, 2, 4], 3: [4, 4, 4, 3], 4: [4, 3, 2, 5]}


@pytest.fixture
def cycle(staff_blueprint):
    cycle = calibration_cycle(engineers=32)
    for manager, scores in MANAGER_SCORES.items():
        for username, score in zip(synthetic(manager), scores, strict=False):
            place(cycle, username, state="manager_submitted", self_scores=3, manager_scores=score, potential="medium")
    place(cycle, "eng0001", state="calibrated", self_scores=3, manager_scores=5, final=4, justification="Scope.")
    place(cycle, "eng0002", state="calibrated", self_scores=3, manager_scores=5, final=5)
    return cycle


def overview(cycle, filters=None):
    return calibration_overview(user=user("hr"), cycle=cycle, filters=filters or CalibrationFilters())


def manager_id(username: str) -> int:
    return Employee.objects.get(user__username=username).pk


def test_it_counts_the_overall_distributions(cycle):
    result = overview(cycle)
    manager = result.manager_score_distribution
    assert manager.counts == {1: 0, 2: 2, 3: 4, 4: 7, 5: 3}
    assert (manager.total, manager.mean) == (16, Decimal("3.69"))
    final = result.final_distribution
    assert final.counts == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
    assert (final.total, final.mean) == (2, Decimal("4.50"))
    assert [bar.percent for bar in manager.bars] == [0, 12, 25, 44, 19]


def test_it_sums_up_the_figures(cycle):
    figures = overview(cycle).figures
    # 32 synthetic engineers and the three contract ones; 16 manager reviews are in, 2 of them calibrated.
    assert figures["count"] == 35
    assert figures["awaiting_manager"] == 19
    assert figures["manager_submitted"] == 14
    assert figures["calibrated"] == 2
    assert figures["adjusted"] == 1
    assert figures["mean_weighted_manager"] == Decimal("3.69")
    assert figures["flagged_managers"] == 3


def test_it_breaks_the_distribution_down_by_manager_team_and_level(cycle):
    result = overview(cycle)
    mgr001 = Employee.objects.get(user__username="mgr001")
    [mine] = [d for d in result.by_manager if d.group == mgr001.name]
    assert mine.counts == {1: 0, 2: 0, 3: 0, 4: 2, 5: 2}
    assert mine.mean == Decimal("4.50")
    assert mine.label == f"Weighted manager scores of {mgr001.name}'s reviews"
    [team] = [d for d in result.by_team if d.group == mgr001.team.name]
    assert team.counts == mine.counts
    assert sum(d.total for d in result.by_level) == 16


def test_it_compares_each_manager_with_the_rest(cycle):
    skews = {skew.reviewer_id: skew for skew in overview(cycle).skews}
    assert set(skews) == {manager_id(f"mgr00{n}") for n in range(1, 5)}
    lenient = skews[manager_id("mgr001")]
    assert (lenient.count, lenient.mean, lenient.spread) == (4, Decimal("4.50"), Decimal("0.50"))
    assert (lenient.rest_count, lenient.rest_mean, lenient.rest_spread) == (12, Decimal("3.42"), Decimal("0.86"))
    assert lenient.difference == Decimal("1.08")
    assert (lenient.flagged, lenient.kind) == (True, "lenient")
    assert lenient.reason == "Rates 1.1 above the rest (4.5 vs 3.4)"

    harsh = skews[manager_id("mgr002")]
    assert (harsh.mean, harsh.spread, harsh.rest_mean, harsh.rest_spread) == (
        Decimal("3.00"),
        Decimal("0.71"),
        Decimal("3.92"),
        Decimal("0.86"),
    )
    assert (harsh.flagged, harsh.kind, harsh.reason) == (True, "harsh", "Rates 0.9 below the rest (3.0 vs 3.9)")

    compressed = skews[manager_id("mgr003")]
    assert (compressed.mean, compressed.spread, compressed.rest_mean, compressed.rest_spread) == (
        Decimal("3.75"),
        Decimal("0.43"),
        Decimal("3.67"),
        Decimal("1.03"),
    )
    assert (compressed.flagged, compressed.kind) == (True, "compressed")
    assert compressed.reason == "Compressed: ratings spread 0.43 vs 1.03 for the rest"

    fine = skews[manager_id("mgr004")]
    assert (fine.mean, fine.spread, fine.rest_mean, fine.rest_spread) == (
        Decimal("3.50"),
        Decimal("1.12"),
        Decimal("3.75"),
        Decimal("0.83"),
    )
    assert (fine.flagged, fine.difference, fine.reason) == (
        False,
        Decimal("-0.25"),
        "Within range (3.5 vs 3.8 for the rest)",
    )


def test_it_ignores_the_filters_for_the_skew_but_not_for_the_distributions(cycle):
    team = Employee.objects.get(user__username="mgr001").team_id
    result = overview(cycle, CalibrationFilters(team=team))
    assert result.manager_score_distribution.total == 4
    assert len(result.skews) == 4


@pytest.mark.parametrize(
    ("mine", "rest", "flagged"),
    [
        ([400, 400, 400], [350, 350, 350, 350], True),  # 4.00 against 3.50 (spread 0): exactly 0.50 apart
        ([400, 400, 300], [350, 350, 350, 350], False),  # 3.67 against 3.50: 0.17
        ([500, 500], [350, 350, 350, 350], False),  # two reviews are too few to judge
        # 5.00 against 3.00 with a rest spread of 2.00: three reviews could be 2 * 2.00 / sqrt(3) = 2.31 off.
        ([500, 500, 500], [100, 500, 100, 500], False),
    ],
)
def test_it_flags_half_a_point_beyond_chance_with_three_reviews_each(mine, rest, flagged):
    def sums(values: list[int]) -> tuple[int, int, int]:
        return len(values), sum(values), sum(v * v for v in values)

    skews = manager_skews([(1, "Mine", *sums(mine)), (2, "Rest", *sums(rest))])
    [skew] = [s for s in skews if s.reviewer_id == 1]
    assert skew.flagged is flagged
    if len(mine) < 3:
        assert skew.kind == "few" and "Too few reviews" in skew.reason
    if mine == [500, 500, 500]:
        assert skew.reason == "Within what 3 reviews vary by chance: rates 2.0 above the rest (5.0 vs 3.0)"
