import pytest

from audit.models import AuditEntry
from org.models import Employee
from reviews.models import Review
from tests.reviews.cycle_support import client_as, demo_org, move, new_cycle, opened, review_of  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_org")]


def _post(username, cycle, review, reviewer, reason="Manager change", **kwargs):
    data = {"reassign-review": review.pk, "reassign-reviewer": reviewer.pk, "reassign-reason": reason}
    return client_as(username).post(f"/cycles/{cycle.pk}/reassign/", data, **kwargs)


def test_it_gives_a_review_to_another_reviewer_with_the_reason_in_its_history():
    cycle = opened(new_cycle())
    review, manager2 = review_of(cycle, "engineer"), Employee.objects.get(user__username="manager2")
    response = _post("hr", cycle, review, manager2, reason="Eli moved to Payments", follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Mika Manager now reviews Eli Engineer."]
    review.refresh_from_db()
    assert review.reviewer == manager2 and review.version == 2
    entry = AuditEntry.objects.get(action="review.reassign", target_id=str(review.pk))
    assert (entry.before, entry.after, entry.reason) == (
        {"reviewer": "manager"},
        {"reviewer": "manager2"},
        "Eli moved to Payments",
    )
    page = response.content.decode()
    assert "to manager2 (was manager)" in page and "Eli moved to Payments" in page


def test_it_needs_a_reason():
    cycle = opened(new_cycle())
    review = review_of(cycle, "engineer")
    response = _post("hr", cycle, review, Employee.objects.get(user__username="manager2"), reason="")
    assert response.context["reassign_form"].errors["reason"] == ["This field is required."]
    assert review_of(cycle, "engineer").reviewer.user.username == "manager"


def test_it_refuses_to_make_someone_review_themselves():
    cycle = opened(new_cycle())
    review = review_of(cycle, "engineer")
    response = _post("hr", cycle, review, Employee.objects.get(user__username="engineer"))
    assert response.context["reassign_form"].errors["reviewer"] == ["Nobody reviews themselves."]


def test_it_offers_only_reviews_whose_manager_review_is_not_in():
    cycle = opened(new_cycle())
    submitted = move(review_of(cycle, "engineer2"), "manager_submitted")
    form = client_as("hr").get(f"/cycles/{cycle.pk}/?review={review_of(cycle, 'engineer').pk}").context["reassign_form"]
    assert {r.employee.user.username for r in form.fields["review"].queryset} == {"engineer", "newhire"}
    assert form["review"].value() == str(review_of(cycle, "engineer").pk)  # chosen from the list's link
    response = _post("hr", cycle, submitted, Employee.objects.get(user__username="manager"))
    assert "review" in response.context["reassign_form"].errors
    assert review_of(cycle, "engineer2").reviewer.user.username == "manager2"


def test_it_refuses_reassignment_to_everyone_but_hr():
    cycle = opened(new_cycle())
    review, manager2 = review_of(cycle, "engineer"), Employee.objects.get(user__username="manager2")
    for username in ("engineer", "manager", "manager2", "director"):
        assert _post(username, cycle, review, manager2).status_code == 403
    assert Review.objects.get(pk=review.pk).reviewer.user.username == "manager"
