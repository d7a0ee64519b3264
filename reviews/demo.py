"""The demo organisation of CONTRACTS.md: demo data only, never created by migrations."""

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from audit.services import audit_record
from staffrole.access import ADMIN_GROUP, HR_GROUP

DEMO_PASSWORD = "demo"  # noqa: S105 - the documented password of the demo accounts

# username, first name, last name, groups
DEMO_PEOPLE = [
    ("director", "Dana", "Director", []),
    ("manager", "Morgan", "Manager", []),
    ("manager2", "Mika", "Manager", []),
    ("engineer", "Eli", "Engineer", []),
    ("newhire", "Noor", "Newhire", []),
    ("engineer2", "Emery", "Engineer", []),
    ("hr", "Harper", "Rivera", [HR_GROUP]),
]

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

FIRST_NAMES = ["Ada", "Ben", "Chen", "Dara", "Eve", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lena", "Mo", "Nia"]
LAST_NAMES = ["Okafor", "Park", "Quinn", "Rossi", "Silva", "Tanaka", "Umar", "Vega", "Weber", "Xu", "Young", "Zhou"]


@dataclass(frozen=True)
class SeedResult:
    created: list[str]
    existing: list[str]


def _groups() -> dict[str, Group]:
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (HR_GROUP, ADMIN_GROUP)}
    wanted = [
        Permission.objects.get(content_type__app_label=app, content_type__model=model, codename=f"{action}_{model}")
        for app, model, actions in HR_PERMISSIONS
        for action in actions
    ]
    groups[HR_GROUP].permissions.add(*wanted)
    return groups


@transaction.atomic
def demo_seed(*, engineers: int = 0) -> SeedResult:
    """Create the demo accounts (and N synthetic engineers); running it again changes nothing."""
    groups = _groups()
    password = make_password(DEMO_PASSWORD)  # hashed once: thousands of synthetic accounts share it
    people = list(DEMO_PEOPLE)
    generator = random.Random(20261128)  # noqa: S311 - demo names, not secrets
    for n in range(1, engineers + 1):
        people.append((f"eng{n:04d}", generator.choice(FIRST_NAMES), generator.choice(LAST_NAMES), []))
    existing = set(User.objects.filter(username__in=[p[0] for p in people]).values_list("username", flat=True))
    new_users = User.objects.bulk_create(
        User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.staffrole.test",
            password=password,
            is_staff=bool(group_names),
        )
        for username, first, last, group_names in people
        if username not in existing
    )
    by_name = {user.username: user for user in User.objects.filter(username__in=[u.username for u in new_users])}
    for username, _first, _last, group_names in people:
        if username in by_name and group_names:
            by_name[username].groups.add(*(groups[name] for name in group_names))
    if by_name:
        audit_record(
            actor=None, action="demo.seed", target=groups[HR_GROUP], after={"created_accounts": sorted(by_name)}
        )
    return SeedResult(created=sorted(by_name), existing=sorted(existing))
