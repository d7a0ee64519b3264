"""Every feedback write leaves an audit entry on the request (who, when, before, after, reason), and
none on the review itself, whose timeline the person reviewed reads."""

import pytest

from audit.models import AuditEntry
from reviews.feedback import feedback_approve, feedback_decline_request
from tests.reviews.feedback_builders import answer, ask, dimension_names, open_feedback_cycle, review_of, user

pytestmark = pytest.mark.django_db


def _entries(request):
    return list(
        AuditEntry.objects.filter(target_type="reviews.feedbackrequest", target_id=str(request.pk))
        .select_related("actor")
        .order_by("pk")
    )


def test_it_records_each_step_of_a_request(staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    first = dimension_names(review)[0]
    reviews_timeline = AuditEntry.objects.filter(target_type="reviews.review").count()
    approved, declined = ask("engineer", review, ["engineer2", "newhire"], message="Please look at my RFCs")
    feedback_approve(actor=user("manager"), request=approved)
    feedback_decline_request(actor=user("manager"), request=declined, reason="Joined three weeks ago")
    answer(approved, {first: (4, "Clear RFCs.")})

    steps = [(e.action, e.actor.username, e.before, e.after, e.reason) for e in _entries(approved)]
    assert [step[:2] for step in steps] == [
        ("feedback.request", "engineer"),
        ("feedback.approve", "manager"),
        ("feedback.answer", "engineer2"),
    ]
    assert steps[0][3]["state"] == "awaiting_approval" and steps[0][3]["message"] == "Please look at my RFCs"
    assert (steps[1][2]["state"], steps[1][3]["state"]) == ("awaiting_approval", "open")
    assert steps[2][3]["answers"] == [{"dimension": first, "score": 4, "comment": "Clear RFCs."}]

    (decline,) = [e for e in _entries(declined) if e.action == "feedback.decline"]
    assert decline.actor == user("manager") and decline.reason == "Joined three weeks ago"
    assert decline.after["state"] == "declined"
    assert AuditEntry.objects.filter(target_type="reviews.review").count() == reviews_timeline
