import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models


def result_path(instance: Any, filename: str) -> str:
    """An unguessable place under MEDIA_ROOT: the job's random id and a fresh random token.

    Files are only ever served through the download view and its access check; the random path
    keeps them unreachable even if MEDIA_ROOT were exposed by mistake.
    """
    if isinstance(instance, JobPart):
        return f"{parts_folder(instance.job_id)}/{filename}"
    return f"jobs/{uuid.UUID(str(instance.pk)).hex}/{secrets.token_urlsafe(16)}/{filename}"


def parts_folder(job_id: Any) -> str:
    """Where a split job's parts wait for the merge; removed with them."""
    return f"jobs/{uuid.UUID(str(job_id)).hex}/parts"


class Job(models.Model):
    """A unit of background work a person asked for (a PDF export, an import), with its progress.

    The Celery task that runs it keeps `state`, `progress` and `error` current (jobs.tasks.JobTask),
    so the page and the API read the job, never the broker. Large exports are split into parts
    (JobPart) that several workers render side by side; `items_done` of `items_total` counts the
    people rendered so far.
    """

    class State(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    class Kind(models.TextChoices):
        ROLE_PDF = "role_pdf", "Role one-pager PDF"
        REVIEW_PACKET = "review_packet", "Review packet PDF"
        CALIBRATION_PACK = "calibration_pack", "Calibration pack PDF"
        REVIEW_PACKETS_ZIP = "review_packets_zip", "Review packets (ZIP)"
        ASSESSMENT_PDF = "assessment_pdf", "Self-assessment PDF"
        HIRING_DEBRIEF_PDF = "hiring_debrief_pdf", "Hiring debrief PDF"

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs")
    params = models.JSONField(default=dict, blank=True)
    # The same request (kind, requester, params) while a job for it is queued or running gets that job.
    request_key = models.CharField(max_length=64, blank=True, db_index=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0)
    items_total = models.PositiveIntegerField(default=0)
    items_done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    result_file = models.FileField(upload_to=result_path, max_length=300, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Set once, under the job's row lock, by the part that finished last: exactly one merge is queued.
    merge_queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_at_most_100"),
            models.UniqueConstraint(
                fields=["request_key"],
                condition=models.Q(state__in=["queued", "running"]) & ~models.Q(request_key=""),
                name="job_one_active_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def expires_at(self) -> datetime:
        """When the nightly clean-up removes the result file (jobs.tasks.jobs_purge_expired_files)."""
        return self.created_at + timedelta(days=settings.JOB_FILE_RETENTION_DAYS)


class JobPart(models.Model):
    """One piece of a split job: a few people rendered by one worker, merged into the job's file."""

    class State(models.TextChoices):
        QUEUED = "queued"
        SUCCEEDED = "succeeded"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField()
    # What this part renders, e.g. {"reviews": [ids]} or {"front": true}; its task reads nothing else.
    params = models.JSONField(default=dict, blank=True)
    items = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    file = models.FileField(upload_to=result_path, max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="job_part_unique_index")]

    def __str__(self) -> str:
        return f"{self.job_id} part {self.index} ({self.state})"
