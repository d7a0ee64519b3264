import pytest
from django.contrib.auth.models import User

from audit.models import AuditEntry
from org.models import Employee, Team
from org.services import org_import

pytestmark = pytest.mark.django_db


def _state():
    return (
        list(Employee.objects.order_by("pk").values_list("pk", "updated_at", "active", "manager_id")),
        list(User.objects.order_by("pk").values_list("pk", "email", "is_active", "password")),
        Team.objects.count(),
        AuditEntry.objects.count(),
    )


def test_it_changes_nothing_when_the_same_file_is_imported_again(
    staff_blueprint, org_csv, org_row, mailoutbox, django_capture_on_commit_callbacks
):
    rows = [
        org_row("ceo", title="CEO"),
        org_row("lead", manager="ceo", team="core", role="staff-software-engineer"),
        org_row("dev", manager="lead", team="core", email="Dev@Example.test"),
    ]
    content = org_csv(rows)
    with django_capture_on_commit_callbacks(execute=True):
        org_import(actor=None, content=content, source_name="org.csv")
    mailoutbox.clear()
    before = _state()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = org_import(actor=None, content=content, source_name="org.csv")

    assert result.plan.empty and result.counts()["unchanged"] == 3
    assert _state() == before
    assert callbacks == [] and mailoutbox == []


def test_it_changes_nothing_when_the_file_describes_the_organisation_as_it_is(
    org_small, org_csv, org_current_rows, django_assert_max_num_queries
):
    content = org_csv(org_current_rows())
    before = _state()
    # The access check (2), the lock on the employees (where the database has one), then one read
    # each of logins, employees, roles and teams, in a savepoint.
    with django_assert_max_num_queries(9):
        result = org_import(actor=org_small["hr"].user, content=content, source_name="org.csv")
    assert result.plan.empty and result.counts()["unchanged"] == 7
    assert _state() == before
