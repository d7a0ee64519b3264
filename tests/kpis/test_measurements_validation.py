"""The measurement ingest checks every item before writing: each field, the names it uses, periods,
duplicates and units; every problem is named by the item's index and nothing is written."""

from typing import Any

import pytest

from kpis.measurements import measurements_ingest
from kpis.models import KPISeries, Measurement
from kpis.services import IngestError
from scorecards.models import Role
from tests.kpis.measurement_builders import CFR, PERIOD_FORMATS_TEXT, engineer, measurement, org, service

pytestmark = pytest.mark.django_db
__all__ = ["org"]


def problems(items: Any) -> dict[int, dict[str, list[str]]]:
    with pytest.raises(IngestError) as caught:
        measurements_ingest(actor=None, items=items)
    assert not Measurement.objects.exists() and not KPISeries.objects.exists()
    return caught.value.errors


def test_it_takes_a_team_a_service_and_an_engineer(org):
    result = measurements_ingest(actor=None, items=[measurement(), service(), engineer()])
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    rows = {(s.subject_kind, s.subject_key, s.period, s.unit, s.team.slug) for s in KPISeries.objects.all()}
    platform, person = org["manager"].team_id, org["engineer"].pk
    assert rows == {
        ("team", str(platform), "month", "%", "platform"),
        ("service", f"{platform}:billing-api", "quarter", "%", "platform"),
        ("engineer", str(person), "week", "hours", "platform"),
    }
    assert sorted(map(str, Measurement.objects.values_list("period_start", flat=True))) == [
        "2026-10-01",
        "2026-11-01",
        "2026-11-16",
    ]


@pytest.mark.parametrize(
    "name",
    ["role", "kpi", "subject_type", "subject", "period", "value", "unit", "source"],
)
def test_each_field_is_required(org, name):
    assert problems([measurement(**{name: ...})]) == {0: {name: ["This field is required."]}}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"role": 3}, {"role": ["Expected a string, got 3."]}),
        ({"kpi": "  "}, {"kpi": ["This field may not be blank."]}),
        ({"subject": None}, {"subject": ["This field may not be null."]}),
        (
            {"subject_type": "robot"},
            {"subject_type": ["Unknown subject type 'robot': expected engineer, team, service."]},
        ),
        ({"value": "eight"}, {"value": ["Not a number: 'eight'."]}),
        ({"value": True}, {"value": ["Expected a number, got true."]}),
        ({"value": "NaN"}, {"value": ["Not a finite number: 'NaN'."]}),
        ({"value": "1e20"}, {"value": ["Too large: '1e20' (at most 14 digits before the point)."]}),
        ({"unit": "x" * 41}, {"unit": ["At most 40 characters (this has 41)."]}),
        ({"source": ""}, {"source": ["This field may not be blank."]}),
    ],
)
def test_each_field_is_checked(org, values, expected):
    assert problems([measurement(**values)]) == {0: expected}


def test_a_batch_that_is_not_a_list_or_holds_something_else_is_refused(org):
    with pytest.raises(
        IngestError, match=r"^Expected a JSON list of measurements, one object per measurement; got an object"
    ):
        measurements_ingest(actor=None, items={"role": "x"})
    assert problems([measurement(), "nope"]) == {
        1: {"non_field_errors": ["Expected an object (measurement), got 'nope'."]}
    }


def test_unknown_names_are_named(org):
    assert problems(
        [
            measurement(role="ghost-role"),
            measurement(kpi="Happiness index"),
            engineer(subject="ghost"),
            measurement(subject="ghost-team"),
            service(team="ghost-team"),
        ]
    ) == {
        0: {"role": ["Unknown role 'ghost-role': no role has this slug."]},
        1: {"kpi": ["The Staff Software Engineer blueprint has no KPI 'Happiness index'."]},
        2: {"subject": ["Unknown engineer 'ghost': no employee has this username."]},
        3: {"subject": ["Unknown team 'ghost-team': no team has this slug."]},
        4: {"team": ["Unknown team 'ghost-team': no team has this slug."]},
    }


def test_a_role_without_a_published_blueprint_has_no_kpis(org):
    Role.objects.create(slug="data-engineer", title="Data Engineer")
    assert problems([measurement(role="data-engineer")]) == {
        0: {"role": ["The role 'data-engineer' has no published blueprint, so it has no KPIs yet."]}
    }


@pytest.mark.parametrize(
    "name", [CFR, "change failure rate (dora)", "change-failure-rate-dora", " Change failure rate (DORA) "]
)
def test_a_kpi_is_named_by_its_name_or_its_slug(org, name):
    measurements_ingest(actor=None, items=[measurement(kpi=name)])
    assert KPISeries.objects.get().kpi == CFR


def test_a_service_names_its_team(org):
    assert problems([service(team=...), service(team="", subject="web")]) == {
        0: {"team": ["A service's measurements name the team that owns it (its slug)."]},
        1: {"team": ["A service's measurements name the team that owns it (its slug)."]},
    }


@pytest.mark.parametrize(
    ("period", "granularity", "start"),
    [
        ("2026-11", "month", "2026-11-01"),
        ("2026-01", "month", "2026-01-01"),
        ("2026-Q4", "quarter", "2026-10-01"),
        ("2026-q1", "quarter", "2026-01-01"),
        ("2026-W47", "week", "2026-11-16"),
        ("2026-W53", "week", "2026-12-28"),
        ("2021-W01", "week", "2021-01-04"),
    ],
)
def test_each_period_format(org, period, granularity, start):
    measurements_ingest(actor=None, items=[measurement(period=period)])
    row = Measurement.objects.select_related("series").get()
    assert (row.series.period, str(row.period_start)) == (granularity, start)


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2026-13", "No month 13 in '2026-13'."),
        ("2026-00", "No month 0 in '2026-00'."),
        ("2026-Q5", f"Not a period: '2026-Q5'. Write {PERIOD_FORMATS_TEXT}."),
        ("2025-W53", "2025 has no ISO week 53."),
        ("2026-11-01", f"Not a period: '2026-11-01'. Write {PERIOD_FORMATS_TEXT}."),
        ("November 2026", f"Not a period: 'November 2026'. Write {PERIOD_FORMATS_TEXT}."),
    ],
)
def test_a_bad_period_is_named(org, period, message):
    assert problems([measurement(period=period)]) == {0: {"period": [message]}}


def test_a_value_twice_in_a_batch_is_refused_even_by_the_kpis_slug(org):
    assert problems(
        [measurement(), measurement(kpi="change-failure-rate-dora", value=9), measurement(source="survey")]
    ) == {1: {"period": ["Item 0 gives this KPI of this subject for 2026-11 from 'ci' too."]}}


def test_a_series_has_one_unit_in_a_batch(org):
    assert problems([measurement(), measurement(period="2026-12", unit="fraction", value=0.1)]) == {
        1: {"unit": ["Item 0 gives this series in '%'; one series has one unit."]}
    }


def test_a_series_keeps_the_unit_it_was_stored_in(org):
    measurements_ingest(actor=None, items=[measurement()])
    with pytest.raises(IngestError) as caught:
        measurements_ingest(actor=None, items=[service(), measurement(period="2027-01", unit="fraction", value=0.1)])
    assert caught.value.errors == {
        1: {
            "unit": [
                "This KPI of this subject is measured in '%', not 'fraction'; convert the value, or ask HR to "
                "remove the old series."
            ]
        }
    }
    assert Measurement.objects.count() == 1 and KPISeries.objects.count() == 1


def test_every_problem_of_every_item_is_reported_at_once(org):
    errors = problems([measurement(), measurement(role=..., period="soon", value="x"), engineer(subject="ghost")])
    assert sorted(errors) == [1, 2]
    assert sorted(errors[1]) == ["period", "role", "value"]


def test_a_unit_conflict_is_named_with_the_other_problems_of_the_batch(org) -> None:
    item = {
        "role": "staff-software-engineer",
        "kpi": "Flaky test rate",
        "subject_type": "team",
        "subject": "platform",
        "source": "ci",
    }
    measurements_ingest(actor=None, items=[{**item, "period": "2026-09", "value": 3, "unit": "%"}])
    with pytest.raises(IngestError) as refused:
        measurements_ingest(
            actor=None,
            items=[
                {**item, "period": "2026-13", "value": 2, "unit": "%"},
                {**item, "period": "2026-10", "value": 2, "unit": "hours"},
            ],
        )
    assert set(refused.value.errors) == {0, 1}
    assert "unit" in refused.value.errors[1]
