"""The DORA figures of the engineering events as measurements of the blueprints' DORA KPIs.

A blueprint KPI about lead time, deployment frequency, change failure rate or time to restore
(kpis.trends.dora_metric_of) gets, for every team with events, one value per UTC calendar month of
the last MONTHS, from the source "engineering events": median lead time and time to restore in
hours, deploy days per week, change failure rate in %. They go through the measurement ingest like
any other source, so trends, targets and tiers treat them alike, and the review page and the
dashboard show them beside measurements sent by other tools.

A month whose figure has no data is not collected: no value is written, and one written before
(when the events said otherwise) is removed. After a batch of events commits, the teams it touched
are refreshed by a worker; all teams are refreshed nightly, so the current month keeps moving.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction

from audit.services import AuditItem, audit_record_many
from kpis.dora import dora_figures, next_period_start, period_start_of
from kpis.measurements import _trends_dispatch, measurements_ingest, period_label
from kpis.models import Deployment, Incident, KPISeries, Measurement
from kpis.services import MAX_ITEMS, _chunks
from kpis.trends import dora_metric_of
from org.models import Team
from scorecards.models import BlueprintVersion, KPIDefinition

SOURCE = "engineering events"
MONTHS = 12
# DoraTier metric -> (DoraRow field, unit of the measurement, factor from the row's value)
FIGURES = {
    "lead_time": ("lead_time_hours_median", "hours", Decimal(1)),
    "deployment_frequency": ("deploy_days_per_week", "deploy days/week", Decimal(1)),
    "change_failure_rate": ("change_failure_rate", "%", Decimal(100)),
    "time_to_restore": ("time_to_restore_hours_median", "hours", Decimal(1)),
}
PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class RefreshResult:
    teams: int
    created: int
    updated: int
    unchanged: int
    removed: int


def _dora_kpis() -> list[tuple[str, str, str]]:
    """(role slug, KPI name, DORA metric) of the newest published blueprint of every role."""
    newest: dict[int, int] = {}
    for role_id, number in BlueprintVersion.objects.filter(status=BlueprintVersion.Status.PUBLISHED).values_list(
        "role_id", "number"
    ):
        newest[role_id] = max(number, newest.get(role_id, 0))
    found = []
    for role_id, slug, number, name in KPIDefinition.objects.filter(
        version__status=BlueprintVersion.Status.PUBLISHED
    ).values_list("version__role_id", "version__role__slug", "version__number", "name"):
        metric = dora_metric_of(name)
        if metric is not None and newest.get(role_id) == number:
            found.append((slug, name, metric))
    return sorted(found)


def teams_with_events() -> list[int]:
    ids = set(Deployment.objects.order_by().values_list("team_id", flat=True).distinct())
    ids |= set(Incident.objects.order_by().values_list("team_id", flat=True).distinct())
    return sorted(ids)


def dora_measurements_refresh(*, team_ids: Iterable[int], today: dt.date) -> RefreshResult:
    """Write the DORA KPI values of these teams for the last MONTHS months; one transaction."""
    kpis = _dora_kpis()
    teams = list(Team.objects.filter(pk__in=sorted(set(team_ids))).order_by("slug"))
    if not kpis or not teams:
        return RefreshResult(teams=len(teams), created=0, updated=0, unchanged=0, removed=0)
    last = period_start_of(today, "month")
    first = last
    for _month in range(MONTHS - 1):
        first = period_start_of(first - dt.timedelta(days=1), "month")
    items: list[dict[str, Any]] = []
    gone: list[tuple[int, str, dt.date]] = []  # (team id, KPI name, month) with nothing to measure
    for team in teams:
        rows = dora_figures(team=team, period="month", start=first, end=next_period_start(last, "month"))
        for row in rows:
            if row.period_start > last:
                continue
            for slug, name, metric in kpis:
                attribute, unit, factor = FIGURES[metric]
                value = getattr(row, attribute)
                if value is None:
                    gone.append((team.pk, name, row.period_start))
                    continue
                items.append(
                    {
                        "role": slug,
                        "kpi": name,
                        "subject_type": "team",
                        "subject": team.slug,
                        "period": period_label("month", row.period_start),
                        "value": str((value * factor).quantize(PLACES)),
                        "unit": unit,
                        "source": SOURCE,
                    }
                )
    created = updated = unchanged = 0
    with transaction.atomic():
        for start in range(0, len(items), MAX_ITEMS):
            result = measurements_ingest(actor=None, items=items[start : start + MAX_ITEMS], source=SOURCE)
            created, updated, unchanged = (
                created + result.created,
                updated + result.updated,
                unchanged + result.unchanged,
            )
        removed = _remove_stale(gone)
    return RefreshResult(teams=len(teams), created=created, updated=updated, unchanged=unchanged, removed=removed)


def _remove_stale(gone: list[tuple[int, str, dt.date]]) -> int:
    """Values from the events for months that now have nothing to measure (events re-sent since)."""
    if not gone:
        return 0
    wanted = set(gone)
    team_ids = sorted({team_id for team_id, _name, _month in gone})
    stale = [
        (pk, series_id)
        for pk, series_id, team_id, name, month in Measurement.objects.filter(
            source=SOURCE,
            series__subject_kind=KPISeries.SubjectKind.TEAM,
            series__team_id__in=team_ids,
            period_start__in=sorted({month for _team, _name, month in gone}),
        ).values_list("pk", "series_id", "series__team_id", "series__kpi", "period_start")
        if (team_id, name, month) in wanted
    ]
    if not stale:
        return 0
    pks = [pk for pk, _series in stale]
    for chunk in _chunks(pks):
        Measurement.objects.filter(pk__in=chunk).delete()
    series_ids = sorted({series_id for _pk, series_id in stale})
    audit_record_many(
        actor=None,
        items=[
            AuditItem(
                action="kpis.measurements_remove",
                target_type="kpis.measurement_batch",
                target_id=f"dora-{len(stale)}-{series_ids[0]}",
                target_repr=f"{len(stale)} DORA values no longer backed by events",
                after={"removed": len(stale), "series": series_ids[:100]},
                reason="The engineering events of these months no longer give a figure.",
            )
        ],
    )
    transaction.on_commit(partial(_trends_dispatch, series_ids), robust=True)
    return len(stale)


def dora_refresh_dispatch(team_ids: list[int]) -> None:
    from kpis.tasks import dora_kpis_refresh

    dora_kpis_refresh.delay(team_ids)
