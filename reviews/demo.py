"""The demo organisation of CONTRACTS.md: demo data only, never created by migrations.

`demo_seed` makes the contract's people (with their accounts, teams and manager chain) and, on request,
a synthetic organisation for load work: engineers eng0001… in teams of about eight under managers
mgr001…, about eight managers under each director dir01…, the directors under `director`.

Seeding only adds what is missing. A record that already exists is left as HR last saved it; the one
exception is a role that could not be set because its blueprint was not imported yet: it is filled in
on a later run, unless HR has retitled the person since (then the person is no longer what the demo made).
Everything is written in bulk, so the number of queries does not grow with the size of the organisation.
"""

import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from audit.services import audit_record
from org.models import Employee, Team
from scorecards.models import Role
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
def demo_seed(*, engineers: int = 0) -> SeedResult:
    """Create what is missing of the demo organisation (and N synthetic engineers); a second run changes nothing."""
    org = demo_org(engineers=engineers, today=timezone.localdate())
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
    )
