"""Starting background jobs, storing their results, and cleaning old results up."""

import logging
from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import get_valid_filename
from kombu.exceptions import OperationalError as BrokerOperationalError

from audit.services import audit_record
from jobs.models import Job

logger = logging.getLogger(__name__)

# Dotted paths, imported at dispatch: importing the tasks here would import every app that has jobs.
JOB_TASKS: dict[str, str] = {
    Job.Kind.ROLE_PDF: "scorecards.tasks.role_pdf_render",
}

MESSAGE_QUEUE_UNAVAILABLE = "The task queue is unavailable; try again in a minute."
MESSAGE_STALLED = "The job stopped responding and was abandoned. Try again; tell an administrator if it recurs."


def job_start(*, kind: str, requester: Any, params: dict[str, Any]) -> Job:
    """Create the job and hand it to its task once the surrounding transaction commits."""
    task_name = JOB_TASKS.get(kind)
    if task_name is None:
        raise ValidationError({"kind": f"Unknown job kind {kind!r}."})
    if not isinstance(params, dict):
        raise ValidationError({"params": "Job parameters must be a JSON object."})
    with transaction.atomic():
        job = Job(kind=kind, requester=requester, params=params)
        job.full_clean()
        job.save()
        audit_record(actor=requester, action="job.start", target=job, after={"kind": kind, "params": params})
        transaction.on_commit(partial(_job_dispatch, job_id=str(job.pk), task_name=task_name))
    return job


def _job_dispatch(*, job_id: str, task_name: str) -> None:
    # What DjangoTask.delay_on_commit does, plus: an unreachable broker fails the job instead of the request.
    try:
        import_string(task_name).apply_async(args=[job_id])
    except (BrokerOperationalError, OSError):
        logger.exception("Could not queue job %s (%s).", job_id, task_name)
        Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
            state=Job.State.FAILED, error=MESSAGE_QUEUE_UNAVAILABLE, finished_at=timezone.now()
        )


def job_attach_result(*, job: Job, name: str, content: bytes) -> Job:
    """Store the job's result file; `name` is what the download is called."""
    name = get_valid_filename(name) or "result"
    if job.result_file:
        job.result_file.delete(save=False)
    job.result_file.save(name, ContentFile(content), save=False)
    job.result_name = name
    job.save(update_fields=["result_file", "result_name"])
    return job


def job_purge_expired_files(*, created_before: datetime) -> int:
    """Delete the result files of jobs created before `created_before`; keep the rows and result names.

    Answers how many files were removed.
    """
    removed = 0
    expired = Job.objects.filter(created_at__lt=created_before).exclude(result_file="")
    for job in expired.iterator():
        try:
            job.result_file.delete(save=False)
        except OSError:
            logger.exception("Could not delete the result file of job %s.", job.pk)
            continue
        Job.objects.filter(pk=job.pk).update(result_file="")
        removed += 1
    if removed:
        logger.info("Removed %d expired job result file(s).", removed)
    return removed


def job_fail_stale(*, started_before: datetime) -> int:
    """Fail jobs still running since before `started_before`: their worker was killed mid-task.

    A hard time limit or a lost worker ends a task without running its failure handler, and the
    page would otherwise poll forever. Answers how many jobs were failed.
    """
    failed = Job.objects.filter(state=Job.State.RUNNING, started_at__lt=started_before).update(
        state=Job.State.FAILED, error=MESSAGE_STALLED, finished_at=timezone.now()
    )
    if failed:
        logger.warning("Failed %d job(s) that stopped responding.", failed)
    return failed
