"""Reads for the KPI pages: the teams a caller may see, and a team's DORA dashboard over the last six
calendar periods (UTC), in a fixed number of queries whatever the number of events.

A figure with no data stays None up to the page, which says "not collected", never 0 (ADR 0013).
Numbers are rounded here, once, to what the page shows.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kpis.charts import Band, Point
from kpis.dora import (
    DEFAULT_REPORT_YEAR,
    MORE_IS_BETTER,
    DoraRow,
    Period,
    dora_figures,
    next_period_start,
    period_start_of,
)
from kpis.models import Deployment, DoraTier, Incident
from org.models import Team
from staffrole import access

PERIOD_COUNT = 6
PERIOD_NOUNS: dict[Period, str] = {"week": "week", "month": "month", "quarter": "quarter"}


@dataclass(frozen=True)
class Figure:
    """How one DORA figure is read off a DoraRow and shown."""

    metric: str  # a DoraTier.Metric value
    attribute: str  # the DoraRow field
    title: str
    unit: str
    axis: str
    scale: Decimal  # stored value * scale = shown value (a rate is stored 0..1, shown as %)
    places: Decimal


FIGURES: tuple[Figure, ...] = (
    Figure(
        DoraTier.Metric.DEPLOYMENT_FREQUENCY.value,
        "deploy_days_per_week",
        "Deployment frequency",
        "days/week",
        "deploy days per week",
        Decimal(1),
        Decimal("0.01"),
    ),
    Figure(
        DoraTier.Metric.LEAD_TIME.value,
        "lead_time_hours_median",
        "Lead time for changes",
        "h",
        "median hours",
        Decimal(1),
        Decimal("0.1"),
    ),
    Figure(
        DoraTier.Metric.CHANGE_FAILURE_RATE.value,
        "change_failure_rate",
        "Change failure rate",
        "%",
        "% of deployments",
        Decimal(100),
        Decimal("0.1"),
    ),
    Figure(
        DoraTier.Metric.TIME_TO_RESTORE.value,
        "time_to_restore_hours_median",
        "Time to restore service",
        "h",
        "median hours",
        Decimal(1),
        Decimal("0.1"),
    ),
)


@dataclass(frozen=True)
class FigureSeries:
    figure: Figure
    values: list[Decimal | None]  # one per period, oldest first, rounded, in shown units
    tiers: list[str | None]
    points: list[Point]
    bands: list[Band]

    @property
    def latest(self) -> Decimal | None:
        return self.values[-1]

    @property
    def latest_text(self) -> str:
        return figure_text(self.latest, self.figure)

    @property
    def tier(self) -> str | None:
        return self.tiers[-1]


@dataclass(frozen=True)
class FigureChange:
    """The latest period against the one before, in words ("up 2.5 h on last month, worse")."""

    words: str
    direction: str  # "up", "down", "same" or "none"
    better: bool | None


@dataclass(frozen=True)
class PeriodRow:
    period_start: dt.date
    label: str
    texts: list[str]  # one per figure, "not collected" where null
    deployment_count: int | None
    open_incidents: int | None


@dataclass(frozen=True)
class TeamDashboard:
    team: Team
    period: Period
    report_year: int
    report_years: list[int]
    service: str | None
    services: list[str]
    series: list[FigureSeries]
    changes: list[FigureChange]
    rows: list[PeriodRow]
    open_incidents: int  # unresolved now, whenever they started

    @property
    def tiles(self) -> list[tuple[FigureSeries, FigureChange]]:
        return list(zip(self.series, self.changes, strict=True))


def teams_for_user(user: Any) -> list[Team]:
    ids = access.visible_team_ids(user)
    teams = Team.objects.order_by("name", "slug")
    return list(teams if ids is None else teams.filter(pk__in=ids))


def team_for_user(user: Any, slug: str) -> Team | None:
    """The team with that slug, if the caller may see its KPIs; None for one they may not see or that
    does not exist (the same answer, so nobody learns which teams exist)."""
    team = Team.objects.filter(slug=slug).first()
    if team is None or not access.can_view_team_kpis(user, team):
        return None
    return team


def team_services(team: Team) -> list[str]:
    """The services seen in the team's deployments, for the service filter."""
    return list(Deployment.objects.filter(team=team).order_by("service").values_list("service", flat=True).distinct())


def report_years() -> list[int]:
    return list(DoraTier.objects.order_by("report_year").values_list("report_year", flat=True).distinct())


def last_period_starts(*, period: Period, today: dt.date, count: int = PERIOD_COUNT) -> list[dt.date]:
    """The first days of the `count` periods ending with the one holding `today`, oldest first."""
    current = period_start_of(today, period)
    starts = [current]
    while len(starts) < count:
        starts.insert(0, period_start_of(starts[0] - dt.timedelta(days=1), period))
    return starts


def period_label(start: dt.date, period: Period) -> str:
    if period == "week":
        return f"{start.day} {start:%b}"
    if period == "month":
        return start.strftime("%b %Y")
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"


def figure_text(value: Decimal | None, figure: Figure) -> str:
    if value is None:
        return "not collected"
    return f"{value}%" if figure.unit == "%" else f"{value} {figure.unit}"


def _shown(value: Decimal | None, figure: Figure) -> Decimal | None:
    if value is None:
        return None
    return (value * figure.scale).quantize(figure.places, rounding=ROUND_HALF_UP)


def tier_bands(tiers: list[DoraTier], figure: Figure) -> list[Band]:
    """One band per tier, from consecutive bounds (`tiers` best first). Where more is better a tier
    spans from its bound up to the better tier's; where less is better, from the better tier's bound up
    to its own. A null bound is unbounded."""
    bands = []
    previous: Decimal | None = None
    more_is_better = figure.metric in MORE_IS_BETTER
    for tier in tiers:
        bound = None if tier.bound is None else tier.bound * figure.scale
        if more_is_better:
            low, high = bound, previous
        else:
            low, high = (previous if previous is not None else Decimal(0)), bound
        bands.append(Band(label=tier.tier, low=low, high=high, css_class=f"tier--{tier.tier}"))
        previous = bound
    return bands


def figure_change(series_values: list[Decimal | None], figure: Figure, period: Period) -> FigureChange:
    noun = f"last {PERIOD_NOUNS[period]}"
    latest, before = series_values[-1], series_values[-2] if len(series_values) > 1 else None
    if latest is None:
        return FigureChange("not collected this " + PERIOD_NOUNS[period], "none", None)
    if before is None:
        return FigureChange(f"not collected {noun}: nothing to compare", "none", None)
    if latest == before:
        return FigureChange(f"no change on {noun}", "same", None)
    up = latest > before
    better = up if figure.metric in MORE_IS_BETTER else not up
    difference = abs(latest - before)
    amount = f"{difference} pp" if figure.unit == "%" else figure_text(difference, figure)
    verdict = "better" if better else "worse"
    return FigureChange(f"{'up' if up else 'down'} {amount} on {noun} ({verdict})", "up" if up else "down", better)


def team_dashboard(
    *,
    team: Team,
    period: Period,
    today: dt.date,
    report_year: int = DEFAULT_REPORT_YEAR,
    service: str | None = None,
    services: list[str] | None = None,
    known_years: list[int] | None = None,
) -> TeamDashboard:
    """The team's DORA figures over the last six periods ending with today's, with tiers and bands of
    `report_year`, optionally for the team's part of one service."""
    starts = last_period_starts(period=period, today=today)
    rows: list[DoraRow] = dora_figures(
        team=team,
        service=service,
        period=period,
        start=starts[0],
        end=next_period_start(starts[-1], period) - dt.timedelta(days=1),
        report_year=report_year,
    )
    tiers_by_metric: dict[str, list[DoraTier]] = {}
    for tier in DoraTier.objects.filter(report_year=report_year).order_by("metric", "rank"):
        tiers_by_metric.setdefault(tier.metric, []).append(tier)
    labels = [period_label(row.period_start, period) for row in rows]

    series = []
    for figure in FIGURES:
        values = [_shown(getattr(row, figure.attribute), figure) for row in rows]
        series.append(
            FigureSeries(
                figure=figure,
                values=values,
                tiers=[row.tiers.get(figure.metric) for row in rows],
                points=[Point(label, value) for label, value in zip(labels, values, strict=True)],
                bands=tier_bands(tiers_by_metric.get(figure.metric, []), figure),
            )
        )
    open_now = Incident.objects.filter(team=team, resolved_at__isnull=True)
    if service:
        open_now = open_now.filter(service=service)
    return TeamDashboard(
        team=team,
        period=period,
        report_year=report_year,
        report_years=known_years if known_years is not None else report_years(),
        service=service,
        services=services if services is not None else team_services(team),
        series=series,
        changes=[figure_change(s.values, s.figure, period) for s in series],
        rows=[
            PeriodRow(
                period_start=row.period_start,
                label=label,
                texts=[figure_text(s.values[i], s.figure) for s in series],
                deployment_count=row.deployment_count,
                open_incidents=row.open_incidents,
            )
            for i, (row, label) in enumerate(zip(rows, labels, strict=True))
        ],
        open_incidents=open_now.count(),
    )
