import pytest
from rest_framework.test import APIClient

from jobs.models import Job

pytestmark = pytest.mark.django_db


def _get(user, job):  # type: ignore[no-untyped-def]
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client.get(f"/api/v1/jobs/{job.pk}/")


def test_it_answers_the_job_in_the_contract_shape(engineer_user, make_job):
    job = make_job(state=Job.State.RUNNING, progress=40)

    response = _get(engineer_user, job)

    assert response.status_code == 200
    assert response.json() == {
        "id": str(job.pk),
        "kind": "role_pdf",
        "state": "running",
        "progress": 40,
        "items_done": 0,
        "items_total": 0,
        "error": "",
        "download_url": None,
    }


def test_it_gives_an_absolute_download_url_once_succeeded(engineer_user, finished_job):
    response = _get(engineer_user, finished_job)

    assert response.json()["state"] == "succeeded"
    assert response.json()["download_url"] == f"http://testserver/api/v1/jobs/{finished_job.pk}/download/"


def test_a_token_client_downloads_the_file_from_the_download_url(engineer_user, finished_job):
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=engineer_user).key}")
    url = client.get(f"/api/v1/jobs/{finished_job.pk}/").json()["download_url"]

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="staff-software-engineer-v1.pdf"'
    assert b"".join(response.streaming_content) == b"%PDF-1.7 tiny"


def test_nobody_else_downloads_it_and_an_unfinished_job_has_no_file(other_user, engineer_user, make_job, finished_job):
    stranger = APIClient()
    stranger.force_authenticate(other_user)
    owner = APIClient()
    owner.force_authenticate(engineer_user)

    assert stranger.get(f"/api/v1/jobs/{finished_job.pk}/download/").status_code == 404
    assert owner.get(f"/api/v1/jobs/{make_job(state=Job.State.RUNNING).pk}/download/").status_code == 404
    assert APIClient().get(f"/api/v1/jobs/{finished_job.pk}/download/").status_code == 401


def test_it_shows_the_error_of_a_failed_job(engineer_user, make_job):
    job = make_job(state=Job.State.FAILED, error="The task queue is unavailable; try again in a minute.")

    body = _get(engineer_user, job).json()

    assert body["state"] == "failed"
    assert body["error"] == "The task queue is unavailable; try again in a minute."
    assert body["download_url"] is None


def test_it_shows_any_job_to_hr(hr_user, make_job):
    assert _get(hr_user, make_job()).status_code == 200


def test_it_answers_404_to_someone_else(other_user, make_job):
    response = _get(other_user, make_job())

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_it_answers_404_for_an_unknown_job(engineer_user):
    client = APIClient()
    client.force_authenticate(engineer_user)

    response = client.get("/api/v1/jobs/6a1c7b58-0000-4000-8000-000000000000/")

    assert response.status_code == 404
    assert "detail" in response.json()


def test_it_refuses_anonymous_callers(make_job):
    response = _get(None, make_job())

    assert response.status_code == 401
    assert "detail" in response.json()


def test_it_works_with_a_token(client, engineer_user, make_job):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=engineer_user)
    job = make_job()

    response = client.get(f"/api/v1/jobs/{job.pk}/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200


def test_it_is_in_the_api_schema(client, engineer_user):
    client.force_login(engineer_user)

    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/v1/jobs/{job_id}/"]["get"]
    properties = schema["components"]["schemas"]["Job"]["properties"]
    assert set(properties) == {"id", "kind", "state", "progress", "items_done", "items_total", "error", "download_url"}
    assert "404" in operation["responses"]
