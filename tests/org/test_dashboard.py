from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from audit.services import audit_record
from tests.org_builders import person, small_org

pytestmark = pytest.mark.django_db


def _login(client, username):
    client.force_login(User.objects.get(username=username))


def test_it_shows_an_engineer_their_own_record_and_nobody_elses_team(client):
    small_org()
    _login(client, "engineer")
    page = client.get("/").content.decode()
    assert "Hello, Engineer" in page and "Your team" not in page and "Organisation</h2>" not in page
    assert 'href="/people/manager/"' in page


def test_it_shows_a_manager_their_team_with_each_persons_status(client, staff_blueprint):
    org = small_org()
    org["newhire"].start_date = timezone.localdate() - timedelta(days=20)
    org["newhire"].role = staff_blueprint.role
    org["newhire"].save()
    _login(client, "manager")
    page = client.get("/").content.decode()
    assert "Your team" in page
    assert "New hire · day 21 of 90" in page
    assert "Ask HR to assign a role blueprint to Engineer" in page
    assert "Your organisation" not in page


def test_it_shows_a_director_each_branch_of_their_organisation(client):
    small_org()
    _login(client, "director")
    page = client.get("/").content.decode()
    assert "Your organisation" in page and "3 people" in page and "2 people" in page


def test_it_shows_hr_the_organisations_figures_and_recent_imports(client):
    org = small_org()
    audit_record(actor=None, action="org.import", target=org["hr"], after={"source_name": "people.csv"})
    _login(client, "hr")
    page = client.get("/").content.decode()
    assert "<strong>7</strong> active people" in page and "<strong>3</strong> managers" in page
    assert "people.csv" in page and "7 active people have no role blueprint" in page


def test_it_points_a_new_hire_to_their_blueprint(client, staff_blueprint):
    org = small_org()
    org["newhire"].start_date = timezone.localdate() - timedelta(days=3)
    org["newhire"].role = staff_blueprint.role
    org["newhire"].save()
    _login(client, "newhire")
    page = client.get("/").content.decode()
    assert "Read the Staff Software Engineer blueprint" in page and "Day 4 of 90" in page


def test_it_welcomes_an_account_without_a_person(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("service"))
    assert "not linked to a person" in client.get("/").content.decode()


def test_it_renders_the_dashboard_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    org = small_org()
    for n in range(25):
        person(f"extra{n}", manager=org["manager"])
    for username in ("director", "manager", "hr"):
        _login(client, username)
        with django_assert_max_num_queries(16):
            assert client.get("/").status_code == 200


# --- Reviews on the dashboard --------------------------------------------------------------------


def _review_org(staff_blueprint, *, today=None):
    """small_org, the engineers on the Staff blueprint, and an open cycle with self-assessments due in 5 days."""
    from org.models import Employee
    from tests.reviews.cycle_support import deadlines_from, new_cycle, opened

    org = small_org()
    Employee.objects.filter(user__username__in=["engineer", "newhire", "engineer2"]).update(role=staff_blueprint.role)
    today = today or timezone.localdate()
    return org, opened(new_cycle("2026 Q4", deadlines=deadlines_from(today, 5, 12, 19, 30)))


def test_it_tells_an_engineer_when_their_self_assessment_is_due(client, staff_blueprint):
    from reviews.models import Review

    _org, cycle = _review_org(staff_blueprint)
    review = Review.objects.get(cycle=cycle, employee__user__username="engineer")
    _login(client, "engineer")
    page = client.get("/").content.decode()
    due = cycle.self_due
    assert f"Submit your self-assessment for 2026 Q4: due {due.day} {due:%b}." in page
    assert f'href="/reviews/{review.pk}/"' in page


def test_it_asks_an_engineer_to_acknowledge_a_shared_review(client, staff_blueprint):
    from reviews.models import Review
    from tests.reviews.cycle_support import move

    _org, cycle = _review_org(staff_blueprint)
    move(Review.objects.get(cycle=cycle, employee__user__username="engineer"), "shared")
    _login(client, "engineer")
    page = client.get("/").content.decode()
    assert "Read and acknowledge your 2026 Q4 review" in page
    assert "Submit your self-assessment" not in page


def test_it_shows_a_manager_where_each_persons_review_stands(client, staff_blueprint):
    from reviews.models import Review
    from tests.reviews.cycle_support import move

    _org, cycle = _review_org(staff_blueprint)
    engineer = move(Review.objects.get(cycle=cycle, employee__user__username="engineer"), "self_submitted")
    _login(client, "manager")
    response = client.get("/")
    states = {row["employee"].user.username: row["review"].state for row in response.context["team"]}
    assert states == {"engineer": "self_submitted", "newhire": "draft"}
    page = response.content.decode()
    assert "Self-assessment in" in page and f'href="/reviews/{engineer.pk}/"' in page
    first_task = response.context["tasks"][0]["text"]
    assert first_task.startswith("Write Engineer's manager review: due")


def test_it_shows_hr_the_progress_of_running_cycles(client, staff_blueprint):
    from reviews.models import Review
    from tests.reviews.cycle_support import move, new_cycle

    _org, cycle = _review_org(staff_blueprint)
    move(Review.objects.get(cycle=cycle, employee__user__username="engineer2"), "manager_submitted")
    new_cycle("2027 Q1")  # planned: not running yet
    _login(client, "hr")
    response = client.get("/")
    [row] = response.context["cycles"]
    assert row["cycle"] == cycle and row["total"] == 3
    assert dict(row["states"]) == {
        "Draft": 2,
        "Self-assessment in": 0,
        "Manager review in": 1,
        "Calibrated": 0,
        "Shared": 0,
        "Acknowledged": 0,
    }
    page = response.content.decode()
    assert f'href="/cycles/{cycle.pk}/"' in page and "2027 Q1" not in page


def test_it_keeps_the_review_dashboard_in_a_fixed_number_of_queries(
    client, staff_blueprint, django_assert_max_num_queries
):
    from org.models import Employee
    from tests.reviews.cycle_support import new_cycle, opened

    org = small_org()
    for n in range(25):
        person(f"extra{n}", manager=org["manager"])
    Employee.objects.exclude(user__username__in=["director", "manager", "manager2", "hr"]).update(
        role=staff_blueprint.role
    )
    opened(new_cycle("2026 Q4"))
    opened(new_cycle("2026 Q3"))
    for username in ("engineer", "director", "manager", "hr"):
        _login(client, username)
        with django_assert_max_num_queries(16):
            assert client.get("/").status_code == 200
