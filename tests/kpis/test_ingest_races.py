"""Two batches creating the same new id at once: the loser's insert fails on the unique id, and its
batch is tried again from the start, where it sees the winner's row and updates or leaves it; after
a few attempts it gives up, having written nothing."""

import json

import pytest
from django.db import IntegrityError
from rest_framework.authtoken.models import Token

from audit.models import AuditEntry
from kpis.models import Deployment
from kpis.services import ATTEMPTS, IngestConflict, deployments_ingest
from tests.kpis.ingest_builders import deployment, hr, make_teams

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    make_teams()
    return hr()


def test_it_starts_again_when_an_insert_collides(actor, monkeypatch):
    """The second attempt runs from the start in a fresh transaction (here the collision is simulated:
    a real one needs two connections, and the retry then finds the other batch's committed row)."""
    real = Deployment.objects.bulk_create
    calls: list[list[str]] = []

    def bulk_create(rows, **kwargs):
        calls.append([row.deploy_id for row in rows])
        if len(calls) == 1:
            raise IntegrityError("UNIQUE constraint failed: kpis_deployment.deploy_id")
        return real(rows, **kwargs)

    monkeypatch.setattr(Deployment.objects, "bulk_create", bulk_create)
    result = deployments_ingest(actor=actor, items=[deployment("d-1")])
    assert result.counts() == {"created": 1, "updated": 0, "unchanged": 0}
    assert calls == [["d-1"], ["d-1"]]
    assert Deployment.objects.count() == 1 and AuditEntry.objects.count() == 1


def test_it_gives_up_after_a_few_attempts_and_writes_nothing(actor, monkeypatch):
    attempts: list[int] = []

    def bulk_create(rows, **kwargs):
        attempts.append(len(rows))
        raise IntegrityError("UNIQUE constraint failed: kpis_deployment.deploy_id")

    monkeypatch.setattr(Deployment.objects, "bulk_create", bulk_create)
    with pytest.raises(IngestConflict):
        deployments_ingest(actor=actor, items=[deployment("d-1")])
    assert len(attempts) == ATTEMPTS
    assert not Deployment.objects.exists() and not AuditEntry.objects.exists()


def test_the_api_answers_409_when_it_gives_up(actor, client, monkeypatch):
    monkeypatch.setattr(
        Deployment.objects, "bulk_create", lambda rows, **kwargs: (_ for _ in ()).throw(IntegrityError("taken"))
    )
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=actor).key}"
    response = client.post("/api/v1/kpis/deployments/", json.dumps([deployment()]), content_type="application/json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Other batches were writing the same ids at the same time; nothing was written. Send again."
    }
