"""The review page's "KPIs for this period": the KPI series about the person reviewed, their team and the
services their team owns, as the caller may see them, over the periods that overlap the cycle's period.

Whose series: the person's own (subject engineer) for whoever may read the review; their team's and
their team's services' (subject team or service, `team` the person's team) for whoever may see that
team's KPIs (access.can_view_team_kpis). Each series shows the value of every period of its own
granularity that shares a day with the cycle's period (a period's value is the mean of its sources,
as the trends read it), the latest of those with its unit, and what the workers stored about the
series: target attainment and, for a DORA KPI, the tier in the cycle's report year. A period without
a value is "not collected", never 0.

Three queries whatever the number of series (plus the caller's visible teams, once per request): the
series with their trends, the tiers of the report year, and the values of the window.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Q
from django.utils.safestring import SafeString

from kpis.charts import Point, sparkline
from kpis.dora import period_starts
from kpis.kpi_table import value_text
from kpis.models import KPISeries, KPITrend, KPITrendTier, Measurement
from reviews.models import Review
from staffrole import access

ATTAINMENT_WORDS = {"met": "target met", "missed": "target missed"}
SUBJECT_ORDER: dict[str, int] = {
    KPISeries.SubjectKind.ENGINEER: 0,
    KPISeries.SubjectKind.TEAM: 1,
    KPISeries.SubjectKind.SERVICE: 2,
}
SUBJECT_KIND_WORDS: dict[str, str] = {
    KPISeries.SubjectKind.ENGINEER: "person",
    KPISeries.SubjectKind.TEAM: "team",
    KPISeries.SubjectKind.SERVICE: "service",
}
VALUE_PLACES = Decimal("0.000001")  # as measurements are stored; a mean of sources is rounded to it


def period_name(period: str, start: dt.date) -> str:
    """A period as the review page names it: "Nov 2026", "2026 Q4", "week of 2 Nov 2026"."""
    if period == KPISeries.Period.MONTH:
        return start.strftime("%b %Y")
    if period == KPISeries.Period.QUARTER:
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return f"week of {start.day} {start:%b %Y}"


def _short_period_name(period: str, start: dt.date) -> str:
    """The same, short enough for a chart's axis."""
    if period == KPISeries.Period.WEEK:
        return f"{start.day} {start:%b}"
    return period_name(period, start)


@dataclass(frozen=True)
class PanelRow:
    """One series over the cycle's period."""

    series: KPISeries
    starts: list[dt.date]  # the periods of the series' granularity that overlap the cycle, oldest first
    values: list[Decimal | None]  # one per period; None: not collected
    trend: KPITrend | None
    tier: str | None

    @property
    def name(self) -> str:
        return self.series.kpi

    @property
    def subject(self) -> str:
        return self.series.subject_label

    @property
    def subject_kind(self) -> str:
        return SUBJECT_KIND_WORDS.get(self.series.subject_kind, self.series.subject_kind)

    @property
    def unit(self) -> str:
        return self.series.unit

    @property
    def latest(self) -> tuple[dt.date, Decimal] | None:
        """The last period of the cycle with a value, and that value."""
        for start, value in zip(reversed(self.starts), reversed(self.values), strict=True):
            if value is not None:
                return start, value
        return None

    @property
    def latest_value(self) -> Decimal | None:
        latest = self.latest
        return latest[1] if latest else None

    @property
    def latest_text(self) -> str:
        return value_text(self.latest_value, self.unit)

    @property
    def latest_period(self) -> str:
        latest = self.latest
        return period_name(self.series.period, latest[0]) if latest else ""

    @property
    def period_range(self) -> str:
        if not self.starts:
            return ""
        first, last = (period_name(self.series.period, start) for start in (self.starts[0], self.starts[-1]))
        return first if first == last else f"{first} to {last}"

    @property
    def attainment(self) -> str:
        return self.trend.attainment if self.trend is not None else ""

    @property
    def attainment_text(self) -> str:
        return ATTAINMENT_WORDS.get(self.attainment, "")

    @property
    def points(self) -> list[Point]:
        return [
            Point(_short_period_name(self.series.period, start), value)
            for start, value in zip(self.starts, self.values, strict=True)
        ]

    @property
    def period_values(self) -> list[dict[str, str]]:
        """Each period with its value in words, for the table under the sparkline."""
        return [
            {"period": period_name(self.series.period, start), "value": value_text(value, self.unit)}
            for start, value in zip(self.starts, self.values, strict=True)
        ]

    @property
    def collected(self) -> int:
        return sum(1 for value in self.values if value is not None)

    @property
    def sparkline(self) -> SafeString:
        return sparkline(
            self.points,
            title=f"{self.name} of {self.subject} per {self.series.period}, {self.period_range}",
            unit=self.unit,
        )


@dataclass(frozen=True)
class KPIPanel:
    rows: list[PanelRow]
    report_year: int
    period_start: dt.date
    period_end: dt.date

    def row(self, series_id: int) -> PanelRow | None:
        return next((row for row in self.rows if row.series.pk == series_id), None)


def _cycle_period(review: Review) -> tuple[dt.date, dt.date]:
    cycle = review.cycle
    return cycle.period_start, cycle.period_end


def _visible(user: Any, review: Review, series: KPISeries) -> bool:
    if series.subject_kind == KPISeries.SubjectKind.ENGINEER:
        return series.engineer_id == review.employee_id and access.review_in_scope(
            relation=access.review_relation(user, review), hr=access.viewer(user).hr
        )
    return series.team is not None and access.can_view_team_kpis(user, series.team)


def panel_series(*, user: Any, review: Review, series_ids: Iterable[int] | None = None) -> list[KPISeries]:
    """The series of the panel the caller may see, in the order shown: one query (plus the caller's
    visible teams, once per request)."""
    wanted = Q(subject_kind=KPISeries.SubjectKind.ENGINEER, engineer_id=review.employee_id)
    team_id = review.employee.team_id
    if team_id is not None:
        wanted |= Q(
            subject_kind__in=[KPISeries.SubjectKind.TEAM, KPISeries.SubjectKind.SERVICE],
            team_id=team_id,
        )
    queryset = KPISeries.objects.filter(wanted).select_related("team", "engineer", "trend")
    if series_ids is not None:
        queryset = queryset.filter(pk__in=list(series_ids))
    rows = [series for series in queryset if _visible(user, review, series)]
    rows.sort(key=lambda s: (SUBJECT_ORDER.get(s.subject_kind, 9), s.subject_label.lower(), s.kpi.lower(), s.period))
    return rows


def review_kpi_panel(*, user: Any, review: Review, series_ids: Iterable[int] | None = None) -> KPIPanel:
    """The panel for the caller; `series_ids` narrows it to those series (still only the visible ones)."""
    start, end = _cycle_period(review)
    report_year = review.cycle.dora_report_year
    series = panel_series(user=user, review=review, series_ids=series_ids)
    if not series:
        return KPIPanel(rows=[], report_year=report_year, period_start=start, period_end=end)
    ids = [s.pk for s in series]
    starts = {
        period: period_starts(period=period, start=start, end=end)  # type: ignore[arg-type]
        for period in {s.period for s in series}
    }
    first = min(found[0] for found in starts.values())
    tiers = dict(KPITrendTier.objects.filter(trend_id__in=ids, report_year=report_year).values_list("trend_id", "tier"))
    values: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    for series_id, period_start, value in (
        Measurement.objects.filter(series_id__in=ids, period_start__gte=first, period_start__lte=end)
        .values("series_id", "period_start")
        .annotate(value=Avg("value"))
        .values_list("series_id", "period_start", "value")
        .order_by()
    ):
        values[series_id][period_start] = Decimal(value).quantize(VALUE_PLACES)
    rows = [
        PanelRow(
            series=s,
            starts=starts[s.period],
            values=[values[s.pk].get(period) for period in starts[s.period]],
            trend=getattr(s, "trend", None),
            tier=tiers.get(s.pk),
        )
        for s in series
    ]
    return KPIPanel(rows=rows, report_year=report_year, period_start=start, period_end=end)
