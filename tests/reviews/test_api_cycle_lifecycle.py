"""HR opens, advances and closes a cycle through the API; each step only from its state and only by HR."""

import pytest

from reviews.models import Cycle, Review
from tests.reviews.api_support import as_, move_to

pytestmark = pytest.mark.django_db

BODY = {
    "name": "2027 Q1",
    "period_start": "2027-01-01",
    "period_end": "2027-03-31",
    "self_due": "2027-03-05",
    "manager_due": "2027-03-12",
    "calibration_due": "2027-03-19",
    "signoff_due": "2027-04-09",
}


@pytest.fixture
def planned(staff_blueprint):
    from reviews.demo import demo_seed

    demo_seed()
    response = as_("hr").post("/api/v1/cycles/", BODY)
    assert response.status_code == 201
    return Cycle.objects.get(pk=response.json()["id"])


def _step(persona, cycle, step, body=None):
    return as_(persona).post(f"/api/v1/cycles/{cycle.pk}/{step}/", body)


def test_hr_opens_advances_and_closes_a_cycle(planned):
    response = _step("hr", planned, "open")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "open" and body["actions"] == ["advance"]
    assert body["enrolled"] == 3 == Review.objects.filter(cycle=planned).count()
    assert body["review_counts"]["draft"] == 3
    skipped = {item["username"]: item["reason"] for item in body["skipped"]}
    assert {"director", "hr"} <= set(skipped) and all(skipped.values())
    assert set(Review.objects.filter(cycle=planned).values_list("employee__user__username", flat=True)) == {
        "engineer",
        "engineer2",
        "newhire",
    }

    assert _step("hr", planned, "advance").json()["state"] == "calibrating"

    shared = move_to(Review.objects.get(cycle=planned, employee__user__username="engineer"), "shared")
    unfinished = sorted(Review.objects.filter(cycle=planned).exclude(pk=shared.pk).values_list("pk", flat=True))
    response = _step("hr", planned, "close", {"confirm_unfinished": unfinished[:1]})
    assert response.status_code == 400
    assert response.json()["unfinished"] == unfinished
    assert "confirm_unfinished" in response.json()
    assert Cycle.objects.get(pk=planned.pk).state == "calibrating"

    response = _step("hr", planned, "close", {"confirm_unfinished": unfinished, "reason": "Two people on leave."})
    assert response.status_code == 200
    assert response.json()["state"] == "closed" and response.json()["closed_at"]
    assert response.json()["actions"] == []


def test_a_cycle_for_some_teams_enrols_only_their_people(staff_blueprint):
    from reviews.demo import demo_seed

    demo_seed()
    created = as_("hr").post("/api/v1/cycles/", {**BODY, "teams": ["payments"]}).json()
    body = as_("hr").post(f"/api/v1/cycles/{created['id']}/open/").json()
    assert body["enrolled"] == 1
    assert list(Review.objects.filter(cycle_id=created["id"]).values_list("employee__user__username", flat=True)) == [
        "engineer2"
    ]


@pytest.mark.parametrize(
    ("steps_before", "step"),
    [
        ([], "advance"),
        ([], "close"),
        (["open"], "open"),
        (["open"], "close"),
        (["open", "advance"], "open"),
        (["open", "advance"], "advance"),
    ],
)
def test_each_step_only_from_its_state(planned, steps_before, step):
    for before in steps_before:
        assert _step("hr", planned, before).status_code == 200
    state = Cycle.objects.get(pk=planned.pk).state
    response = _step("hr", planned, step)
    assert response.status_code == 403, response.content
    assert response.json()["detail"].startswith(f"The cycle is {state}")
    assert Cycle.objects.get(pk=planned.pk).state == state


@pytest.mark.parametrize("persona", ["engineer", "manager", "director"])
@pytest.mark.parametrize("step", ["open", "advance", "close"])
def test_only_hr_moves_cycles(planned, persona, step):
    response = _step(persona, planned, step)
    assert response.status_code == 403 and "Only HR" in response.json()["detail"]
    assert Cycle.objects.get(pk=planned.pk).state == "planned"


@pytest.mark.parametrize("step", ["open", "advance", "close"])
def test_an_unknown_cycle_answers_404(planned, step):
    response = as_("hr").post(f"/api/v1/cycles/424242/{step}/")
    assert response.status_code == 404


def test_anonymous_callers_get_401(planned):
    assert _step(None, planned, "open").status_code == 401
    assert Cycle.objects.get(pk=planned.pk).state == "planned"


def test_close_refuses_ids_that_are_not_numbers(planned):
    _step("hr", planned, "open")
    _step("hr", planned, "advance")
    response = _step("hr", planned, "close", {"confirm_unfinished": ["all"]})
    assert response.status_code == 400 and "confirm_unfinished" in response.json()
