import pytest
from django.utils import timezone

from org.models import Employee
from reviews.models import Review
from tests.org_builders import person
from tests.reviews.cycle_support import (  # noqa: F401
    client_as,
    deadlines_from,
    demo_org,
    move,
    new_cycle,
    opened,
    review_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_org")]


def _counts(response):
    return {cell["state"]: cell["count"] for cell in response.context["totals"]}


def test_it_shows_the_deadlines_and_the_state():
    today = timezone.localdate()
    cycle = opened(new_cycle(deadlines=deadlines_from(today, -2, 0, 5, 20)))
    response = client_as("engineer").get(f"/cycles/{cycle.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026 Q4" in page and "cycle-state--open" in page
    deadlines = response.context["deadlines"]
    assert [d["label"] for d in deadlines] == [
        "Self-assessments due",
        "Manager reviews due",
        "Calibration ends",
        "Sign-off due",
    ]
    assert [d["next"] for d in deadlines] == [False, True, False, False]
    assert "2 days ago" in page and "today" in page and "in 5 days" in page


def test_it_counts_every_review_for_hr():
    cycle = opened(new_cycle())
    move(review_of(cycle, "engineer2"), "manager_submitted")
    move(review_of(cycle, "engineer"), "self_submitted")
    response = client_as("hr").get(f"/cycles/{cycle.pk}/")
    assert _counts(response) == {
        "draft": 1,
        "self_submitted": 1,
        "manager_submitted": 1,
        "calibrated": 0,
        "shared": 0,
        "acknowledged": 0,
    }
    by_reviewer = {group["username"]: group["total"] for group in response.context["progress"]["by_reviewer"]}
    assert by_reviewer == {"manager": 2, "manager2": 1}
    by_team = {group["name"]: group["total"] for group in response.context["progress"]["by_team"]}
    assert by_team == {"Platform": 2, "Payments": 1}


def test_it_counts_only_a_managers_or_directors_scope():
    cycle = opened(new_cycle())
    manager = client_as("manager").get(f"/cycles/{cycle.pk}/")
    assert sum(_counts(manager).values()) == 2
    assert [g["username"] for g in manager.context["progress"]["by_reviewer"]] == ["manager"]
    manager2 = client_as("manager2").get(f"/cycles/{cycle.pk}/")
    assert [g["name"] for g in manager2.context["progress"]["by_team"]] == ["Payments"]
    director = client_as("director").get(f"/cycles/{cycle.pk}/")
    assert sum(_counts(director).values()) == 3
    engineer = client_as("engineer").get(f"/cycles/{cycle.pk}/")
    assert sum(_counts(engineer).values()) == 1
    assert f'href="/reviews/{review_of(cycle, "engineer").pk}/"' in engineer.content.decode()


def test_it_lists_who_was_left_out_at_opening_and_why():
    platform = Employee.objects.get(user__username="manager").team
    person("intern", manager=Employee.objects.get(user__username="manager"), team=platform)
    cycle = opened(new_cycle())
    hr = client_as("hr").get(f"/cycles/{cycle.pk}/")
    skipped = {row["username"]: row["reason"] for row in hr.context["skipped"]}
    assert skipped == {
        "director": "no role blueprint",
        "manager": "no role blueprint",
        "manager2": "no role blueprint",
        "hr": "no role blueprint",
        "intern": "no role blueprint",
    }
    assert "Left out when the cycle opened (5)" in hr.content.decode()
    manager = client_as("manager").get(f"/cycles/{cycle.pk}/")
    assert [row["username"] for row in manager.context["skipped"]] == ["intern"]
    assert client_as("engineer").get(f"/cycles/{cycle.pk}/").context["skipped"] == []


def test_it_lists_reviews_missing_a_reviewer():
    cycle = opened(new_cycle())
    review = review_of(cycle, "engineer2")
    Review.objects.filter(pk=review.pk).update(reviewer=None)
    leaver = Employee.objects.get(user__username="manager")
    Employee.objects.filter(pk=leaver.pk).update(active=False, deactivated_at=timezone.now())
    response = client_as("hr").get(f"/cycles/{cycle.pk}/")
    missing = {r.employee.user.username for r in response.context["missing_reviewer"]}
    assert missing == {"engineer", "newhire", "engineer2"}
    page = response.content.decode()
    assert "Reviews missing a reviewer (3)" in page and "Morgan Manager has left" in page
    assert f'href="?review={review.pk}#reassign-title"' in page


def test_it_shows_hr_actions_to_hr_only():
    cycle = opened(new_cycle())
    hr = client_as("hr").get(f"/cycles/{cycle.pk}/").content.decode()
    assert f'action="/cycles/{cycle.pk}/advance/"' in hr
    assert f'action="/cycles/{cycle.pk}/enrol/"' in hr and f'action="/cycles/{cycle.pk}/reassign/"' in hr
    for username in ("engineer", "manager", "director"):
        page = client_as(username).get(f"/cycles/{cycle.pk}/").content.decode()
        assert "/advance/" not in page and "/enrol/" not in page and "/reassign/" not in page


def test_it_answers_404_for_a_cycle_that_does_not_exist():
    assert client_as("hr").get("/cycles/9999/").status_code == 404
    assert client_as(None).get("/cycles/9999/").status_code == 302


@pytest.mark.parametrize("extra_reports", [1, 20])
def test_it_renders_in_a_fixed_number_of_queries(staff_blueprint, extra_reports, django_assert_max_num_queries):
    manager = Employee.objects.get(user__username="manager")
    for n in range(extra_reports):
        person(f"extra{n}", manager=manager, team=manager.team)
    Employee.objects.filter(user__username__startswith="extra").update(role=staff_blueprint.role)
    person("norole", manager=manager, team=manager.team)
    cycle = opened(new_cycle())
    move(review_of(cycle, "engineer"), "self_submitted")
    for username, bound in (("hr", 15), ("director", 12), ("manager", 12), ("engineer", 12)):
        client = client_as(username)
        with django_assert_max_num_queries(bound):
            assert client.get(f"/cycles/{cycle.pk}/").status_code == 200
    cycle.state = "calibrating"
    cycle.save()
    client = client_as("hr")
    with django_assert_max_num_queries(16):  # and the unfinished reviews to confirm
        assert client.get(f"/cycles/{cycle.pk}/").status_code == 200
