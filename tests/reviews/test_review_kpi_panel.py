"""The review page's "KPIs for this period": the reviewed engineer's own KPIs, their team's and their
team's services', over the periods that overlap the cycle, as the caller may see them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kpis.models import KPITrendTier
from reviews.kpi_panel import review_kpi_panel
from reviews.services import review_reassign
from tests.reviews.kpi_support import (
    client_as,
    series,
    user,
)

pytestmark = pytest.mark.django_db

PLATFORM_ROWS = {
    ("PR review turnaround", "Eli Engineer"),
    ("Flaky test rate", "Platform"),
    ("SLO attainment", "billing-api"),
    ("Change failure rate (DORA)", "Platform"),
    ("Build pipeline duration", "Platform"),
}


def _rows(username, review):
    panel = review_kpi_panel(user=user(username), review=review)
    return {(row.name, row.subject): row for row in panel.rows}


def test_it_shows_the_engineer_their_own_their_teams_and_their_services_kpis(kpi_review):
    rows = _rows("engineer", kpi_review)
    assert {(name, subject) for name, subject in rows} == {
        (name, kpi_review.employee.name if subject == "Eli Engineer" else subject) for name, subject in PLATFORM_ROWS
    }


@pytest.mark.parametrize("username", ["manager", "director", "hr"])
def test_it_shows_the_manager_the_director_and_hr_the_same_kpis(kpi_review, username):
    assert set(_rows(username, kpi_review)) == set(_rows("engineer", kpi_review))


@pytest.mark.parametrize("username", ["engineer", "manager", "director", "hr"])
def test_it_never_shows_another_teams_or_another_engineers_kpis(kpi_review, username):
    subjects = {subject for _name, subject in _rows(username, kpi_review)}
    assert not subjects & {"Payments", "ledger-api", "Engineer2"}
    panel = review_kpi_panel(user=user(username), review=kpi_review)
    assert {row.series.team.slug for row in panel.rows if row.series.team} == {"platform"}


def test_it_gives_the_values_of_the_cycles_periods_with_gaps_not_collected(kpi_review):
    rows = _rows("manager", kpi_review)
    flaky = rows[("Flaky test rate", "Platform")]
    assert [p["period"] for p in flaky.period_values] == ["Jan 2026", "Feb 2026", "Mar 2026"]
    assert flaky.values == [Decimal(3), Decimal("2.5"), Decimal("3.2")]  # December, before the cycle, left out
    assert flaky.latest_text == "3.2%" and flaky.latest_period == "Mar 2026"
    own = rows[("PR review turnaround", kpi_review.employee.name)]
    assert [p["value"] for p in own.period_values] == ["0.9 business days", "not collected", "0.7 business days"]
    assert own.latest_text == "0.7 business days"


def test_it_says_not_collected_never_zero_for_a_kpi_without_values_in_the_cycle(kpi_review):
    row = _rows("engineer", kpi_review)[("Build pipeline duration", "Platform")]
    assert row.values == [None, None, None]
    assert row.latest_text == "not collected" and row.latest_period == ""
    page = client_as("engineer").get(reverse("reviews:detail", args=[kpi_review.pk])).content.decode()
    section = page.split(f'id="kpi-{row.series.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Not collected" in section and "not collected" in section
    assert ">0<" not in section and " 0 minutes" not in section


def test_it_says_whether_the_target_is_met_and_gives_the_dora_tier_of_the_cycles_report_year(kpi_review):
    rows = _rows("hr", kpi_review)
    assert rows[("SLO attainment", "billing-api")].attainment_text == "target met"
    assert rows[("Flaky test rate", "Platform")].attainment_text == "target missed"  # 20% down on December, 50% asked
    dora = rows[("Change failure rate (DORA)", "Platform")]
    expected = KPITrendTier.objects.get(trend_id=dora.series.pk, report_year=kpi_review.cycle.dora_report_year)
    assert dora.tier == expected.tier
    page = client_as("hr").get(reverse("reviews:detail", args=[kpi_review.pk])).content.decode()
    assert "KPIs for this period" in page
    assert "Target met" in page and "Target missed" in page
    assert f"DORA {expected.tier}" in page


def test_it_shows_the_reviewer_from_another_team_only_the_engineers_own_kpis(kpi_review):
    """A reviewer who may read the review but not the team's KPIs sees the person's own series only."""
    from org.models import Employee

    review = review_reassign(
        actor=user("hr"),
        review=kpi_review,
        reviewer=Employee.objects.get(user__username="manager2"),
        reason="Manager on leave",
    )
    rows = _rows("manager2", review)
    assert set(rows) == {("PR review turnaround", kpi_review.employee.name)}


@pytest.mark.parametrize("username", ["engineer2", "manager2", "newhire"])
def test_a_peer_still_gets_404_on_the_review(kpi_review, username):
    response = client_as(username).get(reverse("reviews:detail", args=[kpi_review.pk]))
    assert response.status_code == 404


def test_it_renders_the_panel_with_a_sparkline_per_collected_kpi(kpi_review):
    page = client_as("engineer").get(reverse("reviews:detail", args=[kpi_review.pk])).content.decode()
    panel = page.split('id="review-kpis"', 1)[1].split("</section>", 1)[0]
    assert panel.count("chart--spark") == 4  # every KPI but the one without values in the cycle
    assert "Flaky test rate" in panel and "billing-api" in panel
    assert "Payments" not in panel and "ledger-api" not in panel
    flaky = series("Flaky test rate", str(kpi_review.employee.team_id))
    assert f'id="kpi-{flaky.pk}"' in panel
