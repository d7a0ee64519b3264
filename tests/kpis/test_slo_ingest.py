"""SLO windows (good and valid event counts) become SLO attainment and error budget burn values."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from kpis.models import Measurement
from kpis.services import IngestError
from kpis.slo_ingest import slo_windows_ingest
from tests.kpis.ingest_builders import make_teams, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def teams(staff_blueprint: Any) -> None:
    make_teams()


def window(**values: Any) -> dict[str, Any]:
    item = {
        "role": "staff-software-engineer",
        "subject_type": "service",
        "subject": "ledger",
        "team": "platform",
        "period": "2026-10",
        "source": "prometheus",
        "objective": 0.999,
        "good": 99_950,
        "valid": 100_000,
    }
    item.update(values)
    return item


def stored() -> dict[str, tuple[Decimal, str]]:
    return {
        kpi: (value, unit)
        for kpi, value, unit in Measurement.objects.values_list("series__kpi", "value", "series__unit")
    }


def test_a_window_gives_attainment_in_percent_and_the_burn_rate() -> None:
    result = slo_windows_ingest(actor=None, items=[window()])
    assert result.created == 2
    # 50 bad of 100,000: attainment 99.95 %; error rate 0.0005 against a budget of 0.001: burn 0.5
    assert stored() == {
        "SLO attainment": (Decimal("99.95"), "%"),
        "Error budget burn": (Decimal("0.5"), "burn rate"),
    }


def test_an_objective_in_percent_is_read_as_such() -> None:
    slo_windows_ingest(actor=None, items=[window(objective="99.9", good=99_800)])
    assert stored()["Error budget burn"] == (Decimal(2), "burn rate")  # twice the budget's pace


def test_a_window_without_valid_events_measures_nothing() -> None:
    result = slo_windows_ingest(actor=None, items=[window(good=0, valid=0)])
    assert result.created == 0
    assert not Measurement.objects.exists()


def test_a_resent_window_changes_nothing() -> None:
    slo_windows_ingest(actor=None, items=[window()])
    again = slo_windows_ingest(actor=None, items=[window()])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_every_problem_is_named_by_the_windows_index_and_nothing_is_written() -> None:
    items = [
        window(),
        window(objective=0, good=-1),
        window(good=11, valid=10),
        window(subject="nowhere", team="nowhere"),
        "not an object",
        window(valid=None),
    ]
    with pytest.raises(IngestError) as refused:
        slo_windows_ingest(actor=None, items=items)
    errors = refused.value.errors
    assert set(errors) == {1, 2, 3, 4, 5}
    assert "objective" in errors[1] and "good" in errors[1]
    assert errors[2]["good"] == ["There cannot be more good events (11) than valid ones (10)."]
    assert errors[3]["team"] == ["Unknown team 'nowhere': no team has this slug."]
    assert errors[5]["valid"] == ["This field is required."]
    assert not Measurement.objects.exists()


def test_only_hr_and_ingest_accounts_may_send() -> None:
    with pytest.raises(PermissionDenied):
        slo_windows_ingest(actor=make_user("peer"), items=[window()])
    assert slo_windows_ingest(actor=make_user("hr-person", "HR"), items=[window()]).created == 2


def test_the_api_takes_windows_and_names_bad_ones(client: Any) -> None:
    client.force_login(make_user("ci-bot", "KPI ingest"))
    url = "/api/v1/kpis/slo-windows/"

    created = client.post(url, [window()], content_type="application/json")
    refused = client.post(url, [window(), window(good=11, valid=10)], content_type="application/json")

    assert (created.status_code, created.json()) == (200, {"created": 2, "updated": 0, "unchanged": 0})
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"1": {"good": ["There cannot be more good events (11) than valid ones (10)."]}}
    assert "/api/v1/kpis/slo-windows/" in client.get("/api/v1/schema/").content.decode()
