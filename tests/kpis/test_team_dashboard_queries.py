"""The dashboard costs the same number of queries for 10 events as for 300."""

import datetime as dt

import pytest

from kpis.models import Deployment, DeploymentCommit, Incident, IncidentDeployment
from tests.kpis.dashboard_support import client_as, org  # noqa: F401 - fixture
from tests.kpis.dora_builders import team

pytestmark = pytest.mark.django_db

# Session, user, the team, the caller's employee, groups, people below them and their teams, the
# report years, the services, five for the DORA figures (deployments, lead times, restore times,
# incidents, tiers), the tier bands, the open incidents and the team's blueprint KPI series (none here;
# tests/kpis/test_team_dashboard_kpi_table.py counts the queries with series).
QUERIES = 17
# Session, user, the caller's employee, groups, people below them and their teams, the teams.
LIST_QUERIES = 7


def events(count: int) -> None:
    """`count` events of platform spread over the six months to 17 March 2026: deployments with a
    commit each, and one incident for every fifth, blaming it."""
    spacing = dt.timedelta(hours=4000 // count)
    platform = team("platform")
    first = dt.datetime(2025, 10, 1, 9, tzinfo=dt.UTC)
    deployments = Deployment.objects.bulk_create(
        Deployment(
            deploy_id=f"D{n}",
            team=platform,
            service=("api", "web", "batch")[n % 3],
            environment="production",
            succeeded=True,
            deployed_at=first + spacing * n,
        )
        for n in range(count)
    )
    DeploymentCommit.objects.bulk_create(
        DeploymentCommit(deployment=d, committed_at=d.deployed_at - dt.timedelta(hours=1 + n % 7))
        for n, d in enumerate(deployments)
    )
    incidents = Incident.objects.bulk_create(
        Incident(
            incident_id=f"I{n}",
            team=platform,
            service="api",
            started_at=d.deployed_at + dt.timedelta(hours=1),
            resolved_at=d.deployed_at + dt.timedelta(hours=2 + n % 5) if n % 2 else None,
        )
        for n, d in enumerate(deployments[::5])
    )
    IncidentDeployment.objects.bulk_create(
        IncidentDeployment(incident=i, deploy_id=d.deploy_id) for i, d in zip(incidents, deployments[::5], strict=True)
    )


@pytest.mark.parametrize("count", [10, 300])
def test_it_runs_a_fixed_number_of_queries(org, count, django_assert_num_queries):  # noqa: F811
    events(count)
    client = client_as("manager")

    with django_assert_num_queries(QUERIES):
        response = client.get("/kpis/teams/platform/", {"service": "api", "period": "week"})

    assert response.status_code == 200
    assert any(row.deployment_count for row in response.context["dashboard"].rows)


def test_it_runs_a_fixed_number_of_queries_for_the_team_list(org, django_assert_num_queries):  # noqa: F811
    client = client_as("director")

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/kpis/")

    assert response.status_code == 200
