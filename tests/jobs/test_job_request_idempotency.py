"""Asking again for the same export while it runs answers the running job."""

import pytest

from audit.models import AuditEntry
from jobs.models import Job
from jobs.services import job_request

pytestmark = pytest.mark.django_db

PARAMS = {"cycle": 1, "filters": {"team": "2"}}


def test_the_same_request_while_one_runs_answers_that_job(hr_user):
    first, created_first = job_request(kind=Job.Kind.CALIBRATION_PACK, requester=hr_user, params=PARAMS)
    again, created_again = job_request(kind=Job.Kind.CALIBRATION_PACK, requester=hr_user, params=dict(PARAMS))

    assert (created_first, created_again) == (True, False)
    assert again.pk == first.pk
    assert Job.objects.count() == 1
    assert AuditEntry.objects.filter(action="job.start").count() == 1


def test_a_running_job_is_answered_too(hr_user):
    first, _ = job_request(kind=Job.Kind.CALIBRATION_PACK, requester=hr_user, params=PARAMS)
    Job.objects.filter(pk=first.pk).update(state=Job.State.RUNNING)

    again, created = job_request(kind=Job.Kind.CALIBRATION_PACK, requester=hr_user, params=PARAMS)

    assert (again.pk, created) == (first.pk, False)


@pytest.mark.parametrize("state", [Job.State.SUCCEEDED, Job.State.FAILED])
def test_a_finished_job_does_not_stop_a_new_one(hr_user, state):
    first, _ = job_request(kind=Job.Kind.CALIBRATION_PACK, requester=hr_user, params=PARAMS)
    Job.objects.filter(pk=first.pk).update(state=state)

    again, created = job_request(kind=Job.Kind.CALIBRATION_PACK, requester=hr_user, params=PARAMS)

    assert created is True
    assert again.pk != first.pk


def test_other_parameters_kinds_or_requesters_are_other_requests(hr_user, engineer_user):
    base, _ = job_request(kind=Job.Kind.CALIBRATION_PACK, requester=hr_user, params=PARAMS)
    others = [
        job_request(kind=Job.Kind.CALIBRATION_PACK, requester=hr_user, params={"cycle": 1, "filters": {}}),
        job_request(kind=Job.Kind.REVIEW_PACKETS_ZIP, requester=hr_user, params=PARAMS),
        job_request(kind=Job.Kind.CALIBRATION_PACK, requester=engineer_user, params=PARAMS),
    ]

    assert all(created for _job, created in others)
    assert len({base.pk, *(job.pk for job, _created in others)}) == 4


def test_the_database_refuses_a_second_active_job_for_one_request(hr_user):
    from django.db import IntegrityError, transaction

    first, _ = job_request(kind=Job.Kind.CALIBRATION_PACK, requester=hr_user, params=PARAMS)

    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind=first.kind, requester=hr_user, params=PARAMS, request_key=first.request_key)
