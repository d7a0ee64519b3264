"""A role change mid-plan closes the plan (its goals stay on it, as they were) and starts a new plan from the
new role's newest published blueprint, counted from the day of the change. A moved start date moves the plan."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry
from org.services import EmployeeChanges, employee_snapshot, employee_update
from plans.models import Goal, Plan
from plans.services import plan_goal_update
from scorecards.selectors import blueprint_to_dict, blueprint_version_by_id
from scorecards.services import blueprint_import
from tests.plans.conftest import employee, goals, user


def _changes(username, **values):
    person = employee(username)
    snapshot = employee_snapshot(person)
    fields = {
        "name": snapshot["name"],
        "email": snapshot["email"],
        "title": snapshot["title"],
        "role": person.role,
        "level": snapshot["level"],
        "team": person.team,
        "manager": person.manager,
        "start_date": person.start_date,
        "active": True,
    }
    fields.update(values)
    return person, EmployeeChanges(**fields)


@pytest.fixture
def principal(staff_blueprint):
    """Another role with its own blueprint, whose 30-day milestone has a single goal."""
    data = blueprint_to_dict(blueprint_version_by_id(staff_blueprint.pk))
    data.update(slug="principal-engineer", title="Principal Engineer")
    data["milestones"] = [
        {"horizon": "30d", "goals": ["Meet every team lead"], "success_indicators": ["Knows the org"]},
        {"horizon": "90d", "goals": ["Publish a technical strategy"], "success_indicators": []},
    ]
    return blueprint_import(actor=None, data=data, publish=True).version


def test_it_closes_the_plan_and_starts_one_from_the_new_blueprint(plan, principal, today):
    first = goals(plan)[0]
    plan_goal_update(actor=user("newhire"), plan=plan, goal_id=first.pk, version=1, status="done", notes="kept")
    person, changes = _changes("newhire", role=principal.role)
    employee_update(actor=user("hr"), employee=person, changes=changes, reason="Promoted")

    plan.refresh_from_db()
    assert plan.state == "closed" and plan.closed_at is not None and "Promoted" in plan.closed_reason
    # The closed plan keeps its goals as they were, open ones included.
    assert Goal.objects.get(pk=first.pk).status == "done" and Goal.objects.get(pk=first.pk).notes == "kept"
    assert Goal.objects.filter(plan=plan, status="not_started").count() == len(goals(plan)) - 1

    new = Plan.objects.get(employee=person, state="active")
    assert new.blueprint_version == principal and new.reason == "role_change" and new.start_date == today
    assert [(g.horizon, g.text, g.due_date) for g in goals(new)] == [
        ("30d", "Meet every team lead", today + timedelta(days=30)),
        ("90d", "Publish a technical strategy", today + timedelta(days=90)),
    ]
    actions = set(AuditEntry.objects.filter(action__startswith="plan.").values_list("action", flat=True))
    assert {"plan.close", "plan.create"} <= actions


def test_nobody_writes_to_the_closed_plan(plan, principal):
    person, changes = _changes("newhire", role=principal.role)
    employee_update(actor=user("hr"), employee=person, changes=changes)
    plan.refresh_from_db()
    with pytest.raises(PermissionDenied):
        plan_goal_update(actor=user("manager"), plan=plan, goal_id=goals(plan)[0].pk, version=1, status="done")


def test_it_moves_the_plan_with_a_corrected_start_date(plan):
    due_before = {g.pk: g.due_date for g in goals(plan)}
    plan_goal_update(actor=user("newhire"), plan=plan, goal_id=goals(plan)[0].pk, version=1, status="in_progress")
    person, changes = _changes("newhire", start_date=plan.start_date + timedelta(days=7))
    employee_update(actor=user("hr"), employee=person, changes=changes)
    assert Plan.objects.filter(employee=person).count() == 1
    moved = {g.pk: g.due_date for g in goals(plan)}
    assert all(moved[pk] == day + timedelta(days=7) for pk, day in due_before.items() if day)
    assert goals(plan)[0].status == "in_progress"
    assert AuditEntry.objects.filter(action="plan.redate").count() == 1


def test_a_first_role_long_after_the_start_makes_no_plan(org, staff_blueprint):
    """Filling in a missing blueprint for someone who started years ago is not onboarding."""
    person, changes = _changes("manager", role=staff_blueprint.role)
    employee_update(actor=user("hr"), employee=person, changes=changes)
    assert not Plan.objects.exists()


def test_a_first_role_while_onboarding_counts_from_the_start_date(org, staff_blueprint, today):
    person, changes = _changes("manager", role=staff_blueprint.role, start_date=today - timedelta(days=10))
    employee_update(actor=user("hr"), employee=person, changes=changes)
    plan = Plan.objects.get(employee=person)
    assert plan.reason == "start" and plan.start_date == today - timedelta(days=10)
