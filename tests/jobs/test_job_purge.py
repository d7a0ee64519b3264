from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from jobs.models import Job
from jobs.tasks import jobs_purge_expired_files

pytestmark = pytest.mark.django_db


def _age(job: Job, days: int) -> None:
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_it_deletes_files_older_than_the_retention_and_keeps_the_rows(settings, make_job):
    from jobs.services import job_attach_result

    settings.JOB_FILE_RETENTION_DAYS = 14
    old = job_attach_result(job=make_job(state=Job.State.SUCCEEDED), name="old.pdf", content=b"%PDF old")
    recent = job_attach_result(job=make_job(state=Job.State.SUCCEEDED), name="recent.pdf", content=b"%PDF new")
    old_path = old.result_file.name
    _age(old, 15)
    _age(recent, 13)

    removed = jobs_purge_expired_files.delay().get()

    assert removed == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not default_storage.exists(old_path)
    assert not old.result_file
    assert old.result_name == "old.pdf"
    assert old.state == Job.State.SUCCEEDED
    assert default_storage.exists(recent.result_file.name)


def test_it_is_scheduled_nightly():
    from staffrole.celery import app

    entries = [entry["task"] for entry in app.conf.beat_schedule.values()]
    assert "jobs.tasks.jobs_purge_expired_files" in entries
