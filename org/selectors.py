"""Reads over the organisation. Walks of the manager chain are one recursive query each,
whatever the depth of the hierarchy."""

from collections.abc import Iterable

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
    return RawSQL(sql, (root_id,))


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
