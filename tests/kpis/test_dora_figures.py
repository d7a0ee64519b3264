"""The four figures of CONTRACTS.md ("DORA figures") against a month worked out by hand."""

from datetime import date
from decimal import Decimal

import pytest

from kpis.dora import dora_figures
from tests.kpis.dora_builders import deploy, incident, january_2026, team

pytestmark = pytest.mark.django_db

NO_TIERS = {"deployment_frequency": None, "lead_time": None, "change_failure_rate": None, "time_to_restore": None}


@pytest.fixture
def january():
    return january_2026()


def test_it_computes_the_four_figures_of_a_month(january):
    [row] = dora_figures(team=january, period="month", start=date(2026, 1, 1), end=date(2026, 1, 31))

    assert row.period_start == date(2026, 1, 1)
    # D1..D4; the failed, the staging and payments' deployments do not count.
    assert row.deployment_count == 4
    # Deploy days 01-05 (D1 and D2), 01-20, 01-28: 3 days in 31/7 weeks = 21/31.
    assert row.deploy_days_per_week == Decimal(21) / Decimal(31)
    # Pairs 2, 24, 6, 72, 1 h (the -1 h and 0 h pairs left out): sorted 1, 2, 6, 24, 72 → 6.
    assert row.lead_time_hours_median == Decimal(6)
    # D1 (named by I1 and I2: once) and D2 (named with D1 by I1): 2 of 4.
    assert row.change_failure_rate == Decimal("0.5")
    # Resolved platform incidents 2, 5, 10, 1 h: sorted 1, 2, 5, 10 → (2 + 5) / 2.
    assert row.time_to_restore_hours_median == Decimal("3.5")
    assert row.open_incidents == 1


def test_it_judges_the_same_figures_by_the_2023_and_the_2021_tiers(january):
    [in_2023] = dora_figures(team=january, period="month", start=date(2026, 1, 1), end=date(2026, 1, 1))
    [in_2021] = dora_figures(
        team=january, period="month", start=date(2026, 1, 1), end=date(2026, 1, 1), report_year=2021
    )

    # 0.68 deploy days a week: at least monthly (2023 medium; 2021 high is "once per week to once per month").
    # Lead time 6 h: under a day (2023 elite); over an hour but within a week (2021 high).
    # Failure rate 50%: beyond 15% (2023 low) and beyond 30% (2021 low). Restore 3.5 h: within a day (high).
    assert in_2023.tiers == {
        "deployment_frequency": "medium",
        "lead_time": "elite",
        "change_failure_rate": "low",
        "time_to_restore": "high",
    }
    assert in_2021.tiers == {
        "deployment_frequency": "high",
        "lead_time": "high",
        "change_failure_rate": "low",
        "time_to_restore": "high",
    }


def test_it_answers_null_not_zero_for_a_period_without_events(january):
    january_row, february = dora_figures(team=january, period="month", start=date(2026, 1, 1), end=date(2026, 2, 1))

    assert january_row.deployment_count == 4
    assert february.period_start == date(2026, 2, 1)
    assert february.deployment_count is None
    assert february.deploy_days_per_week is None
    assert february.lead_time_hours_median is None
    assert february.change_failure_rate is None
    assert february.time_to_restore_hours_median is None
    assert february.open_incidents is None
    assert february.tiers == NO_TIERS


def test_it_answers_a_true_zero_when_there_is_data():
    platform = team("platform")
    deploy("D1", team=platform, deployed_at="2026-03-02T10:00", commits=["2026-03-02T09:00"])
    incident("I1", team=platform, started_at="2026-03-03T10:00", resolved_at="2026-03-03T10:30")

    [row] = dora_figures(team=platform, period="week", start=date(2026, 3, 2), end=date(2026, 3, 8))

    # One deployment, named by no incident: a failure rate of 0 (elite), not "no data".
    assert row.change_failure_rate == Decimal(0)
    assert row.tiers["change_failure_rate"] == "elite"
    # One incident started, resolved: none open.
    assert row.open_incidents == 0
    assert row.time_to_restore_hours_median == Decimal("0.5")


def test_it_leaves_the_failure_rate_null_when_incidents_have_no_deployments():
    platform = team("platform")
    incident("I1", team=platform, started_at="2026-03-03T10:00", resolved_at="2026-03-03T12:00", blames=["ghost"])

    [row] = dora_figures(team=platform, period="week", start=date(2026, 3, 2), end=date(2026, 3, 2))

    assert row.deployment_count is None
    assert row.change_failure_rate is None
    assert row.time_to_restore_hours_median == Decimal(2)
    assert row.open_incidents == 0


def test_it_takes_the_mean_of_the_two_middle_lead_times():
    platform = team("platform")
    # One deployment at 12:00 with commits 11:00, 10:00, 08:00 and 02:00: 1, 2, 4 and 10 h → (2 + 4) / 2.
    deploy(
        "D1",
        team=platform,
        deployed_at="2026-03-04T12:00",
        commits=["2026-03-04T11:00", "2026-03-04T10:00", "2026-03-04T08:00", "2026-03-04T02:00"],
    )

    [row] = dora_figures(team=platform, period="week", start=date(2026, 3, 2), end=date(2026, 3, 8))

    assert row.lead_time_hours_median == Decimal(3)


def test_it_ignores_commits_made_after_the_deployment():
    platform = team("platform")
    deploy("D1", team=platform, deployed_at="2026-03-04T12:00", commits=["2026-03-04T12:00", "2026-03-05T12:00"])

    [row] = dora_figures(team=platform, period="week", start=date(2026, 3, 2), end=date(2026, 3, 8))

    # The deployment counts; its only pairs are 0 h and -24 h, so there is no lead time.
    assert row.deployment_count == 1
    assert row.lead_time_hours_median is None
    assert row.tiers["lead_time"] is None


def test_it_counts_only_production_deployments_that_succeeded():
    platform = team("platform")
    deploy("failed", team=platform, deployed_at="2026-03-03T10:00", commits=["2026-03-03T09:00"], succeeded=False)
    deploy("staging", team=platform, deployed_at="2026-03-04T10:00", environment="staging")
    incident("I1", team=platform, started_at="2026-03-05T10:00", resolved_at="2026-03-05T11:00", blames=["failed"])

    [row] = dora_figures(team=platform, period="week", start=date(2026, 3, 2), end=date(2026, 3, 8))

    assert row.deployment_count is None
    assert row.deploy_days_per_week is None
    assert row.lead_time_hours_median is None
    assert row.change_failure_rate is None
