"""The demo seed's engineering-event history (kpis/demo.py): deployments and incidents for the demo teams."""

from datetime import UTC, date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from kpis.demo import demo_events_ensure, demo_history
from kpis.dora import dora_figures
from kpis.models import Deployment, DeploymentCommit, Incident, IncidentDeployment
from org.models import Team
from reviews.demo import demo_seed

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 17)  # a Wednesday
DEMO_TEAMS = ("platform", "payments")


def moment(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@pytest.fixture
def seeded() -> None:
    demo_seed(engineers=16, cycle=False, events=False)
    demo_events_ensure(today=TODAY, team_slugs=["platform", "payments", "team-001", "team-002"])


def rows() -> tuple[list[tuple], list[tuple], list[tuple], list[tuple]]:
    return (
        list(
            Deployment.objects.values_list(
                "deploy_id", "team__slug", "service", "environment", "succeeded", "deployed_at"
            )
        ),
        sorted(DeploymentCommit.objects.values_list("deployment__deploy_id", "committed_at")),
        list(
            Incident.objects.values_list(
                "incident_id", "team__slug", "service", "severity", "started_at", "resolved_at"
            )
        ),
        sorted(IncidentDeployment.objects.values_list("incident__incident_id", "deploy_id")),
    )


def test_the_demo_teams_deploy_to_production_in_each_of_the_last_four_weeks(seeded):
    for slug in DEMO_TEAMS:
        for weeks_ago in range(4):
            end = moment(TODAY - timedelta(weeks=weeks_ago))
            deployed = Deployment.objects.filter(
                team__slug=slug,
                environment="production",
                succeeded=True,
                deployed_at__gte=end - timedelta(weeks=1),
                deployed_at__lt=end,
            )
            assert deployed.exists(), (slug, weeks_ago)
    assert not Deployment.objects.filter(deployed_at__gte=moment(TODAY)).exists()


def test_every_deployment_has_one_to_four_commits_before_it(seeded):
    counts = Deployment.objects.annotate(commit_count=Count("commits")).values_list("commit_count", flat=True)
    assert set(counts) <= {1, 2, 3, 4}
    for commit in DeploymentCommit.objects.select_related("deployment")[:500]:
        assert commit.committed_at < commit.deployment.deployed_at


def test_the_services_are_the_teams_own(seeded):
    services = {
        slug: set(Deployment.objects.filter(team__slug=slug).values_list("service", flat=True))
        for slug in (*DEMO_TEAMS, "team-001")
    }
    assert services["platform"] == {"ledger", "gateway"}
    assert services["payments"] == {"payments-api", "checkout"}
    assert len(services["team-001"]) == 1


def test_some_deployments_fail_and_some_go_to_staging(seeded):
    assert Deployment.objects.filter(environment="production", succeeded=False).exists()
    assert Deployment.objects.filter(environment="staging").exists()


def test_incidents_blame_deployments(seeded):
    known = set(Deployment.objects.values_list("deploy_id", flat=True))
    links = list(IncidentDeployment.objects.values_list("incident_id", "deploy_id"))
    assert links
    assert {deploy_id for _incident, deploy_id in links} <= known
    per_incident = Incident.objects.annotate(blamed_count=Count("blamed")).values_list("blamed_count", flat=True)
    assert {1, 2} <= set(per_incident)  # some blame one deployment, some two
    assert 0 in set(per_incident)  # and some none
    per_deploy = (
        IncidentDeployment.objects.values("deploy_id").annotate(n=Count("incident")).values_list("n", flat=True)
    )
    assert max(per_deploy) >= 2  # a deployment two incidents name


def test_one_incident_of_the_last_fortnight_is_still_open(seeded):
    [open_incident] = Incident.objects.filter(resolved_at__isnull=True)
    assert open_incident.team.slug == "payments"
    assert moment(TODAY - timedelta(days=14)) <= open_incident.started_at < moment(TODAY)
    assert not Incident.objects.filter(resolved_at__gte=moment(TODAY)).exists()


def test_platform_has_dora_figures_for_the_last_three_months(seeded):
    figures = dora_figures(
        team=Team.objects.get(slug="platform"), period="month", start=TODAY - timedelta(days=90), end=TODAY
    )
    assert figures
    assert all(row.deployment_count is not None for row in figures)
    assert any(row.change_failure_rate for row in figures)
    assert all(row.change_failure_rate is not None for row in figures)


def test_platform_improves_and_payments_stays_flat(seeded):
    def deployments(slug: str, weeks_ago: int) -> int:
        end = moment(TODAY - timedelta(weeks=weeks_ago))
        return Deployment.objects.filter(
            team__slug=slug, environment="production", deployed_at__gte=end - timedelta(weeks=6), deployed_at__lt=end
        ).count()

    assert deployments("platform", 0) > 1.4 * deployments("platform", 20)
    assert deployments("payments", 0) < 1.4 * deployments("payments", 20)


def test_the_same_day_gives_the_same_history(seeded):
    teams = {"platform": "Platform", "payments": "Payments", "team-001": "Search"}
    assert demo_history(today=TODAY, teams=teams) == demo_history(today=TODAY, teams=teams)
    before = rows()
    IncidentDeployment.objects.all().delete()
    Incident.objects.all().delete()
    Deployment.objects.all().delete()
    demo_events_ensure(today=TODAY, team_slugs=["platform", "payments", "team-001", "team-002"])
    assert rows() == before


def test_a_second_seed_creates_nothing():
    first = demo_seed(engineers=8, cycle=False)
    assert first.deployments_created > 0
    assert first.incidents_created > 0
    assert set(Deployment.objects.values_list("team__slug", flat=True)) == {"platform", "payments", "team-001"}
    deployments, incidents = Deployment.objects.count(), Incident.objects.count()
    before = rows()
    updated = list(Deployment.objects.values_list("updated_at", flat=True))

    again = demo_seed(engineers=8, cycle=False)

    assert (again.deployments_created, again.incidents_created) == (0, 0)
    assert again.events_existing == deployments + incidents
    assert (Deployment.objects.count(), Incident.objects.count()) == (deployments, incidents)
    assert rows() == before
    assert list(Deployment.objects.values_list("updated_at", flat=True)) == updated


def test_it_leaves_teams_outside_the_demo_alone():
    Team.objects.create(slug="elsewhere", name="Elsewhere")
    demo_seed(cycle=False)
    assert not Deployment.objects.filter(team__slug="elsewhere").exists()


def test_the_command_reports_the_events():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    deployments, incidents = Deployment.objects.count(), Incident.objects.count()
    assert f"Engineering events: {deployments} deployments and {incidents} incidents created, 0 already there." in (
        out.getvalue()
    )
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert (
        f"Engineering events: 0 deployments and 0 incidents created, {deployments + incidents} already there."
        in out.getvalue()
    )


def test_it_can_leave_the_events_out():
    result = demo_seed(cycle=False, events=False)
    assert (result.deployments_created, result.incidents_created) == (0, 0)
    assert not Deployment.objects.exists()


def test_the_demo_has_a_year_of_kpi_history_with_trends(staff_blueprint):
    from kpis.models import KPISeries, KPITrend, Measurement

    demo_seed(cycle=False)

    platform = KPISeries.objects.filter(team__slug="platform")
    assert {s.subject_kind for s in platform} == {"team", "service", "engineer"}
    flaky = platform.get(kpi="Flaky test rate", subject_kind="team")
    assert flaky.measurements.count() == 12
    assert KPITrend.objects.get(series=flaky).attainment in {"met", "missed"}
    dora = platform.get(kpi="Change failure rate (DORA)", subject_kind="team")
    assert dora.measurements.filter(source="engineering events").exists()
    assert KPITrend.objects.get(series=dora).tiers.count() == 2
    assert KPITrend.objects.count() == KPISeries.objects.count()
    newhire = KPISeries.objects.filter(engineer__user__username="newhire")
    assert newhire.exists() and all(s.measurements.count() == 1 for s in newhire)
    before = Measurement.objects.count()

    again = demo_seed(cycle=False)

    assert again.measurements_created == 0
    assert Measurement.objects.count() == before


def test_without_the_blueprint_the_demo_has_no_kpi_history():
    from kpis.models import Measurement

    result = demo_seed(cycle=False)

    assert result.kpi_series == 0
    assert not Measurement.objects.exists()
