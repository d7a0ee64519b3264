import pytest

from audit.models import AuditEntry
from reviews.models import Cycle
from tests.reviews.cycle_support import client_as, demo_org  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_org")]

VALID = {
    "name": "2027 Q1 review",
    "period_start": "2027-01-01",
    "period_end": "2027-03-31",
    "self_due": "2027-04-05",
    "manager_due": "2027-04-12",
    "calibration_due": "2027-04-19",
    "signoff_due": "2027-04-30",
}


def test_it_lets_hr_create_a_planned_cycle():
    response = client_as("hr").post("/cycles/new/", {**VALID, "teams": ["platform"]})
    cycle = Cycle.objects.get(name="2027 Q1 review")
    assert response.status_code == 302 and response["Location"] == f"/cycles/{cycle.pk}/"
    assert cycle.state == "planned" and str(cycle.signoff_due) == "2027-04-30"
    assert list(cycle.teams.values_list("slug", flat=True)) == ["platform"]
    assert AuditEntry.objects.filter(action="cycle.create", target_id=str(cycle.pk)).exists()


def test_it_shows_each_problem_next_to_its_field():
    data = {**VALID, "name": "", "period_end": "2026-12-01", "calibration_due": "2027-04-01"}
    response = client_as("hr").post("/cycles/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["name"] == ["This field is required."]
    assert form.errors["period_end"] == ["The review period ends before it starts."]
    assert form.errors["calibration_due"] == ["Must be on or after the manager review deadline (12 Apr 2027)."]
    assert set(form.errors) == {"name", "period_end", "calibration_due"}
    page = response.content.decode()
    assert 'id="id_period_end_errors"' in page and 'aria-invalid="true"' in page
    assert 'value="2027-04-05"' in page  # what HR typed stays
    assert not Cycle.objects.exists()


def test_it_refuses_a_date_it_cannot_read():
    response = client_as("hr").post("/cycles/new/", {**VALID, "self_due": "5th of April"})
    assert response.context["form"].errors["self_due"] == ["Enter a valid date."]
    assert not Cycle.objects.exists()


def test_it_refuses_everyone_but_hr():
    for username in ("engineer", "manager", "director"):
        client = client_as(username)
        assert client.get("/cycles/new/").status_code == 403
        assert client.post("/cycles/new/", VALID).status_code == 403
    assert not Cycle.objects.exists()


def test_it_needs_a_csrf_token():
    client = client_as("hr", enforce_csrf_checks=True)
    assert client.post("/cycles/new/", VALID).status_code == 403
    assert 'name="csrfmiddlewaretoken"' in client.get("/cycles/new/").content.decode()
    assert not Cycle.objects.exists()
