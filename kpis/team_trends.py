"""A team's KPI series with what the workers stored about each (kpis.trends), as the caller may see them.

Whose series: those kept for the team (subject team), for its services (subject service), and for
its engineers (subject engineer, the team being the engineer's when the series began). The team's
and its services' go to whoever may see the team's KPIs, which the caller checks first; an
engineer's only to whoever may read that engineer's full record (the engineer, their manager chain,
HR). Three queries whatever the number of series, once the caller's standing is known: the series
with their trends and subjects, and the tiers of their trends.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kpis.measurements import kpi_key
from kpis.measurements import period_label as measurement_period_label
from kpis.models import KPISeries, KPITrend, KPITrendTier
from org.models import Team
from staffrole import access

KINDS = tuple(KPISeries.SubjectKind.values)
KIND_ORDER: dict[str, int] = {"team": 0, "service": 1, "engineer": 2}


@dataclass(frozen=True)
class SeriesTrend:
    series: KPISeries
    trend: KPITrend | None  # None until the workers have computed it
    tiers: dict[int, str] = field(default_factory=dict)  # report year -> DORA tier of the latest value

    @property
    def subject(self) -> str:
        """The subject as an ingest names it: the team's slug, the service's name, the engineer's username."""
        series = self.series
        if series.subject_kind == KPISeries.SubjectKind.ENGINEER and series.engineer is not None:
            return str(series.engineer.user.username)
        if series.subject_kind == KPISeries.SubjectKind.TEAM and series.team is not None:
            return series.team.slug
        return series.service or series.subject_key

    @property
    def latest_period(self) -> str | None:
        if self.trend is None:
            return None
        return measurement_period_label(self.series.period, self.trend.latest_period_start)


def _may_see(user: Any, series: KPISeries) -> bool:
    if series.subject_kind != KPISeries.SubjectKind.ENGINEER:
        return True
    return series.engineer is not None and access.can_read_employee_full(user, series.engineer)


def team_trends(*, user: Any, team: Team, kind: str | None = None, kpi: str | None = None) -> list[SeriesTrend]:
    """The team's series the caller may see (the caller may see the team's KPIs: checked by the caller),
    optionally of one subject kind or one KPI (by name or slug), team first, then services, then engineers.
    """
    # The caller's reports, read once, so that each engineer's check below needs no query of its own.
    access.subtree_of(user)
    query = KPISeries.objects.filter(team=team).select_related("trend", "team", "engineer__user", "role")
    if kind is not None:
        query = query.filter(subject_kind=kind)
    wanted = kpi_key(kpi) if kpi else None
    series = [row for row in query if (wanted is None or kpi_key(row.kpi) == wanted) and _may_see(user, row)]
    trends = {row.pk: getattr(row, "trend", None) for row in series}
    tiers: dict[int, dict[int, str]] = defaultdict(dict)
    if any(trend is not None for trend in trends.values()):
        # By the team rather than by a list of ids: one query however many series the team has.
        for trend_id, year, tier in KPITrendTier.objects.filter(trend__series__team=team).values_list(
            "trend_id", "report_year", "tier"
        ):
            tiers[trend_id][year] = tier
    rows = [SeriesTrend(series=row, trend=trends[row.pk], tiers=dict(sorted(tiers[row.pk].items()))) for row in series]
    rows.sort(key=lambda row: (KIND_ORDER[row.series.subject_kind], row.series.kpi, row.subject, row.series.period))
    return rows
