"""The new hires page shows every report's active plan with its progress and overdue count in a fixed number
of queries, for 1 plan as for 10; the plan page too, whatever the number of goals."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.services import plan_goal_add
from tests.org_builders import person
from tests.plans.conftest import employee, start_plan, user

# Session, user, groups and employee record; the caller's own plan; their place in the chain; the plans
# below them with their counts.
INDEX_QUERIES = 4 + 3
# The plan with its people (fetch and check); the counts; the goals; the indicators.
DETAIL_QUERIES = 4 + 4


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_new_hires_page_costs_the_same_for_1_and_10_plans(client, plan, staff_blueprint, today):
    client.force_login(user("manager"))
    one, html = _count(client, "/plans/")
    assert len(re.findall(r'href="/plans/\d+/"', html)) == 1
    manager = employee("manager")
    for n in range(9):
        hire = person(f"hire{n}", manager=manager)
        hire.role = staff_blueprint.role
        hire.save()
        start_plan(f"hire{n}", today - timedelta(days=n))
    ten, html = _count(client, "/plans/")
    assert html.count("plan-progress__bar") == 10
    assert one == ten <= INDEX_QUERIES, (one, ten)


def test_the_plan_page_costs_the_same_whatever_the_number_of_goals(client, plan, django_assert_max_num_queries):
    client.force_login(user("manager"))
    before, _html = _count(client, f"/plans/{plan.pk}/")
    for n in range(15):
        plan_goal_add(actor=user("manager"), plan=plan, horizon="60d", text=f"Extra goal {n}")
    after, html = _count(client, f"/plans/{plan.pk}/")
    assert "Extra goal 14" in html
    assert before == after <= DETAIL_QUERIES, (before, after)
