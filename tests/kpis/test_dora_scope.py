"""Figures of a team, of a service, or of a team's part of a service; other teams' events stay out."""

from datetime import date
from decimal import Decimal

import pytest

from kpis.dora import dora_figures
from tests.kpis.dora_builders import deploy, incident, team

pytestmark = pytest.mark.django_db

WEEK = {"period": "week", "start": date(2026, 3, 2), "end": date(2026, 3, 8)}


@pytest.fixture
def teams():
    """platform deploys api twice (Mon, Tue) and web once (Wed); payments deploys api once (Thu).

    incidents: platform/api 1 h blaming P-API-1; platform/web 3 h; payments/api 8 h blaming Y-API-1;
    payments/api unresolved.
    """
    platform, payments = team("platform"), team("payments")
    deploy("P-API-1", team=platform, service="api", deployed_at="2026-03-02T10:00", commits=["2026-03-02T09:00"])
    deploy("P-API-2", team=platform, service="api", deployed_at="2026-03-03T10:00", commits=["2026-03-03T07:00"])
    deploy("P-WEB-1", team=platform, service="web", deployed_at="2026-03-04T10:00", commits=["2026-03-04T05:00"])
    deploy("Y-API-1", team=payments, service="api", deployed_at="2026-03-05T10:00", commits=["2026-03-04T10:00"])
    incident(
        "I1", team=platform, service="api", started_at="2026-03-06T00:00", resolved_at="2026-03-06T01:00",
        blames=["P-API-1"],
    )  # fmt: skip
    incident("I2", team=platform, service="web", started_at="2026-03-06T00:00", resolved_at="2026-03-06T03:00")
    incident(
        "I3", team=payments, service="api", started_at="2026-03-06T00:00", resolved_at="2026-03-06T08:00",
        blames=["Y-API-1"],
    )  # fmt: skip
    incident("I4", team=payments, service="api", started_at="2026-03-07T00:00")
    return platform, payments


def test_it_counts_only_the_teams_own_events(teams):
    platform, _payments = teams

    [row] = dora_figures(team=platform, **WEEK)

    # P-API-1, P-API-2, P-WEB-1 on three days; lead times 1, 3, 5 h → 3.
    assert row.deployment_count == 3
    assert row.deploy_days_per_week == Decimal(3)
    assert row.lead_time_hours_median == Decimal(3)
    # P-API-1 of 3 failed; payments' incidents (8 h, and the open one) are not platform's.
    assert row.change_failure_rate == Decimal(1) / Decimal(3)
    assert row.time_to_restore_hours_median == Decimal(2)
    assert row.open_incidents == 0


def test_it_counts_a_teams_part_of_a_service(teams):
    platform, _payments = teams

    [row] = dora_figures(team=platform, service="api", **WEEK)

    # P-API-1 and P-API-2: lead times 1 and 3 h → 2; one of two named; restore only I1's 1 h.
    assert row.deployment_count == 2
    assert row.lead_time_hours_median == Decimal(2)
    assert row.change_failure_rate == Decimal("0.5")
    assert row.time_to_restore_hours_median == Decimal(1)
    assert row.open_incidents == 0


def test_it_counts_a_service_across_teams(teams):
    [row] = dora_figures(service="api", **WEEK)

    # P-API-1, P-API-2, Y-API-1: lead times 1, 3, 24 h → 3; two named of three.
    assert row.deployment_count == 3
    assert row.lead_time_hours_median == Decimal(3)
    assert row.change_failure_rate == Decimal(2) / Decimal(3)
    # I1 1 h and I3 8 h → 4.5; I4 is open.
    assert row.time_to_restore_hours_median == Decimal("4.5")
    assert row.open_incidents == 1


def test_it_counts_a_deployment_named_by_another_teams_incident_as_failed(teams):
    platform, payments = teams
    # payments' incident blames platform's web deployment: the change failed wherever it surfaced.
    incident("I5", team=payments, service="api", started_at="2026-03-07T00:00", blames=["P-WEB-1"])

    [row] = dora_figures(team=platform, **WEEK)

    assert row.change_failure_rate == Decimal(2) / Decimal(3)
    # ...but the incident itself is payments': not in platform's open incidents or restore time.
    assert row.open_incidents == 0
    assert row.time_to_restore_hours_median == Decimal(2)
