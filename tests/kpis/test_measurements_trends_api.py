"""GET /api/v1/kpis/trends/?team=: a team's series with their stored trends, as the caller may see them."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kpis.measurements import measurements_ingest
from kpis.trends import trends_recompute
from tests.kpis.measurement_builders import CFR, LEAD_TIME, SLO, engineer, measurement, org, service

pytestmark = pytest.mark.django_db
__all__ = ["org"]

URL = "/api/v1/kpis/trends/"


def as_user(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def history(org):
    """Platform's change failure rate for two months, billing-api's SLO for a quarter, and engineer's
    and newhire's lead times for a week; payments' change failure rate for a month."""
    measurements_ingest(
        actor=None,
        items=[
            measurement(period="2026-10", value=10),
            measurement(period="2026-11", value=8.5),
            service(),
            engineer(),
            engineer(subject="newhire", value=30),
            measurement(subject="payments", value=4),
        ],
    )
    trends_recompute()
    return org


def by_subject(response) -> dict[tuple[str, str, str], dict]:
    return {(row["subject_type"], row["subject"], row["kpi"]): row for row in response.json()}


def test_it_answers_each_series_with_its_trend(history):
    response = as_user("hr").get(URL, {"team": "platform"})
    assert response.status_code == 200
    rows = response.json()
    assert [(row["subject_type"], row["subject"]) for row in rows] == [
        ("team", "platform"),
        ("service", "billing-api"),
        ("engineer", "engineer"),
        ("engineer", "newhire"),
    ]
    assert rows[0] == {
        "role": "staff-software-engineer",
        "kpi": CFR,
        "subject_type": "team",
        "subject": "platform",
        "period": "month",
        "unit": "%",
        "points": 2,
        "latest_period": "2026-11",
        "latest_value": 8.5,
        "previous_value": 10.0,
        "change_pct": -15.0,
        "moving_average": 9.25,
        "slope": -1.5,
        "attainment": "met",
        "tiers": {"2021": "elite", "2023": "high"},  # 8.5 %: 2021 elite at most 15 %; 2023 high at most 10 %
    }
    assert rows[1]["kpi"] == SLO and rows[1]["latest_period"] == "2026-Q4" and rows[1]["previous_value"] is None
    assert rows[1]["change_pct"] is None and rows[1]["slope"] is None and rows[1]["tiers"] == {}
    assert rows[2]["kpi"] == LEAD_TIME and rows[2]["latest_period"] == "2026-W47" and rows[2]["latest_value"] == 20.0


def test_a_series_without_a_computed_trend_has_null_figures(history):
    measurements_ingest(actor=None, items=[measurement(kpi="Defect escape rate", unit="defects", value=3)])
    [row] = as_user("hr").get(URL, {"team": "platform", "kpi": "defect-escape-rate"}).json()
    assert row["kpi"] == "Defect escape rate" and row["unit"] == "defects"
    figures = ("points", "latest_period", "latest_value", "previous_value", "change_pct", "moving_average", "slope")
    assert [row[name] for name in figures] == [None] * len(figures)
    assert row["attainment"] is None and row["tiers"] == {}


def test_it_filters_by_kind_and_by_kpi_name_or_slug(history):
    client = as_user("hr")
    services = client.get(URL, {"team": "platform", "kind": "service"}).json()
    assert [row["subject"] for row in services] == ["billing-api"]
    for name in (CFR, "change-failure-rate-dora"):
        rows = client.get(URL, {"team": "platform", "kpi": name}).json()
        assert [(row["subject_type"], row["subject"]) for row in rows] == [("team", "platform")]
    assert client.get(URL, {"team": "platform", "kpi": "Nothing like it"}).json() == []


def test_it_checks_its_parameters(history):
    client = as_user("hr")
    assert client.get(URL).json() == {"team": ["Required: a team's slug."]}
    response = client.get(URL, {"team": "platform", "kind": "robot"})
    assert response.status_code == 400
    assert response.json() == {"kind": ["Expected one of: engineer, team, service."]}


@pytest.mark.parametrize("username", ["engineer2", "manager2"])
def test_a_team_out_of_scope_is_not_found_like_a_team_that_does_not_exist(history, username):
    client = as_user(username)
    hidden = client.get(URL, {"team": "platform"})
    missing = client.get(URL, {"team": "no-such-team"})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"detail": "No such team."}
    assert client.get(URL, {"team": "payments"}).status_code == 200


def test_an_engineers_series_is_hidden_from_a_peer(history):
    seen = {
        username: sorted(
            subject for kind, subject, _kpi in by_subject(as_user(username).get(URL, {"team": "platform"}))
        )
        for username in ("engineer", "newhire", "manager", "director", "hr")
    }
    assert seen == {
        "engineer": ["billing-api", "engineer", "platform"],
        "newhire": ["billing-api", "newhire", "platform"],
        "manager": ["billing-api", "engineer", "newhire", "platform"],
        "director": ["billing-api", "engineer", "newhire", "platform"],
        "hr": ["billing-api", "engineer", "newhire", "platform"],
    }


def test_anonymous_callers_are_asked_to_sign_in(history):
    assert Client().get(URL, {"team": "platform"}).status_code == 401


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"team": "platform"}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("username", ["manager", "newhire", "hr"])
def test_the_number_of_queries_does_not_grow_with_the_series(history, username, django_assert_num_queries):
    few = _queries(as_user(username))
    # The session and the caller (login, groups, employee, reports, visible teams), the team, the series
    # with their trends and subjects, the tiers.
    assert few == {"manager": 9, "newhire": 8, "hr": 8}[username]
    from org.models import Employee, Team
    from tests.org_builders import person

    platform = Team.objects.get(slug="platform")
    manager = Employee.objects.get(user__username="manager")
    people = [person(f"dev{n}", manager=manager, team=platform).user.username for n in range(6)]
    measurements_ingest(
        actor=None,
        items=[engineer(subject=name, period=f"2026-W{week:02d}") for name in people for week in (1, 2, 3)]
        + [service(subject=f"svc-{n}") for n in range(5)]
        + [measurement(kpi="Defect escape rate", unit="defects", value=n, period=f"2026-{n:02d}") for n in range(1, 6)],
    )
    trends_recompute()
    client = as_user(username)
    with django_assert_num_queries(few):
        response = client.get(URL, {"team": "platform"})
    # 5 services and Defect escape rate more; 6 engineers more for those who may read their records.
    assert len(response.json()) == {"manager": 16, "hr": 16, "newhire": 9}[username]
