"""POST /api/v1/kpis/measurements/: the ingest's rules over HTTP (403 first, 400 by index, 200 counts)."""

import json

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token

from audit.models import AuditEntry
from kpis.models import Measurement
from kpis.services import IngestConflict
from tests.kpis.measurement_builders import engineer, ingest_account, measurement, org, service

pytestmark = pytest.mark.django_db
__all__ = ["org"]

URL = "/api/v1/kpis/measurements/"


def _as(client, user):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=user).key}"
    return client


def _post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_it_takes_measurements_and_counts_them(client, org):
    api = _as(client, ingest_account())
    response = _post(api, [measurement(), service(), engineer()])
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 3, "updated": 0, "unchanged": 0}

    response = _post(api, [measurement(value=9), service(), engineer()])
    assert response.json() == {"created": 0, "updated": 1, "unchanged": 2}
    entry = AuditEntry.objects.filter(action="kpis.measurements_ingest").latest("pk")
    assert entry.actor.username == "ci-bot" and entry.after["source"] == URL

    response = _post(api, [measurement(value=9), service(), engineer()])
    assert response.json() == {"created": 0, "updated": 0, "unchanged": 3}
    assert AuditEntry.objects.filter(action="kpis.measurements_ingest").count() == 2


def test_it_names_each_bad_item_by_index_and_writes_nothing(client, org):
    api = _as(client, User.objects.get(username="hr"))
    response = _post(api, [measurement(), measurement(kpi="Happiness"), service(team=...), engineer(period="2026-W60")])
    assert response.status_code == 400
    assert response.json() == {
        "detail": "3 items of the batch have problems; nothing of this batch was written.",
        "errors": {
            "1": {"kpi": ["The Staff Software Engineer blueprint has no KPI 'Happiness'."]},
            "2": {"team": ["A service's measurements name the team that owns it (its slug)."]},
            "3": {"period": ["2026 has no ISO week 60."]},
        },
    }
    assert not Measurement.objects.exists()


def test_it_refuses_a_body_that_is_not_a_list(client, org):
    response = _post(_as(client, ingest_account()), measurement())
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Expected a JSON list of measurements, one object per measurement; got an object.",
        "errors": {},
    }


def test_it_refuses_others_before_reading_the_body(client, org, monkeypatch):
    def not_called(**kwargs):
        raise AssertionError("the body was read")

    monkeypatch.setattr("kpis.measurements.measurements_ingest", not_called)
    for username in ("engineer", "manager", "director"):
        client.defaults.pop("HTTP_AUTHORIZATION", None)
        response = _post(_as(client, User.objects.get(username=username)), "not even a list")
        assert response.status_code == 403
        assert response.json() == {"detail": "Only HR and KPI ingest accounts can send measurements."}


def test_it_asks_anonymous_callers_to_sign_in_and_answers_only_post(client, org):
    assert _post(client, [measurement()]).status_code == 401
    api = _as(client, ingest_account())
    assert api.get(URL).status_code == 405
    assert not Measurement.objects.exists()


def test_it_answers_409_when_other_batches_keep_racing(client, org, monkeypatch):
    def racing(**kwargs):
        raise IngestConflict(
            "Other batches were writing the same ids at the same time; nothing was written. Send again."
        )

    monkeypatch.setattr("kpis.measurements.measurements_ingest", racing)
    response = _post(_as(client, ingest_account()), [measurement()])
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Other batches were writing")


def test_it_is_documented_in_the_schema(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    post = schema["paths"][URL]["post"]
    assert set(schema["paths"][URL]) == {"post"}
    assert {"200", "400", "401", "403", "409"} <= set(post["responses"])
    assert "all or nothing" in post["description"].lower()
    content = post["requestBody"]["content"]["application/json"]
    assert content["schema"]["type"] == "array"
    component = schema["components"]["schemas"][content["schema"]["items"]["$ref"].rsplit("/", 1)[-1]]
    assert {"role", "kpi", "subject_type", "subject", "period", "value", "unit", "source"} <= set(component["required"])
    assert "team" in component["properties"] and "team" not in component["required"]
    assert any(example["value"][0]["kpi"] for example in content["examples"].values())
