import pytest
from django.utils.html import escape

from jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", [Job.State.QUEUED, Job.State.RUNNING])
def test_it_polls_itself_while_the_job_is_unfinished(client, engineer_user, make_job, state):
    client.force_login(engineer_user)
    job = make_job(state=state, progress=35)

    response = client.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'hx-get="/jobs/{job.pk}/progress/"' in html
    assert 'hx-trigger="every 1s"' in html
    assert 'hx-swap="outerHTML"' in html
    assert '<progress max="100" value="35"' in html
    assert "35%" in html
    assert "<html" not in html


def test_it_stops_polling_and_offers_the_download_on_success(client, engineer_user, finished_job):
    client.force_login(engineer_user)

    html = client.get(f"/jobs/{finished_job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()

    assert "hx-trigger" not in html
    assert "hx-get" not in html
    assert f'href="/jobs/{finished_job.pk}/download/"' in html
    assert "100%" in html


def test_it_stops_polling_and_shows_the_error_on_failure(client, engineer_user, make_job):
    client.force_login(engineer_user)
    job = make_job(state=Job.State.FAILED, progress=10, error="The task queue is unavailable; try again in a minute.")

    html = client.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()

    assert "hx-trigger" not in html
    assert escape("The task queue is unavailable; try again in a minute.") in html
    assert "/download/" not in html


def test_it_hides_the_progress_of_someone_elses_job(client, other_user, make_job):
    client.force_login(other_user)

    assert client.get(f"/jobs/{make_job().pk}/progress/").status_code == 404
