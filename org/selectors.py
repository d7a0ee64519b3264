"""Reads over the organisation. Walks of the manager chain are one recursive query each,
whatever the depth of the hierarchy."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from org.models import Employee, Team

# Deeper than any real hierarchy; stops a walk if a loop ever reached the table.
MAX_DEPTH = 64


def _table() -> str:
    return connection.ops.quote_name(Employee._meta.db_table)


def subtree_sql(root_id: int) -> RawSQL:
    """Ids of everyone below `root_id` (not the root), at any depth, active or not; for `pk__in=`."""
    table = _table()
    sql = (
        f"WITH RECURSIVE below(id) AS ("  # noqa: S608 - the table name is ours, the id a parameter
        f" SELECT id FROM {table} WHERE manager_id = %s"
        f" UNION SELECT e.id FROM {table} e JOIN below b ON e.manager_id = b.id"
        f") SELECT id FROM below"
    )
    return RawSQL(sql, (root_id,))  # noqa: S611 - fixed SQL, the id is a query parameter


def subtree_ids(*, root_id: int) -> set[int]:
    return set(Employee.objects.filter(pk__in=subtree_sql(root_id)).values_list("pk", flat=True))


def employee_subtree(*, root: Employee, active_only: bool = True) -> QuerySet[Employee]:
    """Everyone below `root`, at any depth: one query, whatever the depth."""
    queryset = Employee.objects.filter(pk__in=subtree_sql(root.pk)).select_related("user", "team", "role", "manager")
    return queryset.filter(active=True) if active_only else queryset


def ancestor_ids(*, employee_id: int) -> list[int]:
    """The manager chain above an employee, nearest first: one query."""
    table = _table()
    sql = (
        f"WITH RECURSIVE above(id, manager_id, depth) AS ("  # noqa: S608 - the table name is ours
        f" SELECT id, manager_id, 0 FROM {table} WHERE id = %s"
        f" UNION ALL SELECT e.id, e.manager_id, a.depth + 1 FROM {table} e JOIN above a ON e.id = a.manager_id"
        f" WHERE a.depth < %s"
        f") SELECT id FROM above WHERE depth > 0 ORDER BY depth"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (employee_id, MAX_DEPTH))
        return [row[0] for row in cursor.fetchall()]


def manager_chain(*, employee: Employee) -> list[Employee]:
    """The employee's managers, nearest first (two queries)."""
    ids = ancestor_ids(employee_id=employee.pk)
    by_id = Employee.objects.select_related("user").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def with_report_counts(queryset: QuerySet[Employee]) -> QuerySet[Employee]:
    """Annotate `report_count` (active direct reports) and `is_director` (a report has reports)."""
    grand_reports = Employee.objects.filter(manager__manager=OuterRef("pk"), active=True, manager__active=True)
    return queryset.annotate(
        report_count=Count("reports", filter=Q(reports__active=True), distinct=True),
        is_director=Exists(grand_reports),
    )


def employee_for_user(*, user_id: int) -> Employee | None:
    return Employee.objects.select_related("user", "team", "role", "manager__user").filter(user_id=user_id).first()


def direct_reports(*, manager: Employee, active_only: bool = True) -> QuerySet[Employee]:
    queryset = manager.reports.select_related("user", "team", "role")
    return queryset.filter(active=True) if active_only else queryset


def teams_by_slug(slugs: Iterable[str]) -> dict[str, Team]:
    return {team.slug: team for team in Team.objects.filter(slug__in=list(slugs))}


DIRECTORY_SCOPES = ("all", "reports", "org")


def employee_directory(
    *,
    user_employee: Employee | None,
    include_inactive: bool,
    scope: str = "all",
    q: str = "",
    team: str = "",
    role: str = "",
    manager: str = "",
) -> QuerySet[Employee]:
    """People as the directory lists them, filtered; the caller's rights are applied by the caller
    (`include_inactive` comes from the access policy)."""
    queryset = Employee.objects.select_related("user", "team", "role", "manager__user")
    if not include_inactive:
        queryset = queryset.filter(active=True)
    if scope == "reports":
        queryset = queryset.filter(manager=user_employee) if user_employee else queryset.none()
    elif scope == "org":
        queryset = queryset.filter(pk__in=subtree_sql(user_employee.pk)) if user_employee else queryset.none()
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q) | Q(user__username__icontains=q) | Q(title__icontains=q) | Q(user__email__icontains=q)
        )
    if team:
        queryset = queryset.filter(team__slug=team)
    if role:
        queryset = queryset.filter(role__slug=role)
    if manager:
        queryset = queryset.filter(manager__user__username=manager)
    return queryset.order_by("name", "id")


def org_summary() -> dict[str, int]:
    """Headcount figures for HR's dashboard: two queries."""
    has_reports = Employee.objects.filter(manager=OuterRef("pk"), active=True)
    figures = Employee.objects.aggregate(
        people=Count("pk", filter=Q(active=True)),
        leavers=Count("pk", filter=Q(active=False)),
        teams=Count("team", filter=Q(active=True), distinct=True),
        without_role=Count("pk", filter=Q(active=True, role__isnull=True)),
    )
    figures["managers"] = Employee.objects.filter(active=True).filter(Exists(has_reports)).count()
    return figures


NEW_HIRE_DAYS = 90


def team_overview(*, manager: Employee, today: date) -> list[dict[str, Any]]:
    """A manager's active direct reports with what stands out about each: one query."""
    rows = []
    for report in with_report_counts(direct_reports(manager=manager)).order_by("name"):
        tenure = (today - report.start_date).days
        rows.append(
            {
                "employee": report,
                "tenure_days": tenure,
                "new_hire": 0 <= tenure < NEW_HIRE_DAYS,
                "not_started": tenure < 0,
                "missing_role": report.role_id is None,
            }
        )
    return rows


def org_branches(*, director: Employee) -> list[dict[str, Any]]:
    """Headcount under each of a director's direct reports (their branch, them included): two queries."""
    members = list(
        Employee.objects.filter(pk__in=subtree_sql(director.pk), active=True).values_list("pk", "manager_id")
    )
    parent = dict(members)
    branch_of: dict[int, int] = {}
    for pk, _manager in members:
        node = pk
        for _ in range(MAX_DEPTH):
            if parent.get(node) in (director.pk, None):
                break
            node = parent[node]
        branch_of[pk] = node
    heads = Employee.objects.filter(pk__in=set(branch_of.values())).select_related("user", "team").order_by("name")
    counts: dict[int, int] = {}
    for head in branch_of.values():
        counts[head] = counts.get(head, 0) + 1
    return [{"head": head, "headcount": counts[head.pk]} for head in heads]
