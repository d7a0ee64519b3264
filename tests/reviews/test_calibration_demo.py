"""seed_demo gives the demo cycle something to calibrate: manager-submitted reviews with potential, and one
synthetic manager (mgr001) lenient enough for the page to flag."""

import pytest
from django.utils import timezone

from org.models import Employee
from reviews.calibration import CalibrationFilters, calibration_overview
from reviews.demo import demo_cycle_name, demo_seed
from reviews.models import Cycle
from tests.reviews.calibration_support import user

pytestmark = pytest.mark.django_db


def test_it_seeds_reviews_to_calibrate_and_a_lenient_manager(staff_blueprint):
    demo_seed(engineers=60, events=False)
    cycle = Cycle.objects.get(name=demo_cycle_name(timezone.localdate()))
    result = calibration_overview(user=user("hr"), cycle=cycle, filters=CalibrationFilters())
    assert result.figures["manager_submitted"] >= 10
    assert result.acceptable
    lenient = Employee.objects.get(user__username="mgr001").pk
    [skew] = [skew for skew in result.skews if skew.reviewer_id == lenient]
    assert (skew.flagged, skew.kind) == (True, "lenient")
    assert skew.mean == max(s.mean for s in result.skews if s.mean is not None)
    assert sum(len(cell.rows) for cell in result.nine_box) >= 20
