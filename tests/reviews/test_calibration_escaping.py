"""Names and justifications are shown as text: markup in them is escaped on the page and in the row."""

import pytest

from org.models import Employee
from tests.reviews.calibration_support import adjust_url, calibration_cycle, client_as, page_url, place

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMAGE = '<img src=x onerror="alert(2)">'


@pytest.fixture
def cycle(staff_blueprint):
    cycle = calibration_cycle()
    Employee.objects.filter(user__username="engineer2").update(name=f"Emery {SCRIPT}")
    Employee.objects.filter(user__username="manager2").update(name=f"Mika {IMAGE}")
    return cycle


def test_it_escapes_hostile_names_and_justifications_on_the_page(cycle):
    place(
        cycle,
        "engineer2",
        state="calibrated",
        self_scores=3,
        manager_scores=3,
        final=5,
        justification=IMAGE,
        potential="high",
    )
    from audit.services import audit_record
    from reviews.models import Review

    target = Review.objects.get(cycle=cycle, employee__user__username="engineer2")
    audit_record(
        actor=None,
        action="review.calibrate",
        target=target,
        before={"final_rating": None},
        after={"final_rating": 5, "weighted_manager_score": "3.00"},
        reason=SCRIPT + IMAGE,
    )
    content = client_as("hr").get(page_url(cycle)).content.decode()
    assert SCRIPT not in content and "<img src=x" not in content
    assert "Emery &lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "Mika &lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in content


def test_it_escapes_a_hostile_justification_in_the_swapped_row(cycle):
    target = place(cycle, "engineer2", state="manager_submitted", self_scores=3, manager_scores=3)
    response = client_as("hr").post(
        adjust_url(cycle, target),
        {"version": target.version, "final_rating": 4, "justification": SCRIPT},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert SCRIPT not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
