"""POST /api/v1/cycles/: HR creates a planned cycle; bad fields answer 400 naming them; others 403."""

import pytest

from audit.models import AuditEntry
from reviews.models import Cycle
from tests.reviews.api_support import as_

pytestmark = pytest.mark.django_db

CYCLES = "/api/v1/cycles/"
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
def org(staff_blueprint):
    from reviews.demo import demo_seed

    demo_seed()


def test_hr_creates_a_planned_cycle(org):
    response = as_("hr").post(CYCLES, {**BODY, "teams": ["platform"]})
    assert response.status_code == 201, response.content
    body = response.json()
    cycle = Cycle.objects.get(pk=body["id"])
    assert body["state"] == "planned" == cycle.state
    assert body["name"] == "2027 Q1" and body["self_due"] == "2027-03-05" and body["teams"] == ["platform"]
    assert body["review_counts"] == dict.fromkeys(
        ["draft", "self_submitted", "manager_submitted", "calibrated", "shared", "acknowledged"], 0
    )
    assert body["actions"] == ["open"]
    assert cycle.created_by.username == "hr"
    assert AuditEntry.objects.filter(action="cycle.create", target_id=str(cycle.pk)).exists()


def test_without_teams_a_cycle_is_for_everyone(org):
    response = as_("hr").post(CYCLES, BODY)
    assert response.status_code == 201 and response.json()["teams"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"teams": ["platform", "astronauts"]}, "teams"),
        ({"period_end": "2026-12-31"}, "period_end"),
        ({"manager_due": "2027-03-01"}, "manager_due"),
        ({"calibration_due": "2027-03-11"}, "calibration_due"),
        ({"signoff_due": "2027-03-18"}, "signoff_due"),
        ({"self_due": "2027-02-30"}, "self_due"),
        ({"self_due": "soon"}, "self_due"),
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"teams": "platform"}, "teams"),
    ],
)
def test_it_answers_400_naming_the_bad_field(org, change, field):
    before = Cycle.objects.count()
    response = as_("hr").post(CYCLES, {**BODY, **change})
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Cycle.objects.count() == before


def test_it_names_each_unknown_team(org):
    response = as_("hr").post(CYCLES, {**BODY, "teams": ["platform", "astronauts", "divers"]})
    assert response.json() == {"teams": ["No team has the slug 'astronauts'.", "No team has the slug 'divers'."]}


@pytest.mark.parametrize("field", list(BODY))
def test_every_field_but_teams_is_required(org, field):
    body = {key: value for key, value in BODY.items() if key != field}
    response = as_("hr").post(CYCLES, body)
    assert response.status_code == 400 and field in response.json()


@pytest.mark.parametrize("persona", ["engineer", "manager", "director"])
def test_only_hr_creates_cycles(org, persona):
    before = Cycle.objects.count()
    response = as_(persona).post(CYCLES, BODY)
    assert response.status_code == 403 and response.json() == {"detail": "Only HR can create review cycles."}
    assert Cycle.objects.count() == before


def test_anonymous_callers_get_401(org):
    assert as_(None).post(CYCLES, BODY).status_code == 401
