"""The hiring pages. Every object is fetched through staffrole.access (404 outside the hiring team, 403 in
the team but not allowed); every write goes through hiring.services. Forms work without JavaScript."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AuditEntry
from hiring import selectors, services
from hiring.debrief import RATINGS
from hiring.forms import (
    CandidateForm,
    DecisionForm,
    InterviewForm,
    OpeningForm,
    OpeningStateForm,
    ScorecardForm,
    StageForm,
)
from hiring.models import Candidate, Interview, Opening, Rating
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
        "can_open": access.can_manage_openings(request.user),
    }
    return render(request, "hiring/index.html", context)


def _errors_to_form(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal onto the form: field errors on their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for name, problems in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
@require_http_methods(["GET", "POST"])
def opening_new(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_openings(request.user):
        raise PermissionDenied("HR and people managers open openings.")
    form = OpeningForm(request.POST if request.method == "POST" else None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            version = services.newest_published_version(data["role"])
            if version is None:
                form.add_error("role", "This role has no published blueprint version.")
            else:
                try:
                    opening = services.opening_create(
                        actor=request.user,
                        version=version,
                        title=data["title"] or data["role"].title,
                        hiring_manager=data["hiring_manager"],
                        members=list(data["members"]),
                    )
                except ValidationError as exc:
                    _errors_to_form(form, exc)
                else:
                    messages.success(request, f"Opened {opening.title}, pinning blueprint version {version.number}.")
                    return redirect("hiring:opening", opening_id=opening.pk)
        status = 400
    return render(request, "hiring/opening_new.html", {"form": form}, status=status)


def _managed_opening(request: HttpRequest, opening_id: int) -> Opening:
    opening = access.get_opening_for_user(request.user, opening_id)
    if not access.is_hiring_manager(request.user, opening):
        raise PermissionDenied("The hiring manager and HR manage the opening.")
    return opening


def _managed_candidate(request: HttpRequest, candidate_id: int) -> Candidate:
    candidate = access.get_candidate_for_user(request.user, candidate_id)
    if not access.is_hiring_manager(request.user, candidate.opening):
        raise PermissionDenied("The hiring manager and HR manage the candidate and the loop.")
    return candidate


def _managed_interview(request: HttpRequest, interview_id: int) -> Interview:
    interview = access.get_interview_for_user(request.user, interview_id)
    if not access.is_hiring_manager(request.user, interview.candidate.opening):
        raise PermissionDenied("The hiring manager and HR build the loop.")
    return interview


def _opening_context(request: HttpRequest, opening: Opening, **extra: Any) -> dict[str, Any]:
    manages = access.is_hiring_manager(request.user, opening)
    return {
        "opening": opening,
        "candidates": selectors.opening_candidates(opening),
        "members": list(opening.members.select_related("employee").order_by("employee__name")),
        "exercises": (opening.blueprint_version.sections or {}).get("hiring", {}).get("exercises", []),
        "manages": manages,
        "candidate_form": extra.pop("candidate_form", None) or (CandidateForm() if manages else None),
        "state_form": extra.pop("state_form", None) or OpeningStateForm(),
        **extra,
    }


@login_required
@require_GET
def opening_detail(request: HttpRequest, opening_id: int) -> HttpResponse:
    opening = access.get_opening_for_user(request.user, opening_id)
    return render(request, "hiring/opening.html", _opening_context(request, opening))


@login_required
@require_http_methods(["GET", "POST"])
def candidate_new(request: HttpRequest, opening_id: int) -> HttpResponse:
    """Add a candidate (the opening page carries the same form; this page is where errors come back)."""
    opening = _managed_opening(request, opening_id)
    form = CandidateForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                candidate = services.candidate_add(actor=request.user, opening=opening, **form.cleaned_data)
            except services.OpeningClosed as exc:
                messages.error(request, str(exc))
                return redirect("hiring:opening", opening_id=opening.pk)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, f"Added {candidate.name}. Next: build their interview loop.")
                return redirect("hiring:candidate", candidate_id=candidate.pk)
        status = 400
    elif opening.state == Opening.State.CLOSED:
        messages.error(request, services.MESSAGE_CLOSED_CANDIDATES)
        return redirect("hiring:opening", opening_id=opening.pk)
    return render(request, "hiring/candidate_new.html", {"opening": opening, "form": form}, status=status)


@login_required
@require_POST
def opening_state(request: HttpRequest, opening_id: int) -> HttpResponse:
    """Close (action=close) or reopen (action=reopen) the opening."""
    opening = _managed_opening(request, opening_id)
    form = OpeningStateForm(request.POST)
    state = {"close": Opening.State.CLOSED, "reopen": Opening.State.OPEN}.get(request.POST.get("action", ""))
    if state is None or not form.is_valid():
        messages.error(request, "Choose to close or to reopen the opening.")
        return redirect("hiring:opening", opening_id=opening.pk)
    try:
        services.opening_set_state(actor=request.user, opening=opening, state=state, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "Closed the opening: it takes no new candidates or interviews."
            if state == Opening.State.CLOSED
            else "Reopened the opening.",
        )
    return redirect("hiring:opening", opening_id=opening.pk)


def _stage_history(candidate: Candidate) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            target_type="hiring.candidate", target_id=str(candidate.pk), action="hiring.candidate_stage"
        )
        .select_related("actor")
        .order_by("-pk")
    )


def _candidate_context(request: HttpRequest, candidate: Candidate, **extra: Any) -> dict[str, Any]:
    manages = access.is_hiring_manager(request.user, candidate.opening)
    loop = selectors.candidate_loop(user=request.user, candidate=candidate)
    exercises = services.blueprint_exercises(candidate.opening.blueprint_version)
    present = {row.interview.exercise for row in loop.rows}
    return {
        "candidate": candidate,
        "opening": candidate.opening,
        "loop": loop,
        "manages": manages,
        "open": candidate.opening.state == Opening.State.OPEN,
        "missing_exercises": [e for e in exercises if e not in present],
        "stage_form": extra.pop("stage_form", None) or (StageForm(candidate=candidate) if manages else None),
        "interview_form": extra.pop("interview_form", None)
        or (InterviewForm(opening=candidate.opening) if manages else None),
        "stage_history": _stage_history(candidate) if manages else [],
        **extra,
    }


@login_required
@require_GET
def candidate_detail(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = access.get_candidate_for_user(request.user, candidate_id)
    return render(request, "hiring/candidate.html", _candidate_context(request, candidate))


@login_required
@require_POST
def candidate_stage(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = _managed_candidate(request, candidate_id)
    form = StageForm(request.POST, candidate=candidate)
    stage = request.POST.get("stage", "")
    try:
        moved = services.candidate_move(
            actor=request.user, candidate=candidate, stage=stage, reason=request.POST.get("reason", "")[:5_000]
        )
    except ValidationError as exc:
        form.is_valid()
        _errors_to_form(form, exc)
        context = _candidate_context(request, candidate, stage_form=form)
        return render(request, "hiring/candidate.html", context, status=400)
    messages.success(request, f"Moved {moved.name} to {moved.get_stage_display()}.")
    return redirect("hiring:candidate", candidate_id=candidate.pk)


@login_required
@require_POST
def loop_default(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = _managed_candidate(request, candidate_id)
    try:
        created = services.loop_create_default(actor=request.user, candidate=candidate)
    except services.OpeningClosed as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Added {len(created)} interview{'s' if len(created) != 1 else ''} from the blueprint, each with its "
            "suggested focus. Assign the interviewers.",
        )
    return redirect(reverse("hiring:candidate", args=[candidate.pk]) + "#loop")


def _interviewer_list(form: forms.Form) -> list[Any]:
    return list(form.cleaned_data.get("interviewers") or [])


@login_required
@require_http_methods(["GET", "POST"])
def interview_new(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = _managed_candidate(request, candidate_id)
    form = InterviewForm(request.POST if request.method == "POST" else None, opening=candidate.opening)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                interview = services.interview_add(
                    actor=request.user,
                    candidate=candidate,
                    exercise=form.cleaned_data["exercise"],
                    interviewers=_interviewer_list(form),
                    focus=form.cleaned_data["focus"],
                    scheduled_at=form.cleaned_data.get("scheduled_at"),
                )
            except services.OpeningClosed as exc:
                messages.error(request, str(exc))
                return redirect("hiring:candidate", candidate_id=candidate.pk)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, f"Added the {interview.exercise} to the loop.")
                return redirect(reverse("hiring:candidate", args=[candidate.pk]) + f"#interview-{interview.pk}")
        status = 400
    elif candidate.opening.state == Opening.State.CLOSED:
        messages.error(request, services.MESSAGE_CLOSED_INTERVIEWS)
        return redirect("hiring:candidate", candidate_id=candidate.pk)
    context = {"candidate": candidate, "opening": candidate.opening, "form": form}
    return render(request, "hiring/interview_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def interview_edit(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = _managed_interview(request, interview_id)
    candidate = interview.candidate
    data = request.POST if request.method == "POST" else None
    form = InterviewForm(data, opening=candidate.opening, interview=interview)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.interview_update(
                    actor=request.user,
                    interview=interview,
                    interviewers=_interviewer_list(form),
                    focus=form.cleaned_data["focus"],
                    scheduled_at=form.cleaned_data.get("scheduled_at"),
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, f"Saved the {interview.exercise}.")
                return redirect(reverse("hiring:candidate", args=[candidate.pk]) + f"#interview-{interview.pk}")
        status = 400
    context = {"candidate": candidate, "opening": candidate.opening, "form": form, "interview": interview}
    return render(request, "hiring/interview_form.html", context, status=status)


@login_required
@require_POST
def interview_remove(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = _managed_interview(request, interview_id)
    candidate_id = interview.candidate_id
    try:
        services.interview_remove(actor=request.user, interview=interview)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Removed the {interview.exercise} from the loop.")
    return redirect(reverse("hiring:candidate", args=[candidate_id]) + "#loop")


def _own_employee(request: HttpRequest) -> Any:
    return access.viewer(request.user).employee


def _based_on(request: HttpRequest) -> int | None:
    value = request.POST.get("based_on", "")
    return int(value) if value.isdigit() else None


@login_required
@require_http_methods(["GET", "POST"])
def scorecard(request: HttpRequest, interview_id: int) -> HttpResponse:
    """The caller's own scorecard for the interview: prefilled from their draft; `action=draft` saves the
    draft, `action=discard` drops it, anything else submits (or amends)."""
    interview = access.get_interview_for_user(request.user, interview_id, write=True)
    previous = services.current_scorecard(interview, _own_employee(request))
    draft = services.draft_of(request.user, interview)
    if request.method == "POST":
        form = ScorecardForm.build(interview, request.POST)
    elif draft is not None:
        form = ScorecardForm.from_draft(interview, draft)
    else:
        form = ScorecardForm.build(interview)
    status = 200
    action = request.POST.get("action", "submit")
    if request.method == "POST" and action == "discard":
        services.scorecard_draft_discard(actor=request.user, interview=interview)
        messages.info(request, "Discarded your draft.")
        return redirect("hiring:scorecard", interview_id=interview.pk)
    if request.method == "POST" and action == "draft":
        try:
            draft = _save_draft(request, interview, form)
        except ValidationError as exc:
            form.errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            status = 400
        else:
            messages.success(request, "Saved your draft. Nobody else sees it; submit it when you are ready.")
            return redirect("hiring:scorecard", interview_id=interview.pk)
    elif request.method == "POST":
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
        "draft": draft,
        "rating_choices": Rating.choices,
        "co_interviewers": [e for e in interview.interviewers.all() if e != _own_employee(request)],
    }
    return render(request, "hiring/scorecard.html", context, status=status)


def _save_draft(request: HttpRequest, interview: Interview, form: ScorecardForm) -> Any:
    return services.scorecard_draft_save(
        actor=request.user,
        interview=interview,
        recommendation=form.recommendation,
        ratings=form.draft_ratings(),
        signals=form.ticked(),
        notes=form.notes,
        amend_reason=form.amend_reason,
        based_on=_based_on(request),
        check_based_on="based_on" in request.POST,
    )


@login_required
@require_POST
def scorecard_draft(request: HttpRequest, interview_id: int) -> HttpResponse:
    """Autosave (htmx): save the caller's draft and answer with its state line. Without htmx: back to the
    scorecard page."""
    interview = access.get_interview_for_user(request.user, interview_id, write=True)
    form = ScorecardForm.build(interview, request.POST)
    try:
        draft = _save_draft(request, interview, form)
    except ValidationError as exc:
        if getattr(request, "htmx", False):
            return render(request, "hiring/_draft_state.html", {"problem": " ".join(exc.messages)}, status=200)
        messages.error(request, " ".join(exc.messages))
        return redirect("hiring:scorecard", interview_id=interview.pk)
    if getattr(request, "htmx", False):
        return render(request, "hiring/_draft_state.html", {"draft": draft, "now": timezone.now()})
    messages.success(request, "Saved your draft.")
    return redirect("hiring:scorecard", interview_id=interview.pk)


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
