"""The hiring pages. Every object is fetched through staffrole.access (404 outside the hiring team, 403 in
the team but not allowed); every write goes through hiring.services. Forms work without JavaScript."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hiring import selectors, services
from hiring.debrief import RATINGS
from hiring.forms import DecisionForm, ScorecardForm
from hiring.models import Candidate, Rating
from jobs.models import Job
from jobs.services import job_request
from staffrole import access

MESSAGE_ALREADY_RUNNING = "The same export is already running; this is its progress."


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "openings": list(selectors.openings_for(request.user)),
        "calibration": access.can_view_interviewer_calibration(request.user),
    }
    return render(request, "hiring/index.html", context)


@login_required
@require_GET
def opening_detail(request: HttpRequest, opening_id: int) -> HttpResponse:
    opening = access.get_opening_for_user(request.user, opening_id)
    context = {
        "opening": opening,
        "candidates": selectors.opening_candidates(opening),
        "exercises": (opening.blueprint_version.sections or {}).get("hiring", {}).get("exercises", []),
        "manages": access.is_hiring_manager(request.user, opening),
    }
    return render(request, "hiring/opening.html", context)


@login_required
@require_GET
def candidate_detail(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = access.get_candidate_for_user(request.user, candidate_id)
    context = {
        "candidate": candidate,
        "opening": candidate.opening,
        "loop": selectors.candidate_loop(user=request.user, candidate=candidate),
        "manages": access.is_hiring_manager(request.user, candidate.opening),
    }
    return render(request, "hiring/candidate.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def scorecard(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = access.get_interview_for_user(request.user, interview_id, write=True)
    previous = services.current_scorecard(interview)
    form = ScorecardForm.build(interview, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        try:
            services.scorecard_submit(
                actor=request.user,
                interview=interview,
                recommendation=form.recommendation,
                ratings=form.ratings(),
                signals=form.ticked(),
                notes=form.notes,
                amend_reason=form.amend_reason,
            )
        except ValidationError as exc:
            form.errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            status = 400
        else:
            messages.success(request, "Amended your scorecard." if previous else "Submitted your scorecard.")
            return redirect(reverse("hiring:candidate", args=[interview.candidate_id]) + "#loop")
    context = {
        "interview": interview,
        "candidate": interview.candidate,
        "form": form,
        "previous": previous,
        "rating_choices": Rating.choices,
    }
    return render(request, "hiring/scorecard.html", context, status=status)


def _debrief_candidate(request: HttpRequest, candidate_id: int) -> Candidate:
    candidate = access.get_candidate_for_user(request.user, candidate_id)
    if not access.is_hiring_manager(request.user, candidate.opening):
        raise PermissionDenied("The debrief is the hiring manager's and HR's.")
    return candidate


@login_required
@require_http_methods(["GET", "POST"])
def debrief(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = _debrief_candidate(request, candidate_id)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                decision = services.decision_record(actor=request.user, candidate=candidate, **form.cleaned_data)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"Recorded the decision: {decision.get_outcome_display()}.")
                return redirect("hiring:debrief", candidate_id=candidate.pk)
        status = 400
    context: dict[str, Any] = {
        "candidate": candidate,
        "opening": candidate.opening,
        "view": selectors.candidate_debrief(candidate),
        "form": form,
    }
    return render(request, "hiring/debrief.html", context, status=status)


@login_required
@require_POST
def debrief_pdf(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = _debrief_candidate(request, candidate_id)
    job, created = job_request(
        kind=Job.Kind.HIRING_DEBRIEF_PDF, requester=request.user, params={"candidate": candidate.pk}
    )
    if getattr(request, "htmx", False):
        return render(request, "jobs/_progress.html", {"job": job, "already_running": not created})
    if not created:
        messages.info(request, MESSAGE_ALREADY_RUNNING)
    return redirect("jobs:detail", job_id=job.pk)


@login_required
@require_GET
def calibration(request: HttpRequest) -> HttpResponse:
    if not access.can_view_interviewer_calibration(request.user):
        raise PermissionDenied("Interviewer calibration is for HR and hiring managers.")
    context = {
        "figures": selectors.interviewer_calibration(request.user),
        "ratings": RATINGS,
        "labels": dict(Rating.choices),
    }
    return render(request, "hiring/calibration.html", context)
