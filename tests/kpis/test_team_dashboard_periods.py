"""The period picker: the last six weeks, months or quarters ending with today's (UTC); month by default;
an unknown period falls back to months with a message instead of an error page."""

import datetime as dt

import pytest

from tests.kpis.dashboard_support import client_as, org  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def starts(response) -> list[dt.date]:
    return [row.period_start for row in response.context["dashboard"].rows]


def test_it_shows_six_months_by_default(org):  # noqa: F811
    response = client_as("engineer").get("/kpis/teams/platform/")

    assert response.context["dashboard"].period == "month"
    assert starts(response) == [dt.date(2025, month, 1) for month in (10, 11, 12)] + [
        dt.date(2026, month, 1) for month in (1, 2, 3)
    ]
    assert '<option value="month" selected>Month</option>' in response.content.decode()


def test_it_shows_six_weeks_from_monday(org):  # noqa: F811
    response = client_as("engineer").get("/kpis/teams/platform/", {"period": "week"})

    # 18 March 2026 is a Wednesday: its week starts on Monday the 16th.
    assert starts(response) == [dt.date(2026, 3, 16) - dt.timedelta(weeks=n) for n in range(5, -1, -1)]
    assert '<option value="week" selected>Week</option>' in response.content.decode()


def test_it_shows_six_quarters(org):  # noqa: F811
    response = client_as("engineer").get("/kpis/teams/platform/", {"period": "quarter"})

    assert starts(response) == [
        dt.date(2024, 10, 1),
        dt.date(2025, 1, 1),
        dt.date(2025, 4, 1),
        dt.date(2025, 7, 1),
        dt.date(2025, 10, 1),
        dt.date(2026, 1, 1),
    ]
    assert [row.label for row in response.context["dashboard"].rows][-1] == "2026 Q1"


def test_it_falls_back_to_months_for_an_unknown_period(org):  # noqa: F811
    response = client_as("engineer").get("/kpis/teams/platform/", {"period": "fortnight"})

    assert response.status_code == 200
    assert response.context["dashboard"].period == "month"
    assert "There is no period &#x27;fortnight&#x27;; showing months." in response.content.decode()


def test_it_is_a_plain_get_form(org):  # noqa: F811
    html = client_as("engineer").get("/kpis/teams/platform/").content.decode()

    assert '<form method="get"' in html
    assert 'name="period"' in html and 'name="report_year"' in html
