from collections.abc import Callable
from typing import Any

import pytest

from jobs.models import Job


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Result files of one test land in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def other_user(django_user_model):  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_user("stranger", password="demo")


@pytest.fixture
def make_job(engineer_user) -> Callable[..., Job]:  # type: ignore[no-untyped-def]
    def make(**fields: Any) -> Job:
        fields.setdefault("kind", Job.Kind.ROLE_PDF)
        fields.setdefault("requester", engineer_user)
        fields.setdefault("params", {"role": "staff-software-engineer", "version": 1})
        return Job.objects.create(**fields)

    return make


@pytest.fixture
def finished_job(make_job) -> Job:  # type: ignore[no-untyped-def]
    """A succeeded job with a small PDF attached."""
    from jobs.services import job_attach_result

    job = make_job(state=Job.State.SUCCEEDED, progress=100)
    return job_attach_result(job=job, name="staff-software-engineer-v1.pdf", content=b"%PDF-1.7 tiny")


@pytest.fixture
def probe():  # type: ignore[no-untyped-def]
    """The scripted probe task (tests/jobs/probe_task.py), reset for each test."""
    from tests.jobs import probe_task

    probe_task.SCRIPT = probe_task.Script()
    yield probe_task
    probe_task.SCRIPT = probe_task.Script()
