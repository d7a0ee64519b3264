"""The DORA tier thresholds of the 2023 and 2021 State of DevOps reports, as rows (ADR 0013).

Units: deployment frequency in deploy days per week (a value reaches a tier at or above `bound`);
lead time and time to restore in hours, change failure rate as a fraction (at or below `bound`).
Tiers are tried best first; the last tier has no bound and takes everything else. A month is 30
days, six months 180 days. `description` quotes the report's own wording for the tier.
"""

from decimal import Decimal

from django.db import migrations

# Once per calendar month, even in a 31-day month: 1 deploy day in 31 days = 7/31 per week, rounded down.
MONTHLY = Decimal("0.2258")
# Once every six months: 1 deploy day in 26 weeks, rounded down.
HALF_YEARLY = Decimal("0.0384")
HOUR, DAY, WEEK, MONTH, SIX_MONTHS = (Decimal(h) for h in (1, 24, 168, 720, 4320))

# (report year, metric, rank, tier, bound, the report's words)
TIERS = [
    # Accelerate State of DevOps 2023 (DORA), software delivery performance clusters.
    (2023, "deployment_frequency", 1, "elite", Decimal(5), "On demand (multiple deploys per day)"),
    (2023, "deployment_frequency", 2, "high", Decimal(1), "Between once per day and once per week"),
    (2023, "deployment_frequency", 3, "medium", MONTHLY, "Between once per week and once per month"),
    (2023, "deployment_frequency", 4, "low", None, "Between once per week and once per month"),
    (2023, "lead_time", 1, "elite", DAY, "Less than one day"),
    (2023, "lead_time", 2, "high", WEEK, "Between one day and one week"),
    (2023, "lead_time", 3, "medium", MONTH, "Between one week and one month"),
    (2023, "lead_time", 4, "low", None, "Between one week and one month"),
    (2023, "change_failure_rate", 1, "elite", Decimal("0.05"), "5%"),
    (2023, "change_failure_rate", 2, "high", Decimal("0.10"), "10%"),
    (2023, "change_failure_rate", 3, "medium", Decimal("0.15"), "15%"),
    (2023, "change_failure_rate", 4, "low", None, "64%"),
    (2023, "time_to_restore", 1, "elite", HOUR, "Less than one hour"),
    (2023, "time_to_restore", 2, "high", DAY, "Less than one day"),
    (2023, "time_to_restore", 3, "medium", WEEK, "Between one day and one week"),
    (2023, "time_to_restore", 4, "low", None, "Between one month and six months"),
    # Accelerate State of DevOps 2021 (DORA), software delivery performance table.
    (2021, "deployment_frequency", 1, "elite", Decimal(5), "On-demand (multiple deploys per day)"),
    (2021, "deployment_frequency", 2, "high", MONTHLY, "Between once per week and once per month"),
    (2021, "deployment_frequency", 3, "medium", HALF_YEARLY, "Between once per month and once every 6 months"),
    (2021, "deployment_frequency", 4, "low", None, "Fewer than once per six months"),
    (2021, "lead_time", 1, "elite", HOUR, "Less than one hour"),
    (2021, "lead_time", 2, "high", WEEK, "Between one day and one week"),
    (2021, "lead_time", 3, "medium", SIX_MONTHS, "Between one month and six months"),
    (2021, "lead_time", 4, "low", None, "More than six months"),
    (2021, "change_failure_rate", 1, "elite", Decimal("0.15"), "0%-15%"),
    (2021, "change_failure_rate", 2, "high", Decimal("0.30"), "16%-30%"),
    # The same band as high: tried after it, so never chosen (a repeated band gives the better tier).
    (2021, "change_failure_rate", 3, "medium", Decimal("0.30"), "16%-30%"),
    (2021, "change_failure_rate", 4, "low", None, "16%-30%"),
    (2021, "time_to_restore", 1, "elite", HOUR, "Less than one hour"),
    (2021, "time_to_restore", 2, "high", DAY, "Less than one day"),
    (2021, "time_to_restore", 3, "medium", WEEK, "Between one day and one week"),
    (2021, "time_to_restore", 4, "low", None, "More than six months"),
]
YEARS = sorted({row[0] for row in TIERS})


def load_tiers(apps, schema_editor=None):
    """Idempotent: also used by the tests to put the rows back after a transactional test's flush."""
    DoraTier = apps.get_model("kpis", "DoraTier")
    for year, metric, rank, tier, bound, description in TIERS:
        DoraTier.objects.update_or_create(
            report_year=year,
            metric=metric,
            rank=rank,
            defaults={"tier": tier, "bound": bound, "description": description},
        )


def unload_tiers(apps, schema_editor):
    apps.get_model("kpis", "DoraTier").objects.filter(report_year__in=YEARS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0001_events_and_dora_tiers"),
    ]

    operations = [
        migrations.RunPython(load_tiers, unload_tiers),
    ]
