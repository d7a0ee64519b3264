"""Reads of 30/60/90 plans, each in a fixed number of queries."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from plans.models import HORIZONS, Goal, Horizon, Indicator, Plan
from staffrole import access

OPEN_STATUSES = (Goal.Status.NOT_STARTED, Goal.Status.IN_PROGRESS)
HORIZON_LABELS: dict[str, str] = {
    Horizon.D30: "First 30 days",
    Horizon.D60: "Days 31 to 60",
    Horizon.D90: "Days 61 to 90",
    Horizon.M6: "By 6 months",
    Horizon.M12: "By 12 months",
    Horizon.LONG_TERM: "Long term (no due date)",
}


def with_counts(queryset: QuerySet[Plan], *, today: date) -> QuerySet[Plan]:
    """Each plan with its goals counted by status, its overdue goals and its indicators, in the same query."""
    live = Q(goals__removed=False)

    def indicators(checked: bool | None) -> Any:
        rows = Indicator.objects.filter(plan=OuterRef("pk"))
        if checked is not None:
            rows = rows.filter(checked=checked)
        counted = rows.order_by().values("plan").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    return queryset.annotate(
        goals_total=Count("goals", filter=live),
        goals_not_started=Count("goals", filter=live & Q(goals__status=Goal.Status.NOT_STARTED)),
        goals_in_progress=Count("goals", filter=live & Q(goals__status=Goal.Status.IN_PROGRESS)),
        goals_done=Count("goals", filter=live & Q(goals__status=Goal.Status.DONE)),
        goals_missed=Count("goals", filter=live & Q(goals__status=Goal.Status.MISSED)),
        goals_overdue=Count("goals", filter=live & Q(goals__status__in=OPEN_STATUSES, goals__due_date__lt=today)),
        indicators_total=indicators(None),
        indicators_checked=indicators(True),
    )


def visible_plans(*, user: Any, employee: str | None = None, state: str | None = None) -> QuerySet[Plan]:
    """Plans the caller may read, newest first; `employee` a username."""
    queryset = Plan.objects.select_related("employee__user", "employee__manager__user", "blueprint_version")
    condition = access.plan_visibility_q(user)
    if condition is not None:
        queryset = queryset.filter(condition)
    if employee:
        queryset = queryset.filter(employee__user__username=employee)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.order_by("-created_at", "-pk")


def new_hire_plans(*, user: Any, today: date) -> list[Plan]:
    """The active plans of everyone below the caller (everyone's for HR), with their counts: one query
    (after the caller's place in the chain)."""
    me = access.viewer(user).employee
    queryset = visible_plans(user=user, state=Plan.State.ACTIVE)
    if me is not None:
        queryset = queryset.exclude(employee=me)
    return list(with_counts(queryset, today=today).order_by("start_date", "employee__name", "pk"))


def own_plan(*, user: Any, today: date) -> Plan | None:
    """The caller's active plan, else their newest closed one, with its counts."""
    me = access.viewer(user).employee
    if me is None:
        return None
    return (
        with_counts(Plan.objects.filter(employee=me).select_related("blueprint_version"), today=today)
        .order_by("state", "-created_at", "-pk")
        .first()
    )


def person_plan_summary(*, employee_id: int, today: date) -> Plan | None:
    """A person's active plan (else their newest closed one) with its counts: one query."""
    return (
        with_counts(
            Plan.objects.filter(employee_id=employee_id).select_related("blueprint_version", "employee__user"),
            today=today,
        )
        .order_by("state", "-created_at", "-pk")
        .first()
    )


@dataclass
class HorizonGroup:
    horizon: str
    label: str
    due_date: date | None
    goals: list[Goal] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for goal in self.goals if goal.status == Goal.Status.DONE)


def plan_horizons(*, plan: Plan, today: date, include_removed: bool = False) -> list[HorizonGroup]:
    """The plan's goals and indicators by horizon, each goal with `overdue` (days): two queries."""
    goals = list(Goal.objects.filter(plan=plan).select_related("updated_by").order_by("position", "pk"))
    indicators = list(Indicator.objects.filter(plan=plan).select_related("checked_by").order_by("position", "pk"))
    return group_by_horizon(plan, goals, indicators, today=today, include_removed=include_removed)


def group_by_horizon(
    plan: Plan,
    goals: Sequence[Goal],
    indicators: Sequence[Indicator],
    *,
    today: date,
    include_removed: bool = False,
) -> list[HorizonGroup]:
    from plans.services import due_date_for

    groups = {
        horizon: HorizonGroup(
            horizon=horizon,
            label=HORIZON_LABELS[horizon],
            due_date=due_date_for(horizon=horizon, start=plan.start_date),
        )
        for horizon in HORIZONS
    }
    for goal in goals:
        goal.overdue = goal.overdue_days(today)  # type: ignore[attr-defined]
        if goal.removed and not include_removed:
            continue
        groups[goal.horizon].goals.append(goal)
    for indicator in indicators:
        groups[indicator.horizon].indicators.append(indicator)
    return [group for group in groups.values() if group.goals or group.indicators]


def goals_to_remind(*, today: date, days_ahead: int) -> QuerySet[Goal]:
    """Open goals of active plans due within `days_ahead` days or overdue, with their person and manager:
    one query (the daily reminders, reviews/reminders.py)."""
    from datetime import timedelta

    return (
        Goal.objects.filter(
            plan__state=Plan.State.ACTIVE,
            plan__employee__active=True,
            removed=False,
            status__in=OPEN_STATUSES,
            due_date__lte=today + timedelta(days=days_ahead),
        )
        .select_related("plan__employee__user", "plan__employee__manager__user")
        .order_by("due_date", "plan_id", "position", "pk")
    )


@dataclass
class DashboardPlans:
    own: Plan | None
    reports: list[Plan]

    @property
    def reports_overdue(self) -> int:
        return sum(plan.goals_overdue for plan in self.reports)  # type: ignore[attr-defined]


def dashboard_plans(*, employee: Any, today: date) -> DashboardPlans:
    """The person's active plan and their direct reports' active plans, with counts: one query."""
    plans = list(
        with_counts(
            Plan.objects.filter(state=Plan.State.ACTIVE)
            .filter(Q(employee=employee) | Q(employee__manager=employee, employee__active=True))
            .select_related("employee__user"),
            today=today,
        ).order_by("start_date", "employee__name", "pk")
    )
    own = next((plan for plan in plans if plan.employee_id == employee.pk), None)
    return DashboardPlans(own=own, reports=[plan for plan in plans if plan.employee_id != employee.pk])


def plan_panel(*, user: Any, employee_id: int, today: date) -> Plan | None:
    """The person's active (else newest closed) plan with its counts, if the caller may read it: the panel of
    the review page and the packet. One query (the caller's place in the chain is known by then)."""
    plan = person_plan_summary(employee_id=employee_id, today=today)
    if plan is None or not access.can_read_plan(user, plan):
        return None
    return plan


def packet_plan(*, user: Any, employee_id: int, today: date) -> dict[str, Any] | None:
    """The person's active (else newest closed) plan as the review packet prints it, if `user` may read
    it: one query (the goals, with their plan and its indicator counts)."""
    newest = Plan.objects.filter(employee_id=employee_id).order_by("state", "-created_at", "-pk").values("pk")[:1]

    def indicators(**conditions: Any) -> Any:
        rows = Indicator.objects.filter(plan=OuterRef("plan_id"), **conditions)
        counted = rows.order_by().values("plan").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    goals = list(
        Goal.objects.filter(plan_id=Subquery(newest), removed=False)
        .select_related("plan__blueprint_version", "plan__employee")
        .annotate(indicators_total=indicators(), indicators_checked=indicators(checked=True))
        .order_by("position", "pk")
    )
    if not goals:
        return None
    plan = goals[0].plan
    if not access.can_read_plan(user, plan):
        return None
    counts = dict.fromkeys(Goal.Status.values, 0)
    for goal in goals:
        counts[goal.status] += 1
    groups = group_by_horizon(plan, goals, [], today=today)
    return {
        "plan": plan,
        "title": (
            f"{plan.blueprint_version.title}, {plan.get_reason_display().lower()} on "
            f"{plan.start_date:%d %B %Y}".replace(" 0", " ")
            + ("" if plan.is_active else " (closed: a newer plan replaced it)")
        ),
        "counts": counts,
        "total": len(goals),
        "overdue": sum(1 for goal in goals if goal.overdue_days(today)),
        "indicators_total": goals[0].indicators_total,
        "indicators_checked": goals[0].indicators_checked,
        "horizons": [
            {
                "label": group.label,
                "due": group.due_date,
                "items": [
                    {
                        "text": goal.text,
                        "status": goal.get_status_display(),
                        "status_key": goal.status,
                        "due": goal.due_date,
                        "overdue": goal.overdue,  # type: ignore[attr-defined]
                        "notes": goal.notes,
                    }
                    for goal in group.goals
                ],
            }
            for group in groups
        ],
    }
