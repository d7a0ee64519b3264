"""The blueprint KPIs of a team as a table: one row per series of the team and of its services, at
the dashboard's granularity, with what the workers stored (kpis.trends) and a sparkline of the last
periods. Four queries whatever the number of series or measurements: the series with their trends,
the tiers of the chosen report year, the targets of the newest published blueprints, and the
values of the window.

A period without a value is "not collected" (a gap in the sparkline), never 0; a series whose trend
the workers have not written yet says so.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, OuterRef, Subquery

from kpis.charts import Point, sparkline
from kpis.dora import Period, period_start_of
from kpis.measurements import period_label as measurement_period_label
from kpis.models import KPISeries, KPITrend, KPITrendTier, Measurement
from kpis.selectors import period_label
from org.models import Team
from scorecards.models import BlueprintVersion, KPIDefinition

TEAM_KINDS = [KPISeries.SubjectKind.TEAM, KPISeries.SubjectKind.SERVICE]
WINDOW = 12  # periods in a sparkline, as many as a trend reads
ATTAINMENT_WORDS = {"met": "Target met", "missed": "Target missed"}


@dataclass(frozen=True)
class KPIRow:
    series: KPISeries
    trend: KPITrend | None
    target: str  # the blueprint's words
    tier: str | None
    points: list[Point]

    @property
    def name(self) -> str:
        return self.series.kpi

    @property
    def subject(self) -> str:
        return self.series.subject_label

    @property
    def latest_text(self) -> str:
        if self.trend is None:
            return "not computed yet"
        return value_text(self.trend.latest_value, self.series.unit)

    @property
    def latest_period(self) -> str:
        return (
            "" if self.trend is None else measurement_period_label(self.series.period, self.trend.latest_period_start)
        )

    @property
    def change_text(self) -> str:
        if self.trend is None or self.trend.previous_value is None:
            return "nothing to compare"
        if self.trend.change_pct is None:
            return f"from {value_text(self.trend.previous_value, self.series.unit)}"
        change = self.trend.change_pct.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if change == 0:
            return f"no change on the {self.series.period} before"
        return f"{'+' if change > 0 else ''}{change}% on the {self.series.period} before"

    @property
    def moving_average_text(self) -> str:
        return "" if self.trend is None else value_text(self.trend.moving_average, self.series.unit)

    @property
    def slope_text(self) -> str:
        if self.trend is None or self.trend.slope is None:
            return "no trend yet"
        slope = _rounded(self.trend.slope)
        if slope == 0:
            return "flat"
        direction = "rising" if slope > 0 else "falling"
        return f"{direction} {value_text(abs(slope), self.series.unit)} per {self.series.period}"

    @property
    def attainment_text(self) -> str:
        return "" if self.trend is None else ATTAINMENT_WORDS.get(self.trend.attainment, "")

    @property
    def sparkline(self) -> str:
        return sparkline(
            self.points, title=f"{self.name} of {self.subject}, last {len(self.points)} {self.series.period}s"
        )


@dataclass(frozen=True)
class KPITable:
    rows: list[KPIRow]
    period: Period
    other_periods: dict[str, int]  # series of the team kept at another granularity, by granularity


def _rounded(value: Decimal) -> Decimal:
    places = Decimal("1") if abs(value) >= 100 else Decimal("0.01")
    return value.quantize(places, rounding=ROUND_HALF_UP).normalize() + Decimal(0)


def value_text(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "not collected"
    number = f"{_rounded(value):f}"
    return f"{number}%" if unit == "%" else f"{number} {unit}".strip()


def _window(period: Period, today: dt.date) -> list[dt.date]:
    starts = [period_start_of(today, period)]
    while len(starts) < WINDOW:
        starts.insert(0, period_start_of(starts[0] - dt.timedelta(days=1), period))
    return starts


def _targets(role_ids: set[int]) -> dict[tuple[int, str], tuple[int, str]]:
    """(role id, KPI name) -> (position, target words) of the newest published blueprints, one query."""
    newest = (
        BlueprintVersion.objects.filter(role_id=OuterRef("version__role_id"), status=BlueprintVersion.Status.PUBLISHED)
        .order_by("-number")
        .values("pk")[:1]
    )
    rows = KPIDefinition.objects.filter(version__role_id__in=role_ids, version_id=Subquery(newest)).values_list(
        "version__role_id", "name", "position", "target"
    )
    return {(role_id, name): (position, target) for role_id, name, position, target in rows}


def team_kpi_table(*, team: Team, period: Period, today: dt.date, report_year: int) -> KPITable:
    every = list(
        KPISeries.objects.filter(
            team=team, subject_kind__in=[KPISeries.SubjectKind.TEAM, KPISeries.SubjectKind.SERVICE]
        )
        .select_related("team", "trend")
        .order_by("kpi", "subject_kind", "service")
    )
    series = [s for s in every if s.period == period]
    other = Counter(s.period for s in every if s.period != period)
    if not series:
        return KPITable(rows=[], period=period, other_periods=dict(sorted(other.items())))
    ids = [s.pk for s in series]
    tiers = dict(KPITrendTier.objects.filter(trend_id__in=ids, report_year=report_year).values_list("trend_id", "tier"))
    targets = _targets({s.role_id for s in series})
    starts = _window(period, today)
    values: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    for series_id, start, value in (
        Measurement.objects.filter(series_id__in=ids, period_start__gte=starts[0], period_start__lte=starts[-1])
        .values("series_id", "period_start")
        .annotate(value=Avg("value"))
        .values_list("series_id", "period_start", "value")
    ):
        values[series_id][start] = Decimal(value)
    labels = [period_label(start, period) for start in starts]
    rows = []
    for s in series:
        position, target = targets.get((s.role_id, s.kpi), (10_000, ""))
        trend = getattr(s, "trend", None)
        rows.append(
            (
                position,
                KPIRow(
                    series=s,
                    trend=trend,
                    target=target,
                    tier=tiers.get(s.pk),
                    points=[Point(label, values[s.pk].get(start)) for label, start in zip(labels, starts, strict=True)],
                ),
            )
        )
    rows.sort(key=lambda pair: (pair[0], pair[1].series.subject_kind != "team", pair[1].subject))
    return KPITable(rows=[row for _position, row in rows], period=period, other_periods=dict(sorted(other.items())))
