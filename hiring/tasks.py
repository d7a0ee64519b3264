"""Background tasks of hiring (thin: load by id, call hiring.sheets)."""

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.http import Http404

from hiring.sheets import debrief_pdf
from jobs.models import Job
from jobs.services import job_attach_result
from jobs.tasks import JobError, JobTask

MESSAGE_GONE = "This debrief is no longer one you may read."


@shared_task(bind=True, base=JobTask)
def hiring_debrief_pdf_render(self: JobTask, job_id: str) -> None:
    """One candidate's debrief as PDF, as its requester may see it now. Params: {"candidate": id}."""
    job = Job.objects.select_related("requester").get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(items_total=1)
    try:
        name, content = debrief_pdf(candidate_id=int(job.params.get("candidate", 0)), requester=job.requester)
    except (Http404, PermissionDenied, TypeError, ValueError) as exc:
        raise JobError(MESSAGE_GONE) from exc
    job_attach_result(job=job, name=name, content=content)
    Job.objects.filter(pk=job.pk).update(items_done=1)
