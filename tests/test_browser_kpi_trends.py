"""Issue 5's journey: a tool sends KPI measurements through the API, a real worker recomputes the
trends, and a manager sees them on the team dashboard in a real browser."""

import datetime as dt
import json
import time
import urllib.request
from typing import Any

import pytest
from django.contrib.auth.models import User

from kpis.dora import period_start_of
from kpis.measurements import period_label
from kpis.models import KPITrend
from staffrole.access import KPI_INGEST_GROUP
from tests.org_builders import small_org


def last_months(count: int) -> list[str]:
    starts = [period_start_of(dt.datetime.now(dt.UTC).date(), "month")]
    while len(starts) < count:
        starts.insert(0, period_start_of(starts[0] - dt.timedelta(days=1), "month"))
    return [period_label("month", start) for start in starts]


def measurements() -> list[dict[str, Any]]:
    common = {"role": "staff-software-engineer", "subject_type": "team", "subject": "platform", "source": "warehouse"}
    flaky = [5.0, 4.0, 3.5, 2.0]  # "Reduce by 50%": 2.0 is 60 % below 5.0
    slo = [99.2, 99.5, 99.7, 99.8]  # ">= 99.9%": missed
    return [
        *(
            {**common, "kpi": "flaky-test-rate", "period": p, "value": v, "unit": "%"}
            for p, v in zip(last_months(4), flaky, strict=True)
        ),
        *(
            {**common, "kpi": "SLO attainment", "period": p, "value": v, "unit": "%"}
            for p, v in zip(last_months(4), slo, strict=True)
        ),
    ]


def post_json(url: str, body: Any, token: str = "") -> tuple[int, Any]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Token {token}"} if token else {})}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - the test's own live server
        return answer.status, json.loads(answer.read())


def wait_for_trends(count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while KPITrend.objects.count() < count:
        if time.monotonic() > deadline:
            raise AssertionError("the worker did not recompute the trends in time")
        time.sleep(0.2)


@pytest.fixture
def trends_sent(live_server, staff_blueprint, worker):  # type: ignore[no-untyped-def]
    """The organisation, a KPI ingest account's API batch and the worker's trends, all before the browser
    starts: inside Playwright's sync API the ORM would open a second connection."""
    small_org()
    bot = User.objects.create_user("ci-bot", password="demo")
    bot.groups.create(name=KPI_INGEST_GROUP)
    _status, answer = post_json(f"{live_server.url}/api/v1/auth/token/", {"username": "ci-bot", "password": "demo"})
    status, counts = post_json(f"{live_server.url}/api/v1/kpis/measurements/", measurements(), answer["token"])
    assert (status, counts) == (200, {"created": 8, "updated": 0, "unchanged": 0})
    wait_for_trends(2)
    assert "kpis.tasks.trends_recompute_series" in worker["log"].read_text(errors="replace")


@pytest.mark.browser
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_recomputes_the_trends_of_an_api_ingest_and_the_dashboard_shows_them(
    live_server, trends_sent, browser_page
):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/?next=/kpis/teams/platform/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/kpis/teams/platform/")

    table = page.locator("table.kpi-blueprint")
    flaky = table.locator("tr", has_text="Flaky test rate")
    slo = table.locator("tr", has_text="SLO attainment")
    assert "2%" in flaky.inner_text()
    assert "-42.9% on the month before" in flaky.inner_text()
    assert "Falling 0.95% per month" in flaky.inner_text()
    assert flaky.get_by_text("Target met").is_visible()
    assert slo.get_by_text("Target missed").is_visible()
    assert flaky.locator("svg[role=img] title").first.text_content().startswith("Flaky test rate of Platform")
