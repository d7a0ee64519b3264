"""Goals of 30/60/90 plans join the daily reminder: the person hears of a goal from three days before its due
date until it is done or missed, their manager once it is overdue; still one email per person per day."""

from datetime import timedelta

import pytest

from plans.services import plan_goal_edit, plan_goal_update
from reviews.models import ReminderLog
from reviews.reminders import reminders_send
from tests.plans.conftest import goals, user


def _send(today, capture):
    with capture(execute=True):
        return reminders_send(today=today)


def _email_to(mailoutbox, username):
    found = [m for m in mailoutbox if m.to == [f"{username}@example.test"]]
    assert len(found) == 1, [m.to for m in mailoutbox]
    return found[0]


@pytest.fixture
def overdue_goal(plan, today):
    goal = goals(plan, "30d")[0]
    plan_goal_edit(
        actor=user("manager"),
        plan=plan,
        goal_id=goal.pk,
        version=1,
        text="Ship a first fix",
        due_date=today - timedelta(days=2),
    )
    return goal


def test_an_overdue_goal_is_in_the_persons_and_the_managers_email(
    settings, overdue_goal, plan, today, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://staffrole.example.com"
    run = _send(today, django_capture_on_commit_callbacks)
    assert run.sent == ["manager", "newhire"]
    mine = _email_to(mailoutbox, "newhire")
    assert "Goal of your 30/60/90 plan: Ship a first fix" in mine.body
    assert "Overdue by 2 days: was due" in mine.body
    assert f"https://staffrole.example.com/plans/{plan.pk}/#goal-{overdue_goal.pk}" in mine.body
    assert mine.subject == "staffrole · 1 task waiting, 1 overdue"
    theirs = _email_to(mailoutbox, "manager")
    assert "Goal of Newhire's 30/60/90 plan: Ship a first fix" in theirs.body and "Overdue by 2 days" in theirs.body
    assert [item["kind"] for item in ReminderLog.objects.get(user__username="manager").items] == ["plan_goal"]


def test_it_still_sends_one_email_per_person_per_day(
    overdue_goal, today, mailoutbox, django_capture_on_commit_callbacks
):
    first = _send(today, django_capture_on_commit_callbacks)
    second = _send(today, django_capture_on_commit_callbacks)
    assert second.sent == [] and second.already == first.sent
    assert len(mailoutbox) == 2


def test_a_goal_due_soon_reminds_only_the_person(plan, today, mailoutbox, django_capture_on_commit_callbacks):
    goal = goals(plan, "30d")[0]
    plan_goal_edit(actor=user("manager"), plan=plan, goal_id=goal.pk, version=1, due_date=today + timedelta(days=3))
    assert _send(today, django_capture_on_commit_callbacks).sent == ["newhire"]
    assert "Due " in mailoutbox[0].body and "Overdue" not in mailoutbox[0].body


def test_a_done_or_missed_goal_reminds_nobody(
    overdue_goal, plan, today, mailoutbox, django_capture_on_commit_callbacks
):
    plan_goal_update(actor=user("newhire"), plan=plan, goal_id=overdue_goal.pk, version=2, status="missed")
    assert _send(today, django_capture_on_commit_callbacks).sent == []
    assert mailoutbox == []


def test_a_plan_three_weeks_in_has_nothing_due(plan, today, mailoutbox, django_capture_on_commit_callbacks):
    """The first goals fall due on day 30: nothing to say on day 21."""
    assert _send(today, django_capture_on_commit_callbacks).sent == []
