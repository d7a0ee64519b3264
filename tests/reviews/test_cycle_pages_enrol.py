import pytest

from audit.models import AuditEntry
from org.models import Employee
from reviews.models import Review
from tests.org_builders import person
from tests.reviews.cycle_support import client_as, demo_org, new_cycle, opened  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_org")]


@pytest.fixture
def cycle():
    return opened(new_cycle())


@pytest.fixture
def late_joiner(staff_blueprint, cycle):
    """Someone who joined after the cycle opened."""
    manager = Employee.objects.get(user__username="manager")
    joiner = person("latejoiner", manager=manager, team=manager.team)
    Employee.objects.filter(pk=joiner.pk).update(role=staff_blueprint.role)
    return joiner


def test_it_offers_only_active_people_without_a_review(cycle, late_joiner):
    person("leaver", active=False)
    choices = client_as("hr").get(f"/cycles/{cycle.pk}/").context["enrol_form"].fields["employee"].queryset
    usernames = {e.user.username for e in choices}
    assert "latejoiner" in usernames and "director" in usernames
    assert not usernames & {"engineer", "engineer2", "newhire", "leaver"}


def test_it_enrols_a_late_joiner_with_their_manager_as_reviewer(staff_blueprint, cycle, late_joiner):
    response = client_as("hr").post(
        f"/cycles/{cycle.pk}/enrol/",
        {"enrol-employee": late_joiner.pk, "enrol-reason": "Joined in November"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["Enrolled Latejoiner; their reviewer is Morgan Manager."]
    review = Review.objects.get(cycle=cycle, employee=late_joiner)
    assert review.state == "draft" and review.reviewer.user.username == "manager"
    assert (
        review.blueprint_version == staff_blueprint and review.ratings.count() == 2 * staff_blueprint.dimensions.count()
    )
    entry = AuditEntry.objects.get(action="review.enrol", target_id=str(review.pk))
    assert entry.reason == "Joined in November" and entry.actor.username == "hr"
    assert "enrolled latejoiner as a late joiner" in response.content.decode()


def test_it_explains_why_someone_cannot_be_enrolled(cycle):
    director = Employee.objects.get(user__username="director")
    response = client_as("hr").post(f"/cycles/{cycle.pk}/enrol/", {"enrol-employee": director.pk})
    assert response.status_code == 200
    assert response.context["enrol_form"].errors["employee"] == ["Dana Director cannot be reviewed: no role blueprint."]
    assert not Review.objects.filter(cycle=cycle, employee=director).exists()


def test_it_refuses_someone_already_enrolled(cycle):
    engineer = Employee.objects.get(user__username="engineer")
    response = client_as("hr").post(f"/cycles/{cycle.pk}/enrol/", {"enrol-employee": engineer.pk})
    assert "employee" in response.context["enrol_form"].errors
    assert Review.objects.filter(cycle=cycle, employee=engineer).count() == 1


def test_it_enrols_nobody_in_a_planned_cycle(late_joiner):
    planned = new_cycle("2027 Q1")
    response = client_as("hr").post(f"/cycles/{planned.pk}/enrol/", {"enrol-employee": late_joiner.pk}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["The cycle is planned; nobody can join it now."]
    assert not Review.objects.filter(cycle=planned).exists()


def test_it_refuses_enrolment_to_everyone_but_hr(cycle, late_joiner):
    for username in ("engineer", "manager", "director"):
        response = client_as(username).post(f"/cycles/{cycle.pk}/enrol/", {"enrol-employee": late_joiner.pk})
        assert response.status_code == 403
    assert not Review.objects.filter(employee=late_joiner).exists()
