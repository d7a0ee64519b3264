from datetime import UTC, datetime

import pytest

from audit.models import AuditEntry
from kpis.models import Incident, IncidentDeployment
from kpis.services import deployments_ingest, incidents_ingest
from tests.kpis.ingest_builders import deployment, hr, incident, make_teams

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    return make_teams()


@pytest.fixture
def actor(teams):
    return hr()


def _blamed(incident_id: str) -> list[str]:
    return sorted(
        IncidentDeployment.objects.filter(incident__incident_id=incident_id).values_list("deploy_id", flat=True)
    )


def test_it_creates_incidents_blaming_deployments_not_sent_yet(actor, teams):
    result = incidents_ingest(
        actor=actor,
        items=[incident("i-1", deploy_ids=["d-9", "d-8", "d-9"]), incident("i-2", resolved_at=None, deploy_ids=[])],
    )
    assert result.counts() == {"created": 2, "updated": 0, "unchanged": 0}
    first = Incident.objects.get(incident_id="i-1")
    assert (first.team, first.service, first.severity) == (teams["platform"], "billing-api", "sev2")
    assert first.started_at == datetime(2024, 5, 2, 11, tzinfo=UTC)
    assert first.resolved_at == datetime(2024, 5, 2, 13, 30, tzinfo=UTC)
    assert _blamed("i-1") == ["d-8", "d-9"]  # each pair once
    assert Incident.objects.get(incident_id="i-2").resolved_at is None and _blamed("i-2") == []


def test_it_changes_nothing_when_the_same_batch_is_sent_again(actor):
    batch = [incident("i-1", deploy_ids=["d-1", "d-2"]), incident("i-2", resolved_at=None)]
    incidents_ingest(actor=actor, items=batch)
    stamps = dict(Incident.objects.values_list("incident_id", "updated_at"))
    link_ids = list(IncidentDeployment.objects.order_by("pk").values_list("pk", flat=True))
    audits = AuditEntry.objects.count()

    reordered = [incident("i-1", deploy_ids=["d-2", "d-1"]), incident("i-2", resolved_at=None)]
    result = incidents_ingest(actor=actor, items=reordered)

    assert result.counts() == {"created": 0, "updated": 0, "unchanged": 2}
    assert dict(Incident.objects.values_list("incident_id", "updated_at")) == stamps
    assert list(IncidentDeployment.objects.order_by("pk").values_list("pk", flat=True)) == link_ids
    assert AuditEntry.objects.count() == audits


def test_it_resolves_an_open_incident_without_touching_its_links(actor):
    incidents_ingest(actor=actor, items=[incident("i-1", resolved_at=None)])
    link_ids = set(IncidentDeployment.objects.values_list("pk", flat=True))
    stamp = Incident.objects.get().updated_at

    result = incidents_ingest(actor=actor, items=[incident("i-1", resolved_at="2024-05-02T12:00:00Z")])

    assert result.counts() == {"created": 0, "updated": 1, "unchanged": 0}
    assert Incident.objects.get().resolved_at == datetime(2024, 5, 2, 12, tzinfo=UTC)
    assert Incident.objects.get().updated_at > stamp
    assert set(IncidentDeployment.objects.values_list("pk", flat=True)) == link_ids
    entry = AuditEntry.objects.filter(action="kpis.incidents_ingest").latest("pk")
    assert entry.after["updated_ids"] == ["i-1"] and entry.target_type == "kpis.incident_batch"


def test_it_replaces_the_blamed_deployments_when_they_changed(actor, teams):
    deployments_ingest(actor=actor, items=[deployment("d-1"), deployment("d-2", team="payments", service="ledger")])
    incidents_ingest(actor=actor, items=[incident("i-1", deploy_ids=["d-1"])])

    result = incidents_ingest(actor=actor, items=[incident("i-1", deploy_ids=["d-2"])])

    assert result.counts() == {"created": 0, "updated": 1, "unchanged": 0}
    assert _blamed("i-1") == ["d-2"]
    # The incident's own team, and the teams of the deployments it stopped and started blaming.
    assert result.touched == {(teams["platform"].pk, "billing-api"), (teams["payments"].pk, "ledger")}
