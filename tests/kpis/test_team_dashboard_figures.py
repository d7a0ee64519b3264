"""The tiles and the table show a hand-made March 2026 of platform: values rounded once, tier badges in
words, the change on February in words, and "not collected" (never 0) where nothing was measured."""

import re

import pytest

from tests.kpis.dashboard_support import client_as, org  # noqa: F401 - fixture
from tests.kpis.dora_builders import deploy, incident, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(org):  # noqa: F811
    """February: D0 (lead 1 h), nothing failed. March to the 18th:

    D1 03-02 lead 2 h, D2 03-03 lead 4 h, D3 03-03 lead 6 h: 2 days with a deployment in 31 → 0.45 a week;
    I1 3 h blames D1 (1 of 3 failed: 33.3%); I2 still open. payments deploys its own service, ledger.
    """
    platform, payments = team("platform"), team("payments")
    deploy("D0", team=platform, deployed_at="2026-02-10T10:00", commits=["2026-02-10T09:00"])
    deploy("D1", team=platform, deployed_at="2026-03-02T10:00", commits=["2026-03-02T08:00"])
    deploy("D2", team=platform, deployed_at="2026-03-03T10:00", commits=["2026-03-03T06:00"])
    deploy("D3", team=platform, deployed_at="2026-03-03T15:00", commits=["2026-03-03T09:00"], service="web")
    incident("I1", team=platform, started_at="2026-03-04T00:00", resolved_at="2026-03-04T03:00", blames=["D1"])
    incident("I2", team=platform, started_at="2026-03-05T00:00")
    deploy("Y1", team=payments, deployed_at="2026-03-06T10:00", service="ledger")


def tiles(html: str) -> dict[str, dict[str, str]]:
    """Each tile's value, tier badge and change, by title."""
    found = {}
    for block in re.findall(r'<li class="card kpi-tile">(.*?)</li>', html, flags=re.S):
        title = re.search(r'kpi-tile__title">(.*?)<', block)
        value = re.search(r'kpi-tile__value[^"]*">(.*?)<', block)
        tier = re.search(r'<span class="badge[^"]*">(.*?)<', block)
        change = re.search(r'kpi-tile__change[^"]*">(.*?)<', block)
        assert title and value
        found[title.group(1)] = {
            "value": value.group(1),
            "tier": tier.group(1) if tier else "",
            "change": change.group(1) if change else "",
        }
    return found


def test_it_shows_the_latest_months_figures_with_tiers_and_changes(events):
    html = client_as("manager").get("/kpis/teams/platform/").content.decode()

    assert tiles(html) == {
        "Deployment frequency": {
            "value": "0.45 days/week",
            "tier": "Medium",
            "change": "Up 0.20 days/week on last month (better)",
        },
        "Lead time for changes": {"value": "4.0 h", "tier": "Elite", "change": "Up 3.0 h on last month (worse)"},
        "Change failure rate": {"value": "33.3%", "tier": "Low", "change": "Up 33.3 pp on last month (worse)"},
        "Time to restore service": {
            "value": "3.0 h",
            "tier": "High",
            "change": "Not collected last month: nothing to compare",
        },
        "Open incidents": {"value": "1", "tier": "", "change": ""},
    }
    assert "DORA 2023" in html


def test_it_shows_a_measured_zero_as_zero_and_a_missing_figure_as_not_collected(events):
    response = client_as("manager").get("/kpis/teams/platform/")
    february = next(row for row in response.context["dashboard"].rows if row.label == "Feb 2026")

    # February: one deployment, none failed (a real 0%), no incident (no time to restore).
    assert february.texts == ["0.25 days/week", "1.0 h", "0.0%", "not collected"]


def test_it_uses_the_tiers_of_another_report_year(events):
    html = client_as("manager").get("/kpis/teams/platform/", {"report_year": "2021"}).content.decode()

    # 0.45 deploy days a week: medium in 2023 (below 1), high in 2021 (at least 0.2258).
    assert tiles(html)["Deployment frequency"]["tier"] == "High"
    assert "DORA 2021" in html


def test_it_ignores_a_report_year_without_tiers_and_says_so(events):
    response = client_as("manager").get("/kpis/teams/platform/", {"report_year": "1999"})

    assert response.status_code == 200
    assert response.context["dashboard"].report_year == 2023
    assert "There are no DORA tiers for &#x27;1999&#x27;" in response.content.decode()


def test_it_filters_by_a_service_the_team_deployed(events):
    response = client_as("manager").get("/kpis/teams/platform/", {"service": "web"})
    html = response.content.decode()

    # web alone: D3 on one day, lead 6 h, nothing blamed.
    assert tiles(html)["Lead time for changes"]["value"] == "6.0 h"
    assert tiles(html)["Change failure rate"]["value"] == "0.0%"
    assert response.context["dashboard"].services == ["api", "web"]
    assert '<option value="web" selected>web</option>' in html
    assert "ledger" not in html


def test_it_ignores_a_service_the_team_never_deployed(events):
    response = client_as("manager").get("/kpis/teams/platform/", {"service": "ledger"})

    assert response.status_code == 200
    assert response.context["dashboard"].service is None
    assert tiles(response.content.decode())["Lead time for changes"]["value"] == "4.0 h"
    assert "has not deployed a service named" in response.content.decode()
