"""GET /api/v1/kpis/dora/: rows as CONTRACTS.md says, field errors for bad input, 404 for a team out of sight."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.kpis.dora_builders import deploy, january_2026, team
from tests.org_builders import small_org
from tests.reviews.cycle_support import new_cycle

pytestmark = pytest.mark.django_db

URL = "/api/v1/kpis/dora/"
JANUARY = {"team": "platform", "period": "month", "start": "2026-01-01", "end": "2026-02-28"}


@pytest.fixture(autouse=True)
def org():
    people = small_org()
    january_2026()
    return people


def client_as(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def test_it_answers_one_row_per_period_with_rounded_numbers():
    response = client_as("manager").get(URL, JANUARY)

    assert response.status_code == 200
    # The figures of tests/kpis/dora_builders.january_2026, rounded: 21/31 = 0.677… deploy days a week.
    assert response.json() == [
        {
            "period_start": "2026-01-01",
            "deployment_count": 4,
            "deploy_days_per_week": 0.68,
            "lead_time_hours_median": 6.0,
            "change_failure_rate": 0.5,
            "time_to_restore_hours_median": 3.5,
            "open_incidents": 1,
            "tiers": {
                "deployment_frequency": "medium",
                "lead_time": "elite",
                "change_failure_rate": "low",
                "time_to_restore": "high",
            },
        },
        {
            "period_start": "2026-02-01",
            "deployment_count": None,
            "deploy_days_per_week": None,
            "lead_time_hours_median": None,
            "change_failure_rate": None,
            "time_to_restore_hours_median": None,
            "open_incidents": None,
            "tiers": {
                "deployment_frequency": None,
                "lead_time": None,
                "change_failure_rate": None,
                "time_to_restore": None,
            },
        },
    ]


def test_it_rounds_hours_to_two_places_and_rates_to_four():
    platform = team("platform")
    # A third deployment on 2026-02-02 with a 20-minute lead time; Feb has 28 days: 1 day = 0.25 a week.
    deploy("D5", team=platform, deployed_at="2026-02-02T10:20", commits=["2026-02-02T10:00"])

    february = client_as("manager").get(URL, {**JANUARY, "start": "2026-02-01"}).json()[0]

    assert february["lead_time_hours_median"] == 0.33
    assert february["deploy_days_per_week"] == 0.25
    assert february["change_failure_rate"] == 0.0


def test_it_uses_the_tiers_of_the_report_year_or_of_a_cycle():
    tiers_2021 = {"deployment_frequency": "high", "lead_time": "high", "change_failure_rate": "low"}
    by_year = client_as("manager").get(URL, {**JANUARY, "report_year": "2021"}).json()[0]["tiers"]
    cycle = new_cycle(dora_report_year=2021)
    by_cycle = client_as("manager").get(URL, {**JANUARY, "cycle": str(cycle.pk)}).json()[0]["tiers"]

    assert by_year.items() >= tiers_2021.items()
    assert by_cycle == by_year


@pytest.mark.parametrize("username", ["engineer", "manager", "director", "hr"])
def test_it_shows_a_team_to_those_who_may_see_it(username):
    assert client_as(username).get(URL, JANUARY).status_code == 200


@pytest.mark.parametrize("username", ["engineer2", "manager2"])
def test_it_answers_an_invisible_team_like_a_missing_one(username):
    invisible = client_as(username).get(URL, JANUARY)
    missing = client_as(username).get(URL, {**JANUARY, "team": "no-such-team"})

    assert invisible.status_code == missing.status_code == 404
    assert invisible.json() == missing.json() == {"detail": "No such team."}


def test_it_asks_anonymous_callers_to_sign_in():
    response = client_as(None).get(URL, JANUARY)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_it_lets_hr_ask_for_a_service_across_teams():
    rows = client_as("hr").get(URL, {**JANUARY, "team": "", "service": "api"}).json()
    # platform's D1..D4 and payments' P1 are all "api".
    assert rows[0]["deployment_count"] == 5


def test_it_refuses_a_service_across_teams_to_others():
    response = client_as("director").get(URL, {**JANUARY, "team": "", "service": "api"})
    assert response.status_code == 403
    assert "detail" in response.json()


def test_it_counts_a_teams_part_of_a_service():
    rows = client_as("engineer").get(URL, {**JANUARY, "service": "web"}).json()
    assert rows[0]["deployment_count"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"period": None}, "period"),
        ({"period": "day"}, "period"),
        ({"start": None}, "start"),
        ({"start": "2026-13-01"}, "start"),
        ({"start": "20260101"}, "start"),
        ({"end": "yesterday"}, "end"),
        ({"end": "0001-01-01"}, "end"),
        ({"end": "2025-12-31"}, "end"),  # before the start
        ({"end": "2031-01-01"}, "end"),  # five years and a day
        ({"report_year": "2019"}, "report_year"),
        ({"report_year": "twenty"}, "report_year"),
        ({"report_year": "99999999999999999999"}, "report_year"),
        ({"start": "\u0662\u0660\u0662\u0666-01-01"}, "start"),  # Arabic-Indic digits
        ({"cycle": "999999"}, "cycle"),
        ({"cycle": "1e3"}, "cycle"),
        ({"report_year": "2021", "cycle": "1"}, "report_year"),
        ({"team": None}, "team"),
        ({"service": "x" * 201}, "service"),
    ],
)
def test_it_names_each_bad_parameter(change, field):
    params = {key: value for key, value in {**JANUARY, **change}.items() if value is not None}

    response = client_as("manager").get(URL, params)

    assert response.status_code == 400
    assert field in response.json()


def test_it_reports_every_bad_parameter_at_once():
    response = client_as("manager").get(URL, {"team": "platform", "period": "year", "start": "x", "end": "y"})

    assert response.status_code == 400
    assert set(response.json()) == {"period", "start", "end"}


def test_it_accepts_a_range_of_exactly_five_years():
    response = client_as("manager").get(URL, {**JANUARY, "period": "quarter", "end": "2030-12-31"})

    assert response.status_code == 200
    assert len(response.json()) == 20


@pytest.mark.parametrize(("end", "status"), [("2033-02-28", 200), ("2033-03-01", 400)])
def test_it_counts_five_years_from_a_leap_day_to_the_end_of_february(end, status):
    params = {**JANUARY, "start": "2028-02-29", "end": end}
    assert client_as("manager").get(URL, params).status_code == status


def test_it_is_in_the_schema():
    schema = client_as(None).get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/kpis/dora/"]["get"]
    row = operation["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"].rsplit("/", 1)[1]

    assert set(schema["components"]["schemas"][row]["properties"]) == {
        "period_start",
        "deployment_count",
        "deploy_days_per_week",
        "lead_time_hours_median",
        "change_failure_rate",
        "time_to_restore_hours_median",
        "open_incidents",
        "tiers",
    }
