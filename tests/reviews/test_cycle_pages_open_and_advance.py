import pytest

from reviews.models import Cycle, Review
from tests.reviews.cycle_support import client_as, demo_org, new_cycle, opened  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_org")]


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_it_lets_hr_open_a_planned_cycle():
    cycle = new_cycle()
    response = client_as("hr").post(f"/cycles/{cycle.pk}/open/", follow=True)
    assert response.redirect_chain == [(f"/cycles/{cycle.pk}/", 302)]
    assert _messages(response) == ["Opened 2026 Q4: 3 enrolled; 4 left out (listed below)."]
    cycle.refresh_from_db()
    assert cycle.state == "open"
    assert set(Review.objects.filter(cycle=cycle).values_list("employee__user__username", flat=True)) == {
        "engineer",
        "engineer2",
        "newhire",
    }


def test_it_refuses_to_open_a_cycle_twice():
    cycle = opened(new_cycle())
    response = client_as("hr").post(f"/cycles/{cycle.pk}/open/", follow=True)
    assert _messages(response) == ["The cycle is open; only a planned cycle opens."]
    assert Review.objects.filter(cycle=cycle).count() == 3


def test_it_lets_hr_move_an_open_cycle_to_calibration():
    cycle = opened(new_cycle())
    response = client_as("hr").post(f"/cycles/{cycle.pk}/advance/", follow=True)
    assert _messages(response) == ["2026 Q4 is in calibration."]
    assert Cycle.objects.get(pk=cycle.pk).state == "calibrating"


def test_it_refuses_to_move_a_planned_cycle_to_calibration():
    cycle = new_cycle()
    response = client_as("hr").post(f"/cycles/{cycle.pk}/advance/", follow=True)
    assert _messages(response) == ["The cycle is planned; only an open cycle moves to calibration."]
    assert Cycle.objects.get(pk=cycle.pk).state == "planned"


def test_it_refuses_these_actions_to_everyone_but_hr():
    planned, running = new_cycle("Planned"), opened(new_cycle("Running"))
    for username in ("engineer", "engineer2", "manager", "manager2", "director"):
        client = client_as(username)
        assert client.post(f"/cycles/{planned.pk}/open/").status_code == 403
        assert client.post(f"/cycles/{running.pk}/advance/").status_code == 403
    assert client_as(None).post(f"/cycles/{planned.pk}/open/").status_code == 302
    assert Cycle.objects.get(pk=planned.pk).state == "planned"
    assert Cycle.objects.get(pk=running.pk).state == "open"


def test_it_takes_only_posts_with_a_csrf_token():
    cycle = new_cycle()
    assert client_as("hr").get(f"/cycles/{cycle.pk}/open/").status_code == 405
    assert client_as("hr", enforce_csrf_checks=True).post(f"/cycles/{cycle.pk}/open/").status_code == 403
    assert Cycle.objects.get(pk=cycle.pk).state == "planned"
