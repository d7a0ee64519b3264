"""Periods are UTC calendar weeks (from Monday), months and quarters, each row a whole period."""

from datetime import date
from decimal import Decimal

import pytest

from kpis.dora import dora_figures, period_starts
from tests.kpis.dora_builders import deploy, incident, team

pytestmark = pytest.mark.django_db


def counts(rows):
    return {row.period_start: row.deployment_count for row in rows}


def test_it_lists_every_period_meeting_the_range_whole():
    # 2026-01-01 is a Thursday: its week started on Monday 2025-12-29; 2026-01-12 starts a week of its own.
    assert period_starts(period="week", start=date(2026, 1, 1), end=date(2026, 1, 12)) == [
        date(2025, 12, 29),
        date(2026, 1, 5),
        date(2026, 1, 12),
    ]
    assert period_starts(period="month", start=date(2026, 1, 31), end=date(2026, 3, 1)) == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert period_starts(period="quarter", start=date(2025, 11, 15), end=date(2026, 4, 1)) == [
        date(2025, 10, 1),
        date(2026, 1, 1),
        date(2026, 4, 1),
    ]


def test_it_counts_the_whole_first_period_even_before_the_start():
    platform = team("platform")
    deploy("D1", team=platform, deployed_at="2025-12-30T10:00")

    [row] = dora_figures(team=platform, period="week", start=date(2026, 1, 1), end=date(2026, 1, 4))

    assert row.period_start == date(2025, 12, 29)
    assert row.deployment_count == 1


def test_it_splits_weeks_at_midnight_utc_between_sunday_and_monday():
    platform = team("platform")
    deploy("sunday", team=platform, deployed_at="2026-01-04T23:59:59")
    deploy("monday", team=platform, deployed_at="2026-01-05T00:00:00")
    incident("I1", team=platform, started_at="2026-01-04T23:59:59", resolved_at="2026-01-05T01:59:59")
    incident("I2", team=platform, started_at="2026-01-05T00:00:00", resolved_at="2026-01-05T04:00:00")

    rows = dora_figures(team=platform, period="week", start=date(2025, 12, 29), end=date(2026, 1, 11))

    assert counts(rows) == {date(2025, 12, 29): 1, date(2026, 1, 5): 1}
    # An incident belongs to the week it started in: 2 h in the first, 4 h in the second.
    assert [row.time_to_restore_hours_median for row in rows] == [Decimal(2), Decimal(4)]
    # One deploy day in a week of 7 days.
    assert [row.deploy_days_per_week for row in rows] == [Decimal(1), Decimal(1)]


def test_it_splits_months_and_quarters_at_midnight_utc():
    platform = team("platform")
    deploy("jan", team=platform, deployed_at="2026-01-31T23:59:59")
    deploy("feb", team=platform, deployed_at="2026-02-01T00:00:00")
    deploy("march", team=platform, deployed_at="2026-03-31T23:59:59")
    deploy("april", team=platform, deployed_at="2026-04-01T00:00:00")

    months = dora_figures(team=platform, period="month", start=date(2026, 1, 1), end=date(2026, 4, 30))
    quarters = dora_figures(team=platform, period="quarter", start=date(2026, 1, 1), end=date(2026, 6, 30))

    assert counts(months) == {date(2026, 1, 1): 1, date(2026, 2, 1): 1, date(2026, 3, 1): 1, date(2026, 4, 1): 1}
    assert counts(quarters) == {date(2026, 1, 1): 3, date(2026, 4, 1): 1}
    # Q1 2026 has 90 days: 3 deploy days x 7 / 90.
    assert quarters[0].deploy_days_per_week == Decimal(21) / Decimal(90)


def test_it_buckets_by_the_utc_time_not_the_sender_offset():
    platform = team("platform")
    # 23:30 at -02:00 is 01:30 UTC on 1 April; 00:30 at +02:00 on 1 April is 22:30 UTC on 31 March.
    deploy("late", team=platform, deployed_at="2026-03-31T23:30:00-02:00")
    deploy("early", team=platform, deployed_at="2026-04-01T00:30:00+02:00")

    march, april = dora_figures(team=platform, period="month", start=date(2026, 3, 1), end=date(2026, 4, 30))

    assert march.deployment_count == 1
    assert april.deployment_count == 1
    # Distinct days are UTC days too: March's deployment fell on 31 March UTC, one day in 31.
    assert march.deploy_days_per_week == Decimal(7) / Decimal(31)


def test_it_counts_distinct_utc_days_for_the_frequency():
    platform = team("platform")
    # Three deployments on Tuesday (UTC), one on Thursday: 2 deploy days in the week.
    for number, moment in enumerate(
        ["2026-03-03T01:00", "2026-03-03T12:00", "2026-03-03T23:59", "2026-03-05T10:00"], start=1
    ):
        deploy(f"D{number}", team=platform, deployed_at=moment)

    [row] = dora_figures(team=platform, period="week", start=date(2026, 3, 2), end=date(2026, 3, 8))

    assert row.deployment_count == 4
    assert row.deploy_days_per_week == Decimal(2)
    # 2 days a week: at least weekly, not daily.
    assert row.tiers["deployment_frequency"] == "high"
