"""Starting the PDF exports from the pages: a review's packet, a cycle's calibration pack, a ZIP of
every packet. Each answers the job's progress partial to htmx, or sends a plain browser to the job's
page; asking again while the same export runs answers that job."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jobs.models import Job
from jobs.services import job_request
from reviews.calibration import CalibrationFilters
from reviews.models import Cycle
from staffrole import access

MESSAGE_ALREADY_RUNNING = "The same export is already running; this is its progress."


def _answer(request: HttpRequest, job: Job, created: bool) -> HttpResponse:
    if getattr(request, "htmx", False):
        return render(request, "jobs/_progress.html", {"job": job, "already_running": not created})
    if not created:
        messages.info(request, MESSAGE_ALREADY_RUNNING)
    return redirect("jobs:detail", job_id=job.pk)


def cycle_for_export(user: Any, cycle_id: int) -> Cycle:
    if not access.can_view_cycle(user):
        raise Http404("No such cycle.")
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404("No such cycle.")
    if not access.can_export_calibration(user):
        raise PermissionDenied("Only HR exports calibration packs and review packets of a cycle.")
    return cycle


def export_params(cycle: Cycle, data: Any) -> dict[str, Any]:
    filters, _problems = CalibrationFilters.from_query(data)
    return {"cycle": cycle.pk, "filters": filters.as_query()}


@login_required
@require_POST
def review_packet_export(request: HttpRequest, review_id: int) -> HttpResponse:
    review = access.get_review_for_user(request.user, review_id)
    job, created = job_request(kind=Job.Kind.REVIEW_PACKET, requester=request.user, params={"review": review.pk})
    return _answer(request, job, created)


def _cycle_export(request: HttpRequest, cycle_id: int, kind: str) -> HttpResponse:
    cycle = cycle_for_export(request.user, cycle_id)
    job, created = job_request(kind=kind, requester=request.user, params=export_params(cycle, request.POST))
    return _answer(request, job, created)


@login_required
@require_POST
def calibration_export(request: HttpRequest, cycle_id: int) -> HttpResponse:
    return _cycle_export(request, cycle_id, Job.Kind.CALIBRATION_PACK)


@login_required
@require_POST
def review_packets_export(request: HttpRequest, cycle_id: int) -> HttpResponse:
    return _cycle_export(request, cycle_id, Job.Kind.REVIEW_PACKETS_ZIP)
