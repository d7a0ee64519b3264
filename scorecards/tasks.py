"""Background work for role blueprints: thin tasks that load by id and call the document code."""

from celery import shared_task

from jobs.models import Job
from jobs.services import job_attach_result
from jobs.tasks import JobError, JobTask
from scorecards import documents
from scorecards.models import BlueprintVersion
from staffrole import access


@shared_task(bind=True, base=JobTask)
def role_pdf_render(self: JobTask, job_id: str) -> None:
    """Render a role blueprint version's one-pager PDF. Params: {"role": slug, "version": number}."""
    job = Job.objects.select_related("requester").get(pk=job_id)
    slug = job.params.get("role")
    number = job.params.get("version")
    versions = BlueprintVersion.objects.filter(role__slug=slug)
    if number is None:
        version = versions.filter(status=BlueprintVersion.Status.PUBLISHED).order_by("-number").first()
    else:
        version = versions.filter(number=number).first()
    # The version may have been discarded since the job started; drafts stay HR's business.
    if version is None or not (version.is_published or access.can_view_draft_blueprints(job.requester)):
        raise JobError("That role blueprint version is no longer available.")
    self.report_progress(job, 10)
    filename, content = documents.role_one_pager_pdf(version.pk)
    self.report_progress(job, 90)
    job_attach_result(job=job, name=filename, content=content)
