import pytest
from django.utils import timezone

from org.importer import org_import_plan

pytestmark = pytest.mark.django_db


def _leave(employee):
    employee.active = False
    employee.deactivated_at = timezone.now()
    employee.save()


def test_it_reports_a_manager_who_is_deactivated(org_small, org_csv, org_current_rows, org_row):
    _leave(org_small["manager2"])
    rows = [*org_current_rows(), org_row("newdev", manager="manager2")]
    plan = org_import_plan(content=org_csv(rows), deactivate_missing=False)
    problems = [(e.row, e.column, e.value, e.reason) for e in plan.errors]
    assert (len(rows) + 1, "manager", "manager2", "manager 'manager2' is deactivated") in problems


def test_it_reports_a_manager_the_import_would_deactivate(org_small, org_csv, org_current_rows):
    rows = [row for row in org_current_rows() if row["username"] != "manager"]
    plan = org_import_plan(content=org_csv(rows))
    assert sorted((e.value, e.reason) for e in plan.errors) == [
        ("manager", "manager 'manager' is not in the file, so the import would deactivate them"),
        ("manager", "manager 'manager' is not in the file, so the import would deactivate them"),
    ]
    assert sorted(e.row for e in plan.errors) == [4, 5]  # engineer and newhire


def test_it_accepts_a_deactivated_manager_whom_the_file_brings_back(org_small, org_csv, org_current_rows):
    rows = org_current_rows()
    _leave(org_small["manager2"])
    plan = org_import_plan(content=org_csv(rows))
    assert plan.valid, plan.errors
    assert [p.username for p in plan.reactivated] == ["manager2"]
