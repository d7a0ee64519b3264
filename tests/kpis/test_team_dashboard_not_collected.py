"""A team without events shows "not collected" for every figure and never a 0 standing in for null."""

import re

import pytest

from tests.kpis.dashboard_support import client_as, org  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_it_says_not_collected_for_every_figure_of_a_team_without_events(org):  # noqa: F811
    html = client_as("engineer2").get("/kpis/teams/payments/").content.decode()

    values = re.findall(r'kpi-tile__value[^"]*">(.*?)<', html)
    # Four DORA figures, then the open incidents count (a real count: none is open).
    assert values == ["not collected"] * 4 + ["0"]
    assert html.count("No tier") == 4
    cells = re.findall(r'<td class="num[^"]*">(.*?)</td>', html)
    assert len(cells) == 6 * 6
    assert set(cells) == {"not collected"}


def test_it_draws_no_line_through_zero_for_missing_periods(org):  # noqa: F811
    html = client_as("engineer2").get("/kpis/teams/payments/").content.decode()

    assert "chart__line" not in html
    assert html.count('class="chart__missing"') == 4 * 6
