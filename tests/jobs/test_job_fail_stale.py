from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import Job
from jobs.services import MESSAGE_LOST_IN_QUEUE, MESSAGE_STALLED
from jobs.tasks import JobTask, jobs_fail_stale, stale_after

pytestmark = pytest.mark.django_db


def test_it_fails_jobs_whose_worker_stopped_reporting(make_job):
    long_ago = timezone.now() - stale_after() - timedelta(minutes=1)
    stalled = make_job(state=Job.State.RUNNING, started_at=long_ago)
    busy = make_job(state=Job.State.RUNNING, started_at=timezone.now() - timedelta(minutes=1))
    waiting = make_job(state=Job.State.QUEUED)

    assert jobs_fail_stale.delay().get() == 1

    for job in (stalled, busy, waiting):
        job.refresh_from_db()
    assert stalled.state == Job.State.FAILED
    assert stalled.error == MESSAGE_STALLED
    assert stalled.finished_at is not None
    assert busy.state == Job.State.RUNNING
    assert waiting.state == Job.State.QUEUED


def test_it_allows_every_retry_its_time_limit_before_calling_a_job_stale(settings):
    from staffrole.celery import app

    assert stale_after() >= timedelta(seconds=4 * app.conf.task_time_limit)


def test_it_is_scheduled():
    from staffrole.celery import app

    assert "jobs.tasks.jobs_fail_stale" in [entry["task"] for entry in app.conf.beat_schedule.values()]


def test_it_fails_jobs_whose_message_never_reached_a_worker(make_job, settings):
    settings.JOB_QUEUE_WAIT_LIMIT_MINUTES = 120
    lost = make_job(state=Job.State.QUEUED)
    Job.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=121))
    waiting = make_job(state=Job.State.QUEUED)
    Job.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(minutes=119))

    assert jobs_fail_stale.delay().get() == 1

    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert lost.state == Job.State.FAILED
    assert lost.error == MESSAGE_LOST_IN_QUEUE
    assert lost.finished_at is not None
    assert waiting.state == Job.State.QUEUED


def test_a_late_message_for_an_abandoned_job_does_nothing(make_job, settings):
    settings.JOB_QUEUE_WAIT_LIMIT_MINUTES = 120
    lost = make_job(state=Job.State.QUEUED)
    Job.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=3))
    jobs_fail_stale.delay().get()

    assert JobTask().job_begin(str(lost.pk)) is None

    lost.refresh_from_db()
    assert lost.state == Job.State.FAILED
    assert lost.attempts == 0
