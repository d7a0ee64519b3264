import logging

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from jobs.models import Job
from jobs.tasks import MESSAGE_TIMED_OUT, MESSAGE_UNEXPECTED, JobError

pytestmark = pytest.mark.django_db


def test_it_marks_the_job_failed_with_a_short_message_not_a_traceback(make_job, probe):
    job = make_job()
    probe.SCRIPT.attempts = [ValueError("secret internal detail at /srv/app/x.py")]

    probe.probe.delay(str(job.pk))

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == MESSAGE_UNEXPECTED
    assert "Traceback" not in job.error
    assert "secret internal detail" not in job.error
    assert job.finished_at is not None


def test_it_logs_the_traceback_of_a_failure(make_job, probe, caplog):
    job = make_job()
    probe.SCRIPT.attempts = [ValueError("boom for the log")]

    with caplog.at_level(logging.ERROR, logger="jobs.tasks"):
        probe.probe.delay(str(job.pk))

    records = [r for r in caplog.records if r.name == "jobs.tasks" and str(job.pk) in r.getMessage()]
    assert records
    assert records[0].exc_info is not None
    assert "boom for the log" in caplog.text


def test_it_shows_the_message_of_a_job_error(make_job, probe):
    job = make_job()
    probe.SCRIPT.attempts = [JobError("That role blueprint version is no longer available.")]

    probe.probe.delay(str(job.pk))

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "That role blueprint version is no longer available."


def test_it_marks_a_job_over_its_soft_time_limit_failed(make_job, probe):
    job = make_job()
    probe.SCRIPT.attempts = [SoftTimeLimitExceeded()]

    probe.probe.delay(str(job.pk))

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == MESSAGE_TIMED_OUT
    assert probe.SCRIPT.ran == 1
