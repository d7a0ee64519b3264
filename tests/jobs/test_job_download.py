import pytest

from jobs.models import Job

pytestmark = pytest.mark.django_db


def test_it_downloads_the_pdf_as_an_attachment(client, engineer_user, finished_job):
    client.force_login(engineer_user)

    response = client.get(f"/jobs/{finished_job.pk}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="staff-software-engineer-v1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 tiny"


def test_it_lets_hr_download_anyones_file(client, hr_user, finished_job):
    client.force_login(hr_user)

    assert client.get(f"/jobs/{finished_job.pk}/download/").status_code == 200


def test_it_answers_404_to_someone_else(client, other_user, finished_job):
    client.force_login(other_user)

    assert client.get(f"/jobs/{finished_job.pk}/download/").status_code == 404


@pytest.mark.parametrize("state", [Job.State.QUEUED, Job.State.RUNNING, Job.State.FAILED])
def test_it_answers_404_until_the_job_succeeded(client, engineer_user, make_job, state):
    client.force_login(engineer_user)
    job = make_job(state=state)

    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_it_answers_404_when_the_file_has_expired(client, engineer_user, finished_job):
    client.force_login(engineer_user)
    Job.objects.filter(pk=finished_job.pk).update(result_file="")

    assert client.get(f"/jobs/{finished_job.pk}/download/").status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client, finished_job):
    response = client.get(f"/jobs/{finished_job.pk}/download/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
