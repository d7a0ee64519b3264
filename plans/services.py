"""Writes to 30/60/90 plans. Each runs in one transaction with the plan row locked, checks rights through
staffrole.access, checks the version the caller read (PlanConflict when stale) and records an audit entry.

Plans are made where a person starts in a role (docs/adr/0019-onboarding-plans.md): org import creating a
person with a role, HR giving a person a role or another role, HR moving a start date. `plans_start` makes
them in bulk, so an import of many new people costs a fixed number of queries.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.services import AuditItem, audit_record, audit_record_many
from org.models import Employee
from plans.models import Goal, Horizon, Indicator, Plan
from scorecards.models import BlueprintVersion, Milestone
from staffrole import access

# Days after the plan's start at which each horizon's goals are due; months are calendar months.
DUE_DAYS = {Horizon.D30: 30, Horizon.D60: 60, Horizon.D90: 90}
DUE_MONTHS = {Horizon.M6: 6, Horizon.M12: 12}
# A person who took a role longer ago than this is past onboarding: giving them the role's blueprint
# (filling in a missing role) makes no plan.
ONBOARDING_WINDOW = timedelta(days=90)
MAX_TEXT = 2000
MAX_NOTES = 10000


class PlanConflict(Exception):
    """The goal (or indicator) changed since the caller read it; `current_version` is the stored one."""

    def __init__(self, current_version: int) -> None:
        super().__init__("Someone else changed this since you opened it. Reload to see their change.")
        self.current_version = current_version


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, or the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date_for(*, horizon: str, start: date) -> date | None:
    """30, 60, 90 days; 6 and 12 calendar months; long-term goals have no due date."""
    if horizon in DUE_DAYS:
        return start + timedelta(days=DUE_DAYS[Horizon(horizon)])
    if horizon in DUE_MONTHS:
        return add_months(start, DUE_MONTHS[Horizon(horizon)])
    return None


@dataclass(frozen=True)
class PlanStart:
    """A person starting in a role on `start`: a new hire (`reason` start) or a role change."""

    employee_id: int
    role_id: int
    start: date
    reason: str


def _published_versions(role_ids: Iterable[int]) -> dict[int, BlueprintVersion]:
    """The newest published version of each role, with its milestones: two queries."""
    versions: dict[int, BlueprintVersion] = {}
    for version in (
        BlueprintVersion.objects.filter(role_id__in=set(role_ids), status=BlueprintVersion.Status.PUBLISHED)
        .order_by("role_id", "-number")
        .prefetch_related("milestones")
    ):
        versions.setdefault(version.role_id, version)
    return versions


def _parts(plan: Plan, milestones: Iterable[Milestone]) -> tuple[list[Goal], list[Indicator]]:
    goals: list[Goal] = []
    indicators: list[Indicator] = []
    for milestone in sorted(milestones, key=lambda m: (m.position, m.pk)):
        due = due_date_for(horizon=milestone.horizon, start=plan.start_date)
        for text in milestone.goals:
            if str(text).strip():
                goals.append(
                    Goal(
                        plan=plan,
                        horizon=milestone.horizon,
                        position=len(goals) + 1,
                        text=str(text).strip(),
                        due_date=due,
                    )
                )
        for text in milestone.success_indicators:
            if str(text).strip():
                indicators.append(
                    Indicator(
                        plan=plan, horizon=milestone.horizon, position=len(indicators) + 1, text=str(text).strip()
                    )
                )
    return goals, indicators


def plans_start(*, actor: Any, starts: list[PlanStart], reason_text: str = "") -> list[Plan]:
    """Make a plan for each start, from the newest published blueprint of the role. Idempotent: a person
    whose active plan is already for that role and start date keeps it. A person with an active plan for
    another role or date has it closed (its goals stay on it, as history) before the new one starts.
    A role without a published blueprint, or one without milestone goals, makes no plan. Call inside the
    transaction that changes the people; a fixed number of queries, whatever the number of people."""
    if not starts:
        return []
    versions = _published_versions(start.role_id for start in starts)
    starts = [s for s in starts if s.role_id in versions and any(m.goals for m in versions[s.role_id].milestones.all())]
    if not starts:
        return []
    current = {
        plan.employee_id: plan
        for plan in Plan.objects.select_for_update(of=("self",))
        .filter(employee_id__in=[s.employee_id for s in starts], state=Plan.State.ACTIVE)
        .select_related("blueprint_version")
    }
    now = timezone.now()
    to_close: list[Plan] = []
    new_plans: list[Plan] = []
    chosen: dict[int, PlanStart] = {}
    for start in starts:
        chosen[start.employee_id] = start  # the last word on a person wins
    for start in chosen.values():
        plan = current.get(start.employee_id)
        if plan is not None:
            if plan.blueprint_version.role_id == start.role_id and plan.start_date == start.start:
                continue
            to_close.append(plan)
        new_plans.append(
            Plan(
                employee_id=start.employee_id,
                blueprint_version=versions[start.role_id],
                start_date=start.start,
                reason=start.reason,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        )
    closing_reason = "A newer plan replaced it: " + (reason_text or "the person started in a role.")
    items = _close(to_close, reason=closing_reason, now=now)
    Plan.objects.bulk_create(new_plans)
    if any(plan.pk is None for plan in new_plans):  # a backend that does not return ids
        ids = dict(
            Plan.objects.filter(
                employee_id__in=[p.employee_id for p in new_plans], state=Plan.State.ACTIVE
            ).values_list("employee_id", "pk")
        )
        for plan in new_plans:
            plan.pk = ids[plan.employee_id]
    goals: list[Goal] = []
    indicators: list[Indicator] = []
    for plan in new_plans:
        plan_goals, plan_indicators = _parts(plan, versions[chosen[plan.employee_id].role_id].milestones.all())
        goals += plan_goals
        indicators += plan_indicators
    Goal.objects.bulk_create(goals, batch_size=500)
    Indicator.objects.bulk_create(indicators, batch_size=500)
    items += [
        AuditItem.about(
            plan,
            action="plan.create",
            after={
                "employee_id": plan.employee_id,
                "blueprint_version": plan.blueprint_version_id,
                "start_date": plan.start_date.isoformat(),
                "reason": plan.reason,
                "goals": sum(1 for g in goals if g.plan is plan),
                "indicators": sum(1 for i in indicators if i.plan is plan),
            },
            reason=reason_text,
        )
        for plan in new_plans
    ]
    audit_record_many(actor=actor, items=items)
    return new_plans


def onboarding_start(*, start: date, today: date) -> bool:
    """Whether a person who started on `start` is still onboarding (or not started yet)."""
    return start >= today - ONBOARDING_WINDOW


def plan_starts_for_change(
    *, employee_id: int, old_role_id: int | None, new_role_id: int | None, start_date: date, today: date
) -> PlanStart | None:
    """What a change of role makes: a role change starts today; a first role counts from the start date
    while the person is onboarding (ADR 0019)."""
    if new_role_id is None or new_role_id == old_role_id:
        return None
    if old_role_id is not None:
        return PlanStart(employee_id, new_role_id, today, Plan.Reason.ROLE_CHANGE)
    if onboarding_start(start=start_date, today=today):
        return PlanStart(employee_id, new_role_id, start_date, Plan.Reason.START)
    return None


def plans_redate(*, actor: Any, moves: dict[int, date], reason_text: str = "") -> int:
    """A corrected start date moves the active start plans of these people (employee id -> new start):
    every goal's due date moves by the same number of days; statuses, notes and evidence stay."""
    if not moves:
        return 0
    plans = list(
        Plan.objects.select_for_update().filter(
            employee_id__in=list(moves), state=Plan.State.ACTIVE, reason=Plan.Reason.START
        )
    )
    items = []
    for plan in plans:
        delta = moves[plan.employee_id] - plan.start_date
        if not delta:
            continue
        Goal.objects.filter(plan=plan, due_date__isnull=False).update(
            due_date=F("due_date") + delta, version=F("version") + 1
        )
        before = plan.start_date.isoformat()
        plan.start_date = moves[plan.employee_id]
        plan.version += 1
        plan.save(update_fields=["start_date", "version", "updated_at"])
        items.append(
            AuditItem.about(
                plan,
                action="plan.redate",
                before={"start_date": before},
                after={"start_date": plan.start_date.isoformat(), "days": delta.days},
                reason=reason_text,
            )
        )
    audit_record_many(actor=actor, items=items)
    return len(items)


@dataclass(frozen=True)
class PersonChange:
    """A person's role and start date before and after an org write (None before: a new person)."""

    employee_id: int
    old_role_id: int | None
    new_role_id: int | None
    old_start: date | None
    new_start: date


def plans_follow_org(*, actor: Any, changes: list[PersonChange], reason_text: str = "") -> list[Plan]:
    """Start or move plans after people were created or changed (ADR 0019): a new person with a role and a
    first role while onboarding start a plan from the start date; another role starts one today and closes
    the old; a moved start date moves the active start plan. Call inside the org write's transaction."""
    today = timezone.localdate()
    starts: list[PlanStart] = []
    moves: dict[int, date] = {}
    for change in changes:
        if change.old_start is None:  # a new person
            if change.new_role_id is not None and onboarding_start(start=change.new_start, today=today):
                starts.append(PlanStart(change.employee_id, change.new_role_id, change.new_start, Plan.Reason.START))
            continue
        start = plan_starts_for_change(
            employee_id=change.employee_id,
            old_role_id=change.old_role_id,
            new_role_id=change.new_role_id,
            start_date=change.new_start,
            today=today,
        )
        if start is not None:
            starts.append(start)
        elif change.old_start != change.new_start and change.new_role_id is not None:
            moves[change.employee_id] = change.new_start
    plans_redate(actor=actor, moves=moves, reason_text=reason_text)
    return plans_start(actor=actor, starts=starts, reason_text=reason_text)


def plans_close_for_leavers(*, actor: Any, employee_ids: Iterable[int], reason_text: str = "") -> int:
    """Close the active plan of each person who left (their goals stay on it, as history): nobody works
    on a leaver's plan any more, and it no longer counts among the active plans. Call inside the
    transaction that deactivates them; three queries, whatever the number of people. Returns how many."""
    ids = list(employee_ids)
    if not ids:
        return 0
    plans = list(
        Plan.objects.select_for_update().filter(employee_id__in=ids, state=Plan.State.ACTIVE).only("pk", "employee_id")
    )
    if not plans:
        return 0
    reason = "The person left: " + (reason_text or "they were deactivated.")
    audit_record_many(actor=actor, items=_close(plans, reason=reason, now=timezone.now()))
    return len(plans)


def _close(plans: list[Plan], *, reason: str, now: Any) -> list[AuditItem]:
    """Close these active plans (their goals stay on them, as history): one update, and the audit items
    for the caller to record with its own."""
    if not plans:
        return []
    reason = reason[:255]
    Plan.objects.filter(pk__in=[p.pk for p in plans]).update(
        state=Plan.State.CLOSED, closed_at=now, closed_reason=reason, version=F("version") + 1
    )
    return [
        AuditItem.about(
            plan,
            action="plan.close",
            before={"state": "active"},
            after={"state": "closed", "open_goals_kept": True},
            reason=reason,
        )
        for plan in plans
    ]


def plan_create_for(*, employee: Employee, reason: str, actor: Any, start: date | None = None) -> Plan | None:
    """The person's plan for their current role (made from its blueprint unless they already have it):
    a start counts from their start date, a role change from `start` (today by default)."""
    if employee.role_id is None:
        return None
    if start is None:
        start = employee.start_date if reason == Plan.Reason.START else timezone.localdate()
    with transaction.atomic():
        made = plans_start(actor=actor, starts=[PlanStart(employee.pk, employee.role_id, start, reason)])
    if made:
        return made[0]
    return (
        Plan.objects.filter(
            employee=employee, state=Plan.State.ACTIVE, blueprint_version__role_id=employee.role_id, start_date=start
        )
        .select_related("blueprint_version")
        .first()
    )


# --- Goals and indicators ------------------------------------------------------------------------


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("employee__user").get(pk=plan.pk)


def _locked_goal(plan: Plan, goal_id: Any) -> Goal:
    try:
        return Goal.objects.select_for_update().get(pk=goal_id, plan=plan, removed=False)
    except (Goal.DoesNotExist, ValueError, TypeError) as exc:
        from django.http import Http404

        raise Http404("No such goal in this plan.") from exc


def _check_version(current: int, version: int | None) -> None:
    if version is not None and version != current:
        raise PlanConflict(current)


def _touch(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1, updated_at=timezone.now())


def _goal_values(goal: Goal) -> dict[str, Any]:
    return {
        "horizon": goal.horizon,
        "text": goal.text,
        "due_date": goal.due_date.isoformat() if goal.due_date else None,
        "status": goal.status,
        "notes": goal.notes,
        "evidence": goal.evidence,
        "removed": goal.removed,
    }


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    names = [name for name in after if before.get(name) != after[name]]
    return {n: before.get(n) for n in names}, {n: after[n] for n in names}


def _refuse_update(actor: Any, plan: Plan) -> None:
    if not plan.is_active:
        raise PermissionDenied("This plan is closed: a newer plan replaced it.")
    if not access.can_update_goal(actor, plan):
        raise PermissionDenied("Only the person and their manager update the goals of this plan.")


def _refuse_adapt(actor: Any, plan: Plan) -> None:
    if not plan.is_active:
        raise PermissionDenied("This plan is closed: a newer plan replaced it.")
    if not access.can_adapt_plan(actor, plan):
        raise PermissionDenied("Only the manager adapts this plan.")


def _clean_text(value: str, *, field: str, required: bool, limit: int) -> str:
    value = value.replace("\r\n", "\n").strip()
    if required and not value:
        raise ValidationError({field: ["This field is required."]})
    if len(value) > limit:
        raise ValidationError({field: [f"At most {limit} characters."]})
    return value


def plan_goal_update(
    *,
    actor: Any,
    plan: Plan,
    goal_id: Any,
    version: int | None,
    status: str | None = None,
    notes: str | None = None,
    evidence: str | None = None,
) -> Goal:
    """The person, their manager or HR record progress on a goal: status, notes, evidence."""
    _refuse_update(actor, plan)
    if status is not None and status not in Goal.Status.values:
        raise ValidationError({"status": [f"Expected one of: {', '.join(Goal.Status.values)}."]})
    with transaction.atomic():
        plan = _locked(plan)
        _refuse_update(actor, plan)
        goal = _locked_goal(plan, goal_id)
        _check_version(goal.version, version)
        before = _goal_values(goal)
        if status is not None:
            goal.status = status
        if notes is not None:
            goal.notes = _clean_text(notes, field="notes", required=False, limit=MAX_NOTES)
        if evidence is not None:
            goal.evidence = _clean_text(evidence, field="evidence", required=False, limit=MAX_NOTES)
        return _save_goal(actor, plan, goal, before, action="plan.goal_update")


def _save_goal(actor: Any, plan: Plan, goal: Goal, before: dict[str, Any], *, action: str) -> Goal:
    old, new = _changed(before, _goal_values(goal))
    if not new:
        return goal
    goal.version += 1
    goal.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    goal.full_clean(exclude=["plan", "updated_by"])
    goal.save()
    _touch(plan)
    audit_record(actor=actor, action=action, target=goal, before=old, after={"plan": plan.pk, **new})
    return goal


def plan_goal_edit(
    *,
    actor: Any,
    plan: Plan,
    goal_id: Any,
    version: int | None,
    text: str | None = None,
    due_date: date | None = None,
    clear_due_date: bool = False,
) -> Goal:
    """The manager (or HR) rewords a goal or moves its due date."""
    _refuse_adapt(actor, plan)
    with transaction.atomic():
        plan = _locked(plan)
        _refuse_adapt(actor, plan)
        goal = _locked_goal(plan, goal_id)
        _check_version(goal.version, version)
        before = _goal_values(goal)
        if text is not None:
            goal.text = _clean_text(text, field="text", required=True, limit=MAX_TEXT)
        if due_date is not None or clear_due_date:
            goal.due_date = due_date
        return _save_goal(actor, plan, goal, before, action="plan.goal_edit")


def plan_goal_add(*, actor: Any, plan: Plan, horizon: str, text: str, due_date: date | None = None) -> Goal:
    """The manager (or HR) adds a goal to a horizon; without a due date it is due with the horizon."""
    _refuse_adapt(actor, plan)
    if horizon not in Horizon.values:
        raise ValidationError({"horizon": [f"Expected one of: {', '.join(Horizon.values)}."]})
    text = _clean_text(text, field="text", required=True, limit=MAX_TEXT)
    with transaction.atomic():
        plan = _locked(plan)
        _refuse_adapt(actor, plan)
        last = Goal.objects.filter(plan=plan).order_by("-position").values_list("position", flat=True).first() or 0
        goal = Goal(
            plan=plan,
            horizon=horizon,
            position=last + 1,
            text=text,
            due_date=due_date or due_date_for(horizon=horizon, start=plan.start_date),
            added_by_manager=True,
            updated_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        goal.full_clean(exclude=["plan", "updated_by"])
        goal.save()
        _touch(plan)
        audit_record(actor=actor, action="plan.goal_add", target=goal, after={"plan": plan.pk, **_goal_values(goal)})
    return goal


def plan_goal_remove(*, actor: Any, plan: Plan, goal_id: Any, version: int | None) -> Goal:
    """The manager (or HR) takes a goal off the plan; it stays in the history, out of the counts."""
    _refuse_adapt(actor, plan)
    with transaction.atomic():
        plan = _locked(plan)
        _refuse_adapt(actor, plan)
        goal = _locked_goal(plan, goal_id)
        _check_version(goal.version, version)
        before = _goal_values(goal)
        goal.removed = True
        return _save_goal(actor, plan, goal, before, action="plan.goal_remove")


def plan_indicator_check(*, actor: Any, plan: Plan, indicator_id: Any, checked: bool, version: int | None) -> Indicator:
    """The manager (or HR) ticks a success indicator off, or back on."""
    _refuse_adapt(actor, plan)
    with transaction.atomic():
        plan = _locked(plan)
        _refuse_adapt(actor, plan)
        try:
            indicator = Indicator.objects.select_for_update().get(pk=indicator_id, plan=plan)
        except (Indicator.DoesNotExist, ValueError, TypeError) as exc:
            from django.http import Http404

            raise Http404("No such success indicator in this plan.") from exc
        _check_version(indicator.version, version)
        if indicator.checked == checked:
            return indicator
        indicator.checked = checked
        indicator.checked_by = actor if checked and getattr(actor, "is_authenticated", False) else None
        indicator.checked_at = timezone.now() if checked else None
        indicator.version += 1
        indicator.save()
        _touch(plan)
        audit_record(
            actor=actor,
            action="plan.indicator_check",
            target=indicator,
            before={"checked": not checked},
            after={"plan": plan.pk, "checked": checked},
        )
    return indicator
