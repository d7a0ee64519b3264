import pytest

from jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", [Job.State.SUCCEEDED, Job.State.FAILED])
def test_it_does_not_run_a_finished_job_again(make_job, probe, state):
    job = make_job(state=state, progress=100 if state == Job.State.SUCCEEDED else 30, attempts=1, error="kept")

    probe.probe.delay(str(job.pk))

    job.refresh_from_db()
    assert probe.SCRIPT.ran == 0
    assert job.state == state
    assert job.attempts == 1
    assert job.error == "kept"


def test_it_ignores_a_job_that_no_longer_exists(probe):
    probe.probe.delay("9b0f6a4e-0000-4000-8000-000000000000")

    assert probe.SCRIPT.ran == 0
