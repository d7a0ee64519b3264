"""The four DORA figures of a team and/or a service, per UTC calendar week, month or quarter, with the
tier each reaches in a State of DevOps report year (docs/adr/0013-dora-figures-and-tiers.md).

Everything is counted by the database in a fixed number of queries whatever the number of events:
one for the deployments, one each for the lead-time and restore-time medians, one for the incident
counts and one for the tiers. Buckets are Django's Trunc in UTC (date_trunc on PostgreSQL, Django's
registered functions on SQLite); a median is found with ROW_NUMBER() and COUNT() over the bucket, so
only the one or two middle rows of each period leave the database.

A figure computed over nothing is None, never 0: a period without counted deployments has no
deployment count, frequency or failure rate, and one in which no incident started has no open
incidents count (ADR 0013 says why).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, cast

from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import RowNumber, Trunc, TruncDate

from kpis.models import Deployment, DeploymentCommit, DoraTier, Incident, IncidentDeployment
from org.models import Team

Period = Literal["week", "month", "quarter"]
PERIODS: tuple[Period, ...] = ("week", "month", "quarter")
DEFAULT_REPORT_YEAR = 2023
PRODUCTION = "production"
METRICS: tuple[str, ...] = tuple(DoraTier.Metric.values)
# Deployment frequency: more is better (value ≥ bound); the others: less is better (value ≤ bound).
MORE_IS_BETTER = {DoraTier.Metric.DEPLOYMENT_FREQUENCY.value}

UTC = dt.UTC
MICROSECONDS_PER_HOUR = Decimal(3_600_000_000)


@dataclass(frozen=True)
class DoraRow:
    period_start: dt.date
    deployment_count: int | None
    deploy_days_per_week: Decimal | None
    lead_time_hours_median: Decimal | None
    change_failure_rate: Decimal | None
    time_to_restore_hours_median: Decimal | None
    open_incidents: int | None
    tiers: dict[str, str | None] = field(default_factory=dict)


def period_start_of(day: dt.date, period: Period) -> dt.date:
    """The first day of the UTC calendar period holding `day` (weeks start on Monday)."""
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_period_start(start: dt.date, period: Period) -> dt.date:
    if period == "week":
        return start + dt.timedelta(days=7)
    months = 1 if period == "month" else 3
    month = start.month - 1 + months
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


def period_starts(*, period: Period, start: dt.date, end: dt.date) -> list[dt.date]:
    """Every calendar period that shares at least one day with [start, end], whole (never clipped)."""
    if period not in PERIODS:
        raise ValueError(f"Unknown period {period!r}: expected one of {', '.join(PERIODS)}.")
    if end < start:
        raise ValueError("The range ends before it starts.")
    starts = []
    current = period_start_of(start, period)
    while current <= end:
        starts.append(current)
        current = next_period_start(current, period)
    return starts


def tier_of(tiers: Iterable[DoraTier], value: Decimal | None) -> str | None:
    """The best tier (lowest rank) the value reaches; `tiers` are one metric's, best first."""
    if value is None:
        return None
    for tier in tiers:
        if tier.bound is None:
            return tier.tier
        reached = value >= tier.bound if tier.metric in MORE_IS_BETTER else value <= tier.bound
        if reached:
            return tier.tier
    return None


def dora_figures(
    *,
    team: Team | None = None,
    service: str | None = None,
    period: Period,
    start: dt.date,
    end: dt.date,
    report_year: int = DEFAULT_REPORT_YEAR,
) -> list[DoraRow]:
    """One row per UTC calendar period meeting [start, end], oldest first. Without a team or a service
    the whole organisation is counted; with both, that team's part of the service."""
    starts = period_starts(period=period, start=start, end=end)
    since = dt.datetime.combine(starts[0], dt.time.min, tzinfo=UTC)
    until = dt.datetime.combine(next_period_start(starts[-1], period), dt.time.min, tzinfo=UTC)
    scope = _scope(team=team, service=service)

    deployments = _deployment_counts(scope, period=period, since=since, until=until)
    lead_times = _lead_time_medians(scope, period=period, since=since, until=until)
    restores = _restore_medians(scope, period=period, since=since, until=until)
    incidents = _incident_counts(scope, period=period, since=since, until=until)
    tiers_by_metric: dict[str, list[DoraTier]] = defaultdict(list)
    for tier in DoraTier.objects.filter(report_year=report_year).order_by("metric", "rank"):
        tiers_by_metric[tier.metric].append(tier)

    rows = []
    for period_start in starts:
        days_in_period = (next_period_start(period_start, period) - period_start).days
        counted = deployments.get(period_start)
        deployment_count = counted["deployments"] if counted else None
        deploy_days_per_week = Decimal(counted["days"] * 7) / Decimal(days_in_period) if counted else None
        change_failure_rate = Decimal(counted["failed"]) / Decimal(counted["deployments"]) if counted else None
        started = incidents.get(period_start)
        figures = {
            DoraTier.Metric.DEPLOYMENT_FREQUENCY.value: deploy_days_per_week,
            DoraTier.Metric.LEAD_TIME.value: lead_times.get(period_start),
            DoraTier.Metric.CHANGE_FAILURE_RATE.value: change_failure_rate,
            DoraTier.Metric.TIME_TO_RESTORE.value: restores.get(period_start),
        }
        rows.append(
            DoraRow(
                period_start=period_start,
                deployment_count=deployment_count,
                deploy_days_per_week=deploy_days_per_week,
                lead_time_hours_median=lead_times.get(period_start),
                change_failure_rate=change_failure_rate,
                time_to_restore_hours_median=restores.get(period_start),
                open_incidents=started["open"] if started else None,
                tiers={metric: tier_of(tiers_by_metric[metric], figures[metric]) for metric in METRICS},
            )
        )
    return rows


@dataclass(frozen=True)
class _Scope:
    team: Team | None
    service: str | None

    def of(self, queryset: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
        if self.team is not None:
            queryset = queryset.filter(**{f"{prefix}team": self.team})
        if self.service is not None:
            queryset = queryset.filter(**{f"{prefix}service": self.service})
        return queryset


def _scope(*, team: Team | None, service: str | None) -> _Scope:
    return _Scope(team=team, service=service or None)


def _bucket(field_name: str, period: Period) -> Trunc:
    return Trunc(field_name, period, output_field=DateTimeField(), tzinfo=UTC)


def _day(value: dt.datetime | dt.date) -> dt.date:
    return value.astimezone(UTC).date() if isinstance(value, dt.datetime) else value


def _deployment_counts(
    scope: _Scope, *, period: Period, since: dt.datetime, until: dt.datetime
) -> dict[dt.date, dict[str, int]]:
    """Per period: counted deployments, distinct UTC days with one, and those named by an incident."""
    named = Exists(IncidentDeployment.objects.filter(deploy_id=OuterRef("deploy_id")))
    rows = (
        scope.of(Deployment.objects.filter(environment=PRODUCTION, succeeded=True))
        .filter(deployed_at__gte=since, deployed_at__lt=until)
        .annotate(bucket=_bucket("deployed_at", period))
        .order_by()
        .values("bucket")
        .annotate(
            deployments=Count("pk"),
            days=Count(TruncDate("deployed_at", tzinfo=UTC), distinct=True),
            failed=Count("pk", filter=Q(named)),
        )
    )
    return {_day(row["bucket"]): row for row in rows}


def _lead_time_medians(
    scope: _Scope, *, period: Period, since: dt.datetime, until: dt.datetime
) -> dict[dt.date, Decimal]:
    pairs = (
        scope.of(DeploymentCommit.objects.all(), prefix="deployment__")
        .filter(
            deployment__environment=PRODUCTION,
            deployment__succeeded=True,
            deployment__deployed_at__gte=since,
            deployment__deployed_at__lt=until,
        )
        .annotate(
            duration=ExpressionWrapper(F("deployment__deployed_at") - F("committed_at"), output_field=DurationField())
        )
        .filter(duration__gt=dt.timedelta(0))
    )
    return _medians(pairs, bucket=_bucket("deployment__deployed_at", period))


def _restore_medians(
    scope: _Scope, *, period: Period, since: dt.datetime, until: dt.datetime
) -> dict[dt.date, Decimal]:
    restored = (
        scope.of(Incident.objects.all())
        .filter(started_at__gte=since, started_at__lt=until, resolved_at__isnull=False)
        .annotate(duration=ExpressionWrapper(F("resolved_at") - F("started_at"), output_field=DurationField()))
    )
    return _medians(restored, bucket=_bucket("started_at", period))


def _medians(queryset: QuerySet[Any], *, bucket: Trunc) -> dict[dt.date, Decimal]:
    """The median `duration` per bucket, in hours: the database numbers each bucket's rows in order and
    hands back only the middle one (odd count) or two (even count), which are averaged here."""
    by_bucket = [F("bucket")]
    middle = (
        queryset.annotate(
            bucket=bucket,
            position=Window(RowNumber(), partition_by=by_bucket, order_by=[F("duration").asc(), F("pk").asc()]),
            size=Window(Count("pk"), partition_by=by_bucket),
        )
        # Rows (size + 1) / 2 to (size + 2) / 2 in integer division: the middle one, or the middle two.
        .filter(position__gte=(F("size") + 1) / 2, position__lte=(F("size") + 2) / 2)
        .order_by()
        .values_list("bucket", "duration")
    )
    values: dict[dt.date, list[dt.timedelta]] = defaultdict(list)
    for moment, duration in middle:
        values[_day(moment)].append(cast(dt.timedelta, duration))
    return {
        day: Decimal(sum(d // dt.timedelta(microseconds=1) for d in durations))
        / Decimal(len(durations))
        / MICROSECONDS_PER_HOUR
        for day, durations in values.items()
    }


def _incident_counts(
    scope: _Scope, *, period: Period, since: dt.datetime, until: dt.datetime
) -> dict[dt.date, dict[str, int]]:
    rows = (
        scope.of(Incident.objects.all())
        .filter(started_at__gte=since, started_at__lt=until)
        .annotate(bucket=_bucket("started_at", period))
        .order_by()
        .values("bucket")
        .annotate(started=Count("pk"), open=Count("pk", filter=Q(resolved_at__isnull=True)))
    )
    return {_day(row["bucket"]): row for row in rows}
