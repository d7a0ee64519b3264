"""The plan API: list and read the plans the caller may see, update goals, adapt the plan, tick indicators
off; every path is in the OpenAPI schema."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from plans.models import Goal, Indicator
from tests.plans.conftest import goals, user


def api(username):
    client = APIClient()
    client.force_authenticate(user(username))
    return client


def test_it_lists_plans_with_their_counts(plan):
    rows = api("manager").get("/api/v1/plans/?employee=newhire").json()
    assert len(rows) == 1
    row = rows[0]
    assert row["employee"] == {"username": "newhire", "name": "Newhire"}
    assert row["manager"]["username"] == "manager" and row["role"] == "staff-software-engineer"
    assert row["state"] == "active" and row["reason"] == "start"
    assert row["counts"]["goals"] == len(goals(plan)) and row["counts"]["not_started"] == len(goals(plan))
    assert api("manager").get("/api/v1/plans/?employee=engineer").json() == []
    assert api("manager").get("/api/v1/plans/?state=bogus").status_code == 400


def test_it_reads_one_plan(plan):
    body = api("newhire").get(f"/api/v1/plans/{plan.pk}/").json()
    assert body["id"] == plan.pk and body["can_update_goals"] is True and body["can_adapt"] is False
    assert [g["id"] for g in body["goals"]] == [g.pk for g in goals(plan)]
    first = body["goals"][0]
    assert set(first) >= {"horizon", "text", "due_date", "status", "notes", "evidence", "overdue_days", "version"}
    assert len(body["indicators"]) == Indicator.objects.filter(plan=plan).count()


def test_the_person_updates_a_goal(plan):
    goal = goals(plan)[0]
    response = api("newhire").patch(
        f"/api/v1/plans/{plan.pk}/goals/{goal.pk}/",
        {"version": 1, "status": "in_progress", "notes": "Halfway", "evidence": ["https://x.example.test/a"]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "in_progress" and response.json()["version"] == 2
    assert response.json()["evidence"] == ["https://x.example.test/a"]
    refused = api("newhire").patch(
        f"/api/v1/plans/{plan.pk}/goals/{goal.pk}/", {"version": 2, "text": "Easier goal"}, format="json"
    )
    assert refused.status_code == 403


def test_the_manager_adapts_through_the_api(plan, today):
    client = api("manager")
    goal = goals(plan)[0]
    edited = client.patch(
        f"/api/v1/plans/{plan.pk}/goals/{goal.pk}/",
        {"version": 1, "text": "Sharper", "due_date": (today + timedelta(days=5)).isoformat()},
        format="json",
    )
    assert edited.status_code == 200 and edited.json()["text"] == "Sharper"
    added = client.post(f"/api/v1/plans/{plan.pk}/goals/", {"horizon": "30d", "text": "Shadow on-call"}, format="json")
    assert added.status_code == 201 and added.json()["added_by_manager"] is True
    new_id = added.json()["id"]
    assert client.delete(f"/api/v1/plans/{plan.pk}/goals/{new_id}/?version=1").status_code == 204
    assert Goal.objects.get(pk=new_id).removed
    removed = client.patch(f"/api/v1/plans/{plan.pk}/goals/{goal.pk}/", {"version": 2, "removed": True}, format="json")
    assert removed.status_code == 204
    indicator = Indicator.objects.filter(plan=plan).first()
    ticked = client.post(f"/api/v1/plans/{plan.pk}/indicators/{indicator.pk}/check/", {"version": 1}, format="json")
    assert ticked.status_code == 200 and ticked.json()["checked"] is True and ticked.json()["checked_by"] == "manager"


@pytest.mark.parametrize(
    "body",
    [{}, {"version": 1, "status": "finished"}, {"version": "x"}, {"version": 1, "notes": "x" * 10001}],
)
def test_bad_input_is_a_400_in_json(plan, body):
    goal = goals(plan)[0]
    response = api("newhire").patch(f"/api/v1/plans/{plan.pk}/goals/{goal.pk}/", body, format="json")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert Goal.objects.get(pk=goal.pk).version == 1


def test_unknown_goals_and_plans_are_404(plan):
    client = api("manager")
    assert client.get("/api/v1/plans/999999/").status_code == 404
    assert client.patch(f"/api/v1/plans/{plan.pk}/goals/999999/", {"version": 1}, format="json").status_code == 404


def test_anonymous_callers_are_told_to_authenticate(plan):
    assert APIClient().get("/api/v1/plans/").status_code == 401


def test_the_schema_has_every_plan_path(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    assert {"get"} <= set(paths["/api/v1/plans/"])
    assert {"get"} <= set(paths["/api/v1/plans/{plan_id}/"])
    assert {"post"} <= set(paths["/api/v1/plans/{plan_id}/goals/"])
    assert {"patch", "delete"} <= set(paths["/api/v1/plans/{plan_id}/goals/{goal_id}/"])
    assert {"post"} <= set(paths["/api/v1/plans/{plan_id}/indicators/{indicator_id}/check/"])
    assert "409" in paths["/api/v1/plans/{plan_id}/goals/{goal_id}/"]["patch"]["responses"]
