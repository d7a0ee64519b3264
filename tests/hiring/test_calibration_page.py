from decimal import Decimal

import pytest
from django.urls import reverse

from tests.hiring.conftest import client_for
from tests.hiring.support import submit

pytestmark = pytest.mark.django_db


def test_it_answers_the_figures_through_the_api(hiring):
    submit(hiring["engineer_interview"], {"System design & architecture": "strong_yes", "Communication": "no_decision"})
    submit(hiring["manager2_interview"], {"Hands-on coding & debugging": "no"})
    body = client_for("hr").get(reverse("api-hiring-calibration")).json()
    figures = {row["interviewer"]: row for row in body}
    engineer = next(row for name, row in figures.items() if "Engineer" in name or "engineer" in name.lower())
    assert engineer["scorecards"] == 1
    assert engineer["distribution"]["strong_yes"] == 1 and engineer["distribution"]["no_decision"] == 1
    assert Decimal(engineer["no_decision_rate"]) == Decimal("0.50")
    assert Decimal(engineer["focus_fill_rate"]) == Decimal("1.00")
    # 4 against the rest of the panel's 2 on the same candidate.
    assert Decimal(engineer["leniency"]) == Decimal("2.00")


def test_it_keeps_calibration_to_hr_and_hiring_managers(hiring):
    assert client_for("engineer").get(reverse("hiring:calibration")).status_code == 403
    assert client_for("manager").get(reverse("hiring:calibration")).status_code == 200
