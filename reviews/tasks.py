"""Background tasks of the review cycle: reminders, and the PDF exports (thin: load by id, call reviews.packs)."""

from celery import shared_task
from django.utils import timezone

from jobs.models import Job
from jobs.services import job_attach_result, job_split
from jobs.tasks import CONTINUES, JobTask
from reviews import packs
from reviews.reminders import reminders_send


@shared_task(ignore_result=True)
def reminders_send_daily() -> int:
    """Every morning: email each person their pending review items; returns how many were reminded."""
    return len(reminders_send(today=timezone.localdate()).sent)


@shared_task(bind=True, base=JobTask)
def review_packet_render(self: JobTask, job_id: str) -> None:
    """One review's packet PDF, as its requester may see the review. Params: {"review": id}."""
    job = Job.objects.select_related("requester").get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(items_total=1)
    name, content = packs.review_packet(job=job)
    job_attach_result(job=job, name=name, content=content)
    Job.objects.filter(pk=job.pk).update(items_done=1)


@shared_task(bind=True, base=JobTask)
def calibration_pack_render(self: JobTask, job_id: str) -> str:
    """Split a calibration pack into its summary and per-person parts. Params: {"cycle", "filters"}."""
    job = Job.objects.select_related("requester").get(pk=job_id)
    job_split(job=job, parts=packs.calibration_pack_parts(job=job))
    return CONTINUES


@shared_task(bind=True, base=JobTask)
def review_packets_zip_render(self: JobTask, job_id: str) -> str:
    """Split a ZIP of review packets into per-person parts. Params: {"cycle", "filters"}."""
    job = Job.objects.select_related("requester").get(pk=job_id)
    job_split(job=job, parts=packs.review_packets_parts(job=job))
    return CONTINUES
