"""Background tasks of the ladder (thin: load by id, call ladder.sheets)."""

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.http import Http404

from jobs.models import Job
from jobs.services import job_attach_result
from jobs.tasks import JobError, JobTask
from ladder.sheets import assessment_pdf

MESSAGE_GONE = "This self-assessment is no longer one you may read."


@shared_task(bind=True, base=JobTask)
def assessment_pdf_render(self: JobTask, job_id: str) -> None:
    """One self-assessment as PDF, as its requester may read it now. Params: {"assessment": id}."""
    job = Job.objects.select_related("requester").get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(items_total=1)
    try:
        name, content = assessment_pdf(assessment_id=int(job.params.get("assessment", 0)), requester=job.requester)
    except (Http404, PermissionDenied, TypeError, ValueError) as exc:
        raise JobError(MESSAGE_GONE) from exc
    job_attach_result(job=job, name=name, content=content)
    Job.objects.filter(pk=job.pk).update(items_done=1)
