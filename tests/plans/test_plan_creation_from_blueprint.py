"""A plan is made from the blueprint's milestones: one goal per milestone goal, due 30, 60 and 90 days and
6 and 12 calendar months after the start; long-term goals have no due date; one indicator per success
indicator."""

from datetime import date

from audit.models import AuditEntry
from plans.models import Goal, Indicator, Plan
from scorecards.models import Milestone
from tests.plans.conftest import goals, start_plan


def test_it_makes_a_goal_for_each_milestone_goal_with_its_due_date(org, staff_blueprint):
    plan = start_plan("newhire", date(2026, 8, 31))
    assert plan.blueprint_version == staff_blueprint and plan.reason == "start" and plan.state == "active"
    due = {goal.horizon: goal.due_date for goal in goals(plan)}
    assert due == {
        "30d": date(2026, 9, 30),
        "60d": date(2026, 10, 30),
        "90d": date(2026, 11, 29),
        "6m": date(2027, 2, 28),  # 31 August + 6 calendar months: the last day of February
        "12m": date(2027, 8, 31),
        "long_term": None,
    }


def test_it_copies_the_goals_and_indicators_in_the_blueprints_order(org, staff_blueprint):
    plan = start_plan("newhire", date(2026, 3, 2))
    milestones = list(Milestone.objects.filter(version=staff_blueprint).order_by("position"))
    assert [g.text for g in goals(plan)] == [text for m in milestones for text in m.goals]
    indicators = list(Indicator.objects.filter(plan=plan).order_by("position"))
    assert [i.text for i in indicators] == [text for m in milestones for text in m.success_indicators]
    assert any(g.text.startswith("Understand product goals") for g in goals(plan, "30d"))
    assert len(goals(plan, "30d")) == 5 and len(goals(plan, "60d")) == 4
    assert {i.horizon for i in indicators} >= {"30d", "60d", "90d"}
    assert not any(i.checked for i in indicators)
    assert set(Goal.objects.filter(plan=plan).values_list("status", flat=True)) == {"not_started"}


def test_it_records_who_made_the_plan(org):
    plan = start_plan("newhire", date(2026, 3, 2))
    entry = AuditEntry.objects.get(action="plan.create", target_id=str(plan.pk))
    assert entry.actor.username == "hr"
    assert entry.after["start_date"] == "2026-03-02" and entry.after["goals"] == len(goals(plan))


def test_it_makes_no_plan_for_a_role_without_a_published_blueprint(org):
    from org.models import Employee
    from plans.services import plan_create_for
    from scorecards.models import Role

    person = Employee.objects.get(user__username="newhire")
    person.role = Role.objects.create(slug="designer", title="Designer")
    person.save()
    assert plan_create_for(employee=person, reason=Plan.Reason.START, actor=None) is None
    assert not Plan.objects.exists()
