"""/metrics is open in local and test settings only: production answers 404 unless the scraper sends the
Bearer METRICS_TOKEN or comes from an address in METRICS_ALLOWED_IPS."""

import json
import secrets

import pytest
from django.test import override_settings

from tests.test_settings import run_python
from tests.worker_process import _database_url

pytestmark = pytest.mark.django_db

HOST = {"HTTP_HOST": "localhost"}
TOKEN = "scrape-" + "x" * 40


@override_settings(METRICS_PUBLIC=False, METRICS_TOKEN="", METRICS_ALLOWED_IPS=[])
def test_it_hides_metrics_when_nothing_opens_them(client):
    assert client.get("/metrics", **HOST).status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ", **HOST).status_code == 404


@override_settings(METRICS_PUBLIC=False, METRICS_TOKEN=TOKEN, METRICS_ALLOWED_IPS=[])
@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        (None, 404),
        ("Bearer wrong-token", 404),
        (f"Bearer {TOKEN}x", 404),
        (f"Basic {TOKEN}", 404),
        (f"Bearer {TOKEN}", 200),
        (f"bearer {TOKEN}", 200),
    ],
)
def test_it_asks_for_the_bearer_token(client, authorization, status):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}

    response = client.get("/metrics", **headers, **HOST)

    assert response.status_code == status
    assert (b"staffrole_jobs" in response.content) is (status == 200)


@pytest.mark.parametrize(("allowed", "status"), [(["127.0.0.1"], 200), (["127.0.0.0/8"], 200), (["10.0.0.0/8"], 404)])
def test_it_lets_listed_addresses_scrape_without_a_token(client, allowed, status):
    with override_settings(METRICS_PUBLIC=False, METRICS_TOKEN="", METRICS_ALLOWED_IPS=allowed):
        assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", **HOST).status_code == status


@override_settings(METRICS_PUBLIC=False, METRICS_TOKEN="", METRICS_ALLOWED_IPS=[])
def test_it_logs_a_refused_scrape_as_a_security_event(client, caplog):
    client.get("/metrics", **HOST)

    (event,) = [record for record in caplog.records if record.name == "staffrole.security"]
    assert event.event == "request.refused"  # type: ignore[attr-defined]
    assert event.route == "metrics"  # type: ignore[attr-defined]


# The 404 page names static files: without collectstatic the manifest storage of production cannot, so the plain
# storage stands in.
SCRAPES = (
    "import json, django; django.setup(); from django.test import Client, override_settings; "
    "override_settings(STORAGES={'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'}, "
    "'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}).enable(); "
    "client = Client(); "
    "get = lambda **headers: client.get('/metrics', HTTP_HOST='example.com', **headers); "
    "right = get(HTTP_AUTHORIZATION='Bearer ' + __import__('os').environ['PROBE_TOKEN']); "
    "print(json.dumps({'none': get().status_code, 'wrong': get(HTTP_AUTHORIZATION='Bearer nope').status_code, "
    "'right': right.status_code, 'jobs': b'staffrole_jobs' in right.content}))"
)


def production(**environment: str) -> dict[str, object]:
    result = run_python(
        "-c",
        SCRAPES,
        DJANGO_SETTINGS_MODULE="staffrole.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.com",
        DATABASE_URL=_database_url(),
        PROBE_TOKEN=TOKEN,
        **environment,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_it_takes_the_token_from_the_environment_in_production():
    # Plain HTTP on purpose: scrapers inside the deployment's network are not redirected to HTTPS.
    assert production(METRICS_TOKEN=TOKEN) == {"none": 404, "wrong": 404, "right": 200, "jobs": True}
    assert production() == {"none": 404, "wrong": 404, "right": 404, "jobs": False}


def test_it_refuses_to_start_with_a_malformed_allowed_address():
    result = run_python(
        "-c",
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="staffrole.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.com",
        METRICS_ALLOWED_IPS="10.0.0.0/8,not-an-address",
    )
    assert result.returncode != 0
    assert "not-an-address" in result.stderr
