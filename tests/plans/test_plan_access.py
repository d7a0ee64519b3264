"""Who sees and writes a plan: the person, their manager chain and HR read it; another engineer and another
manager do not learn it exists (404) on the pages or the API; the director reads but does not write (403)."""

import pytest
from rest_framework.test import APIClient

from tests.plans.conftest import goals, user


@pytest.mark.parametrize(("username", "status"), [("newhire", 200), ("manager", 200), ("director", 200), ("hr", 200)])
def test_the_person_their_chain_and_hr_read_the_plan(client, plan, username, status):
    client.force_login(user(username))
    assert client.get(f"/plans/{plan.pk}/").status_code == status


@pytest.mark.parametrize("username", ["engineer", "engineer2", "manager2"])
def test_anyone_else_gets_404_on_the_pages_and_the_api(client, plan, username):
    goal = goals(plan)[0]
    client.force_login(user(username))
    assert client.get(f"/plans/{plan.pk}/").status_code == 404
    form = {"status": "done", "notes": "", "evidence": "", "version": 1}
    assert client.post(f"/plans/{plan.pk}/goals/{goal.pk}/", form).status_code == 404
    assert "Newhire" not in client.get("/plans/").content.decode()
    api = APIClient()
    api.force_authenticate(user(username))
    assert api.get(f"/api/v1/plans/{plan.pk}/").status_code == 404
    assert api.patch(f"/api/v1/plans/{plan.pk}/goals/{goal.pk}/", {"version": 1}, format="json").status_code == 404
    assert api.get("/api/v1/plans/").json() == []


def test_the_director_reads_but_does_not_write(client, plan):
    goal = goals(plan)[0]
    client.force_login(user("director"))
    html = client.get(f"/plans/{plan.pk}/").content.decode()
    assert 'name="status"' not in html and "Adapt this goal" not in html
    form = {"status": "done", "notes": "", "evidence": "", "version": 1}
    assert client.post(f"/plans/{plan.pk}/goals/{goal.pk}/", form).status_code == 403


def test_the_person_updates_but_does_not_adapt(client, plan):
    client.force_login(user("newhire"))
    html = client.get(f"/plans/{plan.pk}/").content.decode()
    assert 'name="status"' in html and "Adapt this goal" not in html and "Add a goal" not in html
    assert client.post(f"/plans/{plan.pk}/goals/add/", {"horizon": "30d", "text": "x"}).status_code == 403


def test_the_manager_sees_the_adapt_controls(client, plan):
    client.force_login(user("manager"))
    html = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Adapt this goal" in html and "Add a goal" in html and "Tick off" in html


def test_hr_reads_every_plan(plan, org, today):
    from tests.plans.conftest import start_plan

    other = start_plan("engineer2", today)
    api = APIClient()
    api.force_authenticate(user("hr"))
    assert {row["id"] for row in api.get("/api/v1/plans/").json()} == {plan.pk, other.pk}
    manager = APIClient()
    manager.force_authenticate(user("manager"))
    assert [row["id"] for row in manager.get("/api/v1/plans/").json()] == [plan.pk]
