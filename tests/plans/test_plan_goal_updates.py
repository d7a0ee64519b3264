"""The person and their manager record progress on goals (status, notes, evidence); only the manager (and HR)
adapt the plan: edit, add, remove goals, tick success indicators off. Every write is audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry
from plans.models import Goal, Indicator
from plans.services import (
    plan_goal_add,
    plan_goal_edit,
    plan_goal_remove,
    plan_goal_update,
    plan_indicator_check,
)
from tests.plans.conftest import goals, user


@pytest.mark.parametrize("username", ["newhire", "manager", "hr"])
def test_the_person_their_manager_and_hr_update_a_goal(plan, username):
    goal = goals(plan)[0]
    saved = plan_goal_update(
        actor=user(username),
        plan=plan,
        goal_id=goal.pk,
        version=goal.version,
        status="in_progress",
        notes="Met the PM",
        evidence="https://wiki.example.test/notes",
    )
    assert (saved.status, saved.notes, saved.evidence, saved.version) == (
        "in_progress",
        "Met the PM",
        "https://wiki.example.test/notes",
        2,
    )
    entry = AuditEntry.objects.get(action="plan.goal_update", target_id=str(goal.pk))
    assert entry.actor.username == username
    assert entry.before == {"status": "not_started", "notes": "", "evidence": ""}


@pytest.mark.parametrize("username", ["director", "engineer", "manager2"])
def test_nobody_else_updates_a_goal(plan, username):
    goal = goals(plan)[0]
    with pytest.raises(PermissionDenied):
        plan_goal_update(actor=user(username), plan=plan, goal_id=goal.pk, version=1, status="done")
    assert Goal.objects.get(pk=goal.pk).status == "not_started"


def test_the_manager_adapts_the_plan(plan, today):
    manager = user("manager")
    goal = goals(plan, "30d")[0]
    edited = plan_goal_edit(
        actor=manager, plan=plan, goal_id=goal.pk, version=1, text="Reworded", due_date=today + timedelta(days=3)
    )
    assert (edited.text, edited.due_date, edited.version) == ("Reworded", today + timedelta(days=3), 2)
    added = plan_goal_add(actor=manager, plan=plan, horizon="60d", text="Run a postmortem")
    assert added.added_by_manager and added.due_date == plan.start_date + timedelta(days=60)
    removed = plan_goal_remove(actor=manager, plan=plan, goal_id=goals(plan, "90d")[0].pk, version=1)
    assert removed.removed and Goal.objects.filter(pk=removed.pk).exists()  # kept for the history
    assert removed.pk not in [g.pk for g in goals(plan)]
    indicator = Indicator.objects.filter(plan=plan).first()
    ticked = plan_indicator_check(actor=manager, plan=plan, indicator_id=indicator.pk, checked=True, version=1)
    assert ticked.checked and ticked.checked_by == manager and ticked.checked_at is not None
    actions = list(AuditEntry.objects.filter(action__startswith="plan.").values_list("action", flat=True))
    assert {"plan.goal_edit", "plan.goal_add", "plan.goal_remove", "plan.indicator_check"} <= set(actions)
    plan.refresh_from_db()
    assert plan.version == 5  # one step per write


@pytest.mark.parametrize("username", ["newhire", "director", "engineer"])
def test_only_the_manager_and_hr_adapt_the_plan(plan, username):
    goal = goals(plan)[0]
    indicator = Indicator.objects.filter(plan=plan).first()
    with pytest.raises(PermissionDenied):
        plan_goal_edit(actor=user(username), plan=plan, goal_id=goal.pk, version=1, text="Mine now")
    with pytest.raises(PermissionDenied):
        plan_goal_add(actor=user(username), plan=plan, horizon="30d", text="Extra")
    with pytest.raises(PermissionDenied):
        plan_goal_remove(actor=user(username), plan=plan, goal_id=goal.pk, version=1)
    with pytest.raises(PermissionDenied):
        plan_indicator_check(actor=user(username), plan=plan, indicator_id=indicator.pk, checked=True, version=1)
    assert Goal.objects.get(pk=goal.pk).text == goal.text and not Goal.objects.get(pk=goal.pk).removed


def test_hr_adapts_any_plan(plan):
    added = plan_goal_add(actor=user("hr"), plan=plan, horizon="30d", text="Compliance training")
    assert added.added_by_manager


def test_it_refuses_an_unknown_status(plan):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        plan_goal_update(actor=user("newhire"), plan=plan, goal_id=goals(plan)[0].pk, version=1, status="finished")
