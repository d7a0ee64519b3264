"""Who sees what: HR all, a director their org, a manager their reports only; an engineer without reports
is refused; a review outside one's calibration is not found; readers cannot set final ratings."""

import pytest

from reviews.models import Review
from tests.reviews.calibration_support import adjust_url, calibration_cycle, client_as, page_url, place, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(staff_blueprint):
    cycle = calibration_cycle()
    place(cycle, "engineer", state="manager_submitted", self_scores=3, manager_scores=4, potential="high")
    place(cycle, "engineer2", state="manager_submitted", self_scores=3, manager_scores=2, potential="low")
    return cycle


def shown(username: str, cycle) -> set[str]:
    response = client_as(username).get(page_url(cycle))
    assert response.status_code == 200
    people = {"Eli Engineer", "Noor Newhire", "Emery Engineer"}
    return {name for name in people if f">{name}</a>" in response.content.decode()}


def test_it_shows_a_manager_only_their_reports(cycle):
    assert shown("manager", cycle) == {"Eli Engineer", "Noor Newhire"}
    assert shown("manager2", cycle) == {"Emery Engineer"}


def test_it_shows_a_director_their_org_and_hr_everyone(cycle):
    assert shown("director", cycle) == {"Eli Engineer", "Noor Newhire", "Emery Engineer"}
    assert shown("hr", cycle) == {"Eli Engineer", "Noor Newhire", "Emery Engineer"}


def test_it_gives_readers_no_form_to_set_final_ratings(cycle):
    content = client_as("director").get(page_url(cycle)).content.decode()
    assert "Save the final rating" not in content
    assert "manager-submitted review" not in content
    assert "Save the final rating" in client_as("hr").get(page_url(cycle)).content.decode()


def test_it_refuses_an_engineer_without_reports(cycle):
    assert client_as("engineer").get(page_url(cycle)).status_code == 403


def test_it_sends_anonymous_callers_to_log_in(cycle):
    response = client_as(None).get(page_url(cycle))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_hides_another_managers_report_from_the_adjust_form(cycle):
    target = review(cycle, "engineer")
    data = {"version": target.version, "final_rating": 4, "justification": ""}
    assert client_as("manager2").post(adjust_url(cycle, target), data).status_code == 404
    assert client_as("manager").post(adjust_url(cycle, target), data).status_code == 403
    assert client_as("engineer").post(adjust_url(cycle, target), data).status_code == 403
    assert Review.objects.get(pk=target.pk).state == "manager_submitted"


def test_it_does_not_find_a_review_of_another_cycle_or_ones_own(cycle):
    from tests.reviews.cycle_support import new_cycle, opened

    other = opened(new_cycle("Another cycle"))
    elsewhere = review(other, "engineer")
    assert client_as("hr").post(adjust_url(cycle, elsewhere), {}).status_code == 404


def test_it_shows_potential_to_the_readers_of_the_manager_side(cycle):
    content = client_as("manager").get(page_url(cycle)).content.decode()
    assert ">High<" in content
