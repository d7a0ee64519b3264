"""Cycle pages: the list, HR's new-cycle form, and a cycle's page with its deadlines, progress and
HR's actions (open, move to calibration, close, enrol a late joiner, reassign a reviewer).

Every action is a plain POST form; the change itself, its checks and its audit entry are the
service's (reviews.services). A refusal comes back to the form that asked, or as a message."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AuditEntry
from reviews import services
from reviews.cycle_forms import DEADLINES, CloseForm, CycleForm, EnrolForm, ReassignForm, listed_digest
from reviews.models import Cycle, Review
from reviews.selectors import (
    cycle_progress,
    cycle_reviews_missing_a_reviewer,
    cycle_skipped,
    cycles_for_user,
    review_state_counts,
)
from staffrole import access

STATE_LABELS = {
    Review.State.DRAFT: "Draft",
    Review.State.SELF_SUBMITTED: "Self-assessment in",
    Review.State.MANAGER_SUBMITTED: "Manager review in",
    Review.State.CALIBRATED: "Calibrated",
    Review.State.SHARED: "Shared",
    Review.State.ACKNOWLEDGED: "Acknowledged",
}
DEADLINE_LABELS = {
    "self_due": "Self-assessments due",
    "manager_due": "Manager reviews due",
    "calibration_due": "Calibration ends",
    "signoff_due": "Sign-off due",
}
HISTORY_SIZE = 20


def _cycle_for_user(user: Any, cycle_id: int) -> Cycle:
    if not access.can_view_cycle(user):
        raise Http404("No such cycle.")
    cycle = Cycle.objects.prefetch_related("teams").filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404("No such cycle.")
    return cycle


def _cycle_for_hr(user: Any, cycle_id: int) -> Cycle:
    cycle = _cycle_for_user(user, cycle_id)
    if not access.can_manage_cycles(user):
        raise PermissionDenied("Only HR manages review cycles.")
    return cycle


def _state_cells(counts: dict[Any, int]) -> list[dict[str, Any]]:
    return [{"state": state, "label": STATE_LABELS[state], "count": counts[state]} for state in STATE_LABELS]


@login_required
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    cycles = list(cycles_for_user(user=request.user))
    counts = review_state_counts(user=request.user, cycle_ids=[cycle.pk for cycle in cycles])
    empty: dict[str, int] = dict.fromkeys(Review.State.values, 0)
    rows = [
        {
            "cycle": cycle,
            "cells": _state_cells(counts.get(cycle.pk, empty)),
            "total": sum(counts.get(cycle.pk, empty).values()),
        }
        for cycle in cycles
    ]
    return render(
        request,
        "reviews/cycle_list.html",
        {"rows": rows, "labels": list(STATE_LABELS.values()), "can_manage": access.can_manage_cycles(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_new(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_cycles(request.user):
        raise PermissionDenied("Only HR creates review cycles.")
    form = CycleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.cycle_create(
                actor=request.user,
                name=data["name"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                self_due=data["self_due"],
                manager_due=data["manager_due"],
                calibration_due=data["calibration_due"],
                signoff_due=data["signoff_due"],
                teams=list(data["teams"]),
                dora_report_year=data["dora_report_year"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Created {cycle.name}. Open it when everyone's role blueprint is in place.")
            return redirect("cycles:detail", cycle_id=cycle.pk)
    return render(request, "reviews/cycle_new.html", {"form": form})


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


@login_required
@require_GET
def cycle_detail(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle_for_user(request.user, cycle_id)
    return _render_detail(request, cycle)


def _deadlines(cycle: Cycle, today: date) -> list[dict[str, Any]]:
    rows = []
    upcoming_marked = False
    for name, _label in DEADLINES:
        day: date = getattr(cycle, name)
        days = (day - today).days
        upcoming = days >= 0 and not upcoming_marked and cycle.state in services.WRITABLE_CYCLE_STATES
        upcoming_marked = upcoming_marked or upcoming
        rows.append({"label": DEADLINE_LABELS[name], "day": day, "days": days, "ago": -days, "next": upcoming})
    return rows


def _unfinished(cycle: Cycle) -> list[Review]:
    reviews = list(
        Review.objects.filter(cycle=cycle)
        .exclude(state__in=services.FINISHED_STATES)
        .select_related("employee", "reviewer")
        .order_by("employee__name", "pk")
    )
    for review in reviews:
        review.state_label = STATE_LABELS[Review.State(review.state)]  # type: ignore[attr-defined]
    return reviews


def _history(cycle: Cycle) -> list[AuditEntry]:
    """The cycle's own changes, late joiners and reviewer changes, newest first: one query."""
    review_keys = Review.objects.filter(cycle=cycle).annotate(key=Cast("pk", CharField())).values("key")
    entries = AuditEntry.objects.filter(
        Q(target_type="reviews.cycle", target_id=str(cycle.pk))
        | Q(target_type="reviews.review", action__in=("review.enrol", "review.reassign"), target_id__in=review_keys)
    ).select_related("actor")
    return list(entries.order_by("-created_at", "-pk")[:HISTORY_SIZE])


def _render_detail(
    request: HttpRequest,
    cycle: Cycle,
    *,
    enrol_form: EnrolForm | None = None,
    reassign_form: ReassignForm | None = None,
    close_form: CloseForm | None = None,
) -> HttpResponse:
    user = request.user
    who = access.viewer(user)
    can_manage = access.can_manage_cycles(user)
    progress = cycle_progress(user=user, cycle=cycle)
    for group in [*progress["by_reviewer"], *progress["by_team"]]:
        group["cells"] = _state_cells(group["counts"])
    context: dict[str, Any] = {
        "cycle": cycle,
        "teams": list(cycle.teams.all()),
        "deadlines": _deadlines(cycle, timezone.localdate()),
        "progress": progress,
        "totals": _state_cells(progress["totals"]),
        "labels": list(STATE_LABELS.values()),
        "scope_all": who.hr,
        "missing_reviewer": list(cycle_reviews_missing_a_reviewer(user=user, cycle=cycle)),
        "skipped": cycle_skipped(user=user, cycle=cycle),
        "own_review": (
            Review.objects.filter(cycle=cycle, employee=who.employee).values_list("pk", "state").first()
            if who.employee is not None
            else None
        ),
        "can_manage": can_manage,
        "can_read_calibration": cycle.state != Cycle.State.PLANNED
        and access.calibration_access(user) is not access.Access.NONE,
    }
    if can_manage:
        writable = cycle.state in services.WRITABLE_CYCLE_STATES
        if writable:
            context["enrol_form"] = enrol_form or EnrolForm(cycle=cycle)
            context["reassign_form"] = reassign_form or ReassignForm(
                cycle=cycle, initial={"review": request.GET.get("review")}
            )
        if cycle.state == Cycle.State.CALIBRATING:
            close_form = close_form or CloseForm(unfinished=_unfinished(cycle))
            context["close_form"] = close_form
            context["close_ticked"] = {str(pk) for pk in close_form["confirm"].value() or []}
            context["close_listed"] = listed_digest(close_form.unfinished)
        context["history"] = _history(cycle)
    return render(request, "reviews/cycle_detail.html", context)


def _back(cycle: Cycle) -> HttpResponse:
    return redirect("cycles:detail", cycle_id=cycle.pk)


@login_required
@require_POST
def cycle_open(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle_for_hr(request.user, cycle_id)
    try:
        result = services.cycle_open(actor=request.user, cycle=cycle)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        left_out = f"; {len(result.skipped)} left out (listed below)" if result.skipped else ""
        messages.success(request, f"Opened {cycle.name}: {result.enrolled} enrolled{left_out}.")
    return _back(cycle)


@login_required
@require_POST
def cycle_advance(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle_for_hr(request.user, cycle_id)
    try:
        services.cycle_advance(actor=request.user, cycle=cycle)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{cycle.name} is in calibration.")
    return _back(cycle)


@login_required
@require_POST
def cycle_close(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle_for_hr(request.user, cycle_id)
    if cycle.state != Cycle.State.CALIBRATING:
        messages.error(request, f"The cycle is {cycle.state}; only a calibrating cycle closes.")
        return _back(cycle)
    form = CloseForm(request.POST, unfinished=_unfinished(cycle))
    if not form.is_valid():
        return _render_detail(request, cycle, close_form=form)
    try:
        services.cycle_close(
            actor=request.user,
            cycle=cycle,
            confirm_unfinished=form.cleaned_data["confirm"],
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError:
        # A review was reopened since the page was loaded: show the list as it is now.
        fresh = CloseForm(unfinished=_unfinished(cycle))
        fresh.add_error(None, "The unfinished reviews changed since you loaded the page; tick them again.")
        return _render_detail(request, cycle, close_form=fresh)
    else:
        closed_unfinished = len(form.cleaned_data["confirm"])
        note = f" with {closed_unfinished} unfinished review(s)" if closed_unfinished else ""
        messages.success(request, f"Closed {cycle.name}{note}.")
    return _back(cycle)


@login_required
@require_POST
def cycle_enrol(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle_for_hr(request.user, cycle_id)
    if cycle.state not in services.WRITABLE_CYCLE_STATES:
        messages.error(request, f"The cycle is {cycle.state}; nobody can join it now.")
        return _back(cycle)
    form = EnrolForm(request.POST, cycle=cycle)
    if form.is_valid():
        employee = form.cleaned_data["employee"]
        try:
            review = services.cycle_enrol(
                actor=request.user, cycle=cycle, employee=employee, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return _back(cycle)
        else:
            reviewer = review.reviewer.name if review.reviewer else "nobody yet (assign a reviewer below)"
            messages.success(request, f"Enrolled {employee.name}; their reviewer is {reviewer}.")
            return _back(cycle)
    return _render_detail(request, cycle, enrol_form=form)


@login_required
@require_POST
def cycle_reassign(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle_for_hr(request.user, cycle_id)
    if cycle.state not in services.WRITABLE_CYCLE_STATES:
        messages.error(request, f"The cycle is {cycle.state}; its reviewers no longer change.")
        return _back(cycle)
    form = ReassignForm(request.POST, cycle=cycle)
    if form.is_valid():
        review, reviewer = form.cleaned_data["review"], form.cleaned_data["reviewer"]
        try:
            services.review_reassign(
                actor=request.user, review=review, reviewer=reviewer, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return _back(cycle)
        else:
            messages.success(request, f"{reviewer.name} now reviews {review.employee.name}.")
            return _back(cycle)
    return _render_detail(request, cycle, reassign_form=form)
