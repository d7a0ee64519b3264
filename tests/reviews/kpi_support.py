"""The demo organisation without its KPI history, a cycle over the first quarter of 2026, and KPI values
sent through the measurement ingest, for the review page's KPI panel and KPI evidence tests."""

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from kpis.measurements import measurements_ingest
from kpis.models import KPISeries
from kpis.trends import trends_recompute
from reviews.models import Cycle, Review
from reviews.services import cycle_create, cycle_open
from scorecards.models import ScorecardDimension

ROLE = "staff-software-engineer"
PERIOD = (date(2026, 1, 1), date(2026, 3, 31))


def user(username: str) -> User:
    return User.objects.get(username=username)


def client_as(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def measure(kpi: str, subject_type: str, subject: str, values: dict[str, str], unit: str, **extra: str) -> None:
    """Send values of one series ({"2026-01": "3"}), then recompute the trends as the worker would."""
    items = [
        {
            "role": ROLE,
            "kpi": kpi,
            "subject_type": subject_type,
            "subject": subject,
            "period": period,
            "value": value,
            "unit": unit,
            "source": "test",
            **extra,
        }
        for period, value in values.items()
    ]
    measurements_ingest(actor=None, items=items)
    trends_recompute()


def series(kpi: str, subject_key_part: str) -> KPISeries:
    return KPISeries.objects.select_related("team", "engineer").get(kpi=kpi, subject_key__contains=subject_key_part)


def standard_kpis() -> None:
    """engineer's own KPI with a gap, platform's and its service's, one of platform's with nothing in the
    cycle, and payments' and engineer2's, which engineer's review never shows."""
    measure("PR review turnaround", "engineer", "engineer", {"2026-01": "0.9", "2026-03": "0.7"}, "business days")
    flaky = {"2025-12": "4", "2026-01": "3", "2026-02": "2.5", "2026-03": "3.2"}
    measure("Flaky test rate", "team", "platform", flaky, "%")
    measure("SLO attainment", "service", "billing-api", {"2026-01": "99.95", "2026-03": "99.99"}, "%", team="platform")
    measure("Change failure rate (DORA)", "team", "platform", {"2026-02": "30", "2026-03": "12"}, "%")
    measure("Build pipeline duration", "team", "platform", {"2025-06": "21"}, "minutes")
    measure("Flaky test rate", "team", "payments", {"2026-01": "7"}, "%")
    measure("SLO attainment", "service", "ledger-api", {"2026-01": "97.5"}, "%", team="payments")
    measure("PR review turnaround", "engineer", "engineer2", {"2026-01": "3.5"}, "business days")


def quarter_cycle() -> Cycle:
    hr = user("hr")
    cycle = cycle_create(
        actor=hr,
        name="2026 Q1",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        self_due=date(2026, 4, 10),
        manager_due=date(2026, 4, 20),
        calibration_due=date(2026, 4, 30),
        signoff_due=date(2026, 5, 15),
    )
    return cycle_open(actor=hr, cycle=cycle).cycle


def review_of(cycle: Cycle, username: str) -> Review:
    return Review.objects.select_related("cycle", "employee__user", "reviewer__user", "blueprint_version").get(
        cycle=cycle, employee__user__username=username
    )


def dimensions(review: Review) -> list[ScorecardDimension]:
    return list(ScorecardDimension.objects.filter(version_id=review.blueprint_version_id).order_by("position"))


@pytest.fixture
def kpi_cycle(db: Any, staff_blueprint: Any) -> Cycle:
    """The demo people (no demo cycle, no demo events or KPIs), the standard KPIs and an open 2026 Q1 cycle."""
    from reviews.demo import demo_seed

    demo_seed(cycle=False, events=False)
    standard_kpis()
    return quarter_cycle()


@pytest.fixture
def kpi_review(kpi_cycle: Cycle) -> Review:
    return review_of(kpi_cycle, "engineer")
