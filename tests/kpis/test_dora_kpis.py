"""The engineering events as values of the blueprint's DORA KPIs, refreshed after each batch of events."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from audit.models import AuditEntry
from kpis.dora_kpis import SOURCE, dora_measurements_refresh, teams_with_events
from kpis.models import KPITrend, Measurement
from kpis.services import deployments_ingest, incidents_ingest
from org.models import Team
from tests.kpis.ingest_builders import deployment, incident, make_teams

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 6, 12)


@pytest.fixture
def teams(staff_blueprint: Any) -> dict[str, Team]:
    return make_teams()


def values() -> dict[tuple[str, str], Decimal]:
    return {
        (kpi, str(start)): value
        for kpi, start, value in Measurement.objects.filter(source=SOURCE).values_list(
            "series__kpi", "period_start", "value"
        )
    }


def may_history() -> None:
    """Two production deployments of platform in May 2024, one blamed by an incident restored in 2.5 h;
    nothing in June."""
    deployments_ingest(
        actor=None,
        items=[
            deployment("d-1", deployed_at="2024-05-02T10:00:00Z", commit_times=["2024-05-01T10:00:00Z"]),
            deployment("d-2", deployed_at="2024-05-09T10:00:00Z", commit_times=["2024-05-09T08:00:00Z"]),
        ],
    )
    incidents_ingest(actor=None, items=[incident("i-1")])


def test_the_four_dora_kpis_get_the_months_figures_in_their_units(teams: dict[str, Team]) -> None:
    may_history()

    result = dora_measurements_refresh(team_ids=[teams["platform"].pk], today=TODAY)

    assert result.created == 4
    assert values() == {
        ("Lead time to change (DORA)", "2024-05-01"): Decimal(13),  # median of 24 h and 2 h
        ("Deployment frequency (DORA)", "2024-05-01"): Decimal("0.451613"),  # 2 days * 7 / 31
        ("Change failure rate (DORA)", "2024-05-01"): Decimal(50),  # % of deployments
        ("Mean time to restore (MTTR)", "2024-05-01"): Decimal("2.5"),
    }


def test_a_month_without_events_is_not_collected(teams: dict[str, Team]) -> None:
    may_history()
    dora_measurements_refresh(team_ids=[teams["platform"].pk], today=TODAY)
    assert not Measurement.objects.filter(period_start=dt.date(2024, 6, 1)).exists()
    assert not Measurement.objects.filter(series__team=teams["payments"]).exists()


def test_a_second_refresh_changes_nothing(teams: dict[str, Team]) -> None:
    may_history()
    dora_measurements_refresh(team_ids=[teams["platform"].pk], today=TODAY)
    entries = AuditEntry.objects.count()
    result = dora_measurements_refresh(team_ids=[teams["platform"].pk], today=TODAY)
    assert (result.created, result.updated, result.removed, result.unchanged) == (0, 0, 0, 4)
    assert AuditEntry.objects.count() == entries


def test_a_figure_the_events_no_longer_give_is_removed(teams: dict[str, Team]) -> None:
    may_history()
    dora_measurements_refresh(team_ids=[teams["platform"].pk], today=TODAY)
    incidents_ingest(actor=None, items=[incident("i-1", resolved_at=None)])  # reopened: no restore time

    result = dora_measurements_refresh(team_ids=[teams["platform"].pk], today=TODAY)

    assert result.removed == 1
    assert ("Mean time to restore (MTTR)", "2024-05-01") not in values()
    assert AuditEntry.objects.filter(action="kpis.measurements_remove").count() == 1


def test_teams_with_events() -> None:
    found = make_teams()
    deployments_ingest(actor=None, items=[deployment("d-1", team="payments")])
    assert teams_with_events() == [found["payments"].pk]


def test_a_batch_of_events_refreshes_its_teams_and_their_trends_once_it_commits(
    teams: dict[str, Team], django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kpis.tasks._utc_today", lambda: TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        may_history()

    trend = KPITrend.objects.get(series__kpi="Change failure rate (DORA)", series__team=teams["platform"])
    assert trend.latest_value == Decimal(50)
    assert dict(trend.tiers.values_list("report_year", "tier")) == {2023: "low", 2021: "low"}
