"""The blueprint KPIs on the team dashboard: what the workers stored, sparklines, words, and a fixed
number of queries whatever the number of series."""

from typing import Any

import pytest

from kpis.measurements import measurements_ingest
from kpis.models import KPISeries
from kpis.trends import trends_recompute
from tests.kpis.dashboard_support import client_as, org  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

ROLE = "staff-software-engineer"
# The dashboard's 17 queries (the last reads the series with their trends), then with series found:
# their tiers, the blueprint targets and the values of the window.
QUERIES = 20


def item(kpi: str, period: str, value: Any, *, unit: str, kind: str = "team", subject: str = "platform") -> dict:
    row = {
        "role": ROLE,
        "kpi": kpi,
        "subject_type": kind,
        "subject": subject,
        "period": period,
        "value": value,
        "unit": unit,
        "source": "warehouse",
    }
    if kind == "service":
        row["team"] = "platform"
    return row


def cfr_history() -> None:
    months = ["2025-12", "2026-01", "2026-03"]  # February not collected
    measurements_ingest(
        actor=None,
        items=[
            *(item("Change failure rate (DORA)", m, v, unit="%") for m, v in zip(months, [14, 11, 8], strict=True)),
            item("SLO attainment", "2026-03", "99.5", unit="%", kind="service", subject="billing-api"),
            item("SLO attainment", "2026-03", "99.95", unit="%", kind="service", subject="search"),
            item("Flaky test rate", "2026-W11", 3, unit="%"),  # weekly: not in the monthly table
            item("SLO attainment", "2026-03", "99.99", unit="%", subject="payments"),  # another team
        ],
    )
    trends_recompute()


def test_the_team_and_its_services_kpis_with_their_trends(org, staff_blueprint) -> None:  # noqa: F811
    cfr_history()

    response = client_as("manager").get("/kpis/teams/platform/")

    table = response.context["kpi_table"]
    assert [(row.name, row.subject) for row in table.rows] == [
        ("Change failure rate (DORA)", "Platform"),  # blueprint order: KPI 3 before KPI 7
        ("SLO attainment", "billing-api"),
        ("SLO attainment", "search"),
    ]
    cfr = table.rows[0]
    assert cfr.latest_text == "8%"
    assert cfr.latest_period == "2026-03"
    assert cfr.change_text == "-27.3% on the month before"
    assert cfr.attainment_text == "Target met"
    assert cfr.tier == "high"  # 8 % under the DORA 2023 report
    assert [p.value for p in cfr.points][-4:] == [14, 11, None, 8]
    assert table.other_periods == {"week": 1}
    page = response.content.decode()
    assert "Blueprint KPIs per month" in page
    assert "&lt; 10\u201315% for mature services; trend downward" in page  # the blueprint's words
    assert "Target missed" in page  # billing-api at 99.5 % of a 99.9 % target
    assert "Payments" not in page.split("Blueprint KPIs")[1].split("</section>")[0]


def test_the_report_year_picks_the_tier(org, staff_blueprint) -> None:  # noqa: F811
    cfr_history()
    response = client_as("manager").get("/kpis/teams/platform/", {"report_year": "2021"})
    assert response.context["kpi_table"].rows[0].tier == "elite"  # 8 % is 0-15 % in 2021


def test_a_series_the_workers_have_not_reached_yet_says_so(org, staff_blueprint) -> None:  # noqa: F811
    measurements_ingest(actor=None, items=[item("Change failure rate (DORA)", "2026-03", 8, unit="%")])
    from kpis.models import KPITrend

    KPITrend.objects.all().delete()  # as if the worker had not run yet
    response = client_as("manager").get("/kpis/teams/platform/")
    row = response.context["kpi_table"].rows[0]
    assert row.latest_text == "not computed yet"
    assert "not computed yet" in response.content.decode()


def test_another_granularity_is_pointed_to(org, staff_blueprint) -> None:  # noqa: F811
    cfr_history()
    response = client_as("manager").get("/kpis/teams/platform/", {"period": "quarter"})
    assert response.context["kpi_table"].rows == []
    assert "3 per month, 1 per week" in response.content.decode()


@pytest.mark.parametrize("services", [1, 20])
def test_a_fixed_number_of_queries_whatever_the_number_of_series(
    org,  # noqa: F811
    staff_blueprint,
    services,
    django_assert_num_queries,
) -> None:
    measurements_ingest(
        actor=None,
        items=[
            item(kpi, month, n + s, unit="%", kind="service", subject=f"svc-{s}")
            for s in range(services)
            for n, month in enumerate(["2026-01", "2026-02", "2026-03"])
            for kpi in ("SLO attainment", "Change failure rate (DORA)")
        ],
    )
    trends_recompute()
    assert KPISeries.objects.count() == 2 * services
    client = client_as("manager")

    with django_assert_num_queries(QUERIES):
        response = client.get("/kpis/teams/platform/")

    assert len(response.context["kpi_table"].rows) == 2 * services
