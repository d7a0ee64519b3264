import json

import pytest
from rest_framework.authtoken.models import Token

from audit.models import AuditEntry
from kpis.models import Deployment, Incident, IncidentDeployment
from tests.kpis.ingest_builders import deployment, hr, incident, ingest_account, make_teams, make_user

pytestmark = pytest.mark.django_db

DEPLOYMENTS = "/api/v1/kpis/deployments/"
INCIDENTS = "/api/v1/kpis/incidents/"


@pytest.fixture(autouse=True)
def teams():
    return make_teams()


def _as(client, user):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=user).key}"
    return client


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_it_takes_deployments_and_counts_them(client):
    api = _as(client, ingest_account())
    response = _post(api, DEPLOYMENTS, [deployment("d-1"), deployment("d-2")])
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "updated": 0, "unchanged": 0}

    response = _post(api, DEPLOYMENTS, [deployment("d-1"), deployment("d-2", succeeded=False)])
    assert response.json() == {"created": 0, "updated": 1, "unchanged": 1}
    assert AuditEntry.objects.filter(action="kpis.deployments_ingest").count() == 2
    assert AuditEntry.objects.latest("pk").actor.username == "ci-bot"


def test_it_writes_nothing_when_the_same_incidents_are_sent_again(client):
    api = _as(client, hr())
    batch = [incident("i-1", deploy_ids=["d-1", "d-2"]), incident("i-2", resolved_at=None)]
    assert _post(api, INCIDENTS, batch).json() == {"created": 2, "updated": 0, "unchanged": 0}
    stamps = list(Incident.objects.values_list("updated_at", flat=True))
    audits = AuditEntry.objects.count()

    response = _post(api, INCIDENTS, batch)

    assert response.status_code == 200
    assert response.json() == {"created": 0, "updated": 0, "unchanged": 2}
    assert list(Incident.objects.values_list("updated_at", flat=True)) == stamps
    assert AuditEntry.objects.count() == audits and IncidentDeployment.objects.count() == 3


def test_it_names_each_bad_item_by_index_and_writes_nothing(client):
    api = _as(client, hr())
    batch = [
        incident("i-1"),
        incident("i-2", team="ghost"),
        incident("i-3", resolved_at="2024-05-02T10:00:00Z"),
        incident("i-1", started_at="2024-05-02T11:00:00"),
    ]
    response = _post(api, INCIDENTS, batch)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "3 items of the batch have problems; nothing of this batch was written.",
        "errors": {
            "1": {"team": ["Unknown team 'ghost': no team has this slug."]},
            "2": {"resolved_at": ["An incident cannot be resolved before it started (started_at)."]},
            "3": {
                "started_at": [
                    "Needs a time zone (e.g. 2024-05-01T14:30:00Z or 2024-05-01T16:30:00+02:00); "
                    "'2024-05-02T11:00:00' has none."
                ],
                "incident_id": ["Duplicate incident_id 'i-1': item 0 has it too."],
            },
        },
    }
    assert not Incident.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("body", "kind"),
    [({}, "an object"), ({"deploy_id": "d-1"}, "an object"), ("d-1", "a string"), (7, "a number"), (None, "null")],
)
def test_it_refuses_a_body_that_is_not_a_list(client, body, kind):
    response = _post(_as(client, hr()), DEPLOYMENTS, body)
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"Expected a JSON list of deployments, one object per deployment; got {kind}.",
        "errors": {},
    }


def test_it_refuses_an_empty_body(client):
    response = _as(client, hr()).post(DEPLOYMENTS, "", content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"] == {}


def test_it_refuses_a_body_that_is_not_json(client):
    response = _as(client, hr()).post(DEPLOYMENTS, "[{", content_type="application/json")
    assert response.status_code == 400 and "JSON parse error" in response.json()["detail"]
    assert response.json()["errors"] == {}  # the documented shape of a batch refused as a whole
    response = client.post(DEPLOYMENTS, "deploy_id\nd-1\n", content_type="text/csv")
    assert response.status_code == 415


@pytest.mark.parametrize("url", [DEPLOYMENTS, INCIDENTS])
def test_it_asks_anonymous_callers_to_sign_in(client, url):
    assert _post(client, url, []).status_code == 401
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("url", [DEPLOYMENTS, INCIDENTS])
def test_it_refuses_an_engineer(client, url):
    response = _post(_as(client, make_user("engineer")), url, [deployment(), incident()])
    assert response.status_code == 403
    assert response.json() == {"detail": "Only HR and KPI ingest accounts can send engineering events."}
    assert not Deployment.objects.exists() and not Incident.objects.exists()


@pytest.mark.parametrize("url", [DEPLOYMENTS, INCIDENTS])
def test_it_answers_only_post(client, url):
    api = _as(client, hr())
    assert api.get(url).status_code == 405
    assert api.put(url, [], content_type="application/json").status_code == 405


def test_it_works_with_a_browser_session_and_csrf(client):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(hr())
    assert _post(browser, DEPLOYMENTS, [deployment()]).status_code == 403  # no CSRF token
    assert not Deployment.objects.exists()


def test_it_documents_both_endpoints_in_the_schema(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    for path, item in (("/api/v1/kpis/deployments/", "deploy_id"), ("/api/v1/kpis/incidents/", "incident_id")):
        operations = schema["paths"][path]
        assert set(operations) == {"post"}
        post = operations["post"]
        assert {"200", "400", "401", "403"} <= set(post["responses"])
        request = post["requestBody"]["content"]["application/json"]["schema"]
        assert request["type"] == "array"
        component = request["items"]["$ref"].rsplit("/", 1)[-1]
        assert item in schema["components"]["schemas"][component]["required"]
