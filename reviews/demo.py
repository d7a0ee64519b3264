"""The demo organisation of CONTRACTS.md: demo data only, never created by migrations.

`demo_seed` makes the contract's people (with their accounts, teams and manager chain) and, on request,
a synthetic organisation for load work: engineers eng0001… in teams of about eight under managers
mgr001…, about eight managers under each director dir01…, the directors under `director`.

Seeding only adds what is missing. A record that already exists is left as HR last saved it; the one
exception is a role that could not be set because its blueprint was not imported yet: it is filled in
on a later run, unless HR has retitled the person since (then the person is no longer what the demo made).
Everything is written in bulk, so the number of queries does not grow with the size of the organisation.

Once the Staff Software Engineer blueprint is published, the demo also has an open review cycle for the
current quarter, opened by `hr` through the cycle services, with reviews in several states: `engineer`
has submitted the self-assessment, `engineer2`'s manager review is in, `newhire` has started, and the
synthetic people's reviews are spread from draft to shared, a good share of them manager-submitted and
waiting for calibration; `mgr001` rates every report about a point above the rest, so calibration has a
lenient manager to flag. People a later run adds join that cycle.

The demo teams and the synthetic ones also get 26 weeks of deployments and incidents (kpis/demo.py),
sent through the ingest services like any import, so the DORA figures and team dashboards have history.
"""

import random
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.db.models import Model, OuterRef, Subquery
from django.utils import timezone

from audit.services import AuditItem, audit_record, audit_record_many
from kpis.demo import demo_events_ensure
from kpis.demo_measurements import demo_measurements_ensure
from ladder.demo import demo_ladder_ensure
from org.models import Employee, Team
from reviews.models import Cycle, Rating, Review
from reviews.scoring import rounded_rating, weighted_score
from reviews.services import (
    RatingInput,
    _enrol,
    _published_versions_by_role,
    cycle_create,
    cycle_open,
    review_rate,
    review_transition,
)
from scorecards.models import BlueprintVersion, Role, ScorecardDimension
from staffrole.access import ADMIN_GROUP, HR_GROUP

DEMO_PASSWORD = "demo"  # noqa: S105 - the documented password of the demo accounts
EMAIL_DOMAIN = "demo.staffrole.test"

ENGINEER_ROLE = "staff-software-engineer"
MANAGER_ROLE = "engineering-manager"

# Span of control of the synthetic organisation: reports per manager, managers per director.
SPAN = 8

# HR edits blueprint drafts in the admin (published versions are read-only there) and reads the audit trail.
HR_PERMISSIONS = [
    ("scorecards", "role", ("view", "change")),
    ("scorecards", "blueprintversion", ("view", "change")),
    ("scorecards", "responsibility", ("view", "add", "change", "delete")),
    ("scorecards", "skill", ("view", "add", "change", "delete")),
    ("scorecards", "kpidefinition", ("view", "add", "change", "delete")),
    ("scorecards", "milestone", ("view", "add", "change", "delete")),
    ("scorecards", "scorecarddimension", ("view", "add", "change", "delete")),
    ("scorecards", "promotioncriterion", ("view", "add", "change", "delete")),
    ("audit", "auditentry", ("view",)),
    ("jobs", "job", ("view",)),
]

DEMO_TEAMS = {"platform": "Platform", "payments": "Payments"}

FIRST_NAMES = ["Ada", "Ben", "Chen", "Dara", "Eve", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lena", "Mo", "Nia"]
LAST_NAMES = ["Okafor", "Park", "Quinn", "Rossi", "Silva", "Tanaka", "Umar", "Vega", "Weber", "Xu", "Young", "Zhou"]
TEAM_AREAS = [
    "Search",
    "Identity",
    "Billing",
    "Checkout",
    "Notifications",
    "Mobile",
    "Web",
    "Data",
    "Observability",
    "Storage",
    "Messaging",
    "Growth",
    "Onboarding",
    "Reliability",
    "Developer Experience",
    "Security",
    "Integrations",
    "Analytics",
    "Catalog",
    "Fulfilment",
    "Pricing",
    "Support Tools",
    "Compliance",
    "Infrastructure",
]
# Synthetic engineers' levels and how common each is.
ENGINEER_LEVELS = ("Senior", "Staff", "Principal")
ENGINEER_LEVEL_WEIGHTS = (55, 35, 10)
SEED = 20261128

# Far below SQLite's smallest limit of 999 parameters per statement.
CHUNK = 500


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    title: str
    level: str
    start_date: date
    team: str = ""  # team slug
    manager: str = ""  # manager's username
    role: str = ""  # blueprint slug, set when that role exists
    groups: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class DemoOrg:
    people: list[DemoPerson]
    teams: dict[str, str]  # slug -> name


@dataclass(frozen=True)
class SeedResult:
    created: list[str]  # accounts created by this run
    existing: list[str]  # accounts that were already there
    employees_created: list[str]
    employees_existing: int
    teams_created: list[str]
    teams_existing: int
    roles_filled: list[str]  # usernames whose missing role this run filled in
    engineers: int
    managers: int
    directors: int
    cycle: str = ""  # the demo cycle's name, once the engineers' blueprint is published
    cycle_created: bool = False
    reviews_created: int = 0  # reviews this run added to the demo cycle
    deployments_created: int = 0  # engineering events this run added to the teams' history
    incidents_created: int = 0
    events_existing: int = 0  # deployments and incidents that were already there
    measurements_created: int = 0  # KPI values this run added (the DORA KPIs from the events included)
    measurements_existing: int = 0
    kpi_series: int = 0  # KPI series with a computed trend
    plan_created: bool = False  # newhire's 30/60/90 plan, made by this run


def contract_people(*, today: date) -> list[DemoPerson]:
    """The people CONTRACTS.md names. Only newhire's start date moves with the calendar: their
    30/60/90 plan is in its first month."""
    return [
        DemoPerson("director", "Dana", "Director", "Director of Engineering", "Director", date(2016, 3, 1)),
        DemoPerson(
            "manager",
            "Morgan",
            "Manager",
            "Engineering Manager",
            "Manager",
            date(2018, 6, 4),
            team="platform",
            manager="director",
            role=MANAGER_ROLE,
        ),
        DemoPerson(
            "manager2",
            "Mika",
            "Manager",
            "Engineering Manager",
            "Manager",
            date(2019, 9, 16),
            team="payments",
            manager="director",
            role=MANAGER_ROLE,
        ),
        DemoPerson(
            "engineer",
            "Eli",
            "Engineer",
            "Staff Software Engineer",
            "Staff",
            date(2020, 2, 3),
            team="platform",
            manager="manager",
            role=ENGINEER_ROLE,
        ),
        DemoPerson(
            "newhire",
            "Noor",
            "Newhire",
            "Staff Software Engineer",
            "Staff",
            today - timedelta(weeks=3),
            team="platform",
            manager="manager",
            role=ENGINEER_ROLE,
        ),
        DemoPerson(
            "engineer2",
            "Emery",
            "Engineer",
            "Staff Software Engineer",
            "Staff",
            date(2021, 5, 10),
            team="payments",
            manager="manager2",
            role=ENGINEER_ROLE,
        ),
        DemoPerson("hr", "Harper", "Rivera", "HR Business Partner", "", date(2017, 11, 6), groups=(HR_GROUP,)),
    ]


def _day_between(generator: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=generator.randrange((last - first).days + 1))


def _team_name(number: int) -> str:
    area = TEAM_AREAS[(number - 1) % len(TEAM_AREAS)]
    round_ = (number - 1) // len(TEAM_AREAS)
    return area if round_ == 0 else f"{area} {round_ + 1}"


def synthetic_org(*, engineers: int) -> DemoOrg:
    """N engineers in teams of SPAN under managers, SPAN managers per director, directors under `director`.

    Each person depends only on their own number, so a larger N extends the same organisation."""

    def generator(username: str) -> random.Random:
        return random.Random(f"{SEED}:{username}")  # noqa: S311 - demo names and dates, not secrets

    managers = -(-engineers // SPAN)
    directors = -(-managers // SPAN)
    people: list[DemoPerson] = []
    for d in range(1, directors + 1):
        username = f"dir{d:02d}"
        g = generator(username)
        people.append(
            DemoPerson(
                username,
                g.choice(FIRST_NAMES),
                g.choice(LAST_NAMES),
                "Engineering Director",
                "Director",
                _day_between(g, date(2010, 1, 4), date(2019, 12, 31)),
                manager="director",
            )
        )
    teams = {}
    for m in range(1, managers + 1):
        username, team = f"mgr{m:03d}", f"team-{m:03d}"
        teams[team] = _team_name(m)
        g = generator(username)
        people.append(
            DemoPerson(
                username,
                g.choice(FIRST_NAMES),
                g.choice(LAST_NAMES),
                "Engineering Manager",
                "Manager",
                _day_between(g, date(2012, 1, 2), date(2022, 12, 30)),
                team=team,
                manager=f"dir{(m - 1) // SPAN + 1:02d}",
                role=MANAGER_ROLE,
            )
        )
    for n in range(1, engineers + 1):
        username, manager_number = f"eng{n:04d}", (n - 1) // SPAN + 1
        g = generator(username)
        level = g.choices(ENGINEER_LEVELS, weights=ENGINEER_LEVEL_WEIGHTS)[0]
        people.append(
            DemoPerson(
                username,
                g.choice(FIRST_NAMES),
                g.choice(LAST_NAMES),
                f"{level} Software Engineer",
                level,
                _day_between(g, date(2015, 1, 5), date(2025, 10, 31)),
                team=f"team-{manager_number:03d}",
                manager=f"mgr{manager_number:03d}",
                role=ENGINEER_ROLE,
            )
        )
    return DemoOrg(people=people, teams=teams)


def demo_org(*, engineers: int, today: date) -> DemoOrg:
    synthetic = synthetic_org(engineers=engineers)
    return DemoOrg(people=contract_people(today=today) + synthetic.people, teams=DEMO_TEAMS | synthetic.teams)


T = TypeVar("T")


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _ids_by(model: type[Model], field: str, values: Iterable[Any]) -> dict[Any, int]:
    """`value -> pk` for the rows whose `field` is one of `values`."""
    ids: dict[Any, int] = {}
    for chunk in _chunks(list(values)):
        ids.update(model._default_manager.filter(**{f"{field}__in": chunk}).values_list(field, "pk"))
    return ids


def _depth(person: DemoPerson, by_username: dict[str, DemoPerson]) -> int:
    depth = 0
    while person.manager in by_username:
        person, depth = by_username[person.manager], depth + 1
    return depth


def _groups() -> dict[str, Group]:
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (HR_GROUP, ADMIN_GROUP)}
    wanted = {(app, f"{action}_{model}") for app, model, actions in HR_PERMISSIONS for action in actions}
    permissions = [
        permission
        for permission in Permission.objects.filter(
            content_type__app_label__in={app for app, _ in wanted}, codename__in={codename for _, codename in wanted}
        ).select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in permissions}
    if missing:
        raise LookupError(f"Permissions missing (run migrate first): {sorted(missing)}")
    groups[HR_GROUP].permissions.add(*permissions)
    return groups


def _teams_ensure(teams: dict[str, str]) -> tuple[dict[Any, int], list[str]]:
    ids = _ids_by(Team, "slug", teams)
    missing = [slug for slug in teams if slug not in ids]
    Team.objects.bulk_create(Team(slug=slug, name=teams[slug]) for slug in missing)
    if missing:
        ids |= _ids_by(Team, "slug", missing)
    return ids, missing


def _accounts_ensure(people: list[DemoPerson], groups: dict[str, Group]) -> tuple[dict[Any, int], list[str]]:
    ids = _ids_by(User, "username", [p.username for p in people])
    missing = [p for p in people if p.username not in ids]
    password = make_password(DEMO_PASSWORD) if missing else ""  # hashed once: thousands of accounts share it
    User.objects.bulk_create(
        User(
            username=p.username,
            first_name=p.first_name,
            last_name=p.last_name,
            email=f"{p.username}@{EMAIL_DOMAIN}",
            password=password,
            is_staff=bool(p.groups),
        )
        for p in missing
    )
    if missing:
        ids |= _ids_by(User, "username", [p.username for p in missing])
    Membership = User.groups.through
    Membership.objects.bulk_create(
        Membership(user_id=ids[p.username], group_id=groups[name].pk) for p in missing for name in p.groups
    )
    return ids, [p.username for p in missing]


def _employees_ensure(
    people: list[DemoPerson], user_ids: dict[Any, int], team_ids: dict[Any, int], role_ids: dict[str, int]
) -> tuple[list[str], list[str], int]:
    """Create the missing employees, managers before their reports; fill in roles that became available.

    Returns (usernames of employees created, usernames whose role was filled in, employees already there)."""
    by_username = {p.username: p for p in people}
    username_of = {pk: username for username, pk in user_ids.items()}
    # username -> (pk, active)
    employees: dict[str, tuple[int, bool]] = {}
    to_fill: dict[int, list[int]] = {}  # role id -> employee ids
    filled: list[str] = []
    for chunk in _chunks(list(username_of)):
        rows = Employee.objects.filter(user_id__in=chunk).values_list("user_id", "pk", "active", "role_id", "title")
        for user_id, pk, active, role_id, title in rows:
            person = by_username[username_of[user_id]]
            employees[person.username] = (pk, active)
            if role_id is None and person.role in role_ids and title == person.title:
                to_fill.setdefault(role_ids[person.role], []).append(pk)
                filled.append(person.username)
    existing = len(employees)

    def active_manager(person: DemoPerson) -> int | None:
        """The planned manager, or the nearest active one above when HR has deactivated them."""
        username = person.manager
        while username in employees and not employees[username][1]:
            username = by_username[username].manager
        return employees[username][0] if username in employees else None

    created: list[str] = []
    depth_of = {p.username: _depth(p, by_username) for p in people if p.username not in employees}
    for depth in sorted(set(depth_of.values())):
        level = [p for p in people if depth_of.get(p.username) == depth]
        Employee.objects.bulk_create(
            Employee(
                user_id=user_ids[p.username],
                name=p.name,
                title=p.title,
                role_id=role_ids.get(p.role),
                level=p.level,
                team_id=team_ids.get(p.team),
                manager_id=active_manager(p),
                start_date=p.start_date,
            )
            for p in level
        )
        new_ids = _ids_by(Employee, "user_id", [user_ids[p.username] for p in level])
        employees |= {p.username: (new_ids[user_ids[p.username]], True) for p in level}
        created += [p.username for p in level]

    now = timezone.now()
    for role_id, pks in to_fill.items():
        for chunk in _chunks(pks):
            Employee.objects.filter(pk__in=chunk, role__isnull=True).update(role_id=role_id, updated_at=now)
    return created, sorted(filled), existing


def _chain_counts(people: list[DemoPerson]) -> tuple[int, int, int]:
    """(engineers, managers, directors) as the chain defines them: a manager has reports, a director
    has reports who have reports; everyone else with a manager is an engineer."""
    reports: dict[str, list[str]] = {}
    for p in people:
        if p.manager:
            reports.setdefault(p.manager, []).append(p.username)
    directors = {boss for boss, names in reports.items() if any(name in reports for name in names)}
    managers = set(reports) - directors
    engineers = [p for p in people if p.manager and p.username not in reports]
    return len(engineers), len(managers), len(directors)


@transaction.atomic
def demo_seed(
    *,
    engineers: int = 0,
    cycle: bool = True,
    events: bool = True,
    plans: bool | None = None,
    ladder: bool | None = None,
) -> SeedResult:
    """Create what is missing of the demo organisation (and N synthetic engineers), with `cycle` the demo
    review cycle, with `events` the teams' deployments and incidents and with `plans` (by default: with the
    cycle) newhire's 30/60/90 plan, with `ladder` (by default: with the cycle) the career ladder and engineer's
    self-assessments (ladder/demo.py); a second run changes nothing."""
    today = timezone.localdate()
    org = demo_org(engineers=engineers, today=today)
    groups = _groups()
    role_ids = dict(Role.objects.filter(slug__in=[ENGINEER_ROLE, MANAGER_ROLE]).values_list("slug", "pk"))
    team_ids, teams_created = _teams_ensure(org.teams)
    user_ids, accounts_created = _accounts_ensure(org.people, groups)
    employees_created, roles_filled, employees_existing = _employees_ensure(org.people, user_ids, team_ids, role_ids)
    if accounts_created or employees_created or teams_created or roles_filled:
        audit_record(
            actor=None,
            action="demo.seed",
            target=groups[HR_GROUP],
            after={
                "created_accounts": sorted(accounts_created),
                "created_employees": sorted(employees_created),
                "created_teams": sorted(teams_created),
                "roles_filled": roles_filled,
            },
        )
    demo_cycle = _demo_cycle_ensure(today=today, new_people=employees_created) if cycle else None
    plan_created = _demo_plan_ensure(today=today) if (cycle if plans is None else plans) else False
    if cycle if ladder is None else ladder:
        demo_ladder_ensure()
        from hiring.demo import demo_hiring_ensure

        demo_hiring_ensure()
    history = demo_events_ensure(today=today, team_slugs=org.teams) if events else None
    measured = (
        demo_measurements_ensure(today=today, team_slugs=org.teams, engineers=[p.username for p in org.people])
        if events
        else None
    )
    created = set(accounts_created)
    engineer_count, manager_count, director_count = _chain_counts(org.people)
    return SeedResult(
        created=sorted(created),
        existing=sorted(p.username for p in org.people if p.username not in created),
        employees_created=sorted(employees_created),
        employees_existing=employees_existing,
        teams_created=sorted(teams_created),
        teams_existing=len(org.teams) - len(teams_created),
        roles_filled=roles_filled,
        engineers=engineer_count,
        managers=manager_count,
        directors=director_count,
        cycle=demo_cycle.cycle.name if demo_cycle else "",
        cycle_created=bool(demo_cycle and demo_cycle.created),
        reviews_created=demo_cycle.reviews_created if demo_cycle else 0,
        deployments_created=history.deployments_created if history else 0,
        incidents_created=history.incidents_created if history else 0,
        events_existing=history.existing if history else 0,
        measurements_created=measured.created if measured else 0,
        measurements_existing=measured.existing if measured else 0,
        kpi_series=measured.series if measured else 0,
        plan_created=plan_created,
    )


# --- The demo review cycle -----------------------------------------------------------------------

# Days from the day the cycle is made to each deadline: self-assessment, manager review, calibration, sign-off.
DEMO_DEADLINES = (7, 14, 21, 35)
# How the synthetic reviews are spread over the states (weights).
SYNTHETIC_STATES = (
    (Review.State.DRAFT, 25),
    (Review.State.SELF_SUBMITTED, 20),
    (Review.State.MANAGER_SUBMITTED, 30),
    (Review.State.CALIBRATED, 15),
    (Review.State.SHARED, 10),
)
STATE_ORDER = [state for state, _weight in SYNTHETIC_STATES]
# The synthetic manager who rates their reports a point above their self-assessments (4 at least), with every
# review in: the calibration page flags them (docs/adr/0016-calibration-skew.md).
LENIENT_MANAGER = "mgr001"
COMMENTS = {
    1: ["Has not shown this yet; we agreed on a concrete first step.", "Well below the bar this quarter."],
    2: ["Some progress, but not consistent yet.", "Shows it with support; needs to own it end to end."],
    3: ["Solid and dependable here.", "Meets the bar: steady delivery with clear trade-offs."],
    4: ["Regularly goes beyond the bar; others ask for help here.", "Strong quarter, with visible impact."],
    5: ["Sets the standard for the organisation.", "Exceptional: shaped how several teams work."],
}


@dataclass(frozen=True)
class DemoCycle:
    cycle: Cycle
    created: bool
    reviews_created: int


def demo_cycle_name(today: date) -> str:
    return f"{today.year} Q{(today.month - 1) // 3 + 1} review"


def _quarter(today: date) -> tuple[date, date]:
    first_month = 3 * ((today.month - 1) // 3) + 1
    start = date(today.year, first_month, 1)
    following = date(today.year + 1, 1, 1) if first_month == 10 else date(today.year, first_month + 3, 1)
    return start, following - timedelta(days=1)


def _demo_cycle_ensure(*, today: date, new_people: list[str]) -> DemoCycle | None:
    """The current quarter's open cycle, with a review for everyone who has a role: made once; people a
    later run adds (`new_people`) join it as late joiners."""
    published = BlueprintVersion.objects.filter(role__slug=ENGINEER_ROLE, status=BlueprintVersion.Status.PUBLISHED)
    if not published.exists():
        return None
    hr = User.objects.get(username="hr")
    name = demo_cycle_name(today)
    cycle = Cycle.objects.filter(name=name).first()
    if cycle is None:
        period_start, period_end = _quarter(today)
        self_due, manager_due, calibration_due, signoff_due = (today + timedelta(days=d) for d in DEMO_DEADLINES)
        cycle = cycle_create(
            actor=hr,
            name=name,
            period_start=period_start,
            period_end=period_end,
            self_due=self_due,
            manager_due=manager_due,
            calibration_due=calibration_due,
            signoff_due=signoff_due,
        )
        cycle = cycle_open(actor=hr, cycle=cycle).cycle
        _contract_reviews_progress(cycle)
        _synthetic_reviews_progress(cycle, _synthetic(_reviews_of(cycle)))
        return DemoCycle(cycle=cycle, created=True, reviews_created=Review.objects.filter(cycle=cycle).count())
    if cycle.state not in (Cycle.State.OPEN, Cycle.State.CALIBRATING) or not new_people:
        return DemoCycle(cycle=cycle, created=False, reviews_created=0)
    joiners = []
    for chunk in _chunks(new_people):
        joiners += list(Employee.objects.filter(user__username__in=chunk, active=True).order_by("pk"))
    result = _enrol(cycle=cycle, people=joiners, versions=_published_versions_by_role())
    reviews = _reviews_of(cycle, only=set(new_people))
    audit_record_many(
        actor=hr,
        items=[
            AuditItem.about(
                review,
                action="review.enrol",
                after={"employee": review.employee.user.username, "reviewer": _username_of(review.reviewer)},
                reason="Joined the organisation after the cycle opened (demo data).",
            )
            for review in reviews
        ],
    )
    _synthetic_reviews_progress(cycle, _synthetic(reviews))
    return DemoCycle(cycle=cycle, created=False, reviews_created=result.enrolled)


# --- newhire's 30/60/90 plan ------------------------------------------------------------------------

# A goal newhire's manager added, due two weeks in: three weeks in, it is overdue by a week.
DEMO_PLAN_EXTRA_GOAL = "Finish the onboarding checklist: laptop, accounts, on-call shadowing sign-up"
DEMO_PLAN_EXTRA_DAYS = 14


def _demo_plan_ensure(*, today: date) -> bool:
    """newhire's plan from their start date, made once through the plan services like any other: two goals
    under way (one done), and a goal their manager added that is now overdue."""
    from plans.models import Goal, Plan
    from plans.services import plan_create_for, plan_goal_add, plan_goal_update

    newhire = (
        Employee.objects.filter(user__username="newhire", role__isnull=False, active=True)
        .select_related("user", "manager__user")
        .first()
    )
    if newhire is None or Plan.objects.filter(employee=newhire).exists():
        return False
    plan = plan_create_for(employee=newhire, reason=Plan.Reason.START, actor=User.objects.get(username="hr"))
    if plan is None or newhire.manager is None:
        return plan is not None
    goals = list(Goal.objects.filter(plan=plan).order_by("position")[:2])
    person, manager = newhire.user, newhire.manager.user
    if len(goals) == 2:
        plan_goal_update(
            actor=person,
            plan=plan,
            goal_id=goals[0].pk,
            version=goals[0].version,
            status=Goal.Status.DONE,
            notes="Walked through the product with the PM and two support leads.",
        )
        plan_goal_update(
            actor=person,
            plan=plan,
            goal_id=goals[1].pk,
            version=goals[1].version,
            status=Goal.Status.IN_PROGRESS,
            notes="Service map drafted; data flows of billing still to do.",
            evidence="https://wiki.example.test/platform/architecture-map",
        )
    plan_goal_add(
        actor=manager,
        plan=plan,
        horizon="30d",
        text=DEMO_PLAN_EXTRA_GOAL,
        due_date=plan.start_date + timedelta(days=DEMO_PLAN_EXTRA_DAYS),
    )
    return True


CONTRACT_USERNAMES = {person.username for person in contract_people(today=date(2000, 1, 1))}


def _username_of(employee: Employee | None) -> str | None:
    return employee.user.username if employee is not None else None


def _reviews_of(cycle: Cycle, *, only: Collection[str] | None = None) -> list[Review]:
    """The cycle's reviews (of the people in `only`), with the people and their accounts: one query."""
    queryset = Review.objects.filter(cycle=cycle).select_related("employee__user", "reviewer__user").order_by("pk")
    return [r for r in queryset if only is None or r.employee.user.username in only]


def _synthetic(reviews: list[Review]) -> list[Review]:
    return [r for r in reviews if r.employee.user.username not in CONTRACT_USERNAMES]


def _dimension_names(review: Review) -> list[str]:
    return list(review.blueprint_version.dimensions.order_by("position").values_list("name", flat=True))


def _contract_reviews_progress(cycle: Cycle) -> None:
    """The contract people's reviews, written by the people themselves through the review services, so
    their history reads as it would in real use."""
    users = {u.username: u for u in User.objects.filter(username__in=["engineer", "engineer2", "newhire", "manager2"])}
    reviews = {
        r.employee.user.username: r
        for r in Review.objects.filter(cycle=cycle, employee__user__username__in=list(users)).select_related(
            "employee__user", "reviewer__user", "blueprint_version"
        )
    }

    def rate(
        username: str, actor: str, scores: dict[str, tuple[int, str]], *, every: bool = True, **extra: Any
    ) -> None:
        """Rate the dimensions `scores` names (by first word) or, with `every`, all of them."""
        review = Review.objects.get(pk=reviews[username].pk)
        ratings = []
        for name in _dimension_names(review):
            if _key(name) in scores or every:
                score, comment = scores.get(_key(name), (3, COMMENTS[3][0]))
                ratings.append(RatingInput(dimension=name, score=score, comment=comment))
        review_rate(actor=users[actor], review=review, ratings=ratings, version=review.version, **extra)

    if "engineer" in reviews:
        rate("engineer", "engineer", ENGINEER_SELF)
        review_transition(actor=users["engineer"], review=reviews["engineer"], action="submit_self")
    if "engineer2" in reviews:
        rate("engineer2", "engineer2", ENGINEER2_SELF)
        review_transition(actor=users["engineer2"], review=reviews["engineer2"], action="submit_self")
        if _username_of(reviews["engineer2"].reviewer) == "manager2":
            rate("engineer2", "manager2", ENGINEER2_MANAGER, potential=Review.Potential.HIGH)
            review_transition(actor=users["manager2"], review=reviews["engineer2"], action="submit_manager")
    if "newhire" in reviews:
        rate("newhire", "newhire", NEWHIRE_SELF, every=False)


def _key(dimension: str) -> str:
    """The first word of a dimension's name: enough to tell the bundled scorecard's dimensions apart."""
    return dimension.split()[0].lower()


ENGINEER_SELF = {
    "system": (4, "Led the ledger service split: design doc, migration plan and a rollout with no downtime."),
    "hands-on": (4, "Found and fixed the connection-pool leak behind the nightly timeouts."),
    "operational": (3, "Ran two incident reviews; our SLO dashboards now cover every platform API."),
    "technical": (3, "Aligned three teams on the new event schema; adoption is still partial."),
    "communication": (4, "Wrote the platform RFC template that other teams now use."),
    "security": (3, "Moved our services to short-lived credentials; dependency updates are weekly now."),
    "collaboration": (5, "Mentored two engineers through their first on-call rotations."),
}
ENGINEER2_SELF = {
    "system": (3, "Designed the refunds flow; the retry strategy needed a second review round."),
    "hands-on": (4, "Shipped the payout batching rewrite, 40% faster end to end."),
    "operational": (4, "Cut payment alerts by half by fixing noisy thresholds."),
    "technical": (3, "Coordinated the card-network migration with the risk team."),
    "communication": (3, "Weekly updates to finance; could be shorter and more decision-oriented."),
    "security": (4, "Led the PCI scope reduction: tokenisation at the edge."),
    "collaboration": (3, "Paired with the new payments engineer during their first month."),
}
ENGINEER2_MANAGER = {
    "system": (4, "The refunds design holds up well under load; the retry review was healthy, not a weakness."),
    "hands-on": (4, "The batching rewrite is clean and well tested."),
    "operational": (4, "On-call is noticeably calmer since the alert clean-up."),
    "technical": (3, "Good coordination; next step is setting direction, not only executing it."),
    "communication": (3, "Agree: lead with the decision needed, then the detail."),
    "security": (5, "The PCI work reduced our audit scope by two systems: outstanding."),
    "collaboration": (3, "Supportive pairing; I'd like to see more design-review feedback to others."),
}
NEWHIRE_SELF = {
    "hands-on": (3, "First fixes merged in week two; learning the deploy pipeline."),
    "communication": (3, "Wrote up my onboarding notes for the next person."),
}


# When each step of a synthetic review happened, counted back from the seeding.
STEP_AGO = {
    "self_submitted_at": timedelta(days=6),
    "manager_submitted_at": timedelta(days=3),
    "calibrated_at": timedelta(days=2),
    "shared_at": timedelta(days=1),
}


def _synthetic_reviews_progress(cycle: Cycle, reviews: list[Review]) -> None:
    """Spread the synthetic people's reviews over the states. Rows that end up alike are written by one
    UPDATE per group (a few dozen groups), so thousands of reviews take seconds."""
    if not reviews:
        return
    dimensions: dict[int, list[ScorecardDimension]] = {}
    for dimension in ScorecardDimension.objects.filter(
        version_id__in={r.blueprint_version_id for r in reviews}
    ).order_by("position"):
        dimensions.setdefault(dimension.version_id, []).append(dimension)
    now = timezone.now()
    # (review, dimension, side) -> (score, comment) for every rating the demo fills in.
    planned: dict[tuple[int, int, str], tuple[int, str]] = {}
    review_groups: dict[tuple[str, int, str, int | None], list[int]] = {}
    counts = dict.fromkeys([str(state) for state in STATE_ORDER], 0)
    for review in reviews:
        generator = random.Random(f"{SEED}:review:{review.employee.user.username}")  # noqa: S311 - demo data
        state = generator.choices(STATE_ORDER, weights=[weight for _state, weight in SYNTHETIC_STATES])[0]
        lenient = _username_of(review.reviewer) == LENIENT_MANAGER
        if lenient and STATE_ORDER.index(state) < STATE_ORDER.index(Review.State.MANAGER_SUBMITTED):
            state = Review.State.MANAGER_SUBMITTED
        step = STATE_ORDER.index(state)
        dims = dimensions.get(review.blueprint_version_id, [])
        base = generator.choice((2, 3, 3, 3, 4, 4, 5))
        self_scores = [_near(generator, base) for _ in dims]
        manager_scores = [_near(generator, score) for score in self_scores]
        if lenient:  # a point above the self-assessment, and never below "Exceeds"
            manager_scores = [min(5, max(4, score + 1)) for score in manager_scores]
        # A draft is sometimes half done: the engineer has rated the first dimensions.
        self_rated = len(dims) if step >= 1 else generator.choice((0, 0, len(dims) // 2))
        manager_rated = len(dims) if step >= 2 else 0
        for side, scores, rated in (
            (Rating.Side.SELF, self_scores, self_rated),
            (Rating.Side.MANAGER, manager_scores, manager_rated),
        ):
            for dimension, score in list(zip(dims, scores, strict=True))[:rated]:
                planned[(review.pk, dimension.pk, str(side))] = (score, generator.choice(COMMENTS[score]))
        potential = generator.choice(("low", "medium", "medium", "high")) if step >= 2 else ""
        final = (
            rounded_rating(weighted_score([(d.weight, s) for d, s in zip(dims, manager_scores, strict=True)]))
            if step >= 3 and dims
            else None
        )
        # Each rating write and each transition moved the version on, as the services would have.
        version = 1 + (1 if self_rated else 0) + step + (1 if step >= 2 else 0)
        review_groups.setdefault((str(state), version, potential, final), []).append(review.pk)
        counts[str(state)] += 1

    rating_groups: dict[tuple[str, int, str], list[int]] = {}
    for chunk in _chunks([review.pk for review in reviews]):
        for pk, review_id, dimension_id, side_name in Rating.objects.filter(review_id__in=chunk).values_list(
            "pk", "review_id", "dimension_id", "side"
        ):
            if (review_id, dimension_id, side_name) in planned:
                score, comment = planned[(review_id, dimension_id, side_name)]
                rating_groups.setdefault((side_name, score, comment), []).append(pk)
    author = {  # each side is written by its own person
        "self": Subquery(Review.objects.filter(pk=OuterRef("review_id")).values("employee__user_id")[:1]),
        "manager": Subquery(Review.objects.filter(pk=OuterRef("review_id")).values("reviewer__user_id")[:1]),
    }
    for (rating_side, score, comment), pks in rating_groups.items():
        for chunk in _chunks(pks):
            Rating.objects.filter(pk__in=chunk).update(
                score=score, comment=comment, version=1, updated_by_id=author[rating_side]
            )
    for (review_state, version, potential, final), pks in review_groups.items():
        step = STATE_ORDER.index(Review.State(review_state))
        stamps = {name: now - ago if step > index else None for index, (name, ago) in enumerate(STEP_AGO.items())}
        for chunk in _chunks(pks):
            Review.objects.filter(pk__in=chunk).update(
                state=review_state,
                version=version,
                potential=potential,
                final_rating=final,
                updated_at=now,
                **stamps,
            )
    audit_record(
        actor=None,
        action="demo.reviews",
        target=cycle,
        after={"reviews": len(reviews), "states": counts},
        reason="Synthetic reviews spread over the states (demo data).",
    )


def _near(generator: random.Random, score: int) -> int:
    return min(5, max(1, score + generator.choice((-1, 0, 0, 0, 1))))
