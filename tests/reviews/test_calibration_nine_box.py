"""The 9-box places each person by performance (the final rating once calibrated, else the proposed one:
1-2 low, 3 medium, 4-5 high) and the manager's view of potential; the others are listed as not placed."""

import pytest

from reviews.calibration import CalibrationFilters, calibration_overview
from tests.reviews.calibration_support import calibration_cycle, place, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(staff_blueprint):
    cycle = calibration_cycle(engineers=8)
    place(cycle, "eng0001", state="manager_submitted", self_scores=3, manager_scores=5, potential="high")
    place(cycle, "eng0002", state="manager_submitted", self_scores=3, manager_scores=4, potential="low")
    place(cycle, "eng0003", state="calibrated", self_scores=3, manager_scores=5, potential="high", final=3)
    place(cycle, "eng0004", state="manager_submitted", self_scores=3, manager_scores=2, potential="medium")
    place(cycle, "eng0005", state="calibrated", self_scores=3, manager_scores=3, potential="low", final=1)
    # 3.50 rounds half up to a proposed 4.
    place(
        cycle,
        "eng0006",
        state="manager_submitted",
        self_scores=3,
        manager_scores=[4, 3, 3, 4, 3, 4, 3],
        potential="medium",
    )
    place(cycle, "eng0007", state="manager_submitted", self_scores=3, manager_scores=4)  # no potential
    place(cycle, "eng0008", state="self_submitted", self_scores=3, potential="high")  # no performance yet
    return cycle


def placed(cycle) -> dict[tuple[str, str], set[str]]:
    result = calibration_overview(user=user("hr"), cycle=cycle, filters=CalibrationFilters())
    return {(cell.performance, cell.potential): {row.username for row in cell.rows} for cell in result.nine_box}


def test_it_places_people_by_performance_and_potential(cycle):
    cells = placed(cycle)
    assert cells[("high", "high")] == {"eng0001"}
    assert cells[("high", "low")] == {"eng0002"}
    assert cells[("medium", "high")] == {"eng0003"}  # the final rating wins over the proposed 5
    assert cells[("low", "medium")] == {"eng0004"}
    assert cells[("low", "low")] == {"eng0005"}
    assert cells[("high", "medium")] == {"eng0006"}


def test_it_has_nine_cells_high_performance_and_potential_first(cycle):
    result = calibration_overview(user=user("hr"), cycle=cycle, filters=CalibrationFilters())
    order = [(cell.performance, cell.potential) for cell in result.nine_box]
    assert len(order) == 9 and len(set(order)) == 9
    assert order[0] == ("high", "high")


def test_it_lists_people_without_a_rating_or_a_potential_as_not_placed(cycle):
    result = calibration_overview(user=user("hr"), cycle=cycle, filters=CalibrationFilters())
    not_placed = {row.username for row in result.not_placed}
    assert {"eng0007", "eng0008", "engineer", "newhire", "engineer2"} == not_placed
    assert sum(len(cell.rows) for cell in result.nine_box) + len(not_placed) == len(result.rows)
