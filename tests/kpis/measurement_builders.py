"""The small organisation with the bundled blueprint, callers, and valid measurement items for the
measurement tests; name the fields to change."""

from typing import Any

import pytest

from org.models import Employee
from tests.kpis.ingest_builders import make_user
from tests.org_builders import small_org

ROLE = "staff-software-engineer"
CFR = "Change failure rate (DORA)"
LEAD_TIME = "Lead time to change (DORA)"
SLO = "SLO attainment"
HEADER = "role,kpi,subject_type,subject,team,period,value,unit,source"


@pytest.fixture
def org(staff_blueprint: Any) -> dict[str, Employee]:
    """director > manager > engineer, newhire (platform); director > manager2 > engineer2 (payments); hr."""
    return small_org()


def ingest_account() -> Any:
    from staffrole.access import KPI_INGEST_GROUP

    return make_user("ci-bot", KPI_INGEST_GROUP)


def measurement(**values: Any) -> dict[str, Any]:
    """Platform's change failure rate in November 2026, from CI."""
    item: dict[str, Any] = {
        "role": ROLE,
        "kpi": CFR,
        "subject_type": "team",
        "subject": "platform",
        "period": "2026-11",
        "value": 8.5,
        "unit": "%",
        "source": "ci",
    }
    item.update(values)
    return {name: value for name, value in item.items() if value is not ...}


def service(**values: Any) -> dict[str, Any]:
    """billing-api's (platform's) SLO attainment in Q4 2026."""
    return measurement(
        **{"kpi": SLO, "subject_type": "service", "subject": "billing-api", "team": "platform", "period": "2026-Q4"}
        | {"value": 99.95, "source": "slo-report"}
        | values
    )


def engineer(**values: Any) -> dict[str, Any]:
    """engineer's lead time in ISO week 47 of 2026."""
    return measurement(
        **{"kpi": LEAD_TIME, "subject_type": "engineer", "subject": "engineer", "period": "2026-W47"}
        | {"value": 20, "unit": "hours"}
        | values
    )


PERIOD_FORMATS_TEXT = "2026-11 (a month), 2026-Q4 (a quarter) or 2026-W47 (an ISO week)"
