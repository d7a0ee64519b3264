"""KPI history for the demo: a year of blueprint KPI values for the demo teams, their services and the
named engineers, and the DORA KPIs from the teams' engineering events.

Values come from seeded generators and `today`: each series drifts from where it stood a year ago to
where it stands now, with some noise, in the unit its blueprint target speaks (so "target met" or
"missed" and the DORA tiers have something to judge). Platform improves on most of them; payments
holds about steady; a synthetic team drifts its own way. Everything goes through the measurement
ingest as a system import, keyed by (KPI, subject, period, source), so a second run the same month
changes nothing. Without a published Staff Software Engineer blueprint there are no KPIs to measure
and nothing is written.
"""

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kpis.demo import SEED, _services, _team_names
from kpis.dora import period_start_of
from kpis.dora_kpis import dora_measurements_refresh
from kpis.measurements import measurements_ingest, period_label
from kpis.services import MAX_ITEMS
from kpis.trends import trends_recompute
from org.models import Team
from scorecards.models import BlueprintVersion

ROLE = "staff-software-engineer"
SOURCE = "demo seed"
MONTHS = 12
QUARTERS = 4


@dataclass(frozen=True)
class Spec:
    kpi: str
    unit: str
    then: float  # a year ago, for a team that improves
    now: float  # today, for a team that improves
    noise: float  # relative
    places: int = 2
    period: str = "month"


TEAM_KPIS = (
    Spec("Sev-1 / Sev-2 incident rate", "incidents", 6, 3, 0.25, 0),
    Spec("Error budget burn", "burn rate", 1.4, 0.6, 0.2),
    Spec("Defect escape rate", "defects", 9, 4, 0.2, 0),
    Spec("Flaky test rate", "%", 4.5, 1.8, 0.15),
    Spec("Build pipeline duration", "minutes", 24, 15, 0.08, 1),
    Spec("PR review turnaround", "business days", 1.6, 0.8, 0.15),
    Spec("Security vulnerability SLA", "days", 11, 5, 0.2, 1),
    Spec("On-call toil hours", "hours", 42, 26, 0.12, 0),
    Spec("Stakeholder satisfaction (internal)", "/5", 3.8, 4.4, 0.03, 1, "quarter"),
    Spec("Tech debt burndown", "items", 4, 8, 0.2, 0, "quarter"),
)
SERVICE_KPIS = (
    Spec("SLO attainment", "%", 99.7, 99.95, 0.0005, 3),
    Spec("Availability of critical journeys", "%", 99.8, 99.96, 0.0003, 3),
    Spec("p95/p99 latency", "ms", 420, 310, 0.08, 0),
    Spec("Cost efficiency (unit cost)", "USD per 1k requests", 0.92, 0.74, 0.05),
)
ENGINEER_KPIS = (
    Spec("PR review turnaround", "business days", 1.3, 0.7, 0.2),
    Spec("Architectural review throughput", "%", 70, 100, 0.1, 0),
)
# The named engineers, their team's way, and how many recent months they have values for.
ENGINEERS = {"engineer": ("platform", MONTHS), "engineer2": ("payments", MONTHS), "newhire": ("platform", 1)}
WAYS = {"platform": 1.0, "payments": 0.15}  # how far a team moves from `then` to `now`


@dataclass(frozen=True)
class MeasurementsResult:
    created: int
    existing: int
    series: int  # series with a trend after the run


def _generator(*parts: object) -> random.Random:
    return random.Random(":".join(str(part) for part in (SEED, "kpi", *parts)))  # noqa: S311 - demo data


def _starts(period: str, today: dt.date, count: int) -> list[dt.date]:
    """The `count` complete periods before the one holding today, oldest first."""
    starts = [period_start_of(period_start_of(today, period) - dt.timedelta(days=1), period)]  # type: ignore[arg-type]
    while len(starts) < count:
        starts.insert(0, period_start_of(starts[0] - dt.timedelta(days=1), period))  # type: ignore[arg-type]
    return starts


def _history(spec: Spec, key: str, way: float, today: dt.date, count: int) -> list[tuple[dt.date, float]]:
    g = _generator(spec.kpi, key)
    starts = _starts(spec.period, today, MONTHS if spec.period == "month" else QUARTERS)[-count:]
    values = []
    for i, start in enumerate(starts):
        progress = (i + 1) / len(starts)
        value = spec.then + (spec.now - spec.then) * progress * way
        value *= 1 + g.uniform(-spec.noise, spec.noise)
        if spec.unit == "%" and spec.then > 90:
            value = min(value, 99.999)
        values.append((start, round(max(value, 0), spec.places)))
    return values


def _items(spec: Spec, subject_type: str, subject: str, history: list[tuple[dt.date, float]], **extra: str) -> list:
    return [
        {
            "role": ROLE,
            "kpi": spec.kpi,
            "subject_type": subject_type,
            "subject": subject,
            "period": period_label(spec.period, start),
            "value": str(value),
            "unit": spec.unit,
            "source": SOURCE,
            **extra,
        }
        for start, value in history
    ]


def demo_measurements(*, today: dt.date, teams: dict[str, str], engineers: Iterable[str]) -> list[dict[str, Any]]:
    """The measurement items of the teams (slug -> name), their services and the named engineers."""
    items: list[dict[str, Any]] = []
    for slug in sorted(teams):
        way = WAYS.get(slug, _generator("way", slug).uniform(-0.4, 1.0))
        for spec in TEAM_KPIS:
            count = MONTHS if spec.period == "month" else QUARTERS
            items += _items(spec, "team", slug, _history(spec, slug, way, today, count))
        for service in _services(slug, teams[slug]):
            for spec in SERVICE_KPIS:
                history = _history(spec, f"{slug}/{service}", way, today, MONTHS)
                items += _items(spec, "service", service, history, team=slug)
    for username in sorted(set(engineers) & set(ENGINEERS)):
        team, months = ENGINEERS[username]
        if team not in teams:
            continue
        for spec in ENGINEER_KPIS:
            items += _items(spec, "engineer", username, _history(spec, username, WAYS[team], today, months))
    return items


def demo_measurements_ensure(
    *, today: dt.date, team_slugs: Iterable[str], engineers: Iterable[str]
) -> MeasurementsResult:
    """Send the demo KPI history and the DORA KPIs of the events, then recompute the trends (here, not
    in a worker, so the demo is complete when the command returns)."""
    if not BlueprintVersion.objects.filter(role__slug=ROLE, status=BlueprintVersion.Status.PUBLISHED).exists():
        return MeasurementsResult(created=0, existing=0, series=0)
    teams = _team_names(sorted(set(team_slugs)))
    items = demo_measurements(today=today, teams=teams, engineers=engineers)
    created = existing = 0
    for start in range(0, len(items), MAX_ITEMS):
        result = measurements_ingest(actor=None, items=items[start : start + MAX_ITEMS], source=SOURCE)
        created += result.created
        existing += result.updated + result.unchanged
    team_ids = Team.objects.filter(slug__in=list(teams)).values_list("pk", flat=True)
    dora = dora_measurements_refresh(team_ids=team_ids, today=today)
    created += dora.created
    existing += dora.updated + dora.unchanged
    return MeasurementsResult(created=created, existing=existing, series=trends_recompute().series)
