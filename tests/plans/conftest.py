"""A small organisation whose engineers have the Staff Software Engineer role, and newhire's plan."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from org.models import Employee
from plans.models import Goal, Plan
from plans.services import plan_create_for
from tests.org_builders import small_org


def user(username: str) -> User:
    return User.objects.get(username=username)


def employee(username: str) -> Employee:
    return Employee.objects.select_related("user", "manager").get(user__username=username)


def start_plan(username: str, start: date) -> Plan:
    person = employee(username)
    person.start_date = start
    person.save()
    plan = plan_create_for(employee=person, reason=Plan.Reason.START, actor=user("hr"))
    assert plan is not None
    return plan


def goals(plan: Plan, horizon: str | None = None) -> list[Goal]:
    found = Goal.objects.filter(plan=plan, removed=False).order_by("position")
    return list(found.filter(horizon=horizon) if horizon else found)


@pytest.fixture
def org(db: Any, staff_blueprint: Any) -> dict[str, Employee]:
    people = small_org()
    Employee.objects.filter(user__username__in=["engineer", "newhire", "engineer2"]).update(role=staff_blueprint.role)
    return people


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def plan(org: Any, today: date) -> Plan:
    """newhire started three weeks ago."""
    return start_plan("newhire", today - timedelta(days=21))
