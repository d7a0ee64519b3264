"""A cycle chooses the DORA report year whose tiers judge its figures; only a year with tiers loaded."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from tests.org_builders import small_org
from tests.reviews.cycle_support import new_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def org():
    return small_org()


def test_it_defaults_to_the_2023_report():
    cycle = new_cycle()
    assert cycle.dora_report_year == 2023


def test_it_keeps_a_chosen_year_that_has_tiers():
    cycle = new_cycle(dora_report_year=2021)
    cycle.refresh_from_db()
    assert cycle.dora_report_year == 2021
    entry = AuditEntry.objects.get(action="cycle.create", target_id=str(cycle.pk))
    assert entry.after["dora_report_year"] == 2021


def test_it_refuses_a_year_without_tiers():
    with pytest.raises(ValidationError) as refused:
        new_cycle(dora_report_year=2019)
    assert "dora_report_year" in refused.value.message_dict


CYCLE_FIELDS = {
    "name": "2027 Q1 review",
    "period_start": "2027-01-01",
    "period_end": "2027-03-31",
    "self_due": "2027-04-05",
    "manager_due": "2027-04-12",
    "calibration_due": "2027-04-19",
    "signoff_due": "2027-04-30",
}


def test_hr_chooses_the_report_year_on_the_new_cycle_page(org):
    from reviews.models import Cycle
    from tests.reviews.cycle_support import client_as

    page = client_as("hr").get("/cycles/new/").content.decode()
    assert '<option value="2023" selected>2023 report</option>' in page
    assert '<option value="2021">2021 report</option>' in page

    response = client_as("hr").post("/cycles/new/", {**CYCLE_FIELDS, "dora_report_year": "2021"})

    cycle = Cycle.objects.get(name="2027 Q1 review")
    assert response.status_code == 302 and cycle.dora_report_year == 2021
    assert "DORA tiers of the 2021 report" in client_as("hr").get(f"/cycles/{cycle.pk}/").content.decode()


def test_the_new_cycle_page_refuses_a_year_without_tiers(org):
    from reviews.models import Cycle
    from tests.reviews.cycle_support import client_as

    response = client_as("hr").post("/cycles/new/", {**CYCLE_FIELDS, "dora_report_year": "2019"})

    assert "dora_report_year" in response.context["form"].errors
    assert not Cycle.objects.exists()


def test_the_api_sets_and_shows_the_report_year(org):
    from tests.reviews.api_support import as_

    created = as_("hr").post("/api/v1/cycles/", {**CYCLE_FIELDS, "dora_report_year": 2021})
    assert created.status_code == 201, created.content
    assert created.json()["dora_report_year"] == 2021
    assert as_("hr").get(f"/api/v1/cycles/{created.json()['id']}/").json()["dora_report_year"] == 2021
    default = as_("hr").post("/api/v1/cycles/", {**CYCLE_FIELDS, "name": "Another"})
    assert default.json()["dora_report_year"] == 2023
    refused = as_("hr").post("/api/v1/cycles/", {**CYCLE_FIELDS, "name": "Third", "dora_report_year": 2019})
    assert refused.status_code == 400 and "dora_report_year" in str(refused.json())
