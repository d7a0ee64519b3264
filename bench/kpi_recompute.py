"""Benchmark of the KPI trend recompute on PostgreSQL, in a real Celery worker process.

    .venv/bin/python bench/kpi_recompute.py [--keep]

PostgreSQL only. The database of BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/staffrole_bench) is dropped and created by the script, so its name
must contain "bench"; it is dropped again at the end, unless --keep. The load: the bundled blueprint
published; 2,000 subjects (250 teams, 750 of their services, 1,000 engineers with accounts) x 23 KPIs
x 12 months = 552,000 measurements in 46,000 series, with values in each KPI's unit that drift over
the year so that targets are met and missed and the DORA tiers vary; 100,000 deployments with 1-3
commit times each; 5,000 incidents, most blaming the deployment before them. Series are created
through the ORM, the rest is COPYed; then the tables are VACUUM ANALYZEd, as autovacuum would have.

The figures:
- the full recompute (kpis.tasks.trends_recompute_all) in a real worker, `celery -A staffrole worker
  --pool=solo --concurrency=1`, on a queue of its own: Redis (BENCH_REDIS_URL, default db 9), or the
  embedded filesystem broker in a temporary folder when Redis does not answer. Its time is the worker's
  own task runtime (its "succeeded in" log line); its memory is the worker process's peak resident set,
  VmHWM in /proc/<pid>/status (the solo pool runs the task in that process, so the peak includes the
  worker's start-up and the task). Targets: under 20 s and under 400 MB.
- the same recompute in this process (trends_recompute()), and the floor a set-based recompute cannot
  beat: one GROUP BY series_id over the measurements;
- one measurements_ingest batch of 5,000 new values, the worker's recompute of the series it touched,
  and the same batch sent again, which must write nothing;
- the team dashboard rendered for HR for a team with five services and one with one: the number of
  queries must be the same.

The script exits 1 when a figure misses its target, 2 when PostgreSQL is not reachable. The worker's
log is kept in var/bench-kpi-worker.log.
"""

import argparse
import datetime as dt
import io
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from throwaway import ThrowawayDatabase, fail, forget_queue, redis_broker  # noqa: E402 - bench/ runs as scripts

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffrole_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
BLUEPRINT = ROOT / "scorecards" / "blueprint_documents" / "staff-software-engineer.txt"
WORKER_LOG = ROOT / "var" / "bench-kpi-worker.log"
QUEUE = f"bench-kpi-{uuid.uuid4().hex[:12]}"

RECOMPUTE_TARGET_SECONDS = 20.0
WORKER_MEMORY_TARGET_MB = 400.0
TEAMS = 250
SERVICES_PER_TEAM = (1, 2, 3, 4, 5)  # team n has SERVICES_PER_TEAM[n % 5]: 750 services for 250 teams
ENGINEERS = 1000
MONTHS = 12
DEPLOYMENTS = 100_000
INCIDENTS = 5_000
INGEST_ITEMS = 5_000
SEED = 20261128
SOURCE = "bench"


def _fail(message: str, code: int = 2) -> NoReturn:
    fail("bench/kpi_recompute.py", message, code)


DATABASE = ThrowawayDatabase.from_env(
    script="bench/kpi_recompute.py", variable="BENCH_DATABASE_URL", default=DEFAULT_DATABASE_URL
)


# Django is set up for the bench database and a broker of our own before anything imports it.
BROKER, REDIS_URL = redis_broker(variable="BENCH_REDIS_URL", default=DEFAULT_REDIS_URL)
BROKER_DIR = None if REDIS_URL else Path(tempfile.mkdtemp(prefix="bench-kpi-broker-"))
os.environ.update(
    DATABASE_URL=DATABASE.url,
    DEBUG="False",
    LOG_FORMAT="plain",
    LOG_LEVEL="WARNING",
    CELERY_TASK_DEFAULT_QUEUE=QUEUE,
)
if REDIS_URL:
    os.environ["REDIS_URL"] = REDIS_URL
else:
    os.environ.pop("REDIS_URL", None)
    os.environ["CELERY_BROKER_DIR"] = str(BROKER_DIR)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffrole.settings.local")

import django  # noqa: E402 - the settings above must be in place first

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from kpis.measurements import measurements_ingest, period_label, period_of_start  # noqa: E402
from kpis.models import (  # noqa: E402
    Deployment,
    DeploymentCommit,
    Incident,
    IncidentDeployment,
    KPISeries,
    KPITrend,
    KPITrendTier,
    Measurement,
)
from kpis.tasks import trends_recompute_all  # noqa: E402
from kpis.trends import trends_recompute  # noqa: E402
from org.models import Employee, Team  # noqa: E402
from reviews.demo import demo_seed  # noqa: E402
from scorecards.models import BlueprintVersion, KPIDefinition, Role  # noqa: E402
from scorecards.services import blueprint_import, blueprint_parse_upload  # noqa: E402

UTC = dt.UTC


@dataclass(frozen=True)
class Spec:
    """How one blueprint KPI is measured here: its unit, where a subject that improves stood a year ago
    and stands now, the relative noise, the places kept, and the range a value stays in."""

    kpi: str
    unit: str
    then: float
    now: float
    noise: float
    places: int
    high: float | None = None


SPECS = (
    Spec("Lead time to change (DORA)", "hours", 150, 20, 0.2, 1),
    Spec("Deployment frequency (DORA)", "deploy days/week", 0.8, 5.0, 0.15, 2, 7),
    Spec("Change failure rate (DORA)", "%", 17, 5, 0.2, 1, 100),
    Spec("Mean time to restore (MTTR)", "hours", 30, 1.5, 0.25, 1),
    Spec("Sev-1 / Sev-2 incident rate", "incidents", 6, 3, 0.25, 0),
    Spec("Error budget burn", "x budget", 1.4, 0.6, 0.2, 2),
    Spec("SLO attainment", "%", 99.7, 99.95, 0.0005, 3, 100),
    Spec("Availability of critical journeys", "%", 99.8, 99.96, 0.0003, 3, 100),
    Spec("p95/p99 latency", "ms", 420, 310, 0.08, 0),
    Spec("Throughput / capacity headroom", "%", 22, 45, 0.1, 1, 100),
    Spec("Cost efficiency (unit cost)", "USD per 1k requests", 0.92, 0.74, 0.05, 2),
    Spec("Defect escape rate", "defects", 9, 4, 0.2, 0),
    Spec("Automated test coverage (meaningful)", "%", 62, 78, 0.04, 1, 100),
    Spec("Flaky test rate", "%", 4.5, 1.8, 0.15, 2, 100),
    Spec("Build pipeline duration", "minutes", 24, 15, 0.08, 1),
    Spec("PR review turnaround", "business days", 1.6, 0.8, 0.15, 2),
    Spec("Architectural review throughput", "%", 70, 100, 0.1, 0, 100),
    Spec("Tech debt burndown", "items", 4, 8, 0.2, 0),
    Spec("Security vulnerability SLA", "days", 11, 5, 0.2, 1),
    Spec("On-call toil hours", "hours", 42, 26, 0.12, 0),
    Spec("Stakeholder satisfaction (internal)", "/5", 3.8, 4.4, 0.03, 1, 5),
    Spec("Mentorship impact", "mentees", 1, 3, 0.3, 0),
    Spec("Reuse adoption rate", "teams", 1, 4, 0.3, 0),
)


@dataclass(frozen=True)
class Subject:
    kind: str  # a KPISeries.SubjectKind value
    key: str  # KPISeries.subject_key
    name: str  # what an ingest item calls it: the username, the team's slug or the service's name
    team_id: int
    team_slug: str
    engineer_id: int | None = None
    service: str = ""


@dataclass
class Row:
    figure: str
    value: str
    target: str = ""
    ok: bool | None = None  # None: no target


@dataclass
class Loaded:
    subjects: list[Subject]
    series: list[KPISeries]
    drift: dict[int, float]  # series id -> how far it moves from `then` to `now` over the year
    months: list[dt.date]
    services_of: dict[int, list[str]]  # team id -> its services
    hr_username: str


@contextmanager
def timed(into: dict[str, float], key: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    into[key] = time.perf_counter() - started


def _value(spec: Spec, drift: float, progress: float, rng: random.Random) -> Decimal:
    value = spec.then + (spec.now - spec.then) * progress * drift
    value *= 1 + rng.uniform(-spec.noise, spec.noise)
    value = max(value, 0.0) if spec.high is None else min(max(value, 0.0), spec.high)
    return Decimal(f"{value:.{spec.places}f}")


def _copy(table: str, columns: tuple[str, ...], rows: Iterator[tuple[Any, ...]]) -> None:
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(column) for column in columns)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _months(today: dt.date) -> list[dt.date]:
    """The first days of the MONTHS complete months before today's, oldest first."""
    starts = [today.replace(day=1)]
    while len(starts) <= MONTHS:
        starts.insert(0, (starts[0] - dt.timedelta(days=1)).replace(day=1))
    return starts[:-1]


def load_organisation() -> tuple[list[Subject], dict[int, list[str]], str]:
    """Accounts, employees and teams through the demo seed, topped up to TEAMS teams with services."""
    data = blueprint_parse_upload(name=BLUEPRINT.name, content=BLUEPRINT.read_bytes())
    blueprint_import(actor=None, data=data, source_name=BLUEPRINT.name, publish=True)
    demo_seed(engineers=ENGINEERS, cycle=False, events=False)
    missing = TEAMS - Team.objects.count()
    Team.objects.bulk_create(Team(slug=f"bench-{n:03d}", name=f"Bench team {n}") for n in range(1, missing + 1))
    teams = list(Team.objects.order_by("slug"))
    services_of = {
        team.pk: [f"{team.slug}-svc{k}" for k in range(1, SERVICES_PER_TEAM[n % len(SERVICES_PER_TEAM)] + 1)]
        for n, team in enumerate(teams)
    }
    subjects = [Subject("team", str(team.pk), team.slug, team.pk, team.slug) for team in teams]
    subjects += [
        Subject("service", f"{team.pk}:{service}", service, team.pk, team.slug, service=service)
        for team in teams
        for service in services_of[team.pk]
    ]
    slugs = {team.pk: team.slug for team in teams}
    engineers = (
        Employee.objects.filter(user__username__regex=r"^eng\d{4}$", team__isnull=False)
        .select_related("user")
        .order_by("user__username")[:ENGINEERS]
    )
    subjects += [
        Subject("engineer", str(e.pk), e.user.username, e.team_id, slugs[e.team_id], engineer_id=e.pk)
        for e in engineers
        if e.team_id is not None
    ]
    hr = get_user_model().objects.get(username="hr")
    return subjects, services_of, hr.get_username()


def load_series(subjects: list[Subject], rng: random.Random) -> tuple[list[KPISeries], dict[int, float]]:
    role = Role.objects.get(slug="staff-software-engineer")
    names = set(
        KPIDefinition.objects.filter(version__role=role, version__status=BlueprintVersion.Status.PUBLISHED).values_list(
            "name", flat=True
        )
    )
    if names != {spec.kpi for spec in SPECS}:
        _fail(f"The bundled blueprint's KPIs are not the ones this bench measures: {sorted(names)}", code=1)
    series = KPISeries.objects.bulk_create(
        [
            KPISeries(
                role=role,
                kpi=spec.kpi,
                subject_kind=subject.kind,
                subject_key=subject.key,
                team_id=subject.team_id,
                engineer_id=subject.engineer_id,
                service=subject.service,
                period=KPISeries.Period.MONTH,
                unit=spec.unit,
            )
            for subject in subjects
            for spec in SPECS
        ],
        batch_size=5000,
    )
    return series, {s.pk: rng.uniform(-0.4, 1.0) for s in series}


SPEC_OF = {spec.kpi: spec for spec in SPECS}


def load_measurements(
    series: list[KPISeries], drift: dict[int, float], months: list[dt.date], rng: random.Random
) -> int:
    now = timezone.now()
    indexes = [period_of_start("month", start).index for start in months]

    def rows() -> Iterator[tuple[Any, ...]]:
        for s in series:
            spec = SPEC_OF[s.kpi]
            for i, (start, index) in enumerate(zip(months, indexes, strict=True)):
                value = _value(spec, drift[s.pk], (i + 1) / len(months), rng)
                yield (s.pk, start, index, SOURCE, value, now, now)

    columns = ("series_id", "period_start", "period_index", "source", "value", "created_at", "updated_at")
    _copy(Measurement._meta.db_table, columns, rows())
    return Measurement.objects.count()


def load_events(subjects: list[Subject], months: list[dt.date], rng: random.Random) -> tuple[int, int, int, int]:
    """Deployments of the services over the year (and this month so far), their commits, and incidents
    that start after a deployment, most of them blaming it. Returns the four row counts."""
    now = timezone.now()
    services = [s for s in subjects if s.kind == "service"]
    first = dt.datetime.combine(months[0], dt.time(), tzinfo=UTC)
    span = (now - first).total_seconds()
    deployments = []
    for n in range(DEPLOYMENTS):
        service = rng.choice(services)
        at = first + dt.timedelta(seconds=rng.uniform(0, span))
        production = rng.random() < 0.9
        deployments.append(
            (f"bench-deploy-{n:06d}", service.team_id, service.service, "production" if production else "staging",
             rng.random() < 0.96, at, now, now)
        )  # fmt: skip
    _copy(
        Deployment._meta.db_table,
        ("deploy_id", "team_id", "service", "environment", "succeeded", "deployed_at", "created_at", "updated_at"),
        iter(deployments),
    )
    ids = dict(Deployment.objects.values_list("deploy_id", "pk"))

    def commits() -> Iterator[tuple[Any, ...]]:
        for deploy_id, _team, _service, _env, _ok, at, _c, _u in deployments:
            for _ in range(rng.randint(1, 3)):
                hours = min(max(rng.lognormvariate(math.log(20), 1.2), 0.05), 2000)
                yield (ids[deploy_id], at - dt.timedelta(hours=hours))

    _copy(DeploymentCommit._meta.db_table, ("deployment_id", "committed_at"), commits())

    causes = rng.sample([d for d in deployments if d[3] == "production"], INCIDENTS)
    incidents, blamed = [], []
    for n, (deploy_id, team_id, service_name, _env, _ok, at, _c, _u) in enumerate(causes):
        started = min(at + dt.timedelta(hours=rng.uniform(0.05, 24)), now - dt.timedelta(minutes=5))
        resolved: dt.datetime | None = started + dt.timedelta(hours=min(rng.lognormvariate(math.log(3), 1.0), 400))
        if rng.random() < 0.02 or (resolved is not None and resolved > now):
            resolved = None
        severity = rng.choices(["sev1", "sev2", "sev3", "sev4"], weights=[5, 20, 45, 30])[0]
        incident_id = f"bench-incident-{n:05d}"
        incidents.append((incident_id, team_id, service_name, severity, started, resolved, now, now))
        if rng.random() < 0.7:
            blamed.append((incident_id, deploy_id))
    _copy(
        Incident._meta.db_table,
        ("incident_id", "team_id", "service", "severity", "started_at", "resolved_at", "created_at", "updated_at"),
        iter(incidents),
    )
    incident_ids = dict(Incident.objects.values_list("incident_id", "pk"))
    _copy(
        IncidentDeployment._meta.db_table,
        ("incident_id", "deploy_id"),
        ((incident_ids[incident], deploy_id) for incident, deploy_id in blamed),
    )
    return len(deployments), DeploymentCommit.objects.count(), len(incidents), len(blamed)


# --- The worker ----------------------------------------------------------------------------------


class Worker:
    """`celery -A staffrole worker --pool=solo` on this bench's queue and database, logging to WORKER_LOG."""

    def __init__(self) -> None:
        WORKER_LOG.parent.mkdir(exist_ok=True)
        self.log = WORKER_LOG.open("wb")
        command = [
            str(Path(sys.executable).parent / "celery"), "-A", "staffrole", "worker", "--pool=solo",
            "--concurrency=1", "-Q", QUEUE, "-n", f"{QUEUE}@%h", "--without-heartbeat", "--without-gossip",
            "--without-mingle", "--loglevel=INFO",
        ]  # fmt: skip
        env = {**os.environ, "LOG_LEVEL": "INFO"}
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)  # noqa: S603

    def text(self) -> str:
        return WORKER_LOG.read_text(errors="replace")

    def wait_for(self, pattern: str, *, after: int = 0, timeout: float = 300) -> re.Match[str]:
        """The first match of `pattern` in the log past character `after`; fails if the worker dies."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.compile(pattern).search(self.text(), after)
            if match:
                return match
            if self.process.poll() is not None:
                _fail(f"the worker exited with {self.process.returncode}:\n{self.text()[-3000:]}", code=1)
            time.sleep(0.05)
        _fail(f"nothing matched {pattern!r} in the worker's log after {timeout:.0f} s:\n{self.text()[-3000:]}", code=1)

    def memory_mb(self, field: str) -> float:
        """VmHWM (peak resident set) or VmRSS of the worker process, in MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        match = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
        if match is None:
            _fail(f"no {field} in /proc/{self.process.pid}/status", code=1)
        return int(match[1]) / 1024

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


def _task_done(worker: Worker, name: str, task_id: str = "", *, after: int = 0) -> tuple[float, int]:
    """(the runtime the worker reports for the task, where its log line ends); fails if the task failed."""
    ident = re.escape(task_id) if task_id else r"[0-9a-f-]+"
    match = worker.wait_for(rf"Task {re.escape(name)}\[{ident}\] (succeeded in ([0-9.]+)s|raised .*)", after=after)
    if match[2] is None:
        _fail(f"{name} failed in the worker:\n{worker.text()[match.start() : match.start() + 3000]}", code=1)
    return float(match[2]), match.end()


# --- The figures -----------------------------------------------------------------------------------


def ingest_items(loaded: Loaded, rng: random.Random) -> list[dict[str, Any]]:
    """This month's value of the first INGEST_ITEMS series, as a KPI tool would send them."""
    by_key = {(s.kind, s.key): s for s in loaded.subjects}
    label = period_label("month", timezone.now().astimezone(UTC).date().replace(day=1))
    items = []
    for s in loaded.series[:INGEST_ITEMS]:
        subject = by_key[(s.subject_kind, s.subject_key)]
        spec = SPEC_OF[s.kpi]
        item = {
            "role": "staff-software-engineer",
            "kpi": s.kpi,
            "subject_type": subject.kind,
            "subject": subject.name,
            "period": label,
            "value": str(_value(spec, loaded.drift[s.pk], 1.0, rng)),
            "unit": s.unit,
            "source": SOURCE,
        }
        if subject.kind == "service":
            item["team"] = subject.team_slug
        items.append(item)
    return items


def dashboard_figures(loaded: Loaded) -> list[tuple[str, int, int, float]]:
    """(team, series shown, queries, seconds) of the team dashboard for the largest and smallest team."""
    sizes = sorted(loaded.services_of.items(), key=lambda pair: (len(pair[1]), pair[0]))
    teams = {team.pk: team for team in Team.objects.filter(pk__in=[sizes[-1][0], sizes[0][0]])}
    client = Client(SERVER_NAME="localhost")
    client.force_login(get_user_model().objects.get(username=loaded.hr_username))
    results = []
    for index, team_id in enumerate([sizes[0][0], sizes[-1][0], sizes[0][0]]):
        team = teams[team_id]
        url = reverse("kpis:team", kwargs={"team": team.slug})
        series = KPISeries.objects.filter(team=team, subject_kind__in=["team", "service"], period="month").count()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            seconds = time.perf_counter() - started
        if response.status_code != 200:
            _fail(f"the dashboard of {team.slug} answered {response.status_code}", code=1)
        if index:  # the first render warms the templates and is not counted
            results.append((team.slug, series, len(queries), seconds))
    return results


def run(worker_started: Callable[[], Worker]) -> tuple[str, list[Row], list[str]]:
    seconds: dict[str, float] = {}
    rng = random.Random(SEED)  # noqa: S311 - reproducible sample data, not secrets
    from django.core.management import call_command

    with timed(seconds, "migrate"):
        call_command("migrate", verbosity=0)
    with timed(seconds, "organisation"):
        subjects, services_of, hr = load_organisation()
    months = _months(timezone.now().astimezone(UTC).date())
    with timed(seconds, "series"):
        series, drift = load_series(subjects, rng)
    with timed(seconds, "measurements"):
        measurements = load_measurements(series, drift, months, rng)
    with timed(seconds, "events"):
        deployments, commits, incidents, blamed = load_events(subjects, months, rng)
    with timed(seconds, "vacuum"), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    loaded = Loaded(subjects, series, drift, months, services_of, hr)
    kinds = Counter(s.kind for s in subjects)

    with timed(seconds, "floor"), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT series_id, count(*), avg(value) FROM {Measurement._meta.db_table} GROUP BY series_id"  # noqa: S608
        )
        cursor.fetchall()

    worker = worker_started()
    ready_at = worker.wait_for(r" ready\.", timeout=120).end()
    idle_mb = worker.memory_mb("VmRSS")
    sent = time.perf_counter()
    task = trends_recompute_all.delay()
    finished = re.compile(rf"\[{re.escape(task.id)}\] (succeeded|raised)")
    deadline = time.monotonic() + 300
    # The trends appear all at once, when the task's transaction commits.
    while not KPITrend.objects.exists() and time.monotonic() < deadline and worker.process.poll() is None:
        if finished.search(worker.text(), ready_at):
            break
        time.sleep(0.05)
    seen = time.perf_counter() - sent
    runtime, log_at = _task_done(worker, trends_recompute_all.name, task.id, after=ready_at)
    peak_mb = worker.memory_mb("VmHWM")
    trends_after_worker = KPITrend.objects.count()

    with timed(seconds, "in_process"):
        result = trends_recompute()
    attainment = Counter(KPITrend.objects.values_list("attainment", flat=True))
    tiers = Counter(KPITrendTier.objects.filter(report_year=2023).values_list("tier", flat=True))

    items = ingest_items(loaded, rng)
    with timed(seconds, "ingest"):
        first = measurements_ingest(actor=None, items=items, source=SOURCE)
    ingest_runtime, _ = _task_done(worker, "kpis.tasks.trends_recompute_series", after=log_at)
    with timed(seconds, "resend"):
        again = measurements_ingest(actor=None, items=items, source=SOURCE)
    written_again = again.created + again.updated
    dashboards = dashboard_figures(loaded)

    (small, small_series, small_queries, small_seconds), (big, big_series, big_queries, big_seconds) = sorted(
        dashboards, key=lambda figures: figures[1]
    )
    rows = [
        Row("load: migrate", f"{seconds['migrate']:.1f} s"),
        Row(
            f"load: blueprint, {kinds['engineer']:,} engineers, {kinds['team']} teams (demo seed)",
            f"{seconds['organisation']:.1f} s",
        ),
        Row(f"load: {len(series):,} series (bulk_create)", f"{seconds['series']:.1f} s"),
        Row(f"load: {measurements:,} measurements (COPY)", f"{seconds['measurements']:.1f} s"),
        Row(
            f"load: {deployments:,} deploys, {commits:,} commits, {incidents:,} incidents (COPY)",
            f"{seconds['events']:.1f} s",
        ),
        Row("load: VACUUM ANALYZE", f"{seconds['vacuum']:.1f} s"),
        Row("floor: GROUP BY series_id over the measurements", f"{seconds['floor']:.2f} s"),
        Row(
            "full recompute in the worker (task runtime)",
            f"{runtime:.2f} s",
            f"< {RECOMPUTE_TARGET_SECONDS:.0f} s",
            runtime < RECOMPUTE_TARGET_SECONDS,
        ),
        Row("full recompute in the worker (sent to committed)", f"{seen:.2f} s"),
        Row("worker memory before the task (VmRSS)", f"{idle_mb:.0f} MB"),
        Row(
            "worker peak memory (VmHWM)",
            f"{peak_mb:.0f} MB",
            f"< {WORKER_MEMORY_TARGET_MB:.0f} MB",
            peak_mb < WORKER_MEMORY_TARGET_MB,
        ),
        Row("full recompute in this process (trends_recompute())", f"{seconds['in_process']:.2f} s"),
        Row(f"measurements_ingest: {len(items):,} new values", f"{seconds['ingest']:.2f} s"),
        Row(f"worker recompute of the {len(first.series):,} series it touched", f"{ingest_runtime:.2f} s"),
        Row("measurements_ingest: the same batch again", f"{seconds['resend']:.2f} s"),
        Row("  rows the re-sent batch wrote", f"{written_again}", "0", written_again == 0),
        Row(f"dashboard queries, {big} ({big_series} series)", f"{big_queries}"),
        Row(
            f"dashboard queries, {small} ({small_series} series)",
            f"{small_queries}",
            "equal",
            big_queries == small_queries,
        ),
        Row(f"dashboard render, {big}", f"{big_seconds * 1000:.0f} ms"),
        Row(f"dashboard render, {small}", f"{small_seconds * 1000:.0f} ms"),
    ]
    notes = [
        f"trends: {trends_after_worker:,} after the worker, {result.series:,} series and {result.tiers:,} tier rows "
        "in process",
        "attainment: " + ", ".join(f"{word or 'none'} {count:,}" for word, count in attainment.most_common()),
        "2023 DORA tiers: " + ", ".join(f"{tier} {count:,}" for tier, count in tiers.most_common()),
        f"incidents blaming a deployment: {blamed:,} of {incidents:,}",
        f"ingest: created {first.created:,}, sent again: created {again.created}, updated {again.updated}, "
        f"unchanged {again.unchanged:,}",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    title = (
        f"KPI trend recompute on PostgreSQL {version}: {len(subjects):,} subjects x {len(SPECS)} KPIs x "
        f"{len(months)} months; worker --pool=solo on {BROKER}"
    )
    return title, rows, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="keep the loaded database, to look into a figure")
    keep = parser.parse_args().keep
    DATABASE.recreate()
    workers: list[Worker] = []

    def worker_started() -> Worker:
        workers.append(Worker())
        return workers[-1]

    try:
        title, rows, notes = run(worker_started)
    finally:
        for worker in workers:
            worker.stop()
        forget_queue(REDIS_URL, QUEUE)
        connections.close_all()
        if not keep:
            DATABASE.drop()
        if BROKER_DIR is not None:
            shutil.rmtree(BROKER_DIR, ignore_errors=True)

    out = io.StringIO()
    print(title, file=out)
    print(f"{'figure':<68}{'value':>10}  {'target':<9}{'':>6}", file=out)
    for row in rows:
        verdict = "" if row.ok is None else ("ok" if row.ok else "MISSED")
        print(f"{row.figure:<68}{row.value:>10}  {row.target:<9}{verdict:>6}", file=out)
    for note in notes:
        print(note, file=out)
    if keep:
        print(f"The database is kept: {DATABASE.url}", file=out)
    print(out.getvalue(), end="")
    if any(row.ok is False for row in rows):
        print("A figure missed its target.", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
