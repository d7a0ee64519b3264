from datetime import date

import pytest
from django.contrib.auth.models import User

from audit.models import AuditEntry
from org.importer import org_import_plan
from org.models import Employee, Team
from org.services import org_import

pytestmark = pytest.mark.django_db


def test_it_creates_people_teams_and_the_manager_chain(staff_blueprint, org_csv, org_row):
    rows = [
        org_row("ceo", title="CEO", level=""),
        org_row("lead", manager="ceo", team="data-platform", role="staff-software-engineer"),
        org_row("dev", manager="lead", team="data-platform", start_date="2024-02-29"),
        org_row("dev2", manager="lead", title=""),
    ]
    result = org_import(actor=None, content=org_csv(rows), source_name="org.csv", send_invites=False)

    assert result.counts() == {
        "created": 4,
        "updated": 0,
        "deactivated": 0,
        "reactivated": 0,
        "unchanged": 0,
        "teams_created": 1,
    }
    team = Team.objects.get(slug="data-platform")
    assert team.name == "Data Platform"
    dev = Employee.objects.select_related("user", "manager__user", "team").get(user__username="dev")
    assert dev.manager.user.username == "lead" and dev.manager.manager.user.username == "ceo"
    assert dev.team == team and dev.start_date == date(2024, 2, 29) and dev.active
    assert dev.user.email == "dev@example.test" and dev.user.is_active
    assert not dev.user.has_usable_password()
    lead = Employee.objects.get(user__username="lead")
    assert lead.role.slug == "staff-software-engineer"
    assert Employee.objects.get(user__username="ceo").manager is None


def test_it_records_the_import_and_each_person_in_the_audit_log(org_csv, org_row):
    rows = [org_row("ceo"), org_row("dev", manager="ceo", team="core")]
    org_import(actor=None, content=org_csv(rows), source_name="org.csv", send_invites=False)

    summary = AuditEntry.objects.get(action="org.import")
    assert summary.target_repr == "org.csv" and len(summary.target_id) == 64
    assert summary.after["created"] == 2 and summary.after["teams"] == ["core"]
    assert AuditEntry.objects.filter(action="team.create").count() == 1
    created = AuditEntry.objects.get(action="employee.create", target_repr="Dev")
    assert created.target_type == "org.employee"
    assert created.target_id == str(Employee.objects.get(user__username="dev").pk)
    assert created.before is None
    assert created.after["manager"] == "ceo" and created.after["team"] == "core" and created.after["active"] is True


def test_it_links_an_existing_login_that_has_no_employee_record(django_user_model, org_csv, org_row):
    admin = django_user_model.objects.create_user("admin", email="old@example.test", password="kept")
    org_import(actor=None, content=org_csv([org_row("admin")]), source_name="org.csv", send_invites=False)

    admin.refresh_from_db()
    assert admin.employee.name == "Admin"
    assert admin.email == "admin@example.test"
    assert admin.check_password("kept")
    assert User.objects.count() == 1


def test_it_never_touches_logins_without_an_employee_record(django_user_model, org_csv, org_row):
    root = django_user_model.objects.create_superuser("root", email="root@example.test", password="x")
    org_import(actor=None, content=org_csv([org_row("dev")]), source_name="org.csv", send_invites=False)

    root.refresh_from_db()
    assert root.is_active and not hasattr(root, "employee")


@pytest.mark.parametrize("people", [5, 60])
def test_it_plans_in_a_fixed_number_of_queries(people, org_small, org_csv, org_row, django_assert_max_num_queries):
    rows = [org_row("director"), *(org_row(f"dev{n}", manager="director") for n in range(people))]
    with django_assert_max_num_queries(4):
        plan = org_import_plan(content=org_csv(rows))
    assert plan.valid and len(plan.created) == people
