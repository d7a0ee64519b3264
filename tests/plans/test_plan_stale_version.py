"""A write with a stale version changes nothing: the service raises PlanConflict, the API answers 409 with the
current version, the page answers 409 with a conflict message."""

import pytest
from rest_framework.test import APIClient

from plans.models import Goal
from plans.services import PlanConflict, plan_goal_edit, plan_goal_update
from tests.plans.conftest import goals, user


def test_the_service_refuses_a_stale_version(plan):
    goal = goals(plan)[0]
    plan_goal_update(actor=user("newhire"), plan=plan, goal_id=goal.pk, version=1, status="in_progress")
    with pytest.raises(PlanConflict) as raised:
        plan_goal_edit(actor=user("manager"), plan=plan, goal_id=goal.pk, version=1, text="Overwrite")
    assert raised.value.current_version == 2
    assert Goal.objects.get(pk=goal.pk).text == goal.text


def test_the_api_answers_409_with_the_current_version(plan):
    goal = goals(plan)[0]
    plan_goal_update(actor=user("manager"), plan=plan, goal_id=goal.pk, version=1, notes="first")
    client = APIClient()
    client.force_authenticate(user("newhire"))
    response = client.patch(
        f"/api/v1/plans/{plan.pk}/goals/{goal.pk}/", {"version": 1, "notes": "second"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["version"] == 2
    assert Goal.objects.get(pk=goal.pk).notes == "first"


def test_the_page_answers_409_and_keeps_the_stored_value(client, plan):
    goal = goals(plan)[0]
    plan_goal_update(actor=user("manager"), plan=plan, goal_id=goal.pk, version=1, notes="theirs")
    client.force_login(user("newhire"))
    response = client.post(
        f"/plans/{plan.pk}/goals/{goal.pk}/", {"status": "done", "notes": "mine", "evidence": "", "version": 1}
    )
    assert response.status_code == 409
    assert "Someone else changed this goal" in response.content.decode()
    assert Goal.objects.get(pk=goal.pk).notes == "theirs"


def test_htmx_gets_the_goal_back_with_the_conflict(client, plan):
    goal = goals(plan)[0]
    plan_goal_update(actor=user("manager"), plan=plan, goal_id=goal.pk, version=1, notes="theirs")
    client.force_login(user("newhire"))
    response = client.post(
        f"/plans/{plan.pk}/goals/{goal.pk}/",
        {"status": "done", "notes": "mine", "evidence": "", "version": 1},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 409 and html.lstrip().startswith("<article")
    assert "theirs" in html and 'name="version" value="2"' in html
