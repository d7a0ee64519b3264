"""POST /api/v1/reviews/{id}/reassign/: HR gives a review another reviewer, with a reason."""

import pytest

from audit.models import AuditEntry
from org.models import Employee
from tests.reviews.api_support import as_, dimensions, fresh, move_to, review_of, url

pytestmark = pytest.mark.django_db


def test_hr_reassigns_a_review_and_the_new_reviewer_takes_over(open_cycle):
    review = review_of(open_cycle, "engineer")
    response = as_("hr").post(url(review, "reassign"), {"reviewer": "manager2", "reason": "Moved to payments."})
    assert response.status_code == 200, response.content
    assert response.json()["reviewer"] == {"username": "manager2", "name": "Mika Manager"}
    assert response.json()["version"] == review.version + 1
    entry = AuditEntry.objects.get(action="review.reassign", target_id=str(review.pk))
    assert (entry.before, entry.after, entry.reason) == (
        {"reviewer": "manager"},
        {"reviewer": "manager2"},
        "Moved to payments.",
    )
    body = as_("manager2").get(url(review)).json()
    assert body["editable"]["manager"] is True
    write = as_("manager2").patch(
        url(review, "ratings"),
        {"version": body["version"], "ratings": [{"dimension": dimensions(review)[0], "score": 4}]},
    )
    assert write.status_code == 200
    # The former reviewer no longer writes it.
    assert as_("manager").get(url(review)).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reviewer": "nobody", "reason": "x"}, "reviewer"),
        ({"reviewer": "engineer", "reason": "x"}, "reviewer"),
        ({"reviewer": "manager2"}, "reason"),
        ({"reviewer": "manager2", "reason": ""}, "reason"),
        ({"reason": "x"}, "reviewer"),
    ],
)
def test_it_answers_400_for_a_bad_reviewer_or_no_reason(open_cycle, body, field):
    review = review_of(open_cycle, "engineer")
    response = as_("hr").post(url(review, "reassign"), body)
    assert response.status_code == 400 and field in response.json()
    assert fresh(review).reviewer.user.username == "manager"


def test_a_deactivated_reviewer_is_refused(open_cycle):
    review = review_of(open_cycle, "engineer")
    Employee.objects.filter(user__username="manager2").update(active=False, deactivated_at="2026-11-01T00:00:00Z")
    response = as_("hr").post(url(review, "reassign"), {"reviewer": "manager2", "reason": "x"})
    assert response.status_code == 400 and "deactivated" in response.json()["reviewer"][0]


def test_a_submitted_manager_review_stays_with_its_reviewer(open_cycle):
    review = move_to(review_of(open_cycle, "engineer"), "manager_submitted")
    response = as_("hr").post(url(review, "reassign"), {"reviewer": "manager2", "reason": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("persona", "status"), [("engineer", 403), ("manager", 403), ("director", 403), ("engineer2", 404)]
)
def test_only_hr_reassigns(open_cycle, persona, status):
    review = review_of(open_cycle, "engineer")
    response = as_(persona).post(url(review, "reassign"), {"reviewer": "manager2", "reason": "x"})
    assert response.status_code == status
    assert fresh(review).reviewer.user.username == "manager"
