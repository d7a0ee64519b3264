"""Starting background jobs, splitting large ones into parts, storing results, cleaning up.

A job is idempotent per request: asking again for the same thing (kind, requester, parameters)
while a job for it is queued or running answers that job instead of starting another. Large
exports are split into parts (JobPart) that several workers render side by side; the part that
finishes last queues the merge, exactly once, under the job's row lock.
"""

import contextlib
import hashlib
import json
import logging
import os
from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import get_valid_filename
from kombu.exceptions import OperationalError as BrokerOperationalError

from audit.services import audit_record
from jobs.models import Job, JobPart, parts_folder

logger = logging.getLogger(__name__)

# Dotted paths, imported at dispatch: importing the tasks here would import every app that has jobs.
JOB_TASKS: dict[str, str] = {
    Job.Kind.ROLE_PDF: "scorecards.tasks.role_pdf_render",
    Job.Kind.REVIEW_PACKET: "reviews.tasks.review_packet_render",
    Job.Kind.CALIBRATION_PACK: "reviews.tasks.calibration_pack_render",
    Job.Kind.REVIEW_PACKETS_ZIP: "reviews.tasks.review_packets_zip_render",
    Job.Kind.ASSESSMENT_PDF: "ladder.tasks.assessment_pdf_render",
    Job.Kind.HIRING_DEBRIEF_PDF: "hiring.tasks.hiring_debrief_pdf_render",
}

MESSAGE_QUEUE_UNAVAILABLE = "The export queue is unavailable. Try again in a few minutes."
# What a refused export asks the client to wait (Retry-After), in seconds.
QUEUE_RETRY_AFTER_SECONDS = 120
MESSAGE_STALLED = "The job stopped responding and was abandoned. Try again; tell an administrator if it recurs."
MESSAGE_LOST_IN_QUEUE = (
    "The job waited in the queue too long and was abandoned. Try again; tell an administrator if it recurs."
)


class JobQueueUnavailable(Exception):
    """The broker did not take the job's message. The job row is already failed with
    MESSAGE_QUEUE_UNAVAILABLE, so nothing waits in `queued` for a message that was never sent; pages and
    the API answer 503 with Retry-After (staffrole.unavailable)."""

    def __init__(self, job: Job) -> None:
        super().__init__(MESSAGE_QUEUE_UNAVAILABLE)
        self.job = job


def request_key(*, kind: str, requester: Any, params: dict[str, Any]) -> str:
    """The identity of a request: the same kind, requester and parameters give the same key."""
    canonical = json.dumps([kind, requester.pk, params], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def job_start(*, kind: str, requester: Any, params: dict[str, Any]) -> Job:
    """The job for this request: the one already queued or running, or a new one handed to its task
    once the surrounding transaction commits."""
    return job_request(kind=kind, requester=requester, params=params)[0]


def job_request(*, kind: str, requester: Any, params: dict[str, Any]) -> tuple[Job, bool]:
    """Like job_start, and says whether the job is new (False: the same request is already running).

    Raises JobQueueUnavailable when the broker refuses the new job's message (the row is then failed).
    Inside an outer transaction the message goes out when that commits, and a refusal only fails the row.
    """
    task_name = JOB_TASKS.get(kind)
    if task_name is None:
        raise ValidationError({"kind": f"Unknown job kind {kind!r}."})
    if not isinstance(params, dict):
        raise ValidationError({"params": "Job parameters must be a JSON object."})
    key = request_key(kind=kind, requester=requester, params=params)
    for _attempt in range(2):
        running = Job.objects.filter(request_key=key, state__in=Job.ACTIVE_STATES).first()
        if running is not None:
            return running, False
        try:
            with transaction.atomic():
                job = Job(kind=kind, requester=requester, params=params, request_key=key)
                job.full_clean(validate_constraints=False)
                job.save()
                audit_record(actor=requester, action="job.start", target=job, after={"kind": kind, "params": params})
                dispatch = _JobDispatch(job_id=str(job.pk), task_name=task_name)
                transaction.on_commit(dispatch)
        except IntegrityError:
            # A concurrent identical request won the race between our check and our insert.
            continue
        if dispatch.refused:
            job.refresh_from_db()
            raise JobQueueUnavailable(job)
        return job, True
    running = Job.objects.filter(request_key=key, state__in=Job.ACTIVE_STATES).first()
    if running is None:  # pragma: no cover - the winner finished within the same instant
        raise ValidationError("The same export was started and finished at once; ask again.")
    return running, False


class _JobDispatch:
    """What DjangoTask.delay_on_commit does, plus: an unreachable broker fails the job and says so in
    `refused`, which job_request turns into JobQueueUnavailable once the transaction has committed."""

    def __init__(self, *, job_id: str, task_name: str) -> None:
        self.job_id = job_id
        self.task_name = task_name
        self.refused = False

    def __call__(self) -> None:
        try:
            import_string(self.task_name).apply_async(args=[self.job_id])
        except (BrokerOperationalError, OSError) as exc:
            self.refused = True
            logger.warning(
                "Could not queue job %s (%s): the broker is unavailable.",
                self.job_id,
                self.task_name,
                extra={"event": "job.queue_unavailable", "job": self.job_id, "error": type(exc).__name__},
            )
            Job.objects.filter(pk=self.job_id, state=Job.State.QUEUED).update(
                state=Job.State.FAILED, error=MESSAGE_QUEUE_UNAVAILABLE, finished_at=timezone.now()
            )


def job_attach_result(*, job: Job, name: str, content: bytes) -> Job:
    """Store the job's result file; `name` is what the download is called.

    A result stored by an earlier attempt (a worker killed after saving) is replaced, so a job
    never holds more than one result file.
    """
    name = get_valid_filename(name) or "result"
    stored = Job.objects.filter(pk=job.pk).values_list("result_file", flat=True).first()
    if stored and stored != job.result_file.name:
        job.result_file.storage.delete(stored)
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
    for job in Job.objects.filter(created_at__lt=created_before, parts__isnull=False).distinct().iterator():
        # Parts left by a job that failed half-way; a finished merge has already removed its own.
        job_parts_clear(job=job)
    if removed:
        logger.info("Removed %d expired job result file(s).", removed)
    return removed


def job_fail_stale(*, started_before: datetime, queued_before: datetime | None = None) -> int:
    """Fail jobs still running since before `started_before`: their worker was killed mid-task.

    A hard time limit or a lost worker ends a task without running its failure handler, and the
    page would otherwise poll forever. With `queued_before`, jobs still waiting since before it are
    failed too: their message was lost (a broker restarted without its data), and while they wait the
    same export cannot be asked for again. A message that turns up later finds the job finished and
    does nothing. Answers how many jobs were failed.
    """
    now = timezone.now()
    failed = Job.objects.filter(state=Job.State.RUNNING, started_at__lt=started_before).update(
        state=Job.State.FAILED, error=MESSAGE_STALLED, finished_at=now
    )
    if failed:
        logger.warning(
            "Failed %d job(s) that stopped responding.", failed, extra={"event": "job.stalled", "jobs": failed}
        )
    lost = 0
    if queued_before is not None:
        lost = Job.objects.filter(state=Job.State.QUEUED, created_at__lt=queued_before).update(
            state=Job.State.FAILED, error=MESSAGE_LOST_IN_QUEUE, finished_at=now
        )
        if lost:
            logger.warning(
                "Failed %d job(s) that waited in the queue too long.", lost, extra={"event": "job.lost", "jobs": lost}
            )
    return failed + lost


# --- Split jobs ------------------------------------------------------------------------------------

# Per kind: how one part is rendered, and how the parts become the job's file (dotted paths).
PART_RENDERERS: dict[str, str] = {
    Job.Kind.CALIBRATION_PACK: "reviews.packs.calibration_pack_part",
    Job.Kind.REVIEW_PACKETS_ZIP: "reviews.packs.review_packets_part",
}
PART_MERGERS: dict[str, str] = {
    Job.Kind.CALIBRATION_PACK: "reviews.packs.calibration_pack_merge",
    Job.Kind.REVIEW_PACKETS_ZIP: "reviews.packs.review_packets_merge",
}


def job_split(*, job: Job, parts: list[tuple[dict[str, Any], int]]) -> list[JobPart]:
    """Give the job its parts, (params, number of people) each, and queue the unfinished ones.

    A job run again after its worker died keeps the parts it already has (and their finished
    files): only what is still queued is handed out again.
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        existing = list(job.parts.order_by("index"))
        if not existing:
            existing = JobPart.objects.bulk_create(
                JobPart(job=job, index=index, params=params, items=items) for index, (params, items) in enumerate(parts)
            )
            job.items_total = sum(items for _params, items in parts)
            job.items_done = 0
            job.save(update_fields=["items_total", "items_done"])
        queued = [part.pk for part in existing if part.state == JobPart.State.QUEUED]
        if queued:
            transaction.on_commit(partial(_parts_dispatch, part_ids=queued))
        else:
            _merge_queue(job)
    return existing


def _parts_dispatch(*, part_ids: list[int]) -> None:
    task = import_string("jobs.tasks.job_part_render")
    for part_id in part_ids:
        try:
            task.apply_async(args=[part_id])
        except (BrokerOperationalError, OSError):
            logger.exception(
                "Could not queue job part %s.", part_id, extra={"event": "job.queue_unavailable", "part": part_id}
            )
            Job.objects.filter(parts__pk=part_id, state__in=Job.ACTIVE_STATES).update(
                state=Job.State.FAILED, error=MESSAGE_QUEUE_UNAVAILABLE, finished_at=timezone.now()
            )
            return


def job_part_finish(*, part: JobPart, content: bytes, name: str) -> bool:
    """Store a rendered part and count its people; queue the merge when it was the last one.

    Answers False when the part had already been finished (a redelivered message): nothing changes.
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=part.job_id)
        part = JobPart.objects.select_for_update().get(pk=part.pk)
        if part.state == JobPart.State.SUCCEEDED or job.state not in Job.ACTIVE_STATES:
            return False
        part.file.save(get_valid_filename(name) or "part", ContentFile(content), save=False)
        part.state = JobPart.State.SUCCEEDED
        part.finished_at = timezone.now()
        part.save(update_fields=["file", "state", "finished_at"])
        job.items_done += part.items
        # The last few percent are the merge's.
        job.progress = min(95, (95 * job.items_done) // max(job.items_total, 1))
        job.save(update_fields=["items_done", "progress"])
        if not job.parts.filter(state=JobPart.State.QUEUED).exists():
            _merge_queue(job)
    return True


def _merge_queue(job: Job) -> None:
    """Queue the merge once; the caller holds the job's row lock."""
    if job.merge_queued_at is not None:
        return
    job.merge_queued_at = timezone.now()
    job.save(update_fields=["merge_queued_at"])
    transaction.on_commit(partial(_merge_dispatch, job_id=str(job.pk)))


def _merge_dispatch(*, job_id: str) -> None:
    try:
        import_string("jobs.tasks.job_merge").apply_async(args=[job_id])
    except (BrokerOperationalError, OSError):
        logger.exception(
            "Could not queue the merge of job %s.", job_id, extra={"event": "job.queue_unavailable", "job": job_id}
        )
        Job.objects.filter(pk=job_id, state__in=Job.ACTIVE_STATES).update(
            state=Job.State.FAILED, error=MESSAGE_QUEUE_UNAVAILABLE, finished_at=timezone.now()
        )


def job_parts_clear(*, job: Job) -> None:
    """Delete the parts' files once the job is merged (or has failed); the rows go with them."""
    storage = JobPart._meta.get_field("file").storage
    for part in job.parts.exclude(file=""):
        try:
            part.file.delete(save=False)
        except OSError:
            logger.exception("Could not delete part %s of job %s.", part.index, job.pk)
    job.parts.all().delete()
    # Not a local folder, never made, or a file could not be deleted (logged above): leave it.
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(storage.path(parts_folder(job.pk)))
