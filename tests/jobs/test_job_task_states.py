import pytest

from jobs.models import Job

pytestmark = pytest.mark.django_db


def test_it_marks_the_job_running_while_the_task_runs(make_job, probe):
    job = make_job()

    probe.probe.delay(str(job.pk))

    assert probe.SCRIPT.seen == [(Job.State.RUNNING, 1, 0)]


def test_it_marks_the_job_succeeded_with_full_progress(make_job, probe):
    job = make_job()

    probe.probe.delay(str(job.pk))

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert job.progress == 100
    assert job.attempts == 1
    assert job.error == ""
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job.started_at <= job.finished_at


def test_it_records_reported_progress(make_job, probe):
    job = make_job(state=Job.State.RUNNING)
    task = probe.probe

    task.report_progress(job, 55)

    job.refresh_from_db()
    assert job.progress == 55


def test_it_keeps_reported_progress_within_0_and_100(make_job, probe):
    job = make_job(state=Job.State.RUNNING)

    probe.probe.report_progress(job, 250)
    job.refresh_from_db()
    assert job.progress == 100

    probe.probe.report_progress(job, -5)
    job.refresh_from_db()
    assert job.progress == 0
