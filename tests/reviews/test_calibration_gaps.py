"""A dimension is flagged when the self-assessment and the manager review are 2 or more apart, in either
direction, once both sides are submitted; 1 apart is not a gap."""

import pytest

from reviews.calibration import CalibrationFilters, Gap, calibration_rows
from tests.reviews.calibration_support import calibration_cycle, place, user

pytestmark = pytest.mark.django_db

DIMENSIONS = [
    "System design & architecture",
    "Hands-on coding & debugging",
    "Operational excellence",
    "Technical leadership",
    "Communication",
    "Security & quality mindset",
    "Collaboration & mentorship",
]


@pytest.fixture
def cycle(staff_blueprint):
    return calibration_cycle()


def gaps(cycle, username: str = "engineer") -> tuple[Gap, ...]:
    rows = calibration_rows(user=user("hr"), cycle=cycle, filters=CalibrationFilters())
    return next(row.gaps for row in rows if row.username == username)


def test_it_flags_dimensions_exactly_two_apart_and_not_one(cycle):
    place(
        cycle,
        "engineer",
        state="manager_submitted",
        self_scores=[5, 3, 1, 4, 3, 3, 2],
        manager_scores=[3, 2, 3, 5, 5, 3, 5],
    )
    assert gaps(cycle) == (
        Gap(dimension=DIMENSIONS[0], self_score=5, manager_score=3, difference=-2),
        Gap(dimension=DIMENSIONS[2], self_score=1, manager_score=3, difference=2),
        Gap(dimension=DIMENSIONS[4], self_score=3, manager_score=5, difference=2),
        Gap(dimension=DIMENSIONS[6], self_score=2, manager_score=5, difference=3),
    )


def test_it_flags_no_gap_before_the_manager_review_is_submitted(cycle):
    place(cycle, "engineer", state="self_submitted", self_scores=5, manager_scores=1)
    assert gaps(cycle) == ()


def test_it_flags_no_gap_where_one_side_is_unrated(cycle):
    place(
        cycle,
        "engineer",
        state="manager_submitted",
        self_scores=[5, 5, 5, 5, 5, 5, 5],
        manager_scores=[None, 5, 5, 5, 5, 5, 5],
    )
    assert gaps(cycle) == ()
