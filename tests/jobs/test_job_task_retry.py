import pytest
from django.db import OperationalError

from jobs.models import Job
from jobs.tasks import MESSAGE_TRANSIENT

pytestmark = pytest.mark.django_db


def test_it_retries_transient_errors_and_then_succeeds(make_job, probe):
    job = make_job()
    probe.SCRIPT.attempts = [OperationalError("database is locked"), OSError("disk hiccup")]

    probe.probe.delay(str(job.pk))

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert job.attempts == 3
    # Between attempts the job stayed running, not failed.
    assert [state for state, _, _ in probe.SCRIPT.seen] == [Job.State.RUNNING] * 3


def test_it_gives_up_after_three_retries(make_job, probe):
    job = make_job()
    probe.SCRIPT.attempts = [OSError("disk full")] * 10

    probe.probe.delay(str(job.pk))

    job.refresh_from_db()
    assert probe.SCRIPT.ran == 4
    assert job.attempts == 4
    assert job.state == Job.State.FAILED
    assert job.error == MESSAGE_TRANSIENT


def test_it_does_not_retry_other_errors(make_job, probe):
    job = make_job()
    probe.SCRIPT.attempts = [KeyError("bug")]

    probe.probe.delay(str(job.pk))

    job.refresh_from_db()
    assert probe.SCRIPT.ran == 1
    assert job.state == Job.State.FAILED
