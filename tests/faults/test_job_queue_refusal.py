"""A job whose message the broker refuses: the row is failed with the reason and the caller gets
JobQueueUnavailable once the transaction has committed. (Inside a longer transaction only the row fails:
tests/jobs/test_job_start.py.)"""

import pytest
from kombu.exceptions import OperationalError as BrokerOperationalError

from audit.models import AuditEntry
from jobs.models import Job
from jobs.services import MESSAGE_QUEUE_UNAVAILABLE, JobQueueUnavailable, job_start
from scorecards.tasks import role_pdf_render

pytestmark = pytest.mark.django_db(transaction=True)

PARAMS = {"role": "staff-software-engineer", "version": 1}


@pytest.fixture
def refused(monkeypatch):  # type: ignore[no-untyped-def]
    def unreachable(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise BrokerOperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(role_pdf_render, "apply_async", unreachable)


def test_it_raises_with_the_failed_job_after_the_commit(engineer_user, refused):
    with pytest.raises(JobQueueUnavailable) as raised:
        job_start(kind=Job.Kind.ROLE_PDF, requester=engineer_user, params=PARAMS)

    job = Job.objects.get()
    assert raised.value.job == job
    assert (job.state, job.error) == (Job.State.FAILED, MESSAGE_QUEUE_UNAVAILABLE)
    assert job.finished_at is not None
    assert str(raised.value) == MESSAGE_QUEUE_UNAVAILABLE
    # The request is on record, like every job start.
    assert AuditEntry.objects.filter(action="job.start", target_id=str(job.pk)).exists()
