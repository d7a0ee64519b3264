"""The tier thresholds are rows loaded by a data migration, judged best first (ADR 0013)."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command

from kpis.dora import tier_of
from kpis.models import DoraTier

tiers_migration = importlib.import_module("kpis.migrations.0002_dora_tiers")


def tiers(year: int, metric: str) -> list[DoraTier]:
    return list(DoraTier.objects.filter(report_year=year, metric=metric).order_by("rank"))


@pytest.mark.django_db
def test_it_loads_four_tiers_per_metric_for_2023_and_2021():
    rows = DoraTier.objects.filter(report_year__in=[2021, 2023])
    assert rows.count() == 2 * 4 * 4
    assert {(t.metric, t.tier, t.bound) for t in rows.filter(report_year=2023)} == {
        ("deployment_frequency", "elite", Decimal(5)),
        ("deployment_frequency", "high", Decimal(1)),
        ("deployment_frequency", "medium", Decimal("0.2258")),
        ("deployment_frequency", "low", None),
        ("lead_time", "elite", Decimal(24)),
        ("lead_time", "high", Decimal(168)),
        ("lead_time", "medium", Decimal(720)),
        ("lead_time", "low", None),
        ("change_failure_rate", "elite", Decimal("0.05")),
        ("change_failure_rate", "high", Decimal("0.10")),
        ("change_failure_rate", "medium", Decimal("0.15")),
        ("change_failure_rate", "low", None),
        ("time_to_restore", "elite", Decimal(1)),
        ("time_to_restore", "high", Decimal(24)),
        ("time_to_restore", "medium", Decimal(168)),
        ("time_to_restore", "low", None),
    }
    assert DoraTier.objects.get(report_year=2023, metric="change_failure_rate", tier="low").description == "64%"
    assert DoraTier.objects.get(report_year=2021, metric="lead_time", tier="low").description == "More than six months"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "metric", "value", "expected"),
    [
        # Deploy days per week: more is better, a bound is reached at or above it.
        (2023, "deployment_frequency", "5", "elite"),
        (2023, "deployment_frequency", "4.99", "high"),
        (2023, "deployment_frequency", "1", "high"),
        (2023, "deployment_frequency", "0.2258", "medium"),  # one deploy day in a 31-day month is 7/31 ≈ 0.22581
        (2023, "deployment_frequency", "0.2257", "low"),
        (2021, "deployment_frequency", "4", "high"),  # 2021 high is "once per week to once per month"
        (2021, "deployment_frequency", "0.1", "medium"),
        (2021, "deployment_frequency", "0.03", "low"),
        # Hours and rates: less is better, a bound is reached at or below it.
        (2023, "lead_time", "24", "elite"),
        (2023, "lead_time", "24.01", "high"),
        (2023, "lead_time", "200", "medium"),
        (2023, "lead_time", "721", "low"),  # 2023 repeats medium's band for low: beyond a month is low
        (2021, "lead_time", "1", "elite"),
        (2021, "lead_time", "5", "high"),  # between the report's "< 1 hour" and "1 day" bands: the better
        (2021, "lead_time", "400", "medium"),
        (2021, "lead_time", "4321", "low"),
        (2023, "change_failure_rate", "0.05", "elite"),
        (2023, "change_failure_rate", "0.12", "medium"),
        (2023, "change_failure_rate", "0.16", "low"),
        (2021, "change_failure_rate", "0.15", "elite"),
        (2021, "change_failure_rate", "0.2", "high"),  # high, medium and low all say 16-30%: the best of them
        (2021, "change_failure_rate", "0.31", "low"),
        (2023, "time_to_restore", "1", "elite"),
        (2023, "time_to_restore", "100", "medium"),
        (2023, "time_to_restore", "200", "low"),  # the report skips one week to one month: beyond a week is low
        (2021, "time_to_restore", "169", "low"),
    ],
)
def test_it_gives_the_best_tier_a_value_reaches(year, metric, value, expected):
    assert tier_of(tiers(year, metric), Decimal(value)) == expected


@pytest.mark.django_db
def test_it_gives_no_tier_without_a_value():
    assert tier_of(tiers(2023, "lead_time"), None) is None


@pytest.mark.django_db
def test_its_migration_removes_the_tiers_when_reversed_and_loads_them_once():
    tiers_migration.unload_tiers(apps, None)
    assert not DoraTier.objects.filter(report_year__in=[2021, 2023]).exists()

    tiers_migration.load_tiers(apps, None)
    tiers_migration.load_tiers(apps, None)
    assert DoraTier.objects.filter(report_year__in=[2021, 2023]).count() == 32


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_tiers_after_a_transactional_tests_flush():
    # Transactional tests flush every table afterwards; tests/conftest.py puts the tiers back as Django
    # puts back content types, on post_migrate, so the next test still finds them.
    call_command("flush", interactive=False, verbosity=0)
    assert DoraTier.objects.filter(report_year=2023).count() == 16
