"""Deployments and incidents for the DORA tests, built straight from the models."""

from collections.abc import Iterable
from datetime import datetime

from kpis.models import Deployment, DeploymentCommit, Incident, IncidentDeployment
from org.models import Team


def at(text: str) -> datetime:
    """An aware datetime from ISO 8601; a bare time is UTC."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else datetime.fromisoformat(text + "+00:00")


def team(slug: str) -> Team:
    return Team.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]


def deploy(
    deploy_id: str,
    *,
    team: Team,
    deployed_at: str,
    commits: Iterable[str] = (),
    service: str = "api",
    environment: str = "production",
    succeeded: bool = True,
) -> Deployment:
    deployment = Deployment.objects.create(
        deploy_id=deploy_id,
        team=team,
        service=service,
        environment=environment,
        succeeded=succeeded,
        deployed_at=at(deployed_at),
    )
    DeploymentCommit.objects.bulk_create(
        DeploymentCommit(deployment=deployment, committed_at=at(moment)) for moment in commits
    )
    return deployment


def incident(
    incident_id: str,
    *,
    team: Team,
    started_at: str,
    resolved_at: str | None = None,
    blames: Iterable[str] = (),
    service: str = "api",
) -> Incident:
    row = Incident.objects.create(
        incident_id=incident_id,
        team=team,
        service=service,
        severity="sev2",
        started_at=at(started_at),
        resolved_at=at(resolved_at) if resolved_at else None,
    )
    IncidentDeployment.objects.bulk_create(IncidentDeployment(incident=row, deploy_id=d) for d in blames)
    return row


def january_2026() -> Team:
    """Platform's January 2026, with noise that must not count:

    counted deployments (production, succeeded)      positive lead times (deploy - commit)
      D1 2026-01-05 12:00   commits 10:00, 01-04 12:00,     2 h, 24 h   (13:00 is after: -1 h; 12:00: 0 h)
                             13:00, 12:00
      D2 2026-01-05 18:00   commits 12:00, 01-02 18:00      6 h, 72 h
      D3 2026-01-20 09:00   commit 08:00                    1 h
      D4 2026-01-28 09:00   no commits
    not counted: F1 failed, S1 staging (each with a 1,000 h commit that would move the median), P1 payments'.

    incidents started in January (platform)
      I1 01-06 00:00 → 02:00  2 h  blames D1 and D2 (one incident, two failed deployments)
      I2 01-21 00:00 → 05:00  5 h  blames D1 again (D1 still counts once)
      I3 01-25 00:00 unresolved         (open; left out of the median)
      I5 01-29 00:00 → 10:00  10 h blames F1 (not a counted deployment)
      I6 01-30 00:00 → 01:00  1 h
    not counted: I4, payments', 100 h, blaming P1.
    """
    platform, payments = team("platform"), team("payments")
    deploy(
        "D1",
        team=platform,
        deployed_at="2026-01-05T12:00",
        commits=["2026-01-05T10:00", "2026-01-04T12:00", "2026-01-05T13:00", "2026-01-05T12:00"],
    )
    deploy("D2", team=platform, deployed_at="2026-01-05T18:00", commits=["2026-01-05T12:00", "2026-01-02T18:00"])
    deploy("D3", team=platform, deployed_at="2026-01-20T09:00", commits=["2026-01-20T08:00"])
    deploy("D4", team=platform, deployed_at="2026-01-28T09:00")
    deploy("F1", team=platform, deployed_at="2026-01-10T09:00", commits=["2025-11-29T17:00"], succeeded=False)
    deploy("S1", team=platform, deployed_at="2026-01-12T09:00", commits=["2025-12-01T17:00"], environment="staging")
    deploy("P1", team=payments, deployed_at="2026-01-15T09:00", commits=["2025-12-01T17:00"])
    incident("I1", team=platform, started_at="2026-01-06T00:00", resolved_at="2026-01-06T02:00", blames=["D1", "D2"])
    incident("I2", team=platform, started_at="2026-01-21T00:00", resolved_at="2026-01-21T05:00", blames=["D1"])
    incident("I3", team=platform, started_at="2026-01-25T00:00")
    incident("I4", team=payments, started_at="2026-01-07T00:00", resolved_at="2026-01-11T04:00", blames=["P1"])
    incident("I5", team=platform, started_at="2026-01-29T00:00", resolved_at="2026-01-29T10:00", blames=["F1"])
    incident("I6", team=platform, started_at="2026-01-30T00:00", resolved_at="2026-01-30T01:00")
    return platform
