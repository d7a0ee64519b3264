import pytest

from jobs.models import Job

pytestmark = pytest.mark.django_db


def test_it_shows_the_progress_bar_and_refreshes_without_javascript(
    client, engineer_user, make_job, django_assert_max_num_queries
):
    client.force_login(engineer_user)
    job = make_job(state=Job.State.RUNNING, progress=20)

    with django_assert_max_num_queries(8):
        response = client.get(f"/jobs/{job.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<progress" in html
    assert 'hx-trigger="every 1s"' in html
    assert '<meta http-equiv="refresh"' in html
    assert f'href="/jobs/{job.pk}/">Refresh</a>' in html


def test_it_stops_refreshing_once_the_job_is_finished(client, engineer_user, finished_job):
    client.force_login(engineer_user)

    html = client.get(f"/jobs/{finished_job.pk}/").content.decode()

    assert 'http-equiv="refresh"' not in html
    assert "hx-trigger" not in html
    assert "Download" in html


def test_it_answers_404_to_someone_else(client, other_user, make_job):
    client.force_login(other_user)

    assert client.get(f"/jobs/{make_job().pk}/").status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client, make_job):
    response = client.get(f"/jobs/{make_job().pk}/")

    assert response.status_code == 302
