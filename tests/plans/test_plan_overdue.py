"""A goal past its due date that is neither done nor missed is overdue, and the plan page says by how long."""

from datetime import timedelta

import pytest

from plans.models import Goal
from plans.selectors import own_plan
from plans.services import plan_goal_edit
from tests.plans.conftest import goals, user


@pytest.mark.parametrize(
    ("days_past", "status", "overdue"),
    [
        (3, "not_started", 3),
        (1, "in_progress", 1),
        (0, "in_progress", 0),
        (-2, "not_started", 0),
        (5, "done", 0),
        (5, "missed", 0),
    ],
)
def test_it_counts_the_days_past_the_due_date_of_open_goals(today, days_past, status, overdue):
    goal = Goal(horizon="30d", position=1, text="x", status=status, due_date=today - timedelta(days=days_past))
    assert goal.overdue_days(today) == overdue


def test_long_term_and_removed_goals_are_never_overdue(today):
    assert Goal(horizon="long_term", position=1, text="x", due_date=None).overdue_days(today) == 0
    removed = Goal(horizon="30d", position=1, text="x", due_date=today - timedelta(days=9), removed=True)
    assert removed.overdue_days(today) == 0


def test_the_page_and_the_counts_show_an_overdue_goal(client, plan, today):
    goal = goals(plan, "30d")[0]
    plan_goal_edit(actor=user("manager"), plan=plan, goal_id=goal.pk, version=1, due_date=today - timedelta(days=4))
    assert own_plan(user=user("newhire"), today=today).goals_overdue == 1
    client.force_login(user("newhire"))
    html = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Overdue by 4 days" in html and "goal--overdue" in html
    manager_view = client
    manager_view.force_login(user("manager"))
    listing = manager_view.get("/plans/").content.decode()
    assert "plan-row--overdue" in listing and "1 overdue" in listing
