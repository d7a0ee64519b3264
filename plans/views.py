"""The plan pages: the caller's own plan and their new hires' plans on one page, and a plan by horizon.

Every form posts one goal or indicator with the version it was read at, and works without JavaScript
(the page comes back with a message); with htmx the goal's own card is swapped in, conflicts included.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from plans import selectors, services
from plans.forms import GoalAddForm, GoalEditForm, GoalUpdateForm, IndicatorForm, VersionForm, first_error
from plans.models import Goal, Indicator, Plan
from plans.services import PlanConflict
from staffrole import access

# Answers htmx swaps in although they are not 2xx: the goal shows why it was not saved. The first three
# settings are base.html's (no eval, no injected styles, no scripts from fragments: the CSP, ADR 0023).
HTMX_CONFIG = (
    '{"allowEval": false, "allowScriptTags": false, "includeIndicatorStyles": false,'
    ' "responseHandling": [{"code": "204", "swap": false}, {"code": "[23]..", "swap": true},'
    ' {"code": "(400|409)", "swap": true, "error": false}, {"code": "...", "swap": false, "error": true}]}'
)
CONFLICT = "Someone else changed this goal since you opened the page; it is shown as it is now. Nothing was saved."


@login_required
@require_GET
def plan_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "plans/plan_index.html",
        {
            "own": selectors.own_plan(user=request.user, today=today),
            "new_hires": selectors.new_hire_plans(user=request.user, today=today),
            "is_hr_view": access.viewer(request.user).hr,
            "today": today,
        },
    )


def _context(request: HttpRequest, plan: Plan, **extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    user = request.user
    summary = selectors.with_counts(Plan.objects.filter(pk=plan.pk), today=today).get()
    horizons = selectors.plan_horizons(plan=plan, today=today)
    return {
        "plan": plan,
        "summary": summary,
        "person": plan.employee,
        "horizons": horizons,
        "is_self": access.relation_to(user, plan.employee) is access.Relation.SELF,
        "can_update": access.can_update_goal(user, plan),
        "can_adapt": access.can_adapt_plan(user, plan),
        "status_choices": Goal.Status.choices,
        "horizon_choices": [(h.horizon, h.label) for h in horizons] or list(selectors.HORIZON_LABELS.items()),
        "add_form": GoalAddForm(),
        "today": today,
        "htmx_config": HTMX_CONFIG,
        "newer_plan": (
            Plan.objects.filter(employee=plan.employee, state=Plan.State.ACTIVE).values_list("pk", flat=True).first()
            if not plan.is_active
            else None
        ),
        **extra,
    }


@login_required
@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, plan_id)
    return render(request, "plans/plan_detail.html", _context(request, plan))


def _answer(request: HttpRequest, plan: Plan, goal_id: Any, *, status: int = 200, error: str = "") -> HttpResponse:
    """htmx: the goal's card (with the error, if any); otherwise the page, or a redirect after a success."""
    if request.htmx:  # type: ignore[attr-defined]
        goal = Goal.objects.filter(plan=plan, pk=goal_id).select_related("updated_by").first()
        if goal is None or goal.removed:
            return HttpResponse("", status=status)
        today = timezone.localdate()
        goal.overdue = goal.overdue_days(today)  # type: ignore[attr-defined]
        context = {
            "plan": plan,
            "goal": goal,
            "error": error,
            "saved": not error,
            "can_update": access.can_update_goal(request.user, plan),
            "can_adapt": access.can_adapt_plan(request.user, plan),
            "status_choices": Goal.Status.choices,
            "today": today,
        }
        return render(request, "plans/partials/goal.html", context, status=status)
    if error:
        return render(request, "plans/plan_detail.html", _context(request, plan, error=error), status=status)
    return redirect(reverse("plans:detail", args=[plan.pk]) + f"#goal-{goal_id}")


def _refused(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


@login_required
@require_POST
def goal_update(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, plan_id)
    if not access.can_update_goal(request.user, plan):
        raise PermissionDenied("You may not update the goals of this plan.")
    form = GoalUpdateForm(request.POST)
    if not form.is_valid():
        return _answer(request, plan, goal_id, status=400, error=first_error(form))
    data = form.cleaned_data
    try:
        services.plan_goal_update(
            actor=request.user,
            plan=plan,
            goal_id=goal_id,
            version=data["version"],
            status=data["status"],
            notes=data["notes"],
            evidence=data["evidence"],
        )
    except PlanConflict:
        return _answer(request, plan, goal_id, status=409, error=CONFLICT)
    except ValidationError as exc:
        return _answer(request, plan, goal_id, status=400, error=_refused(exc))
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, f"Saved at {timezone.localtime():%H:%M}.")
    return _answer(request, plan, goal_id)


@login_required
@require_POST
def goal_edit(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, plan_id)
    if not access.can_adapt_plan(request.user, plan):
        raise PermissionDenied("Only the manager adapts this plan.")
    form = GoalEditForm(request.POST)
    if not form.is_valid():
        return _answer(request, plan, goal_id, status=400, error=first_error(form))
    data = form.cleaned_data
    try:
        services.plan_goal_edit(
            actor=request.user,
            plan=plan,
            goal_id=goal_id,
            version=data["version"],
            text=data["text"],
            due_date=data["due_date"],
            clear_due_date=data["due_date"] is None,
        )
    except PlanConflict:
        return _answer(request, plan, goal_id, status=409, error=CONFLICT)
    except ValidationError as exc:
        return _answer(request, plan, goal_id, status=400, error=_refused(exc))
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, "Goal changed.")
    return _answer(request, plan, goal_id)


@login_required
@require_POST
def goal_remove(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, plan_id)
    if not access.can_adapt_plan(request.user, plan):
        raise PermissionDenied("Only the manager adapts this plan.")
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _answer(request, plan, goal_id, status=400, error=first_error(form))
    try:
        goal = services.plan_goal_remove(
            actor=request.user, plan=plan, goal_id=goal_id, version=form.cleaned_data["version"]
        )
    except PlanConflict:
        return _answer(request, plan, goal_id, status=409, error=CONFLICT)
    messages.success(request, f"Removed the goal \u201c{goal.text[:80]}\u201d from the plan.")
    return redirect("plans:detail", plan.pk)


@login_required
@require_POST
def goal_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, plan_id)
    if not access.can_adapt_plan(request.user, plan):
        raise PermissionDenied("Only the manager adapts this plan.")
    form = GoalAddForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "plans/plan_detail.html",
            _context(request, plan, error=first_error(form), add_form=form),
            status=400,
        )
    data = form.cleaned_data
    try:
        goal = services.plan_goal_add(
            actor=request.user, plan=plan, horizon=data["horizon"], text=data["text"], due_date=data["due_date"]
        )
    except ValidationError as exc:
        return render(
            request, "plans/plan_detail.html", _context(request, plan, error=_refused(exc), add_form=form), status=400
        )
    messages.success(request, "Goal added.")
    return redirect(reverse("plans:detail", args=[plan.pk]) + f"#goal-{goal.pk}")


@login_required
@require_POST
def indicator_check(request: HttpRequest, plan_id: int, indicator_id: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, plan_id)
    if not access.can_adapt_plan(request.user, plan):
        raise PermissionDenied("Only the manager ticks success indicators off.")
    form = IndicatorForm(request.POST)
    if not form.is_valid():
        return render(request, "plans/plan_detail.html", _context(request, plan, error=first_error(form)), status=400)
    try:
        indicator: Indicator = services.plan_indicator_check(
            actor=request.user,
            plan=plan,
            indicator_id=indicator_id,
            checked=form.cleaned_data["checked"],
            version=form.cleaned_data["version"],
        )
    except PlanConflict:
        error = "Someone else ticked this indicator since you opened the page; it is shown as it is now."
        return render(request, "plans/plan_detail.html", _context(request, plan, error=error), status=409)
    messages.success(request, "Success indicator ticked off." if indicator.checked else "Success indicator unticked.")
    return redirect(reverse("plans:detail", args=[plan.pk]) + f"#indicator-{indicator.pk}")
