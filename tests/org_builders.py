"""Small organisations for tests, built straight from the models."""

from datetime import date

from django.contrib.auth.models import Group, User

from org.models import Employee, Team


def person(
    username: str,
    *,
    manager: Employee | None = None,
    team: Team | None = None,
    title: str = "Engineer",
    level: str = "Staff",
    start_date: date = date(2022, 3, 1),
    active: bool = True,
    groups: tuple[str, ...] = (),
) -> Employee:
    user = User.objects.create_user(username, email=f"{username}@example.test", password="demo", is_active=active)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    from django.utils import timezone

    return Employee.objects.create(
        user=user,
        name=username.title(),
        title=title,
        level=level,
        team=team,
        manager=manager,
        start_date=start_date,
        active=active,
        deactivated_at=None if active else timezone.now(),
    )


def small_org() -> dict[str, Employee]:
    """director → manager → engineer, newhire; director → manager2 → engineer2; hr on its own."""
    platform = Team.objects.create(slug="platform", name="Platform")
    payments = Team.objects.create(slug="payments", name="Payments")
    director = person("director", title="Director of Engineering", level="Director")
    manager = person("manager", manager=director, team=platform, title="Engineering Manager")
    manager2 = person("manager2", manager=director, team=payments, title="Engineering Manager")
    return {
        "director": director,
        "manager": manager,
        "manager2": manager2,
        "engineer": person("engineer", manager=manager, team=platform),
        "newhire": person("newhire", manager=manager, team=platform),
        "engineer2": person("engineer2", manager=manager2, team=payments),
        "hr": person("hr", title="HR Business Partner", groups=("HR",)),
    }
