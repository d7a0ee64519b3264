"""Trends of KPI series against hand-computed figures: moving average, slope, change, attainment, tiers."""

from decimal import Decimal
from typing import Any

import pytest

from kpis.measurements import measurements_ingest
from kpis.models import KPISeries, KPITrend
from kpis.trends import trends_recompute
from org.models import Team
from scorecards.models import KPIDefinition

pytestmark = pytest.mark.django_db

CFR = "Change failure rate (DORA)"  # "< 10-15% for mature services": at most 10 %
LEAD_TIME = "Lead time to change (DORA)"  # "Improve by 20-40% over 2 quarters": decrease by 20 %
DEFECTS = "Defect escape rate"  # "Downward trend": decrease, no figure
SLO = "SLO attainment"  # ">= 99.9% for critical APIs": at least 99.9 %
BUDGET = "Error budget burn"  # "Remain within budget": nothing the numbers can be held against
FREQUENCY = "Deployment frequency (DORA)"  # "Maintain or increase": at least the baseline


@pytest.fixture
def team(staff_blueprint: Any) -> Team:
    return Team.objects.create(slug="payments", name="Payments")


def send(kpi: str, values: list[Any], *, unit: str, months: list[int] | None = None, source: str = "csv") -> None:
    months = months or list(range(1, len(values) + 1))
    items = [
        {
            "role": "staff-software-engineer",
            "kpi": kpi,
            "subject_type": "team",
            "subject": "payments",
            "period": f"{2025 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}",
            "value": value,
            "unit": unit,
            "source": source,
        }
        for month, value in zip(months, values, strict=True)
    ]
    measurements_ingest(actor=None, items=items)


def trend(kpi: str) -> KPITrend:
    return KPITrend.objects.get(series__kpi=kpi)


def tiers(kpi: str) -> dict[int, str]:
    return dict(trend(kpi).tiers.values_list("report_year", "tier"))


def test_latest_previous_change_and_a_three_period_moving_average(team: Team) -> None:
    send(CFR, [20, 10, 14, 12, 9], unit="%")
    trends_recompute()
    row = trend(CFR)
    assert row.points == 5
    assert (row.latest_value, row.previous_value) == (Decimal(9), Decimal(12))
    assert str(row.latest_period_start) == "2025-05-01"
    assert str(row.previous_period_start) == "2025-04-01"
    assert row.change_pct == Decimal("-25")  # (9 - 12) / 12
    assert row.moving_average == Decimal("11.666667")  # (14 + 12 + 9) / 3
    assert row.baseline_value == Decimal(20)


def test_the_slope_is_least_squares_per_period_and_a_gap_counts_as_time(team: Team) -> None:
    # x = -3, -2, 0 (March is missing), y = 10, 8, 2: slope = (3*-4 - (-5*20)) ... worked out below.
    send(CFR, [10, 8, 2], unit="%", months=[1, 2, 4])
    trends_recompute()
    # n = 3, sx = -5, sy = 20, sxy = -30 - 16 + 0 = -46, sxx = 9 + 4 = 13
    # slope = (3 * -46 - (-5 * 20)) / (3 * 13 - 25) = (-138 + 100) / 14 = -2.714286
    assert trend(CFR).slope == Decimal("-2.714286")


def test_one_period_has_no_slope_no_previous_and_no_change(team: Team) -> None:
    send(CFR, [7], unit="%")
    trends_recompute()
    row = trend(CFR)
    assert (row.points, row.previous_value, row.change_pct, row.slope) == (1, None, None, None)
    assert row.moving_average == Decimal(7)


def test_a_previous_value_of_zero_gives_no_change_in_percent(team: Team) -> None:
    send(CFR, [0, 4], unit="%")
    trends_recompute()
    assert trend(CFR).change_pct is None


def test_only_the_last_twelve_periods_count(team: Team) -> None:
    send(LEAD_TIME, [500, 400, *range(100, 112)], unit="hours")
    trends_recompute()
    row = trend(LEAD_TIME)
    assert row.points == 12
    assert row.baseline_value == Decimal(100)  # the 3rd value: the two oldest fell out of the window
    assert row.slope == Decimal(1)


def test_two_sources_for_one_period_are_averaged(team: Team) -> None:
    send(CFR, [8, 10], unit="%", source="ci")
    send(CFR, [8, 14], unit="%", source="survey")
    trends_recompute()
    assert trend(CFR).latest_value == Decimal(12)
    assert KPISeries.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "expected"),
    [([12, 9.5], "met"), ([8, 10], "met"), ([8, 10.5], "missed")],
    ids=["under", "at the bound", "over"],
)
def test_a_stay_under_target_judges_the_latest_value(team: Team, values: list[float], expected: str) -> None:
    send(CFR, values, unit="%")
    trends_recompute()
    assert trend(CFR).attainment == expected


def test_a_stay_under_target_in_another_unit_says_nothing(team: Team) -> None:
    send(CFR, [0.2, 0.05], unit="fraction")
    trends_recompute()
    assert trend(CFR).attainment == ""


@pytest.mark.parametrize(("latest", "expected"), [(99.95, "met"), (99.5, "missed")])
def test_an_at_least_target(team: Team, latest: float, expected: str) -> None:
    send(SLO, [99.0, latest], unit="%")
    trends_recompute()
    assert trend(SLO).attainment == expected


@pytest.mark.parametrize(("latest", "expected"), [(80, "met"), (81, "missed"), (120, "missed")])
def test_a_decrease_by_a_percentage_compares_with_the_oldest_value_of_the_window(
    team: Team, latest: int, expected: str
) -> None:
    send(LEAD_TIME, [100, 95, 90, latest], unit="hours")  # 20 % below 100 is 80
    trends_recompute()
    assert trend(LEAD_TIME).attainment == expected


@pytest.mark.parametrize(("values", "expected"), [([5, 6, 3, 2], "met"), ([2, 3, 3, 4], "missed")])
def test_a_downward_trend_without_a_figure_reads_the_slope(team: Team, values: list[int], expected: str) -> None:
    send(DEFECTS, values, unit="defects")
    trends_recompute()
    assert trend(DEFECTS).attainment == expected


@pytest.mark.parametrize(("latest", "expected"), [(15, "met"), (14.9, "missed")])
def test_an_increase_by_a_percentage(team: Team, latest: float, expected: str) -> None:
    KPIDefinition.objects.filter(name=DEFECTS).update(
        target="Increase by 50%",
        target_direction="increase",
        target_threshold=50,
        target_unit="%",
        target_relative=True,
    )
    send(DEFECTS, [10, 12, latest], unit="defects")  # 50 % above 10 is 15
    trends_recompute()
    assert trend(DEFECTS).attainment == expected


@pytest.mark.parametrize(("values", "expected"), [([3, 2, 4], "met"), ([3, 4, 2], "missed")])
def test_an_increase_without_a_figure_reads_the_slope(team: Team, values: list[int], expected: str) -> None:
    KPIDefinition.objects.filter(name=DEFECTS).update(
        target="Upward trend", target_direction="increase", target_threshold=None, target_relative=True
    )
    send(DEFECTS, values, unit="defects")
    trends_recompute()
    assert trend(DEFECTS).attainment == expected


@pytest.mark.parametrize(("latest", "expected"), [(3, "met"), (2.5, "missed")])
def test_maintain_or_increase_holds_the_latest_against_the_baseline(team: Team, latest: float, expected: str) -> None:
    send(FREQUENCY, [3, 1, latest], unit="deploys/week")
    trends_recompute()
    assert trend(FREQUENCY).attainment == expected


def test_a_relative_target_with_one_period_says_nothing(team: Team) -> None:
    send(LEAD_TIME, [50], unit="hours")
    trends_recompute()
    assert trend(LEAD_TIME).attainment == ""


def test_a_target_the_text_does_not_allow_says_nothing(team: Team) -> None:
    send(BUDGET, [1.5, 0.4], unit="x")
    trends_recompute()
    assert trend(BUDGET).attainment == ""


def test_the_newest_published_blueprint_sets_the_target(team: Team, staff_blueprint: Any) -> None:
    send(CFR, [9, 12], unit="%")
    trends_recompute()
    assert trend(CFR).attainment == "missed"
    KPIDefinition.objects.filter(version=staff_blueprint, name=CFR).update(target_threshold=15)
    trends_recompute()
    assert trend(CFR).attainment == "met"


def test_tiers_in_two_report_years_for_the_dora_kpis(team: Team) -> None:
    send(CFR, [20, 12], unit="%")  # 0.12: 2023 medium (<= 15 %), 2021 elite (0-15 %)
    send(LEAD_TIME, [300, 30], unit="hours")  # 2023 high (<= a week), 2021 high (a day to a week)
    send("Mean time to restore (MTTR)", [2, 0.5], unit="days")  # 12 hours: high in both
    trends_recompute()
    assert tiers(CFR) == {2023: "medium", 2021: "elite"}
    assert tiers(LEAD_TIME) == {2023: "high", 2021: "high"}
    assert tiers("Mean time to restore (MTTR)") == {2023: "high", 2021: "high"}


def test_no_tier_where_the_unit_does_not_convert_or_the_kpi_is_not_dora(team: Team) -> None:
    send(FREQUENCY, [3, 4], unit="deploys/week")  # deploys, not deploy days
    send(SLO, [99.0, 99.95], unit="%")
    trends_recompute()
    assert tiers(FREQUENCY) == {}
    assert tiers(SLO) == {}


def test_a_recompute_of_some_series_leaves_the_others_alone(team: Team) -> None:
    send(CFR, [9, 12], unit="%")
    send(SLO, [99.0, 99.95], unit="%")
    trends_recompute()
    before = trend(SLO).computed_at
    series = KPISeries.objects.get(kpi=CFR)
    result = trends_recompute([series.pk])
    assert result.series == 1
    assert trend(SLO).computed_at == before
    assert trend(CFR).computed_at > before


def test_an_ingest_recomputes_the_trends_it_touched_once_it_commits(
    team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send(CFR, [9, 12], unit="%")
    assert len(callbacks) == 1
    assert trend(CFR).latest_value == Decimal(12)  # the task ran (eagerly in tests)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send(CFR, [9, 12], unit="%")  # the same batch again: nothing changed, nothing to recompute
    assert callbacks == []
