from datetime import UTC, datetime

import pytest

from audit.models import AuditEntry
from kpis.models import Deployment, DeploymentCommit
from kpis.services import AUDIT_LISTED_IDS, deployments_ingest
from tests.kpis.ingest_builders import deployment, hr, make_teams

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    return make_teams()


@pytest.fixture
def actor(teams):
    return hr()


def _commits(deploy_id: str) -> list[datetime]:
    return list(
        DeploymentCommit.objects.filter(deployment__deploy_id=deploy_id)
        .order_by("committed_at")
        .values_list("committed_at", flat=True)
    )


def test_it_creates_deployments_with_their_commit_times(actor, teams):
    result = deployments_ingest(actor=actor, items=[deployment("d-1"), deployment("d-2", team="payments")])
    assert result.counts() == {"created": 2, "updated": 0, "unchanged": 0}
    first = Deployment.objects.get(deploy_id="d-1")
    assert (first.team, first.service, first.environment, first.succeeded) == (
        teams["platform"],
        "billing-api",
        "production",
        True,
    )
    assert first.deployed_at == datetime(2024, 5, 2, 10, tzinfo=UTC)
    # 15:30+02:00 is 13:30 UTC
    assert _commits("d-1") == [datetime(2024, 5, 1, 9, tzinfo=UTC), datetime(2024, 5, 1, 13, 30, tzinfo=UTC)]
    assert Deployment.objects.get(deploy_id="d-2").team == teams["payments"]


def test_it_changes_nothing_when_the_same_batch_is_sent_again(actor):
    batch = [deployment("d-1"), deployment("d-2", commit_times=[])]
    deployments_ingest(actor=actor, items=batch)
    stamps = dict(Deployment.objects.values_list("deploy_id", "updated_at"))
    commit_ids = list(DeploymentCommit.objects.order_by("pk").values_list("pk", flat=True))
    audits = AuditEntry.objects.count()

    result = deployments_ingest(actor=actor, items=batch)

    assert result.counts() == {"created": 0, "updated": 0, "unchanged": 2}
    assert result.touched == frozenset()
    assert dict(Deployment.objects.values_list("deploy_id", "updated_at")) == stamps
    assert list(DeploymentCommit.objects.order_by("pk").values_list("pk", flat=True)) == commit_ids
    assert AuditEntry.objects.count() == audits


def test_it_sees_the_same_instant_in_another_offset_and_order_as_unchanged(actor):
    deployments_ingest(actor=actor, items=[deployment("d-1")])
    same = deployment(
        "d-1",
        deployed_at="2024-05-02T12:00:00+02:00",
        commit_times=["2024-05-01T13:30:00Z", "2024-05-01T09:00:00.000000+00:00"],
        service="  billing-api ",
    )
    assert deployments_ingest(actor=actor, items=[same]).counts() == {"created": 0, "updated": 0, "unchanged": 1}


def test_it_updates_a_changed_deployment_in_place(actor, teams):
    deployments_ingest(actor=actor, items=[deployment("d-1"), deployment("d-2")])
    before = Deployment.objects.get(deploy_id="d-1")
    commit_ids = set(DeploymentCommit.objects.filter(deployment=before).values_list("pk", flat=True))

    result = deployments_ingest(
        actor=actor, items=[deployment("d-1", succeeded=False, team="payments"), deployment("d-2"), deployment("d-3")]
    )

    assert result.counts() == {"created": 1, "updated": 1, "unchanged": 1}
    after = Deployment.objects.get(deploy_id="d-1")
    assert after.pk == before.pk and after.succeeded is False and after.team == teams["payments"]
    assert after.updated_at > before.updated_at
    # Its commit times did not change: their rows are left alone.
    assert set(DeploymentCommit.objects.filter(deployment=after).values_list("pk", flat=True)) == commit_ids
    # Both the team it left and the one it joined need their trends again, and the new deployment's.
    assert result.touched == {(teams["platform"].pk, "billing-api"), (teams["payments"].pk, "billing-api")}


def test_it_replaces_the_commit_times_when_they_changed(actor):
    deployments_ingest(actor=actor, items=[deployment("d-1")])
    stamp = Deployment.objects.get().updated_at

    result = deployments_ingest(actor=actor, items=[deployment("d-1", commit_times=["2024-04-30T08:00:00Z"])])

    assert result.counts() == {"created": 0, "updated": 1, "unchanged": 0}
    assert _commits("d-1") == [datetime(2024, 4, 30, 8, tzinfo=UTC)]
    assert Deployment.objects.get().updated_at > stamp


def test_it_stores_commit_times_after_the_deployment(actor):
    late = deployment("d-1", deployed_at="2024-05-02T10:00:00Z", commit_times=["2024-05-02T11:00:00Z"])
    deployments_ingest(actor=actor, items=[late])
    assert _commits("d-1") == [datetime(2024, 5, 2, 11, tzinfo=UTC)]


def test_it_records_one_audit_entry_per_batch_that_changed_something(actor):
    deployments_ingest(actor=actor, items=[deployment("d-1"), deployment("d-2")])
    deployments_ingest(actor=actor, items=[deployment("d-1", environment="staging"), deployment("d-2")], source="ci")

    first, second = AuditEntry.objects.filter(action="kpis.deployments_ingest").order_by("pk")
    assert first.actor == actor and first.target_type == "kpis.deployment_batch" and len(first.target_id) == 64
    assert first.after["created_ids"] == ["d-1", "d-2"] and first.after["created"] == 2
    assert second.after == {
        "source": "ci",
        "sha256": second.target_id,
        "created": 0,
        "updated": 1,
        "unchanged": 1,
        "created_ids": [],
        "updated_ids": ["d-1"],
        "ids_listed_at_most": AUDIT_LISTED_IDS,
    }
    assert AuditEntry.objects.count() == 2


def test_it_lists_a_capped_number_of_ids_in_the_audit_entry(actor):
    batch = [deployment(f"d-{number:03}", commit_times=[]) for number in range(AUDIT_LISTED_IDS + 5)]
    deployments_ingest(actor=actor, items=batch)
    entry = AuditEntry.objects.get()
    assert entry.after["created"] == AUDIT_LISTED_IDS + 5 and len(entry.after["created_ids"]) == AUDIT_LISTED_IDS


def test_it_accepts_an_empty_batch(actor):
    assert deployments_ingest(actor=actor, items=[]).counts() == {"created": 0, "updated": 0, "unchanged": 0}
    assert not AuditEntry.objects.exists()
