import mimetypes
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jobs.models import Job
from staffrole.access import get_job_for_user


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: UUID) -> HttpResponse:
    job = get_job_for_user(request.user, job_id)
    return render(request, "jobs/detail.html", {"job": job})


@login_required
@require_GET
@never_cache
def job_progress(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """The progress partial; it polls itself while the job is queued or running."""
    job = get_job_for_user(request.user, job_id)
    return render(request, "jobs/_progress.html", {"job": job})


@login_required
@require_GET
def job_download(request: HttpRequest, job_id: UUID) -> FileResponse:
    return result_response(get_job_for_user(request.user, job_id))


def result_response(job: Job) -> FileResponse:
    """The job's file as a download; 404 while there is none or once it has expired."""
    if job.state != Job.State.SUCCEEDED or not job.result_file:
        raise Http404("This job has no file to download.")
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is no longer available.") from exc
    content_type = mimetypes.guess_type(job.result_name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=job.result_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
