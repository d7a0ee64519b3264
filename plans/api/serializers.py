"""The plan API's shapes. Reads are built by `plan_data` from what plans.selectors loaded; writes are
validated here and applied by plans.services."""

from datetime import date
from typing import Any

from rest_framework import serializers

from plans.models import Goal, Horizon, Indicator, Plan
from plans.services import MAX_NOTES, MAX_TEXT
from reviews.api.serializers import PersonSerializer


class PlanConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(
        help_text="The goal's (or indicator's) current version: reload, then write again."
    )


class GoalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    horizon = serializers.ChoiceField(choices=Horizon.choices)
    position = serializers.IntegerField()
    text = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=Goal.Status.choices)
    notes = serializers.CharField(allow_blank=True)
    evidence = serializers.ListField(child=serializers.CharField(), help_text="One link or note per item.")
    overdue_days = serializers.IntegerField(help_text="Days past the due date while not done or missed; 0 otherwise.")
    added_by_manager = serializers.BooleanField()
    version = serializers.IntegerField()


class IndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    horizon = serializers.ChoiceField(choices=Horizon.choices)
    text = serializers.CharField()
    checked = serializers.BooleanField()
    checked_by = serializers.CharField(allow_null=True)
    checked_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class PlanCountsSerializer(serializers.Serializer):
    goals = serializers.IntegerField()
    not_started = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    done = serializers.IntegerField()
    missed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    indicators = serializers.IntegerField()
    indicators_checked = serializers.IntegerField()


class PlanSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee = PersonSerializer()
    manager = PersonSerializer(allow_null=True)
    role = serializers.CharField(help_text="The blueprint's role slug.")
    blueprint_version = serializers.IntegerField()
    start_date = serializers.DateField()
    reason = serializers.ChoiceField(choices=Plan.Reason.choices)
    state = serializers.ChoiceField(choices=Plan.State.choices)
    version = serializers.IntegerField()
    counts = PlanCountsSerializer()


class PlanSerializer(PlanSummarySerializer):
    closed_at = serializers.DateTimeField(allow_null=True)
    goals = GoalSerializer(many=True)
    indicators = IndicatorSerializer(many=True)
    can_update_goals = serializers.BooleanField()
    can_adapt = serializers.BooleanField()


class GoalUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The goal's version you read.")
    status = serializers.ChoiceField(choices=Goal.Status.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=MAX_NOTES)
    evidence = serializers.ListField(
        child=serializers.CharField(max_length=2000), required=False, help_text="Links or notes, one per item."
    )
    text = serializers.CharField(required=False, max_length=MAX_TEXT, help_text="Manager and HR only.")
    due_date = serializers.DateField(required=False, allow_null=True, help_text="Manager and HR only.")
    removed = serializers.BooleanField(required=False, help_text="true takes the goal off the plan (manager, HR).")


class GoalAddSerializer(serializers.Serializer):
    horizon = serializers.ChoiceField(choices=Horizon.choices)
    text = serializers.CharField(max_length=MAX_TEXT)
    due_date = serializers.DateField(required=False, allow_null=True, help_text="Default: due with its horizon.")


class IndicatorCheckSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    checked = serializers.BooleanField(default=True)


def _person(employee: Any) -> dict[str, str] | None:
    return None if employee is None else {"username": employee.user.username, "name": employee.name}


def counts_data(plan: Plan) -> dict[str, int]:
    return {
        "goals": plan.goals_total,  # type: ignore[attr-defined]
        "not_started": plan.goals_not_started,  # type: ignore[attr-defined]
        "in_progress": plan.goals_in_progress,  # type: ignore[attr-defined]
        "done": plan.goals_done,  # type: ignore[attr-defined]
        "missed": plan.goals_missed,  # type: ignore[attr-defined]
        "overdue": plan.goals_overdue,  # type: ignore[attr-defined]
        "indicators": plan.indicators_total,  # type: ignore[attr-defined]
        "indicators_checked": plan.indicators_checked,  # type: ignore[attr-defined]
    }


def plan_summary_data(plan: Plan) -> dict[str, Any]:
    """A plan annotated by plans.selectors.with_counts, with employee, manager and blueprint loaded."""
    return {
        "id": plan.pk,
        "employee": _person(plan.employee),
        "manager": _person(plan.employee.manager),
        "role": plan.blueprint_version.role.slug,
        "blueprint_version": plan.blueprint_version.number,
        "start_date": plan.start_date,
        "reason": plan.reason,
        "state": plan.state,
        "version": plan.version,
        "counts": counts_data(plan),
    }


def goal_data(goal: Goal, today: date) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "horizon": goal.horizon,
        "position": goal.position,
        "text": goal.text,
        "due_date": goal.due_date,
        "status": goal.status,
        "notes": goal.notes,
        "evidence": goal.evidence_lines,
        "overdue_days": goal.overdue_days(today),
        "added_by_manager": goal.added_by_manager,
        "version": goal.version,
    }


def indicator_data(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.pk,
        "horizon": indicator.horizon,
        "text": indicator.text,
        "checked": indicator.checked,
        "checked_by": indicator.checked_by.get_username() if indicator.checked_by else None,
        "checked_at": indicator.checked_at,
        "version": indicator.version,
    }
