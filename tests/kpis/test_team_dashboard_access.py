"""Who sees which team's dashboard: their own team, the teams below them, HR all; others get 404."""

import pytest

from tests.kpis.dashboard_support import client_as, org  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["engineer", "manager", "director", "hr"])
def test_it_shows_platform_to_its_people_those_above_and_hr(org, username):  # noqa: F811
    response = client_as(username).get("/kpis/teams/platform/")

    assert response.status_code == 200
    assert "Platform: DORA figures" in response.content.decode()


@pytest.mark.parametrize("username", ["engineer2", "manager2"])
def test_it_answers_404_for_another_teams_dashboard(org, username):  # noqa: F811
    assert client_as(username).get("/kpis/teams/platform/").status_code == 404


def test_it_answers_a_missing_team_like_a_hidden_one(org):  # noqa: F811
    hidden = client_as("engineer2").get("/kpis/teams/platform/")
    missing = client_as("engineer2").get("/kpis/teams/no-such-team/")

    assert hidden.status_code == missing.status_code == 404
    for response in (hidden, missing):
        assert "Page not found" in response.content.decode()
        assert "Platform" not in response.content.decode()


def test_it_sends_anonymous_callers_to_log_in(org):  # noqa: F811
    for url in ("/kpis/", "/kpis/teams/platform/"):
        response = client_as(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("username", "listed", "unlisted"),
    [
        ("engineer", ["Platform"], ["Payments"]),
        ("engineer2", ["Payments"], ["Platform"]),
        ("director", ["Platform", "Payments"], []),
        ("hr", ["Platform", "Payments"], []),
    ],
)
def test_it_lists_only_the_teams_the_caller_may_see(org, username, listed, unlisted):  # noqa: F811
    page = client_as(username).get("/kpis/").content.decode()

    for name in listed:
        assert f">{name}</a>" in page
    for name in unlisted:
        assert name not in page
