"""The figures are counted by the database: the same number of queries for 10 events as for 1,000."""

from datetime import UTC, date, datetime, timedelta

import pytest

from kpis.dora import dora_figures
from kpis.models import Deployment, DeploymentCommit, Incident, IncidentDeployment
from tests.kpis.dora_builders import team

pytestmark = pytest.mark.django_db

# Deployments, lead-time medians, restore medians, incident counts, tiers.
QUERIES = 5


def events(count: int) -> None:
    """`count` events over a quarter: deployments with two commits each, every fifth one blamed by an incident."""
    platform = team("platform")
    first = datetime(2026, 1, 1, 9, tzinfo=UTC)
    deployments = Deployment.objects.bulk_create(
        Deployment(
            deploy_id=f"D{n}",
            team=platform,
            service="api",
            environment="production" if n % 7 else "staging",
            succeeded=bool(n % 11),
            deployed_at=first + timedelta(hours=2 * n),
        )
        for n in range(count)
    )
    DeploymentCommit.objects.bulk_create(
        DeploymentCommit(deployment=d, committed_at=d.deployed_at - timedelta(minutes=m))
        for d in deployments
        for m in (30, 90 + d.pk % 50)
    )
    incidents = Incident.objects.bulk_create(
        Incident(
            incident_id=f"I{n}",
            team=platform,
            service="api",
            started_at=first + timedelta(hours=2 * n + 1),
            resolved_at=first + timedelta(hours=2 * n + 2) if n % 3 else None,
        )
        for n in range(0, count, 5)
    )
    IncidentDeployment.objects.bulk_create(
        IncidentDeployment(incident=i, deploy_id=f"D{i.incident_id[1:]}") for i in incidents
    )


@pytest.mark.parametrize("count", [10, 1_000])
@pytest.mark.parametrize("period", ["week", "month", "quarter"])
def test_it_uses_a_fixed_number_of_queries(django_assert_num_queries, count, period):
    events(count)
    platform = team("platform")

    with django_assert_num_queries(QUERIES):
        rows = dora_figures(team=platform, period=period, start=date(2026, 1, 1), end=date(2026, 6, 30))

    assert (
        sum(row.deployment_count or 0 for row in rows)
        == Deployment.objects.filter(environment="production", succeeded=True).count()
    )
    assert any(row.lead_time_hours_median is not None for row in rows)
