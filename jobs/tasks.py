"""The base class that keeps a Job row current while its Celery task runs, and the nightly clean-up.

A job task takes the job id (a str UUID) and nothing else. Messages are acknowledged late, so a
task may be delivered twice: a job that is already finished is left alone. A task that splits its
job into parts returns CONTINUES: the job stays running until the merge of its parts succeeds.
"""

import logging
import random
from datetime import timedelta
from typing import Any

from billiard.einfo import ExceptionInfo
from celery import shared_task
from celery.contrib.django.task import DjangoTask
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from jobs.models import Job, JobPart
from jobs.services import (
    PART_MERGERS,
    PART_RENDERERS,
    job_attach_result,
    job_fail_stale,
    job_part_finish,
    job_parts_clear,
    job_purge_expired_files,
)
from staffrole.celery import app as celery_app

logger = logging.getLogger(__name__)

# Worth another try: the database or the file store was briefly away.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError, OSError)

MESSAGE_TIMED_OUT = "The job took too long and was stopped. Try again; if it keeps happening, tell an administrator."
MESSAGE_TRANSIENT = "A temporary problem with the database or file storage persisted. Try again in a few minutes."
MESSAGE_UNEXPECTED = "The job failed unexpectedly. Try again; if it keeps happening, tell an administrator."

# Returned by a job task that handed its work to parts: the merge, not this task, finishes the job.
CONTINUES = "continues"


class JobError(Exception):
    """A failure whose message is written for the person who asked for the job."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def failure_message(exc: BaseException) -> str:
    """The short text the requester sees; the traceback goes to the log only."""
    if isinstance(exc, JobError):
        return exc.message
    if isinstance(exc, SoftTimeLimitExceeded):
        return MESSAGE_TIMED_OUT
    if isinstance(exc, TRANSIENT_ERRORS):
        return MESSAGE_TRANSIENT
    return MESSAGE_UNEXPECTED


RETRY_BACKOFF_SECONDS = 5
RETRY_BACKOFF_MAX_SECONDS = 60


def backoff_seconds(retries: int) -> float:
    """Exponential back-off with jitter: about 5, 10, 20 s, never more than a minute."""
    delay = min(RETRY_BACKOFF_SECONDS * 2**retries, RETRY_BACKOFF_MAX_SECONDS)
    return delay * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not secrecy


class JobTask(DjangoTask):
    """Runs `run(job_id)` between marking the job running and marking it succeeded.

    Transient errors are retried with exponential back-off (the job stays `running`); anything else,
    or running out of retries, marks the job failed with a short message.
    """

    acks_late = True
    max_retries = 3

    def __call__(self, job_id: str, *args: Any, **kwargs: Any) -> Any:
        try:
            job = self.job_begin(job_id)
            if job is None:
                return None
            result = super().__call__(job_id, *args, **kwargs)
            if result != CONTINUES:
                self.job_succeed(job)
        except TRANSIENT_ERRORS as exc:
            logger.warning("Job %s (%s) hit a transient error, retrying: %r", job_id, self.name, exc)
            raise self.retry(exc=exc, countdown=self.retry_countdown()) from exc
        return result

    def retry_countdown(self) -> float:
        return backoff_seconds(self.request.retries)

    def job_begin(self, job_id: str) -> Job | None:
        """Mark the job running and count the attempt; None when there is nothing (left) to do."""
        with transaction.atomic():
            job = Job.objects.select_for_update().filter(pk=job_id).first()
            if job is None:
                logger.warning("Job %s (%s) does not exist; nothing to do.", job_id, self.name)
                return None
            if job.is_finished:
                logger.info("Job %s (%s) is already %s; not running it again.", job_id, self.name, job.state)
                return None
            job.state = Job.State.RUNNING
            job.started_at = job.started_at or timezone.now()
            job.attempts += 1
            job.error = ""
            job.save(update_fields=["state", "started_at", "attempts", "error"])
        return job

    def report_progress(self, job: Job, percent: int) -> None:
        percent = max(0, min(100, int(percent)))
        Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(progress=percent)
        job.progress = percent

    def job_succeed(self, job: Job) -> None:
        Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            state=Job.State.SUCCEEDED, progress=100, error="", finished_at=timezone.now()
        )

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: ExceptionInfo | None) -> None:
        job_id = args[0] if args else kwargs.get("job_id")
        logger.error(
            "Job %s (%s, task %s) failed: %r",
            job_id,
            self.name,
            task_id,
            exc,
            exc_info=einfo.exc_info if einfo is not None else (type(exc), exc, exc.__traceback__),
        )
        job_mark_failed(job_id, exc)


def job_mark_failed(job_id: Any, exc: BaseException) -> None:
    try:
        Job.objects.filter(pk=job_id).exclude(state=Job.State.SUCCEEDED).update(
            state=Job.State.FAILED, error=failure_message(exc), finished_at=timezone.now()
        )
    except Exception:
        logger.exception("Could not mark job %s failed.", job_id)


class JobPartTask(DjangoTask):
    """Renders one part of a split job; retried on transient errors; a failure fails the whole job."""

    acks_late = True
    max_retries = JobTask.max_retries

    def retry_countdown(self) -> float:
        return backoff_seconds(self.request.retries)

    def __call__(self, part_id: int, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(part_id, *args, **kwargs)
        except TRANSIENT_ERRORS as exc:
            logger.warning("Part %s (%s) hit a transient error, retrying: %r", part_id, self.name, exc)
            raise self.retry(exc=exc, countdown=self.retry_countdown()) from exc

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: ExceptionInfo | None) -> None:
        part_id = args[0] if args else kwargs.get("part_id")
        logger.error(
            "Part %s (%s, task %s) failed: %r",
            part_id,
            self.name,
            task_id,
            exc,
            exc_info=einfo.exc_info if einfo is not None else (type(exc), exc, exc.__traceback__),
        )
        job_id = JobPart.objects.filter(pk=part_id).values_list("job_id", flat=True).first()
        if job_id is not None:
            job_mark_failed(job_id, exc)


@shared_task(bind=True, base=JobPartTask)
def job_part_render(self: JobPartTask, part_id: int) -> None:
    """Render one part of a split job with its kind's renderer and store it."""
    part = JobPart.objects.select_related("job__requester").filter(pk=part_id).first()
    if part is None or part.state == JobPart.State.SUCCEEDED or part.job.is_finished:
        return
    render = import_string(PART_RENDERERS[part.job.kind])
    name, content = render(job=part.job, part=part)
    job_part_finish(part=part, content=content, name=name)


@shared_task(bind=True, base=JobTask)
def job_merge(self: JobTask, job_id: str) -> None:
    """Join a split job's parts into its one result file, then remove the parts."""
    job = Job.objects.select_related("requester").get(pk=job_id)
    parts = list(job.parts.order_by("index"))
    if any(part.state != JobPart.State.SUCCEEDED for part in parts):
        raise JobError("A part of the export is missing; start the export again.")
    merge = import_string(PART_MERGERS[job.kind])
    name, content = merge(job=job, parts=parts)
    job_attach_result(job=job, name=name, content=content)
    job_parts_clear(job=job)


@shared_task(ignore_result=True)
def jobs_purge_expired_files() -> int:
    """Nightly: delete result files older than JOB_FILE_RETENTION_DAYS; the job rows stay."""
    cutoff = timezone.now() - timedelta(days=settings.JOB_FILE_RETENTION_DAYS)
    return job_purge_expired_files(created_before=cutoff)


def stale_after() -> timedelta:
    """How long a job may run, every retry included, before it counts as abandoned."""
    time_limit = celery_app.conf.task_time_limit or celery_app.conf.task_soft_time_limit or 600
    per_attempt = time_limit + RETRY_BACKOFF_MAX_SECONDS
    return timedelta(seconds=(JobTask.max_retries + 1) * per_attempt)


@shared_task(ignore_result=True)
def jobs_fail_stale() -> int:
    """Every few minutes: fail jobs whose worker died without reporting (hard time limit, lost worker)
    and jobs whose message never reached a worker within JOB_QUEUE_WAIT_LIMIT_MINUTES."""
    now = timezone.now()
    return job_fail_stale(
        started_before=now - stale_after(),
        queued_before=now - timedelta(minutes=settings.JOB_QUEUE_WAIT_LIMIT_MINUTES),
    )
