"""Engineering-event history for the demo teams: deployments and incidents of the last 26 weeks.

The demo organisation's teams get services (platform runs `ledger` and `gateway`, payments runs
`payments-api` and `checkout`, every synthetic team one service named after it) that deploy to
production on most working days, each deployment with one to four commit times hours or days before it.
A few deployments fail and some go to staging first (DORA counts neither). Now and then a production
deployment causes an incident: some incidents blame two deployments, one deployment is named by two
incidents (the problem came back), some incidents blame nothing, and one payments incident of the last
fortnight is still open. Platform improves over the half year (more deploys, shorter lead times, fewer
failures, faster restores); payments stays about flat; each synthetic team drifts its own way.

Everything comes from seeded generators and `today`, never the wall clock, so the same day gives the
same history. The items are built in the API's shape and sent through the ingest services as a system
import (`actor=None`): the same checks and upsert rules apply, and the ids are derived from the team,
service and day, so a second run the same day changes nothing.
"""

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.utils.text import slugify

from kpis.services import MAX_ITEMS, IngestResult, deployments_ingest, incidents_ingest
from org.models import Team

SEED = 20261128
WEEKS = 26
LOOKUP_CHUNK = 900
SOURCE = "demo seed"
SERVICES = {"platform": ("ledger", "gateway"), "payments": ("payments-api", "checkout")}
UNRESOLVED_TEAM = "payments"  # whose incident of the last fortnight is still open
# Incidents only follow deployments this old, so that they start and end before `today`.
INCIDENT_MIN_AGE = timedelta(days=3)
SEVERITIES = ("sev1", "sev2", "sev2", "sev3", "sev3", "sev3")

Range = tuple[float, float]  # a figure 26 weeks ago and today; the days between interpolate


@dataclass(frozen=True)
class Profile:
    deploy_chance: Range  # chance a service deploys to production on a working day (above 1/2: twice)
    lead_hours: Range  # typical hours from a commit to its deployment
    failure_chance: Range  # chance a production deployment causes an incident
    restore_hours: Range  # typical hours from an incident's start to its resolution

    @staticmethod
    def at(figure: Range, progress: float) -> float:
        start, end = figure
        return start + (end - start) * progress


PROFILES = {
    "platform": Profile(
        deploy_chance=(0.45, 0.95), lead_hours=(70, 9), failure_chance=(0.22, 0.05), restore_hours=(14, 2)
    ),
    "payments": Profile(
        deploy_chance=(0.5, 0.55), lead_hours=(36, 32), failure_chance=(0.14, 0.13), restore_hours=(6, 5.5)
    ),
}


@dataclass(frozen=True)
class EventsResult:
    deployments_created: int
    incidents_created: int
    existing: int  # deployments and incidents that were already there (updated ones included)


def _generator(*parts: object) -> random.Random:
    return random.Random(":".join(str(part) for part in (SEED, *parts)))  # noqa: S311 - demo data, not secrets


def _synthetic_profile(slug: str) -> Profile:
    g = _generator("profile", slug)

    def drift(start: float, low: float, high: float) -> Range:
        return (start, start * g.uniform(low, high))

    return Profile(
        deploy_chance=(chance := g.uniform(0.35, 0.7), min(0.95, chance + g.uniform(-0.1, 0.2))),
        lead_hours=drift(g.uniform(20, 96), 0.5, 1.1),
        failure_chance=drift(g.uniform(0.05, 0.22), 0.5, 1.1),
        restore_hours=drift(g.uniform(2, 20), 0.5, 1.1),
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC) + timedelta(minutes=minutes)


def _hours(generator: random.Random, typical: float, *, low: float, high: float) -> timedelta:
    """A duration spread around `typical` hours (long-tailed, as lead and restore times are)."""
    return timedelta(hours=min(high, max(low, generator.expovariate(1 / typical))))


@dataclass
class _Deploy:
    item: dict[str, Any]
    deployed_at: datetime
    commits: list[datetime]
    production_success: bool


def _team_history(slug: str, services: Sequence[str], profile: Profile, today: date) -> tuple[list[dict], list[dict]]:
    """The deployment and incident items of one team for the WEEKS weeks before `today`."""
    first = today - timedelta(weeks=WEEKS)
    deploys: list[_Deploy] = []

    def progress(day: date) -> float:
        return (day - first).days / (WEEKS * 7)

    def deploy(service: str, day: date, number: int, g: random.Random, **values: Any) -> _Deploy:
        minutes = g.randrange(9 * 60, 17 * 60 + 30)
        deployed_at = _at(day, minutes)
        lead = profile.at(profile.lead_hours, progress(day))
        commits = sorted({deployed_at - _hours(g, lead, low=0.25, high=240) for _ in range(g.randint(1, 4))})
        item = {
            "deploy_id": f"demo-{slug}-{service}-{day:%Y%m%d}-{number}",
            "team": slug,
            "service": service,
            "environment": "production",
            "succeeded": True,
            "deployed_at": _iso(deployed_at),
            "commit_times": [_iso(moment) for moment in commits],
        } | values
        success = item["environment"] == "production" and item["succeeded"] is True
        return _Deploy(item=item, deployed_at=deployed_at, commits=commits, production_success=success)

    def day_of(service: str, day: date, *, at_least_one: bool = False) -> list[_Deploy]:
        g = _generator("deploys", slug, service, day, at_least_one)
        chance = profile.at(profile.deploy_chance, progress(day))
        count = (g.random() < chance) + (g.random() < chance - 0.5)
        if at_least_one:
            count = max(count, 1)
        made: list[_Deploy] = []
        for n in range(count):
            production = deploy(service, day, 2 * n + 1, g)
            if g.random() < 0.3:  # tried on staging first, with the commits it already had
                staged = production.deployed_at - timedelta(minutes=g.randrange(30, 180))
                commits = [c for c in production.commits if c < staged] or [staged - timedelta(minutes=15)]
                staging = production.item | {
                    "deploy_id": production.item["deploy_id"] + "-staging",
                    "environment": "staging",
                    "deployed_at": _iso(staged),
                    "commit_times": [_iso(c) for c in commits],
                }
                made.append(_Deploy(item=staging, deployed_at=staged, commits=commits, production_success=False))
            if g.random() < 0.04:  # a failed attempt before the one that went out
                made.append(deploy(service, day, 2 * n + 2, g, succeeded=False))
            made.append(production)
        return made

    for week in range(WEEKS):
        days = [first + timedelta(days=7 * week + offset) for offset in range(7)]
        working = [day for day in days if day.weekday() < 5]
        in_week = [d for service in services for day in working for d in day_of(service, day)]
        if not any(d.production_success for d in in_week):  # every week has a production deployment
            g = _generator("fallback", slug, days[0])
            in_week += day_of(g.choice(services), g.choice(working), at_least_one=True)
        deploys += in_week

    deploys.sort(key=lambda d: (d.deployed_at, d.item["deploy_id"]))
    return [d.item for d in deploys], _incidents(slug, services, profile, today, deploys, progress)


def _incidents(
    slug: str,
    services: Sequence[str],
    profile: Profile,
    today: date,
    deploys: list[_Deploy],
    progress: Callable[[date], float],
) -> list[dict]:
    latest = datetime.combine(today, time.min, tzinfo=UTC) - INCIDENT_MIN_AGE
    planned: list[tuple[datetime, datetime | None, str, list[str], str]] = []  # start, end, service, blamed, severity
    previous: dict[str, str] = {}  # service -> its last production deploy_id
    blaming = 0
    for d in deploys:
        if not d.production_success:
            continue
        service, deploy_id = d.item["service"], d.item["deploy_id"]
        g = _generator("incident", deploy_id)
        day = d.deployed_at.date()
        if d.deployed_at < latest and g.random() < profile.at(profile.failure_chance, progress(day)):
            started = d.deployed_at + timedelta(minutes=g.randrange(20, 360))
            restore = profile.at(profile.restore_hours, progress(day))
            blamed = [deploy_id]
            if blaming % 3 == 1 and service in previous:  # the change before shared the fault
                blamed.append(previous[service])
            planned.append(
                (started, started + _hours(g, restore, low=0.2, high=36), service, blamed, g.choice(SEVERITIES))
            )
            if blaming == 0:  # the fix did not hold: the same deployment is blamed again days later
                again = started + timedelta(days=g.randint(1, 3), minutes=g.randrange(600))
                planned.append((again, again + _hours(g, restore, low=0.2, high=36), service, [deploy_id], "sev2"))
            blaming += 1
        previous[service] = deploy_id
    first = today - timedelta(weeks=WEEKS)
    for week in range(WEEKS - 1):  # now and then something breaks that no deployment caused
        g = _generator("outage", slug, week)
        if g.random() < 0.15:
            started = _at(first + timedelta(days=7 * week + g.randrange(7)), g.randrange(24 * 60))
            restore = profile.at(profile.restore_hours, week / WEEKS)
            planned.append((started, started + _hours(g, restore, low=0.2, high=36), g.choice(services), [], "sev3"))
    if slug == UNRESOLVED_TEAM:
        g = _generator("open", slug, today)
        started = _at(today - timedelta(days=g.randint(3, 10)), g.randrange(8 * 60, 18 * 60))
        planned.append((started, None, services[0], [], "sev2"))

    planned.sort(key=lambda incident: incident[0])
    per_day: dict[date, int] = {}
    items = []
    for started, resolved, service, blamed, severity in planned:
        number = per_day[started.date()] = per_day.get(started.date(), 0) + 1
        items.append(
            {
                "incident_id": f"demo-{slug}-incident-{started:%Y%m%d}-{number}",
                "team": slug,
                "service": service,
                "severity": severity,
                "started_at": _iso(started),
                "resolved_at": _iso(resolved) if resolved else None,
                "deploy_ids": blamed,
            }
        )
    return items


def _team_names(slugs: Sequence[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for start in range(0, len(slugs), LOOKUP_CHUNK):
        names.update(Team.objects.filter(slug__in=slugs[start : start + LOOKUP_CHUNK]).values_list("slug", "name"))
    return names


def _services(slug: str, name: str) -> tuple[str, ...]:
    return SERVICES.get(slug) or (f"{slugify(name) or slug}-service",)


def _send(ingest: Callable[..., IngestResult], items: list[dict]) -> tuple[int, int]:
    """(created, already there) after sending `items` in batches the ingest accepts."""
    created = existing = 0
    for start in range(0, len(items), MAX_ITEMS):
        result = ingest(actor=None, items=items[start : start + MAX_ITEMS], source=SOURCE)
        created += result.created
        existing += result.updated + result.unchanged
    return created, existing


def demo_history(*, today: date, teams: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """The deployment and incident items of the teams (slug -> name), oldest first per team."""
    deployments: list[dict] = []
    incidents: list[dict] = []
    for slug in sorted(teams):
        profile = PROFILES.get(slug) or _synthetic_profile(slug)
        team_deployments, team_incidents = _team_history(slug, _services(slug, teams[slug]), profile, today)
        deployments += team_deployments
        incidents += team_incidents
    return deployments, incidents


def demo_events_ensure(*, today: date, team_slugs: Iterable[str]) -> EventsResult:
    """Send the demo history of the teams (those that exist) through the ingest; a second run the same
    day changes nothing."""
    teams = _team_names(sorted(set(team_slugs)))
    deployments, incidents = demo_history(today=today, teams=teams)
    deployments_created, deployments_existing = _send(deployments_ingest, deployments)
    incidents_created, incidents_existing = _send(incidents_ingest, incidents)
    return EventsResult(
        deployments_created=deployments_created,
        incidents_created=incidents_created,
        existing=deployments_existing + incidents_existing,
    )
