import pytest
from django.core.exceptions import ValidationError
from kombu.exceptions import OperationalError as BrokerOperationalError

from audit.models import AuditEntry
from jobs.models import Job
from jobs.services import MESSAGE_QUEUE_UNAVAILABLE, job_start
from scorecards.tasks import role_pdf_render

pytestmark = pytest.mark.django_db

PARAMS = {"role": "staff-software-engineer", "version": 1}


def test_it_creates_a_queued_job_and_records_it(engineer_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(kind=Job.Kind.ROLE_PDF, requester=engineer_user, params=PARAMS)

    job.refresh_from_db()
    assert job.state == Job.State.QUEUED
    assert job.requester == engineer_user
    assert job.params == PARAMS
    assert len(callbacks) == 1
    entry = AuditEntry.objects.get(target_type="jobs.job", target_id=str(job.pk))
    assert entry.action == "job.start"
    assert entry.actor == engineer_user


def test_it_dispatches_the_task_only_after_commit(engineer_user, monkeypatch, django_capture_on_commit_callbacks):
    sent: list[list[str]] = []
    monkeypatch.setattr(role_pdf_render, "apply_async", lambda args, **kwargs: sent.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind=Job.Kind.ROLE_PDF, requester=engineer_user, params=PARAMS)
        assert sent == []

    assert sent == [[str(job.pk)]]


def test_it_refuses_an_unknown_kind(engineer_user):
    with pytest.raises(ValidationError):
        job_start(kind="mine_bitcoin", requester=engineer_user, params={})

    assert not Job.objects.exists()


@pytest.mark.parametrize("error", [BrokerOperationalError("connection refused"), ConnectionRefusedError()])
def test_it_fails_the_job_when_the_queue_is_unreachable(
    engineer_user, monkeypatch, django_capture_on_commit_callbacks, error
):
    def unreachable(*args, **kwargs):
        raise error

    monkeypatch.setattr(role_pdf_render, "apply_async", unreachable)

    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind=Job.Kind.ROLE_PDF, requester=engineer_user, params=PARAMS)

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == MESSAGE_QUEUE_UNAVAILABLE
    assert job.finished_at is not None
